package ui

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"iamcreds/ui/uitest"
)

// A user's own listing shows every service; when the cursor's load shows one
// the scan does not list, the fleet says which and how to add it.
func TestFleetNamesAnUnscannedService(t *testing.T) {
	t.Parallel()
	e, err := uitest.NewEndpoint(uitest.EndpointConfig{Seed: "demo", Now: clock, ExtraServices: []string{"next.amazonaws.com"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	form := url.Values{"Action": {"CreateServiceSpecificCredential"}, "Version": {"2010-05-08"}, "UserName": {"ana"}, "ServiceName": {"next.amazonaws.com"}}
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	e.Server.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("creating the key: %d %s", rec.Code, rec.Body)
	}
	d := newDriver(t, New(testOptions(&endpoint{client: e.Client, srv: e.Server}, &memClipboard{})), 200, 36)
	d.settle()
	d.keys("a") // the AllUsers load has not seen it
	mustNotContain(t, d.m, "is not scanned")
	d.keys("a", "down") // ana: her own listing has it
	d.settle()
	d.keys("a")
	mustContain(t, d.m, "next.amazonaws.com is not scanned", `--extra-services next.amazonaws.com or services = ["next.amazonaws.com"]`)
}
