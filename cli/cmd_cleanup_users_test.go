package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"iamcreds/awsclient/localiam"
)

func runCleanupTest(t *testing.T, args ...string) auditRun {
	t.Helper()
	var out, errOut bytes.Buffer
	env := cliEnv{stdout: &out, stderr: &errOut, now: func() time.Time { return auditTestNow },
		isTerminal: func(io.Writer) bool { return false }}
	code := execute(context.Background(), append([]string{"cleanup-users"}, args...), env)
	return auditRun{out.String(), errOut.String(), code}
}

// consoleUsers is the audit's verdicts of the console-made users at url.
func consoleUsers(t *testing.T, url string) map[string]string {
	t.Helper()
	r := runAuditTest(t, false, "--endpoint-url", url, "--format", "json")
	var doc struct {
		Users []struct {
			User       string
			Verdicts   []string
			AccessKeys []struct{ Status string } `json:"access_keys"`
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("audit: %v\n%s%s", err, r.stdout, r.stderr)
	}
	out := map[string]string{}
	for _, u := range doc.Users {
		v := strings.Join(u.Verdicts, ",")
		for _, k := range u.AccessKeys {
			v += " key:" + k.Status
		}
		out[u.User] = v
	}
	return out
}

// The plan names what each orphan holds and the steps in IAM's order, and
// changes nothing; --apply removes them, reporting each step.
func TestCleanupUsersOrphaned(t *testing.T) {
	auditAWSEnv(t)
	url := startAuditIAM(t, "demo", localiam.Faults{})
	before := consoleUsers(t, url)
	plan := runCleanupTest(t, "--endpoint-url", url, "--orphaned")
	want := `BedrockAPIKey-9mzc (Bedrock, orphaned): holds 1 credential, 1 policy
  1. delete Bedrock API key `
	if plan.code != exitOK || !strings.HasPrefix(plan.stdout, want) || !strings.Contains(plan.stdout, `BedrockAPIKey-k2wd (Bedrock, orphaned): holds 1 policy, 1 group
  1. detach policy AmazonBedrockLimitedAccess
  2. remove from group api-key-users
  3. delete the user
`) || !strings.Contains(plan.stdout, "Nothing was changed: 2 users, 6 steps.") || strings.Contains(plan.stdout, "r8tn") {
		t.Fatalf("plan: exit %d\n%s%s", plan.code, plan.stdout, plan.stderr)
	}
	if after := consoleUsers(t, url); len(after) != 4 || after["BedrockAPIKey-k2wd"] != before["BedrockAPIKey-k2wd"] {
		t.Fatalf("the plan changed something: %v", after)
	}

	r := runCleanupTest(t, "--endpoint-url", url, "--orphaned", "--apply")
	if r.code != exitOK || strings.Count(r.stdout, "  done: delete the user\n") != 2 ||
		!strings.Contains(r.stdout, "  done: remove from group api-key-users\n") || !strings.Contains(r.stdout, "Done: 2 users.") {
		t.Fatalf("apply: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	after := consoleUsers(t, url)
	if len(after) != 2 || after["BedrockAPIKey-4f7q"] != "ok" || !strings.HasPrefix(after["BedrockAPIKey-r8tn"], "at-risk") {
		t.Fatalf("after the cleanup: %v", after)
	}
	if r := runCleanupTest(t, "--endpoint-url", url, "--orphaned"); r.code != exitOK || !strings.HasPrefix(r.stdout, "No console-made user is orphaned") {
		t.Fatalf("second plan: exit %d\n%s", r.code, r.stdout)
	}
}

// A step IAM refuses stops everything: the step, what is left of the user,
// and the users not reached are named, and the exit status is 3.
func TestCleanupUsersFailureStops(t *testing.T) {
	auditAWSEnv(t)
	url := startAuditIAM(t, "demo", localiam.Faults{Deny: []string{"DetachUserPolicy"}})
	r := runCleanupTest(t, "--endpoint-url", url, "--orphaned", "--apply")
	if r.code != exitFailed || !strings.Contains(r.stdout, "  failed: detach policy AmazonBedrockLimitedAccess: ") ||
		!strings.Contains(r.stdout, "  left: detach policy AmazonBedrockLimitedAccess; delete the user\n") ||
		!strings.Contains(r.stdout, "Not reached: BedrockAPIKey-k2wd.") || !strings.Contains(r.stderr, "access denied") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// The step before the failure was done; the next user was not touched.
	after := consoleUsers(t, url)
	if after["BedrockAPIKey-9mzc"] != "orphaned" || after["BedrockAPIKey-k2wd"] != "orphaned" {
		t.Fatalf("after the failure: %v", after)
	}
}

// --read-only, from the flag or the settings file, refuses --apply before
// anything is contacted.
func TestCleanupUsersReadOnly(t *testing.T) {
	auditAWSEnv(t)
	url := startAuditIAM(t, "demo", localiam.Faults{})
	if r := runCleanupTest(t, "--endpoint-url", url, "--orphaned", "--apply", "--read-only"); r.code != exitUsage ||
		!strings.Contains(r.stderr, "--read-only refuses every change") {
		t.Fatalf("--read-only: exit %d %s", r.code, r.stderr)
	}
	conf := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(conf, []byte("read-only = true\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := runCleanupTest(t, "--endpoint-url", url, "--orphaned", "--apply", "--config", conf); r.code != exitUsage ||
		!strings.Contains(r.stderr, "read-only (from "+conf+")") {
		t.Fatalf("read-only in the file: exit %d %s", r.code, r.stderr)
	}
	// The plan is allowed: it writes nothing.
	if r := runCleanupTest(t, "--endpoint-url", url, "--orphaned", "--config", conf); r.code != exitOK {
		t.Fatalf("plan under read-only: exit %d %s", r.code, r.stderr)
	}
	if after := consoleUsers(t, url); len(after) != 4 {
		t.Fatalf("something changed: %v", after)
	}
	for _, args := range [][]string{{}, {"--orphaned", "--at-risk"}, {"--at-risk"}, {"--orphaned", "--deactivate-access-keys"}} {
		if r := runCleanupTest(t, append([]string{"--endpoint-url", url}, args...)...); r.code != exitUsage {
			t.Errorf("%v: exit %d", args, r.code)
		}
	}
}

// --at-risk --deactivate-access-keys makes the Active access keys Inactive
// and deletes nothing.
func TestCleanupUsersDeactivate(t *testing.T) {
	auditAWSEnv(t)
	url := startAuditIAM(t, "demo", localiam.Faults{})
	r := runCleanupTest(t, "--endpoint-url", url, "--at-risk", "--deactivate-access-keys", "--apply")
	if r.code != exitOK || !strings.Contains(r.stdout, "  done: deactivate access key AKIA") || strings.Contains(r.stdout, "9mzc") ||
		!strings.Contains(r.stdout, "Done: 1 user.\n") ||
		!strings.Contains(r.stdout, "    undo: aws iam update-access-key --user-name BedrockAPIKey-r8tn --access-key-id AKIA") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	after := consoleUsers(t, url)
	if len(after) != 4 || after["BedrockAPIKey-r8tn"] != "at-risk key:Inactive" {
		t.Fatalf("after: %v", after)
	}
}
