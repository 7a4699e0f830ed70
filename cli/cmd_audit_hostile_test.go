package cli

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"iamcreds/awsclient/localiam"
	"iamcreds/model"
	"iamcreds/ui/uitest"
)

// startHostileIAM serves the demo account as an endpoint pretending to be IAM
// would: control and bidi characters in every user name, id, login, account,
// ARN, error message and request id (uitest.Hostile).
func startHostileIAM(t *testing.T, faults localiam.Faults) string {
	t.Helper()
	e, err := uitest.NewEndpoint(uitest.EndpointConfig{Seed: "demo", Hostile: true, Faults: faults,
		Now: func() time.Time { return auditTestNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	return e.URL
}

// allSafe fails for a line of out that holds a control or bidi character.
func allSafe(t *testing.T, what, out string) {
	t.Helper()
	for i, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if !model.IsSafeText(l) {
			t.Errorf("%s line %d: %q", what, i+1, l)
		}
	}
}

// No report of audit, in any format, and nothing on its stderr, carries a
// character that would steer a terminal, whatever the endpoint sends; JSON and
// JSON Lines keep the exact values, escaped.
func TestAuditHostileEndpoint(t *testing.T) {
	auditAWSEnv(t)
	url := startHostileIAM(t, localiam.Faults{})
	hostileSofia := "sofia" + uitest.Hostile
	for _, format := range []string{"table", "csv", "json", "jsonl", "markdown"} {
		r := runAuditTest(t, false, "--endpoint-url", url, "--format", format)
		if r.code != exitOK {
			t.Fatalf("%s: exit %d, stderr %q", format, r.code, r.stderr)
		}
		allSafe(t, format, r.stdout)
		allSafe(t, format+" stderr", r.stderr)
		switch format {
		case "json":
			var doc struct {
				Account     string
				Credentials []struct{ User string }
			}
			if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
				t.Fatal(err)
			}
			if !hasUser(doc.Credentials, hostileSofia) || doc.Account != "123456789012"+uitest.Hostile {
				t.Errorf("json: the exact values did not survive the escapes: account %q", doc.Account)
			}
		case "jsonl":
			var found bool
			for _, l := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
				var row struct{ User string }
				if err := json.Unmarshal([]byte(l), &row); err != nil {
					t.Fatal(err)
				}
				found = found || row.User == hostileSofia
			}
			if !found {
				t.Error("jsonl: no row of sofia with the exact hostile name")
			}
		default:
			if !strings.Contains(r.stdout, "sofia�2J␍�") {
				t.Errorf("%s: the hostile name is not shown as placeholders:\n%s", format, r.stdout)
			}
		}
	}
	// A refusal naming a hostile user, on stderr.
	denied := startHostileIAM(t, localiam.Faults{Deny: []string{"ListServiceSpecificCredentials"}})
	r := runAuditTest(t, false, "--endpoint-url", denied)
	if r.code != exitFailed || !strings.Contains(r.stderr, "�2J␍�") {
		t.Fatalf("exit %d, stderr %q: want exit 3 naming the user, made safe", r.code, r.stderr)
	}
	allSafe(t, "stderr of a refusal", r.stderr)
}

func hasUser(rows []struct{ User string }, name string) bool {
	for _, r := range rows {
		if r.User == name {
			return true
		}
	}
	return false
}
