package cli

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"iamcreds/awsclient/localiam"
)

// No line of cleanup-users, plan or apply, stdout or stderr, carries a
// character that would steer a terminal, whatever names the endpoint sends.
func TestCleanupUsersHostileEndpoint(t *testing.T) {
	auditAWSEnv(t)
	u := startHostileIAM(t, localiam.Faults{})
	for _, args := range [][]string{{"--orphaned"}, {"--orphaned", "--apply"}, {"--at-risk", "--deactivate-access-keys", "--apply"}} {
		r := runCleanupTest(t, append([]string{"--endpoint-url", u}, args...)...)
		if r.code != exitOK || !strings.Contains(r.stdout, "BedrockAPIKey-") {
			t.Fatalf("%v: exit %d\n%s%s", args, r.code, r.stdout, r.stderr)
		}
		allSafe(t, strings.Join(args, " "), r.stdout)
		allSafe(t, strings.Join(args, " ")+" stderr", r.stderr)
	}
	// A failure names the user and IAM's message: both made safe.
	denied := startHostileIAM(t, localiam.Faults{Deny: []string{"DeleteUser"}})
	r := runCleanupTest(t, "--endpoint-url", denied, "--orphaned", "--apply")
	if r.code != exitFailed {
		t.Fatalf("denied: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	allSafe(t, "denied", r.stdout)
	allSafe(t, "denied stderr", r.stderr)
}

// A step whose reply was lost is said as unknown — IAM may have done it —
// never as failed with the thing "left", and the run stops with exit 3.
func TestCleanupUsersLostReplyIsUnknown(t *testing.T) {
	auditAWSEnv(t)
	// Every attempt loses its reply (the SDK retries: about 20 s of backoff).
	for _, f := range []localiam.Faults{{DropReply: map[string]int{"DetachUserPolicy": 0}}} {
		u := startAuditIAM(t, "demo", f)
		r := runCleanupTest(t, "--endpoint-url", u, "--orphaned", "--apply", "--timeout", "5s")
		if r.code != exitFailed || !strings.Contains(r.stdout, "  unknown: detach policy AmazonBedrockLimitedAccess: ") ||
			strings.Contains(r.stdout, "failed: detach") || strings.Contains(r.stdout, "left: detach") ||
			!strings.Contains(r.stdout, "Not reached: BedrockAPIKey-k2wd.") {
			t.Errorf("%+v: exit %d\n%s%s", f, r.code, r.stdout, r.stderr)
		}
	}
}

// changeOnReread serves srv and, when cleanup-users starts reading user a
// second time (its reading just before acting), first runs change on it, as
// another admin would between the plan and the act.
func changeOnReread(t *testing.T, srv http.Handler, user string, change url.Values) string {
	t.Helper()
	var mu sync.Mutex
	seen := map[string]int{}
	changed := false
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		form, _ := url.ParseQuery(string(body))
		if a := form.Get("Action"); form.Get("UserName") == user && (strings.HasPrefix(a, "List") || a == "GetLoginProfile") {
			mu.Lock()
			seen[a]++
			if seen[a] == 2 && !changed {
				changed = true
				req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(change.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					t.Errorf("the other admin's %s: %d %s", change.Get("Action"), rec.Code, rec.Body)
				}
			}
			mu.Unlock()
		}
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(hs.Close)
	return hs.URL
}

// Another admin gives an orphan something between the plan and the act (an
// access key, a policy, a live credential): cleanup-users does nothing to that
// user, says what changed, and goes on with the others; the user is still there.
func TestCleanupUsersChangedBeforeTheAct(t *testing.T) {
	auditAWSEnv(t)
	for _, change := range []url.Values{
		{"Action": {"CreateAccessKey"}, "UserName": {"BedrockAPIKey-k2wd"}},
		{"Action": {"AttachUserPolicy"}, "UserName": {"BedrockAPIKey-k2wd"}, "PolicyArn": {"arn:aws:iam::aws:policy/ReadOnlyAccess"}},
		{"Action": {"CreateServiceSpecificCredential"}, "UserName": {"BedrockAPIKey-k2wd"}, "ServiceName": {"bedrock.amazonaws.com"}},
	} {
		want := "BedrockAPIKey-k2wd: left alone: changed since the plan"
		if change.Get("Action") == "CreateServiceSpecificCredential" {
			want = "BedrockAPIKey-k2wd: left alone: no longer orphaned (ok)"
		}
		change.Set("Version", "2010-05-08")
		_, srv := serveAuditIAM(t, localiam.Config{Seed: "demo"})
		u := changeOnReread(t, srv, "BedrockAPIKey-k2wd", change)
		r := runCleanupTest(t, "--endpoint-url", u, "--orphaned", "--apply")
		if !strings.Contains(r.stdout, want) || !strings.Contains(r.stdout, "Done: 1 of 2 users; left alone: BedrockAPIKey-k2wd.") ||
			strings.Contains(r.stdout, "deactivate") || strings.Count(r.stdout, "done: delete the user") != 1 {
			t.Errorf("%s: exit %d\n%s%s", change.Get("Action"), r.code, r.stdout, r.stderr)
		}
		after := consoleUsers(t, u)
		if _, ok := after["BedrockAPIKey-k2wd"]; !ok {
			t.Errorf("%s: the changed user was removed: %v", change.Get("Action"), after)
		}
	}
}
