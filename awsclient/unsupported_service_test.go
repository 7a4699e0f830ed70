package awsclient

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"iamcreds/awsclient/localiam"
	"iamcreds/model"
)

// unsupporting answers a ListServiceSpecificCredentials of service as IAM
// answers a name it does not take (NoSuchEntity, 404), as a partition without
// the service, or a catalog name no second source confirms, would.
func unsupporting(service string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			form, _ := url.ParseQuery(string(body))
			if form.Get("Action") == "ListServiceSpecificCredentials" && form.Get("ServiceName") == service {
				w.Header().Set("Content-Type", "text/xml")
				w.WriteHeader(http.StatusNotFound)
				_, _ = io.WriteString(w, `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type>`+
					`<Code>NoSuchEntity</Code><Message>No such service `+service+` is supported for Service Specific Credentials</Message>`+
					`</Error><RequestId>4f0c6e1a-0000-4000-8000-000000000000</RequestId></ErrorResponse>`)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// A catalog service IAM does not take here (CloudWatch Metrics' name is
// UNCERTAIN; a partition may lack a service) is no credentials of it, as
// docs/services.md says: the scan of every other service goes on. A name the
// person added (--extra-services) that IAM refuses still fails, naming it: a
// typo must not pass for "none".
func TestScanSkipsACatalogServiceIAMDoesNotTake(t *testing.T) {
	ctx := context.Background()
	_, u := serveLocalIAM(t, localiam.Config{Seed: "demo"}, unsupporting(model.CloudWatch))
	inv, err := connectTest(t, u).Inventory(ctx, nil)
	if err != nil {
		t.Fatalf("one unsupported catalog service failed the scan: %v", err)
	}
	if len(inv.Credentials) == 0 {
		t.Fatal("no credentials")
	}

	_, u = serveLocalIAM(t, localiam.Config{Seed: "demo"}, unsupporting("next.amazonaws.com"))
	_, err = connectTest(t, u, func(c *Config) { c.ExtraServices = []string{"next.amazonaws.com"} }).Inventory(ctx, nil)
	if err == nil || !strings.Contains(err.Error(), "next.amazonaws.com") {
		t.Fatalf("an unsupported extra service: %v, want an error naming it", err)
	}
}
