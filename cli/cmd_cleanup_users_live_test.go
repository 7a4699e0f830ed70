package cli

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"iamcreds/awsclient/localiam"
)

// iamCall runs one IAM action against srv as the demo's caller would.
func iamCall(t *testing.T, srv http.Handler, v url.Values) {
	t.Helper()
	v.Set("Version", "2010-05-08")
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("%s: %d %s", v.Get("Action"), rec.Code, rec.Body)
	}
}

// An orphan (no live service-specific credential) that still holds an Active
// access key or a console password may be in use: --orphaned names it and
// holds it back, --apply leaves it in IAM, and --include-live-access removes it
// too.
func TestCleanupUsersHoldsBackLiveAccess(t *testing.T) {
	auditAWSEnv(t)
	u, srv := serveAuditIAM(t, localiam.Config{Seed: "demo"})
	iamCall(t, srv, url.Values{"Action": {"CreateAccessKey"}, "UserName": {"BedrockAPIKey-k2wd"}})
	iamCall(t, srv, url.Values{"Action": {"CreateLoginProfile"}, "UserName": {"BedrockAPIKey-k2wd"}, "Password": {"Example-Passw0rd!x"}})

	plan := runCleanupTest(t, "--endpoint-url", u, "--orphaned")
	if plan.code != exitOK || !strings.Contains(plan.stdout, "held back: it still holds access key AKIA") ||
		!strings.Contains(plan.stdout, "(Active) and a console password") ||
		!strings.Contains(plan.stdout, "held back (live access): BedrockAPIKey-k2wd") ||
		strings.Contains(plan.stdout, "delete login profile") {
		t.Fatalf("plan: exit %d\n%s%s", plan.code, plan.stdout, plan.stderr)
	}

	apply := runCleanupTest(t, "--endpoint-url", u, "--orphaned", "--apply")
	if apply.code != exitOK || !strings.Contains(apply.stdout, "Done: 1 user; held back (live access): BedrockAPIKey-k2wd.") {
		t.Fatalf("apply: exit %d\n%s%s", apply.code, apply.stdout, apply.stderr)
	}
	after := consoleUsers(t, u)
	if _, ok := after["BedrockAPIKey-k2wd"]; !ok {
		t.Fatalf("the user with live access was removed: %v", after)
	}
	if _, ok := after["BedrockAPIKey-9mzc"]; ok {
		t.Fatalf("the plain orphan was not removed: %v", after)
	}

	all := runCleanupTest(t, "--endpoint-url", u, "--orphaned", "--include-live-access", "--apply")
	if all.code != exitOK || !strings.Contains(all.stdout, "Done: 1 user.") {
		t.Fatalf("--include-live-access: exit %d\n%s%s", all.code, all.stdout, all.stderr)
	}
	if after := consoleUsers(t, u); after["BedrockAPIKey-k2wd"] != "" {
		t.Fatalf("--include-live-access left the user: %v", after)
	}

	if r := runCleanupTest(t, "--endpoint-url", u, "--at-risk", "--deactivate-access-keys", "--include-live-access"); r.code != exitUsage {
		t.Errorf("--include-live-access with --at-risk: exit %d, want usage", r.code)
	}
}
