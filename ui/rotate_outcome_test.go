package ui

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"iamcreds/awsclient/localiam"
	"iamcreds/model"
)

// Issue 18 in the TUI: never claim a credential no reply ties to the create,
// re-read before every destructive step, and say unknown outcomes as unknown.

// colleagueCreates creates a credential for user straight on the endpoint, as
// another admin would, and returns its ID.
func (e *endpoint) colleagueCreates(t *testing.T, user, service string) string {
	t.Helper()
	before := e.creds(t, user)
	form := url.Values{"Action": {"CreateServiceSpecificCredential"}, "Version": {"2010-05-08"}, "UserName": {user}, "ServiceName": {service}}
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	e.srv.ServeHTTP(httptest.NewRecorder(), req)
	for _, c := range e.creds(t, user) {
		if _, ok := byID(before, c.ID); !ok {
			return c.ID
		}
	}
	t.Fatal("the colleague's create failed")
	return ""
}

// activate makes id Active behind the UI's back, as another client would.
func (e *endpoint) activate(t *testing.T, user, id string) {
	t.Helper()
	if err := e.client.SetStatus(context.Background(), user, id, model.Active); err != nil {
		t.Fatal(err)
	}
}

// The concurrent-create race: step 2's create never reaches IAM (the proxy
// drops it, closing the connection) while a colleague creates a Git
// credential for mateo. The colleague's credential stays, is not taken for
// the new one nor marked secret-lost, and the dialog says it may be someone
// else's.
func TestRotateNeverTakesAColleaguesCredential(t *testing.T) {
	t.Parallel()
	d, e, _ := start(t, localiam.Faults{}, false)
	old := d.rotate("mateo", isActive)
	var theirs string
	var dropped atomic.Bool
	e.setProxy(func(action string, w http.ResponseWriter, r *http.Request, next http.Handler) {
		if action == "CreateServiceSpecificCredential" && dropped.CompareAndSwap(false, true) {
			theirs = e.colleagueCreates(t, "mateo", model.CodeCommit)
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				conn.Close() // lost on its way: IAM never sees it
			}
			return
		}
		next.ServeHTTP(w, r)
	})
	d.keys("enter")
	r := d.rotation()
	if r.rot.Created() || r.rot.Outcome(model.StepCreate) != model.OutcomeUnknown {
		t.Fatalf("new %q, outcome %s", r.rot.New.ID, r.rot.Outcome(model.StepCreate))
	}
	d.rotationSays("? Step 2 (create the new credential): outcome unknown (",
		"new: unknown: "+theirs+" appeared for mateo while the create's reply was lost; it may be this rotation's or someone else's, and was left alone",
		"Check mateo's credentials: "+theirs+" exists", "? 2. Create")
	if !d.m.lost.empty() {
		t.Fatalf("marked secret-lost: %v", d.m.lost.ids)
	}
	if _, ok := byID(e.creds(t, "mateo"), theirs); !ok {
		t.Fatal("the colleague's credential is gone")
	}
	if c, ok := byID(e.creds(t, "mateo"), old.ID); !ok || c.Status != model.Active {
		t.Fatal("the old one changed")
	}
}

// Step 2 after step 1, with the create's reply and the listing that would
// tell both lost: unknown, not "No new credential was created".
func TestRotateUnknownCreateAfterMakingRoom(t *testing.T) {
	t.Parallel()
	d, e, _ := start(t, localiam.Faults{}, false)
	d.rotate("sofia", isActive)
	other := d.rotation().rot.Plan.Other
	d.typeProof(other.ID)
	d.keys("enter")
	e.srv.SetFaults(localiam.Faults{DropReply: map[string]int{"CreateServiceSpecificCredential": 1}, Deny: []string{"ListServiceSpecificCredentials"}})
	d.keys("enter")
	d.rotationSays("other "+other.ID+": deleted (it was Inactive)", "new: unknown: IAM may have created one, whose password never arrived",
		"Check sofia's CodeCommit credentials: delete any new one nobody has the password of, then rotate again.")
	mustNotContain(t, d.m, "No new credential was created")
	e.srv.SetFaults(localiam.Faults{})
	if n := len(e.creds(t, "sofia")); n != 2 {
		t.Fatalf("sofia holds %d", n)
	}
}

// Step 1's delete with its reply and the check both lost: unknown, never
// "Nothing was changed".
func TestRotateUnknownDeleteOfTheOther(t *testing.T) {
	t.Parallel()
	d, e, _ := start(t, localiam.Faults{}, false)
	d.rotate("sofia", isActive)
	other := d.rotation().rot.Plan.Other
	var calls atomic.Int32
	e.setProxy(func(action string, w http.ResponseWriter, r *http.Request, next http.Handler) {
		if action == "DeleteServiceSpecificCredential" {
			switch calls.Add(1) {
			case 1: // done, its reply lost, and no listing can tell
				e.srv.SetFaults(localiam.Faults{DropReply: map[string]int{action: 1}, Deny: []string{"ListServiceSpecificCredentials"}})
			case 2: // the retry is refused
				e.srv.SetFaults(localiam.Faults{Deny: []string{"ListServiceSpecificCredentials", action}})
			}
		}
		next.ServeHTTP(w, r)
	})
	d.typeProof(other.ID)
	d.keys("enter")
	d.rotationSays("other "+other.ID+": unknown: its delete's reply was lost, so it may be deleted or still Inactive",
		"Check sofia's credentials: "+other.ID+" may have been deleted", "? 1. Delete the other")
	mustNotContain(t, d.m, "Nothing was changed")
}

// R on sofia's Active credential, whose other is Inactive: another client
// re-activates the other before its last 4 are typed. Typing them deletes
// nothing Active: the dialog lists again, refuses, and says why.
func TestRotateRefusesAReactivatedOther(t *testing.T) {
	t.Parallel()
	d, e, _ := start(t, localiam.Faults{}, false)
	d.rotate("sofia", isActive)
	other := d.rotation().rot.Plan.Other
	e.activate(t, "sofia", other.ID)
	d.typeProof(other.ID)
	d.keys("enter")
	d.rotationSays("✗ Step 1 (delete the other credential) failed: the other one, "+other.ID+", is Active now, not Inactive as planned",
		"Nothing was deleted", "new: none created")
	if c, ok := byID(e.creds(t, "sofia"), other.ID); !ok || c.Status != model.Active {
		t.Fatalf("the re-activated other was deleted or changed: %+v", c)
	}
}

// Step 5 after another client switched the old one back on: refused.
func TestRotateRefusesAReactivatedOld(t *testing.T) {
	t.Parallel()
	d, e, _ := start(t, localiam.Faults{}, false)
	old := d.toInUse()
	d.keys("tab", "enter") // step 4: deactivated
	e.activate(t, "mateo", old.ID)
	d.typeProof(old.ID)
	d.keys("enter")
	d.rotationSays("✗ Step 5 (delete the old credential) failed: the old one, "+old.ID+", is Active now, not Inactive", "old "+old.ID+": Active")
	if c, ok := byID(e.creds(t, "mateo"), old.ID); !ok || c.Status != model.Active {
		t.Fatal("the re-activated old one was deleted")
	}
}

// d on an Inactive credential that another client activates while the
// confirmation is open: refused, and the status says why.
func TestDeleteRefusesACredentialActivatedMeanwhile(t *testing.T) {
	t.Parallel()
	d, e, _ := start(t, localiam.Faults{}, false)
	d.selectUser("sofia")
	d.keys("enter")
	c := d.selectCred(isInactive)
	d.keys("d")
	e.activate(t, "sofia", c.ID)
	d.typeProof(c.ID)
	d.keys("enter")
	mustSay(t, d.m, c.ID+" is Active now, not Inactive as when the delete was confirmed", "Nothing was deleted")
	if got, ok := byID(e.creds(t, "sofia"), c.ID); !ok || got.Status != model.Active {
		t.Fatal("an Active credential was deleted")
	}
	if got, _ := byID(cached(d.m, "sofia"), c.ID); got.Status != model.Active {
		t.Fatalf("the UI shows it %s", got.Status)
	}
}

// A bulk delete of Inactive credentials, one of which another client
// activates before the confirmation: that one is refused, the rest go.
func TestBulkDeleteRefusesACredentialActivatedMeanwhile(t *testing.T) {
	t.Parallel()
	d, e, _ := start(t, localiam.Faults{}, false)
	d.keys("a", "v", "v", "ctrl+a") // every Inactive credential
	targets := d.m.fleet.bulkTargets()
	if len(targets) < 2 {
		t.Fatalf("targets %v", targets)
	}
	d.keys("X")
	for _, r := range strconv.Itoa(len(targets)) {
		d.keys(string(r))
	}
	back := targets[0]
	e.activate(t, back.UserName, back.ID)
	d.keys("enter")
	s, ok := d.m.dialogs.top().(*bulkSummary)
	if !ok {
		t.Fatalf("no summary:\n%s", screenText(d.m))
	}
	if len(s.failed) != 1 || len(s.ok) != len(targets)-1 || !strings.Contains(s.failed[0], back.ID+" is Active now") {
		t.Fatalf("failed %q, ok %d of %d", s.failed, len(s.ok), len(targets))
	}
	if c, ok := byID(e.creds(t, back.UserName), back.ID); !ok || c.Status != model.Active {
		t.Fatal("the re-activated credential was deleted")
	}
	for _, c := range targets[1:] {
		if _, ok := byID(e.creds(t, c.UserName), c.ID); ok {
			t.Fatalf("%s was not deleted", c.ID)
		}
	}
}

// A bulk delete whose replies and checks are lost says each as unknown, with
// what to check.
func TestBulkSummarySaysUnknownAsUnknown(t *testing.T) {
	t.Parallel()
	d, e, _ := start(t, localiam.Faults{}, false)
	d.keys("a", "v", "v", "ctrl+a")
	targets := d.m.fleet.bulkTargets()
	d.keys("X")
	for _, r := range strconv.Itoa(len(targets)) {
		d.keys(string(r))
	}
	// The re-read before each delete passes; then the delete's replies and
	// every listing of its user after it are lost.
	var deleting sync.Map
	e.setProxy(func(action string, w http.ResponseWriter, r *http.Request, next http.Handler) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		form, _ := url.ParseQuery(string(body))
		_, after := deleting.Load(form.Get("UserName"))
		switch {
		case action == "DeleteServiceSpecificCredential":
			deleting.Store(form.Get("UserName"), true)
			next.ServeHTTP(httptest.NewRecorder(), r) // done, and its reply lost
		case action == "ListServiceSpecificCredentials" && after:
		default:
			next.ServeHTTP(w, r)
			return
		}
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			conn.Close()
		}
	})
	d.keys("enter")
	s, ok := d.m.dialogs.top().(*bulkSummary)
	if !ok {
		t.Fatalf("no summary:\n%s", screenText(d.m))
	}
	if len(s.unknown) != len(targets) {
		t.Fatalf("unknown %d of %d: ok %q failed %q", len(s.unknown), len(targets), s.ok, s.failed)
	}
	c := targets[0]
	mustSay(t, d.m, "0 succeeded, 0 failed, "+itoa(len(targets))+" unknown")
	found := false
	for _, l := range s.unknown {
		found = found || strings.Contains(l, "unknown: check "+c.UserName+"'s credentials: "+c.ID+" may still exist")
	}
	if !found {
		t.Fatalf("unknown lines %q", s.unknown)
	}
}
