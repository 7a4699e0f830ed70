package cli

import (
	"context"
	"strings"
	"testing"
	"time"

	"iamcreds/awsclient/localiam"
	"iamcreds/model"
)

// A key is matched by its alias; IAM cannot check its secret. After the
// credential is deleted, the user's next one takes the same alias (the local
// endpoint reuses the slot; AWS may too), so the old, dead key matches the new
// credential: whois must not say the key works, and must say what it cannot
// tell, with the credential's creation date to tell it by.
func TestWhoisSaysTheSecretIsNotChecked(t *testing.T) {
	url, c, creds, secrets := whoisSetup(t, localiam.Faults{})
	old := creds["first"]
	if err := c.Delete(context.Background(), old.UserName, old.ID); err != nil {
		t.Fatal(err)
	}
	fresh, _, err := c.CreateCredential(context.Background(), old.UserName, model.Bedrock, 30)
	if err != nil {
		t.Fatal(err)
	}
	if fresh.Alias != old.Alias {
		t.Skipf("the endpoint did not reuse the alias (%s, %s): nothing to show", old.Alias, fresh.Alias)
	}
	r := runWhoisTest(t, secrets["first"]+"\n", "--endpoint-url", url)
	if !strings.Contains(r.stdout, fresh.ID) {
		t.Fatalf("the new credential is not the match:\n%s", r.stdout)
	}
	if strings.Contains(r.stdout, "it works now") {
		t.Errorf("claims the key works, though its secret was never checked:\n%s", r.stdout)
	}
	want := "IAM cannot check a key's secret: a key older than this credential (created " +
		fresh.Created.UTC().Format(time.RFC3339) + ")"
	if !strings.Contains(r.stdout, want) {
		t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
	}
	noSecret(t, secrets, r.stdout, r.stderr)
}
