package ui

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
	"iamcreds/model"
)

// The state type's rules: an account-wide read another has replaced is
// dropped; a user read again since a read started keeps the newer answer;
// a user whose credentials are not listed yet is not judged (it would look
// orphaned).
func TestConsoleHoldingsKeepsTheNewest(t *testing.T) {
	t.Parallel()
	u := model.User{Name: "BedrockAPIKey-ab12"}
	var c consoleHoldings
	gen1, tag1 := c.begin([]model.User{u})
	gen2, tag2 := c.begin([]model.User{u})
	if c.applyAll(gen1, tag1, []model.Holdings{{User: u.Name, LoginProfile: true}}, nil) {
		t.Fatal("a replaced read was applied")
	}
	one := c.next()
	if !c.applyOne(one, u, model.Holdings{User: u.Name, Groups: []string{"g"}}) {
		t.Fatal("a read of one user was not applied")
	}
	if !c.applyAll(gen2, tag2, []model.Holdings{{User: u.Name}}, nil) {
		t.Fatal("the newest read was dropped")
	}
	if got := c.held[u.Name].Groups; len(got) != 1 {
		t.Fatalf("the account-wide read started before the user's own overwrote it: %+v", c.held[u.Name])
	}
	if c.applyOne(tag1, u, model.Holdings{User: u.Name}) {
		t.Fatal("a read tagged before the users were read again was applied")
	}
	cache := newCredCache()
	if st := c.judge(cache, fixedNow); len(st.judged) != 0 || st.reading != 1 {
		t.Fatalf("judged without its credentials: %+v", st)
	}
	cache.applyListing(u.Name, cache.tag(), nil, nil)
	st := c.judge(cache, fixedNow)
	if len(st.judged) != 1 || !st.judged[0].Orphaned || st.reading != 0 {
		t.Fatalf("judged %+v", st)
	}
}

// requestLog records the UI's requests to the endpoint: action and user.
type requestLog struct {
	mu   sync.Mutex
	reqs [][2]string
}

func (l *requestLog) proxy(before func(action, user string)) proxyFunc {
	return func(action string, w http.ResponseWriter, r *http.Request, next http.Handler) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		form, _ := url.ParseQuery(string(body))
		l.mu.Lock()
		l.reqs = append(l.reqs, [2]string{action, form.Get("UserName")})
		l.mu.Unlock()
		if before != nil {
			before(action, form.Get("UserName"))
		}
		next.ServeHTTP(w, r)
	}
}

// actions are the logged actions of user, in order, of the listed kinds
// (every kind when none).
func (l *requestLog) actions(user string, kinds ...string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, r := range l.reqs {
		if r[1] != user {
			continue
		}
		if len(kinds) == 0 || strings.Contains(" "+strings.Join(kinds, " ")+" ", " "+r[0]+" ") {
			out = append(out, r[0])
		}
	}
	return out
}

// writesOf are the cleanup's writes to user.
func (l *requestLog) writesOf(user string) []string {
	return l.actions(user, "DeleteLoginProfile", "DeleteAccessKey", "UpdateAccessKey", "DeleteServiceSpecificCredential",
		"DeleteUserPolicy", "DetachUserPolicy", "RemoveUserFromGroup", "DeleteUser")
}

// usersRun is the UI on the demo account, its requests logged.
type usersRun struct {
	*driver
	e   *endpoint
	log *requestLog
}

func startUsers(t *testing.T, w, h int, faults localiam.Faults, readOnly bool, before func(e *endpoint, action, user string)) *usersRun {
	t.Helper()
	e := newEndpoint(t, "demo", faults, readOnly)
	log := &requestLog{}
	var hook func(action, user string)
	if before != nil {
		hook = func(action, user string) { before(e, action, user) }
	}
	e.setProxy(log.proxy(hook))
	o := testOptions(e, &memClipboard{})
	o.ReadOnly = readOnly
	r := &usersRun{driver: newDriver(t, New(o), w, h), e: e, log: log}
	r.settle()
	return r
}

// openUser shows the users list and opens the cleanup of user.
func (r *usersRun) openUser(user string) *cleanupDialog {
	r.t.Helper()
	if r.m.active != screenFleet {
		r.keys("a")
	}
	if !r.m.fleet.users.open {
		r.keys("U")
	}
	l := r.m.fleet.users
	for i := range l.visible {
		if l.visible[i].j.User.Name == user {
			l.table.SetCursor(i)
			r.keys("enter")
			d, ok := r.m.dialogs.top().(*cleanupDialog)
			if !ok {
				r.t.Fatalf("enter on %s opened %T", user, r.m.dialogs.top())
			}
			return d
		}
	}
	r.t.Fatalf("%s is not listed:\n%s", user, screenText(r.m))
	return nil
}

// typeText types s into what has the keys.
func (r *usersRun) typeText(s string) {
	r.Send(keyRunes(s))
	r.settle()
}

// The fleet says how many console-made users are orphaned or at risk, U
// lists each with the items that earned its verdict, v filters them, and ?
// explains the verdicts. What they hold is read for those users alone.
func TestFleetListsConsoleMadeUsers(t *testing.T) {
	t.Parallel()
	r := startUsers(t, 160, 36, localiam.Faults{}, false, nil)
	r.keys("a")
	mustContain(t, r.m, "Console-made users: 2 orphaned, 1 at risk — U lists them")
	r.keys("U")
	mustContain(t, r.m, "Console-made users · 4 of 4 users · 2 orphaned · 1 at risk",
		"BedrockAPIKey-4f7q", "BedrockAPIKey-9mzc", "no live credential; holds 1 expired credential, policy AmazonBedrockLimitedAccess",
		"BedrockAPIKey-k2wd", "no live credential; holds policy AmazonBedrockLimitedAccess, group api-key-users",
		"BedrockAPIKey-r8tn", "at-risk", "policy AdministratorAccess")
	r.keys("v")
	mustContain(t, r.m, "2 of 4 users", "verdict orphaned")
	mustNotContain(t, r.m, "BedrockAPIKey-r8tn")
	r.keys("v")
	mustContain(t, r.m, "1 of 4 users", "BedrockAPIKey-r8tn")
	r.keys("?")
	mustContain(t, r.m, "expired counts as none", "an IAM access key (any status), a console password, or a policy beyond")
	r.keys("?", "U")
	mustContain(t, r.m, "Fleet · 22 of 22 credentials")
	// The five reads went to the console-made users alone.
	r.log.mu.Lock()
	defer r.log.mu.Unlock()
	n := 0
	for _, q := range r.log.reqs {
		switch q[0] {
		case "ListAccessKeys", "GetLoginProfile", "ListAttachedUserPolicies", "ListUserPolicies", "ListGroupsForUser":
			n++
			if _, ok := model.ConsoleMade(q[1]); !ok {
				t.Errorf("%s went to %s, which the console did not make", q[0], q[1])
			}
		}
	}
	if n != 4*5 {
		t.Errorf("%d holdings reads for 4 console-made users, want 20", n)
	}
}

// An orphan is removed in the order IAM requires once its name is typed:
// Cancel is focused until then, and a name that is not the user's does
// nothing. Each step is reported, and the user leaves the account.
func TestCleanupRemovesAnOrphanOnceItsNameIsTyped(t *testing.T) {
	t.Parallel()
	r := startUsers(t, 120, 36, localiam.Faults{}, false, nil)
	r.openUser("BedrockAPIKey-k2wd")
	mustContain(t, r.m, "Remove BedrockAPIKey-k2wd?", "• policy AmazonBedrockLimitedAccess (attached)", "• group api-key-users",
		"[▸Cancel◂]  [ Remove user ]")
	r.keys("enter")
	mustContain(t, r.m, "Type the user's name to remove it, or esc to cancel")
	r.typeText("BedrockAPIKey-k2w")
	r.keys("enter")
	if w := r.log.writesOf("BedrockAPIKey-k2wd"); len(w) != 0 {
		t.Fatalf("a name that is not the user's acted: %v", w)
	}
	r.typeText("d")
	mustContain(t, r.m, "[ Cancel ]  [▸Remove user◂]")
	r.keys("enter")
	mustContain(t, r.m, "Removed BedrockAPIKey-k2wd", "1. ✓ done: detach policy AmazonBedrockLimitedAccess",
		"2. ✓ done: remove from group api-key-users", "3. ✓ done: delete the user", "It no longer exists.")
	want := []string{"DetachUserPolicy", "RemoveUserFromGroup", "DeleteUser"}
	if got := r.log.writesOf("BedrockAPIKey-k2wd"); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("steps %v, want %v", got, want)
	}
	// Read again between the confirmation and the first step.
	all := strings.Join(r.log.actions("BedrockAPIKey-k2wd", "ListGroupsForUser", "DetachUserPolicy"), " ")
	if !strings.HasPrefix(all, "ListGroupsForUser ListGroupsForUser ListGroupsForUser DetachUserPolicy") {
		t.Fatalf("not read on loading, on opening and before the first step: %v", all)
	}
	r.keys("enter")
	mustContain(t, r.m, "Removed BedrockAPIKey-k2wd (3 steps done)", "3 of 3 users · 1 orphaned")
	users, err := r.e.client.ListUsers(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if u.Name == "BedrockAPIKey-k2wd" {
			t.Fatal("the user is still there")
		}
	}
	for _, u := range r.m.acct.users {
		if u.Name == "BedrockAPIKey-k2wd" {
			t.Fatal("the UI still lists the user")
		}
	}
}

// A step IAM refuses stops the cleanup: the rest is not sent, and the dialog
// names what is left and what the user still holds.
func TestCleanupStopsAtADeniedStep(t *testing.T) {
	t.Parallel()
	r := startUsers(t, 120, 36, localiam.Faults{Deny: []string{"RemoveUserFromGroup"}}, false, nil)
	r.openUser("BedrockAPIKey-k2wd")
	r.typeText("BedrockAPIKey-k2wd")
	r.keys("enter")
	mustContain(t, r.m, "Cleanup of BedrockAPIKey-k2wd stopped", "1. ✓ done: detach policy AmazonBedrockLimitedAccess",
		"2. ✗ not done: remove from group api-key-users:", "AccessDenied", "3. · not reached: delete the user",
		"Stopped at step 2; left: remove from group api-key-users; delete the", "It holds now: 1 group")
	if got := r.log.writesOf("BedrockAPIKey-k2wd"); strings.Join(got, " ") != "DetachUserPolicy RemoveUserFromGroup" {
		t.Fatalf("steps sent %v", got)
	}
	r.keys("enter")
	mustContain(t, r.m, "Cleanup of BedrockAPIKey-k2wd stopped at step 2 of 3 (remove from group api-key-users: not done)")
}

// Another admin gives the user an access key after the last reading:
// DeleteUser answers DeleteConflict, and the cleanup stops there, showing the
// key the user now holds.
func TestCleanupStopsAtDeleteConflict(t *testing.T) {
	t.Parallel()
	var once sync.Once
	r := startUsers(t, 120, 36, localiam.Faults{}, false, func(e *endpoint, action, user string) {
		if action == "DeleteUser" {
			once.Do(func() { serveAs(t, e.srv, url.Values{"Action": {"CreateAccessKey"}, "UserName": {user}}) })
		}
	})
	r.openUser("BedrockAPIKey-k2wd")
	r.typeText("BedrockAPIKey-k2wd")
	r.keys("enter")
	mustContain(t, r.m, "3. ✗ not done: delete the user:", "DeleteConflict", "left: delete the user",
		"It holds now: 1 access key")
}

// What the person confirmed is checked against a reading just before the
// first step: an access key another admin added meanwhile stops everything
// before any write, and the dialog asks again with the key shown.
func TestCleanupReadsTheUserAgainBeforeActing(t *testing.T) {
	t.Parallel()
	r := startUsers(t, 120, 40, localiam.Faults{}, false, nil)
	r.openUser("BedrockAPIKey-k2wd")
	serveAs(t, r.e.srv, url.Values{"Action": {"CreateAccessKey"}, "UserName": {"BedrockAPIKey-k2wd"}})
	r.typeText("BedrockAPIKey-k2wd")
	r.keys("enter")
	mustContain(t, r.m, "changed since you confirmed (delete access key", "nothing was done", "• access key AKIA")
	if w := r.log.writesOf("BedrockAPIKey-k2wd"); len(w) != 0 {
		t.Fatalf("acted on a user that changed: %v", w)
	}
	r.typeText("BedrockAPIKey-k2wd")
	r.keys("enter")
	mustContain(t, r.m, "Removed BedrockAPIKey-k2wd", "✓ done: delete access key AKIA")
}

// An at-risk user's Active access keys are deactivated, nothing deleted;
// Cancel is focused, and the dialog says how to undo it.
func TestCleanupDeactivatesAnAtRiskUsersKeys(t *testing.T) {
	t.Parallel()
	r := startUsers(t, 120, 36, localiam.Faults{}, false, nil)
	r.openUser("BedrockAPIKey-r8tn")
	mustContain(t, r.m, "Deactivate BedrockAPIKey-r8tn's access keys?", "[▸Cancel◂]  [ Deactivate keys ]", "nothing is deleted")
	r.keys("enter")
	if r.m.dialogs.top() != nil || len(r.log.writesOf("BedrockAPIKey-r8tn")) != 0 {
		t.Fatal("enter on the focused Cancel did not just close")
	}
	r.openUser("BedrockAPIKey-r8tn")
	r.keys("tab", "enter")
	mustContain(t, r.m, "✓ done: deactivate access key AKIA", "Undo: aws iam update-access-key --user-name BedrockAPIKey-r8tn --access-")
	mustContain(t, r.m, "--status Active")
	if got := r.log.writesOf("BedrockAPIKey-r8tn"); strings.Join(got, " ") != "UpdateAccessKey" {
		t.Fatalf("writes %v", got)
	}
	h, err := r.e.client.Holdings(t.Context(), []string{"BedrockAPIKey-r8tn"})
	if err != nil {
		t.Fatal(err)
	}
	if k := h[0].AccessKeys; len(k) != 1 || k[0].Status != model.Inactive || len(h[0].Attached) != 2 {
		t.Fatalf("after the deactivation it holds %+v", h[0])
	}
}

// --read-only refuses both actions, saying so as the other refusals do; the
// holdings are still shown.
func TestCleanupIsRefusedReadOnly(t *testing.T) {
	t.Parallel()
	r := startUsers(t, 120, 36, localiam.Faults{}, true, nil)
	r.openUser("BedrockAPIKey-k2wd")
	mustContain(t, r.m, "• group api-key-users", "Read-only mode: cleaning up users is off (start without --read-only")
	r.typeText("BedrockAPIKey-k2wd")
	r.keys("enter")
	mustContain(t, r.m, "Read-only mode: cleaning up users is off (start without --read-only to make changes)")
	r.openUser("BedrockAPIKey-r8tn")
	r.keys("tab", "enter")
	mustContain(t, r.m, "Read-only mode: cleaning up users is off")
	for _, u := range []string{"BedrockAPIKey-k2wd", "BedrockAPIKey-r8tn"} {
		if w := r.log.writesOf(u); len(w) != 0 {
			t.Fatalf("read-only sent %v", w)
		}
	}
}

// serveAs sends one IAM request straight to the endpoint, as another admin.
func serveAs(t *testing.T, srv http.Handler, form url.Values) {
	t.Helper()
	form.Set("Version", "2010-05-08")
	req, _ := http.NewRequest(http.MethodPost, "/", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Errorf("%s: %d %s", form.Get("Action"), rec.Code, rec.Body)
	}
}
