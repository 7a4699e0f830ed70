package ui

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/awsclient/localiam"
	"iamcreds/model"
)

// Lost replies through the real SDK and the real Update loop: local IAM runs
// each call to the end, then closes the connection without answering
// (Faults.DropReply). The screen must say what IAM did.

// mustSay is mustContain for a message the status bar may wrap over lines.
func mustSay(t *testing.T, m *Model, parts ...string) {
	t.Helper()
	flat := strings.Join(strings.Fields(screenText(m)), " ")
	for _, p := range parts {
		if !strings.Contains(flat, p) {
			t.Fatalf("screen does not say %q:\n%s", p, screenText(m))
		}
	}
}

func dropReplies(action string, n int) localiam.Faults {
	return localiam.Faults{DropReply: map[string]int{action: n}}
}

// fleetRow is the fleet's row of credential id.
func fleetRow(t *testing.T, m *Model, id string) model.AuditRow {
	t.Helper()
	for _, r := range m.fleet.all {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("the fleet has no row %s:\n%s", id, screenText(m))
	return model.AuditRow{}
}

// stripSecrets serves the endpoint, removing the secret from every create's
// reply: IAM created the credential and its reply names it, but no secret
// arrives.
func stripSecrets(action string, w http.ResponseWriter, r *http.Request, next http.Handler) {
	if action != "CreateServiceSpecificCredential" {
		next.ServeHTTP(w, r)
		return
	}
	rec := httptest.NewRecorder()
	next.ServeHTTP(rec, r)
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(regexp.MustCompile(`<Service(Password|CredentialSecret)>[^<]*</Service(Password|CredentialSecret)>`).ReplaceAll(rec.Body.Bytes(), nil))
}

// A create whose reply names the new credential but carries no secret: IAM
// created it for this request, so the screen names it, selects its row and
// marks it secret-lost in the fleet until it is reset; no secret modal opens
// (there is no secret), and nothing is created twice.
func TestCreateReplyWithoutSecretNamesSelectsAndFlagsIt(t *testing.T) {
	t.Parallel()
	d, e, _ := start(t, localiam.Faults{}, false)
	e.setProxy(stripSecrets)
	d.selectUser("kenji") // no credentials
	d.keys("n", "enter", "enter")
	held := e.creds(t, "kenji")
	if len(held) != 1 {
		t.Fatalf("kenji holds %d credentials after one lost create, want 1", len(held))
	}
	orphan := held[0]
	mustSay(t, d.m, "IAM created "+orphan.ID, "(a Git credential for kenji) but its secret was never received:", "reset it to get a secret, or delete it")
	mustNotContain(t, d.m, "Could not create")
	if !d.m.dialogs.empty() {
		t.Fatalf("a dialog opened for a secret that never arrived:\n%s", screenText(d.m))
	}
	if c, ok := d.m.main.highlighted(); !ok || c.ID != orphan.ID {
		t.Fatalf("highlighted %v, want the orphan %s", c.ID, orphan.ID)
	}
	if got := ids(cached(d.m, "kenji")); len(got) != 1 || got[0] != orphan.ID+":Active" {
		t.Fatalf("the cache shows %v", got)
	}
	d.keys("enter") // into the credentials: the details say it too
	mustContain(t, d.m, "Active · secret-lost: reset it or delete it")

	d.keys("a")
	if r := fleetRow(t, d.m, orphan.ID); !r.Flags.Has(model.FlagSecretLost) {
		t.Fatalf("the orphan's flags are %q", r.Flags)
	}
	if r, ok := d.m.fleet.row(); !ok || r.ID != orphan.ID {
		t.Fatalf("the fleet's cursor is on %v, want the orphan", r.ID)
	}
	mustSay(t, d.m, "Flags: stale · no-expiry · expiring · expired · two-active · secret-lost")
	d.keys("?") // the legend explains it
	mustSay(t, d.m, "secret-lost: IAM issued a secret nobody received: reset it or delete it")
	d.keys("?")
	for _, r := range d.m.fleet.all {
		if r.ID != orphan.ID && r.Flags.Has(model.FlagSecretLost) {
			t.Fatalf("%s is flagged secret-lost too", r.ID)
		}
	}

	// Reset it: the new secret shows, and the flag goes.
	e.setProxy(nil)
	d.keys("r", "tab", "enter")
	if _, ok := d.m.dialogs.top().(*secretModal); !ok {
		t.Fatalf("no secret modal after the reset:\n%s", screenText(d.m))
	}
	d.keys("c", "enter")
	if fleetRow(t, d.m, orphan.ID).Flags.Has(model.FlagSecretLost) || !d.m.lost.empty() {
		t.Fatal("still secret-lost after a reset")
	}
	mustNotContain(t, d.m, "secret-lost")
}

// The flag goes with the credential when it is deleted, here or elsewhere.
func TestSecretLostFlagGoesWithTheCredential(t *testing.T) {
	t.Parallel()
	d, e, _ := start(t, localiam.Faults{}, false)
	e.setProxy(stripSecrets)
	d.selectUser("kenji")
	d.keys("n", "enter", "enter") // Git
	d.keys("n", "enter", "enter") // Git again
	held := e.creds(t, "kenji")
	if len(held) != 2 || len(d.m.lost.ids) != 2 {
		t.Fatalf("%d held, %d lost", len(held), len(d.m.lost.ids))
	}
	// One is deleted here.
	d.keys("enter", "g")
	c := d.selectCred(func(c model.Credential) bool { return c.ID == held[0].ID })
	d.keys("d")
	d.typeProof(c.ID)
	d.keys("enter")
	if d.m.lost.has(held[0].ID) || len(e.creds(t, "kenji")) != 1 {
		t.Fatalf("after deleting %s: lost %v\n%s", held[0].ID, d.m.lost.ids, screenText(d.m))
	}
	// The other elsewhere: the next listing forgets it.
	if err := e.client.Delete(context.Background(), "kenji", held[1].ID); err != nil {
		t.Fatal(err)
	}
	d.keys("ctrl+r")
	if !d.m.lost.empty() {
		t.Fatalf("still lost after the listing: %v", d.m.lost.ids)
	}
}

// A create whose reply was lost: a credential appeared, but no reply ties it
// to the create (another client may have made it meanwhile). The screen names
// it as of unknown origin and marks nothing secret-lost.
func TestLostCreateReplyClaimsNothing(t *testing.T) {
	t.Parallel()
	d, e, _ := start(t, dropReplies("CreateServiceSpecificCredential", 1), false)
	d.selectUser("kenji") // no credentials
	d.keys("n", "enter", "enter")
	held := e.creds(t, "kenji")
	if len(held) != 1 {
		t.Fatalf("kenji holds %d credentials after one lost create, want 1", len(held))
	}
	mustSay(t, d.m, "IAM may have created a Git credential for kenji", "a new credential "+held[0].ID+" appeared for kenji; it may be this request's or someone else's")
	mustNotContain(t, d.m, "IAM created")
	if !d.m.lost.empty() || !d.m.dialogs.empty() {
		t.Fatalf("marked %v as ours, or a dialog opened:\n%s", d.m.lost.ids, screenText(d.m))
	}
	d.keys("a")
	if fleetRow(t, d.m, held[0].ID).Flags.Has(model.FlagSecretLost) {
		t.Fatal("a credential of unknown origin is flagged secret-lost")
	}
}

// A reset whose reply was lost is not repeated, and the screen says the old
// secret may no longer work, naming the credential.
func TestLostResetReplySaysTheOldSecretMayNotWork(t *testing.T) {
	t.Parallel()
	d, e, _ := start(t, dropReplies("ResetServiceSpecificCredential", 0), false)
	d.selectUser("mateo")
	d.keys("enter")
	c, _ := selectedCred(d.m)
	d.keys("r", "tab", "enter")
	mustSay(t, d.m, "The reset of "+c.ID+" may have happened: the old secret may no longer work.", "Reset again to get one you can use.")
	mustNotContain(t, d.m, "Could not reset")
	if !d.m.dialogs.empty() {
		t.Fatal("a dialog opened for a secret that never arrived")
	}
	// Reset again once replies come back: the new secret shows.
	e.srv.SetFaults(localiam.Faults{})
	d.keys("r", "tab", "enter")
	if _, ok := d.m.dialogs.top().(*secretModal); !ok {
		t.Fatalf("no secret modal:\n%s", screenText(d.m))
	}
}

// A delete whose reply was lost (the retry finds it gone) is a delete, and a
// status change whose every reply was lost is done: IAM's listing says so,
// and the screen says that the reply was lost.
func TestLostDeleteAndUpdateRepliesAreShownAsDone(t *testing.T) {
	for _, c := range []struct {
		action string
		drops  int
		act    func(d *driver, id string)
		says   string
		left   string // mateo's credential as IAM and the UI hold it after: "" none
	}{
		{"DeleteServiceSpecificCredential", 1, func(d *driver, id string) { d.keys("d"); d.typeProof(id); d.keys("enter") },
			"✓ Deleted mateo's Git credential %s (its reply was lost; IAM's listing shows it done)", ""},
		{"UpdateServiceSpecificCredential", 0, func(d *driver, _ string) { d.keys("t") },
			"✓ mateo's Git credential %s is now Inactive (its reply was lost; IAM's listing shows it done)", "Inactive"},
	} {
		t.Run(c.action, func(t *testing.T) {
			t.Parallel()
			d, e, _ := start(t, dropReplies(c.action, c.drops), false)
			d.selectUser("mateo")
			d.keys("enter")
			cred, _ := selectedCred(d.m)
			c.act(d, cred.ID)
			mustContain(t, d.m, fmt.Sprintf(c.says, shortID(cred.ID)))
			mustNotContain(t, d.m, "not found", "✗")
			held := func(cs []model.Credential) string {
				if len(cs) == 0 {
					return ""
				}
				return string(cs[0].Status)
			}
			if got, ui := held(e.creds(t, "mateo")), held(cached(d.m, "mateo")); got != c.left || ui != c.left {
				t.Fatalf("IAM holds %q, the UI %q; want %q", got, ui, c.left)
			}
		})
	}
}

// A bulk action counts and names its lost replies: done by IAM's listing, or
// unknown when the listing that would tell failed too; the endpoint agrees
// with what the summary says.
func TestLostRepliesInFleetBulk(t *testing.T) {
	t.Parallel()
	d, e, _ := start(t, dropReplies("UpdateServiceSpecificCredential", 0), false)
	d.keys("a", "v", "ctrl+a") // every Active credential
	targets := d.m.fleet.bulkTargets()
	n := len(targets)
	d.keys("I", "tab", "enter")
	s, ok := d.m.dialogs.top().(*bulkSummary)
	if !ok {
		t.Fatalf("no summary:\n%s", screenText(d.m))
	}
	if len(s.ok) != n || len(s.lost) != n || len(s.failed) != 0 {
		t.Fatalf("ok %d, lost %d, failed %d of %d", len(s.ok), len(s.lost), len(s.failed), n)
	}
	mustContain(t, d.m, itoa(n)+" succeeded ("+itoa(n)+" after a lost reply), 0 failed", "— its reply was lost; IAM's listing")
	mustContain(t, d.m, "Deactivate: "+itoa(n)+" done ("+itoa(n)+" after a lost reply)")
	for _, c := range targets {
		if st := credStatus(t, e, c); st != model.Inactive {
			t.Fatalf("%s is %s on the endpoint", c.ID, st)
		}
	}
	d.keys("enter")

	// Now the listing that would judge them is refused too: unknown, not failed.
	e.srv.SetFaults(localiam.Faults{DropReply: map[string]int{"UpdateServiceSpecificCredential": 0},
		Deny: []string{"ListServiceSpecificCredentials"}})
	d.keys("v", "ctrl+a") // every Inactive one
	targets = d.m.fleet.bulkTargets()
	d.keys("A", "tab", "enter")
	s, ok = d.m.dialogs.top().(*bulkSummary)
	if !ok {
		t.Fatalf("no summary:\n%s", screenText(d.m))
	}
	if len(s.unknown) != len(targets) || len(s.ok) != 0 || len(s.failed) != 0 {
		t.Fatalf("unknown %d, ok %d, failed %d of %d", len(s.unknown), len(s.ok), len(s.failed), len(targets))
	}
	mustContain(t, d.m, "0 succeeded, 0 failed, "+itoa(len(targets))+" unknown", "? ", ": unknown: check ")
}

func credStatus(t *testing.T, e *endpoint, c model.Credential) model.Status {
	t.Helper()
	for _, x := range e.creds(t, c.UserName) {
		if x.ID == c.ID {
			return x.Status
		}
	}
	t.Fatalf("%s is gone", c.ID)
	return ""
}

// Quitting with writes in flight names each, so the person knows what to
// check; nothing changes after the quit (late answers are dropped, as
// tea.Program drops them).
func TestQuitNamesTheWritesInFlight(t *testing.T) {
	t.Parallel()
	d, _, _ := start(t, localiam.Faults{}, false)
	d.selectUser("mateo")
	d.keys("enter")
	mateo, _ := selectedCred(d.m)
	holdMsgs[toggledMsg](d)
	d.keys("t")
	d.Hold(nil)
	d.selectUser("kenji")
	d.Hold(func(msg tea.Msg) bool {
		switch msg.(type) {
		case toggledMsg, createdMsg:
			return true
		}
		return false
	})
	d.keys("n", "enter", "enter")
	d.keys("q")
	if _, ok := d.m.dialogs.top().(*quitQuestion); !ok {
		t.Fatal("q with a create in flight should ask")
	}
	d.keys("ctrl+c")
	if !d.Quit() {
		t.Fatal("ctrl+c did not quit")
	}
	want := []string{
		"a change of mateo's Git credential " + mateo.ID + " to Inactive was in flight: check mateo's credentials",
		"a create of a Git credential for kenji was in flight: check kenji's credentials",
	}
	d.Release()
	d.settle()
	if got := d.m.Unanswered(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("Unanswered() =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// Found by the randomized run: a bulk deactivation of a credential past its
// date showed it Inactive, while IAM still reports it Expired.
func TestBulkDeactivateKeepsAnExpiredOneExpired(t *testing.T) {
	t.Parallel()
	d, e, _ := start(t, localiam.Faults{}, false)
	d.keys("a", "v", "v", "v")         // status Expired
	targets := d.m.fleet.bulkTargets() // the row under the cursor: the oldest Expired key, a console-made user's
	if len(targets) != 1 || targets[0].Status != model.Expired {
		t.Fatalf("targets %v", targets)
	}
	d.keys("I", "tab", "enter", "enter")
	for _, target := range targets {
		if got := credStatus(t, e, target); got != model.Expired {
			t.Fatalf("IAM says %s", got)
		}
		if got := cached(d.m, target.UserName)[0].Status; got != model.Expired {
			t.Fatalf("the UI shows %s's key %s, IAM Expired", target.UserName, got)
		}
	}
}
