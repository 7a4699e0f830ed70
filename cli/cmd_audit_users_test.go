package cli

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"iamcreds/awsclient"
	"iamcreds/awsclient/localiam"
	"iamcreds/model"
)

// holdingsReads counts, from an endpoint's request log, the reads of what
// users hold: user → action → times.
type holdingsReads struct {
	mu sync.Mutex
	n  map[string]map[string]int
}

var holdingsActions = []string{"ListAccessKeys", "GetLoginProfile", "ListAttachedUserPolicies", "ListUserPolicies", "ListGroupsForUser"}

func (h *holdingsReads) log(r localiam.Request) {
	if !slices.Contains(holdingsActions, r.Action) {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.n == nil {
		h.n = map[string]map[string]int{}
	}
	if h.n[r.UserName] == nil {
		h.n[r.UserName] = map[string]int{}
	}
	h.n[r.UserName][r.Action]++
}

// check fails unless exactly users were read, each action once.
func (h *holdingsReads) check(t *testing.T, what string, users []string) {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.n) != len(users) {
		t.Errorf("%s: holdings read for %d users, want %d: %v", what, len(h.n), len(users), h.n)
	}
	for _, u := range users {
		for _, a := range holdingsActions {
			if got := h.n[u][a]; got != 1 {
				t.Errorf("%s: %s of %s %d times, want once", what, a, u, got)
			}
		}
	}
	h.n = nil
}

// What the audit reads as the users' pages arrive is what it would read from
// the whole list: the same console-made users, in the same order, holding the
// same, with --service too; and only they cost the extra reads, once each.
func TestConsoleReadAsPagesArrive(t *testing.T) {
	auditAWSEnv(t)
	var reads holdingsReads
	url, _ := serveAuditIAM(t, localiam.Config{Seed: "scale:650", Requests: reads.log})
	ctx := context.Background()
	c, err := awsclient.New(ctx, awsclient.Config{EndpointURL: url, Region: "us-east-1", PageSize: 100, Concurrency: 4,
		StaticCredentials: &aws.Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "x"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		service string
		want    int
	}{{"", 7}, {model.ClaudePlatform, 2}} {
		users, console := startConsoleRead(ctx, c, tc.service)
		got := console()
		list, err := users.get(ctx)
		if err != nil || got.err != nil || got.warning != "" {
			t.Fatalf("service %q: %v, %v %q", tc.service, err, got.err, got.warning)
		}
		var names []string
		for _, u := range got.chosen {
			names = append(names, u.Name)
		}
		if len(list) != 650 || len(names) != tc.want {
			t.Fatalf("service %q: %d users listed, chose %q", tc.service, len(list), names)
		}
		reads.check(t, "service "+tc.service, names)
		want := readConsoleUsers(ctx, c, list, tc.service)
		reads.check(t, "service "+tc.service+" from the whole list", names)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("service %q: read as the pages came\n%+v\nfrom the whole list\n%+v", tc.service, got, want)
		}
	}
}

// The whole audit: the users section is the console-made users, read once
// each and by no one else; IAM refusing ListUsers leaves them unjudged, with
// the warning, and the credentials' report whole.
func TestAuditReadsOnlyConsoleUsers(t *testing.T) {
	auditAWSEnv(t)
	var reads holdingsReads
	url, srv := serveAuditIAM(t, localiam.Config{Seed: "scale:1200", Requests: reads.log})
	r := runAuditTest(t, false, "--endpoint-url", url, "--format", "json")
	var doc struct {
		Credentials []json.RawMessage
		Users       []struct{ User string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || r.code != exitOK {
		t.Fatalf("exit %d: %v\n%s", r.code, err, r.stderr)
	}
	var names []string
	for _, u := range doc.Users {
		if _, ok := model.ConsoleMade(u.User); !ok {
			t.Errorf("%q judged", u.User)
		}
		names = append(names, u.User)
	}
	if len(names) != 12 {
		t.Fatalf("%d console-made users judged of scale:1200, want 12: %q", len(names), names)
	}
	reads.check(t, "audit", names)

	srv.SetFaults(localiam.Faults{Deny: []string{"ListUsers"}})
	denied := runAuditTest(t, false, "--endpoint-url", url, "--format", "json")
	if denied.code != exitOK || !strings.Contains(denied.stderr, "warning: console-made users not judged") ||
		!strings.Contains(denied.stderr, "ListUsers") || strings.Contains(denied.stdout, `"users"`) ||
		strings.Count(denied.stdout, `"credential_id"`) != len(doc.Credentials) {
		t.Fatalf("ListUsers denied: exit %d\nstderr %s", denied.code, denied.stderr)
	}
	reads.check(t, "ListUsers denied", nil)
}
