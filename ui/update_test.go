package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"iamcreds/awsclient/localiam"
	"iamcreds/model"
)

// Update-level tests: the model driven message by message against the real
// client and a local endpoint (no fake of IAM).

// start builds a UI on the demo account and waits for the first load.
func start(t *testing.T, faults localiam.Faults, readOnly bool) (*driver, *endpoint, *memClipboard) {
	t.Helper()
	e := newEndpoint(t, "demo", faults, readOnly)
	mem := &memClipboard{}
	o := testOptions(e, mem)
	o.ReadOnly = readOnly
	d := newDriver(t, New(o), 120, 36)
	d.settle()
	if !d.m.load.everLoaded || len(d.m.main.users.all) == 0 {
		t.Fatalf("users not loaded:\n%s", screenText(d.m))
	}
	return d, e, mem
}

// selectUser moves the users cursor onto name with the arrow keys.
func (d *driver) selectUser(name string) {
	d.t.Helper()
	if d.m.main.focus != focusUsers {
		d.keys("esc")
	}
	d.keys("g")
	for range len(d.m.main.users.all) + 1 {
		if u, ok := d.m.main.users.selected(); ok && u.Name == name {
			return
		}
		d.keys("down")
	}
	d.t.Fatalf("user %s not reachable; screen:\n%s", name, screenText(d.m))
}

// selectCred moves the credentials cursor onto the first credential matching.
func (d *driver) selectCred(match func(model.Credential) bool) model.Credential {
	d.t.Helper()
	for range len(d.m.main.creds.creds) + 1 {
		if c, ok := selectedCred(d.m); ok && match(c) {
			return c
		}
		d.keys("down")
	}
	d.t.Fatalf("no matching credential; screen:\n%s", screenText(d.m))
	return model.Credential{}
}

func (e *endpoint) creds(t *testing.T, user string) []model.Credential {
	t.Helper()
	cs, err := e.client.ListCredentials(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func mustContain(t *testing.T, m *Model, parts ...string) {
	t.Helper()
	s := screenText(m)
	for _, p := range parts {
		if !strings.Contains(s, p) {
			t.Fatalf("screen lacks %q:\n%s", p, s)
		}
	}
}

func mustNotContain(t *testing.T, m *Model, parts ...string) {
	t.Helper()
	s := screenText(m)
	for _, p := range parts {
		if strings.Contains(s, p) {
			t.Fatalf("screen has %q:\n%s", p, s)
		}
	}
}

func TestFirstFrameBeforeAnyAnswer(t *testing.T) {
	t.Parallel()
	e := newEndpoint(t, "demo", localiam.Faults{}, false)
	m := New(testOptions(e, &memClipboard{}))
	m.Init() // commands not run: no answer yet
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 36})
	mustContain(t, m, "Loading users…", "loading credentials… (+1)", "account …")
}

func TestFocusSwitching(t *testing.T) {
	t.Parallel()
	d, _, _ := start(t, localiam.Faults{}, false)
	if d.m.main.focus != focusUsers {
		t.Fatal("users table should have the focus first")
	}
	steps := []struct {
		key  string
		want focusArea
	}{
		{"enter", focusCreds}, {"esc", focusUsers}, {"right", focusCreds}, {"left", focusUsers},
		{"tab", focusCreds}, {"tab", focusUsers}, {"tab", focusCreds}, {"shift+tab", focusUsers},
	}
	for i, s := range steps {
		d.keys(s.key)
		if d.m.main.focus != s.want {
			t.Fatalf("step %d (%s): focus %v, want %v", i, s.key, d.m.main.focus, s.want)
		}
	}
	// j moves the focused table only.
	d.keys("enter")
	user, _ := d.m.main.users.selected()
	d.keys("j")
	if u, _ := d.m.main.users.selected(); u.Name != user.Name {
		t.Fatal("j in the credentials table moved the users cursor")
	}
	// / filters users from either table and takes the keys: q is text, not quit.
	d.keys("/", "q")
	if !d.m.main.filter.typing || d.m.main.focus != focusUsers || d.Quit() || d.m.main.filter.value() != "q" {
		t.Fatalf("filter: filtering=%v focus=%v quit=%v value=%q", d.m.main.filter.typing, d.m.main.focus, d.Quit(), d.m.main.filter.value())
	}
	d.keys("esc")
	if d.m.main.filter.typing || d.m.main.users.filter != "" || len(d.m.main.users.visible) != len(d.m.main.users.all) {
		t.Fatal("esc should clear the filter")
	}
	// In a narrow window one table shows at a time: the focused one.
	d.Send(tea.WindowSizeMsg{Width: 80, Height: 24})
	mustContain(t, d.m, "Users 20")
	d.keys("enter")
	mustContain(t, d.m, "Credentials of "+user.Name, "← users")
	mustNotContain(t, d.m, "Users 20")
}

func TestFilterIsCaseInsensitiveSubstring(t *testing.T) {
	t.Parallel()
	d, _, _ := start(t, localiam.Faults{}, false)
	d.keys("/", "I", "A")
	var names []string
	for _, i := range d.m.main.users.visible {
		names = append(names, d.m.main.users.all[i].Name)
	}
	if got := strings.Join(names, ","); got != "liam,lucia,sofia" {
		t.Fatalf("filter IA matched %s", got)
	}
	d.keys("enter")
	if d.m.main.filter.typing || d.m.main.users.filter != "ia" {
		t.Fatal("enter should keep the filter and leave the input")
	}
	mustContain(t, d.m, "Users 3 of 20", "esc clears")
	d.keys("esc")
	mustContain(t, d.m, "Users 20")
}

func TestToggleIsImmediateAndSaysHowToUndo(t *testing.T) {
	t.Parallel()
	d, e, _ := start(t, localiam.Faults{}, false)
	d.selectUser("sofia")
	d.keys("enter")
	c := d.selectCred(func(c model.Credential) bool { return c.Status == model.Active }) // 35 days old: nothing to doubt
	status := func() model.Status {
		for _, x := range e.creds(t, "sofia") {
			if x.ID == c.ID {
				return x.Status
			}
		}
		t.Fatalf("%s gone", c.ID)
		return ""
	}
	d.keys("t")
	if got := status(); got != model.Inactive {
		t.Fatalf("endpoint status %s after t", got)
	}
	if sel, _ := selectedCred(d.m); sel.ID != c.ID || sel.Status != model.Inactive {
		t.Fatalf("row not updated in place: %+v", sel)
	}
	mustContain(t, d.m, "is now Inactive", "t switches it back")
	d.keys("t")
	if got := status(); got != model.Active || !d.m.dialogs.empty() {
		t.Fatalf("undo: endpoint status %s, dialogs %v", got, d.m.dialogs.open)
	}
}

// Activating a credential model doubts (older than --max-age) asks once,
// naming why; deactivating it never asks.
func TestActivatingStaleCredentialAsksOnce(t *testing.T) {
	t.Parallel()
	d, e, _ := start(t, localiam.Faults{}, false)
	d.selectUser("mateo") // 610 days old
	d.keys("enter", "t")
	if got := e.creds(t, "mateo")[0].Status; got != model.Inactive || !d.m.dialogs.empty() {
		t.Fatalf("deactivation should be instant: %s, dialogs %v", got, d.m.dialogs.open)
	}
	d.keys("t")
	if _, ok := d.m.dialogs.top().(*activateConfirm); !ok || len(d.m.writes.ops) != 0 {
		t.Fatalf("t on a stale Inactive credential did not ask:\n%s", screenText(d.m))
	}
	mustContain(t, d.m, "Activate this credential?", "It is 610 days old, older than the max age of 90 days")
	d.keys("enter") // Cancel has the focus
	if got := e.creds(t, "mateo")[0].Status; got != model.Inactive || !d.m.dialogs.empty() {
		t.Fatalf("enter on Cancel activated: %s", got)
	}
	mustContain(t, d.m, "Not activated")
	d.keys("t", "tab", "enter")
	if got := e.creds(t, "mateo")[0].Status; got != model.Active {
		t.Fatalf("Activate did not activate: %s", got)
	}
	mustContain(t, d.m, "is now Active")
}

// A credential IAM reported Expired whose date has since been extended may be
// activated, after one question that says so.
func TestActivatingExtendedCredentialAsks(t *testing.T) {
	t.Parallel()
	d, e, _ := start(t, localiam.Faults{}, false)
	d.selectUser("priya")
	d.keys("enter")
	c := d.selectCred(isInactive)
	d.m.acct.cache.changed("priya", c.ID, func(x *model.Credential) {
		x.Status, x.Expires = model.Expired, fixedNow.Add(30*24*time.Hour)
	})
	d.m.main.refreshUser("priya")
	d.keys("t")
	a, ok := d.m.dialogs.top().(*activateConfirm)
	if !ok || len(a.reasons) != 2 || !strings.Contains(a.reasons[1], "was reported Expired by IAM") {
		t.Fatalf("no question naming both reasons:\n%s", screenText(d.m))
	}
	d.keys("tab", "enter")
	if got, _ := byID(e.creds(t, "priya"), c.ID); got.Status != model.Active {
		t.Fatalf("not activated: %s", got.Status)
	}
}

func TestExpiredCannotToggle(t *testing.T) {
	t.Parallel()
	d, e, _ := start(t, localiam.Faults{}, false)
	d.selectUser("noah") // his Bedrock key expired 15 days ago
	d.keys("enter")
	d.keys("t")
	mustContain(t, d.m, "expired on 2026-02-27: IAM cannot activate it. Delete it, or create a new one")
	if len(d.m.writes.ops) != 0 {
		t.Fatal("a toggle of an expired key was sent")
	}
	d.keys("r")
	mustContain(t, d.m, "has expired: it cannot be reset")
	if !d.m.dialogs.empty() {
		t.Fatal("a reset of an expired key was offered")
	}
	if got := e.creds(t, "noah")[0].Status; got != model.Expired {
		t.Fatalf("endpoint status changed to %s", got)
	}
}

func TestFailedWriteLeavesRowAndShowsCode(t *testing.T) {
	t.Parallel()
	d, e, _ := start(t, localiam.Faults{Deny: []string{"UpdateServiceSpecificCredential"}}, false)
	d.selectUser("mateo")
	d.keys("enter", "t")
	if c, _ := selectedCred(d.m); c.Status != model.Active {
		t.Fatalf("row changed after a failed write: %s", c.Status)
	}
	mustContain(t, d.m, "✗ Could not make mateo's Git credential", "access denied", "(AccessDenied)")
	if got := e.creds(t, "mateo")[0].Status; got != model.Active {
		t.Fatal("endpoint changed")
	}
}

func TestReadOnlyRefusesWrites(t *testing.T) {
	t.Parallel()
	d, e, _ := start(t, localiam.Faults{}, true)
	before := fmt.Sprint(e.creds(t, "mateo"))
	d.selectUser("mateo")
	d.keys("enter")
	for _, k := range []string{"n", "t", "r", "d", "R"} {
		d.keys(k)
		if !d.m.dialogs.empty() || len(d.m.writes.ops) != 0 {
			t.Fatalf("%s did something in read-only mode", k)
		}
		mustContain(t, d.m, "Read-only mode: create, toggle, reset, delete and rotate are off")
	}
	mustContain(t, d.m, "READ-ONLY")
	d.keys("?") // every key of the screen, but not those that are off
	help := ansi.Strip(strings.Join(d.m.fullHelpLines(120), "\n"))
	for _, want := range []string{"Navigation", "Global", "ctrl+r refresh"} {
		if !strings.Contains(help, want) {
			t.Errorf("the help lacks %q:\n%s", want, help)
		}
	}
	for _, off := range []string{"Credential", " new", " toggle", " reset", " delete", " rotate", "off (read-only)"} {
		if strings.Contains(help, off) {
			t.Errorf("the help has %q:\n%s", off, help)
		}
	}
	d.keys("?")
	if after := fmt.Sprint(e.creds(t, "mateo")); after != before {
		t.Fatal("state changed in read-only mode")
	}
	// The client refuses too, whatever the UI does.
	_, _, err := e.client.CreateCredential(context.Background(), "mateo", model.Keyspaces, 0)
	if !errors.Is(err, model.ErrReadOnly) {
		t.Fatalf("client accepted a write in read-only mode: %v", err)
	}
}

func TestReadOnlyRefusesBulkActionsInFleet(t *testing.T) {
	t.Parallel()
	d, e, _ := start(t, localiam.Faults{}, true)
	before := fmt.Sprint(e.creds(t, "sofia"))
	d.keys("a", "ctrl+a")
	for _, k := range []string{"I", "A", "X"} {
		d.keys(k)
		if !d.m.dialogs.empty() {
			t.Fatalf("%s opened a dialog in read-only mode", k)
		}
		mustContain(t, d.m, "Read-only mode: toggle, reset, delete, rotate and bulk actions are off")
	}
	if after := fmt.Sprint(e.creds(t, "sofia")); after != before {
		t.Fatal("state changed in read-only mode")
	}
}

func TestLimitReachedIsSaidBeforeCallingIAM(t *testing.T) {
	t.Parallel()
	d, e, _ := start(t, localiam.Faults{Deny: []string{"CreateServiceSpecificCredential"}}, false)
	d.selectUser("sofia") // two Git credentials
	d.keys("n")
	mustContain(t, d.m, "2 of 2 · limit reached")
	if f := d.m.dialogs.top().(*createForm); f.svc().Name != model.Keyspaces {
		t.Fatalf("the form should start on the first service with room, not %s", f.svc().Name)
	}
	d.keys("up", "enter") // CodeCommit
	f, ok := d.m.dialogs.top().(*createForm)
	if !ok || f.step != stepService {
		t.Fatal("the form went on past a full service")
	}
	mustContain(t, d.m, "sofia already has 2 CodeCommit credentials; delete one first")
	if len(e.creds(t, "sofia")) != 2 || len(d.m.writes.ops) != 0 {
		t.Fatal("IAM was called")
	}
}

func TestLimitExceededFromIAMIsShown(t *testing.T) {
	t.Parallel()
	d, e, _ := start(t, localiam.Faults{}, false)
	d.selectUser("mateo") // one Git credential, as far as the UI knows
	// A second one appears behind the UI's back.
	if _, _, err := e.client.CreateCredential(context.Background(), "mateo", model.CodeCommit, 0); err != nil {
		t.Fatal(err)
	}
	d.keys("n", "enter", "enter")
	mustContain(t, d.m, "✗ Could not create a Git credential for mateo: mateo already has 2 CodeCommit credentials", "(LimitExceeded)")
	if !d.m.dialogs.empty() {
		t.Fatal("no secret modal should open")
	}
}

func TestNoDoubleCreateWhileInFlight(t *testing.T) {
	t.Parallel()
	d, e, _ := start(t, localiam.Faults{}, false)
	d.selectUser("liam")
	holdMsgs[createdMsg](d)
	d.keys("n", "enter", "enter") // Git credential
	if len(d.m.writes.ops) != 1 || d.Held() == 0 {
		t.Fatalf("create not in flight: pending %d held %d", len(d.m.writes.ops), d.Held())
	}
	mustContain(t, d.m, "creating")
	d.keys("n", "enter", "enter") // the same again
	if len(d.m.writes.ops) != 1 {
		t.Fatalf("second create sent: %d in flight", len(d.m.writes.ops))
	}
	mustContain(t, d.m, "Already creating a Git credential for liam")
	d.Release()
	d.settle()
	if n := model.CountByService(e.creds(t, "liam"))[model.CodeCommit]; n != 1 {
		t.Fatalf("%d Git credentials created", n)
	}
	if _, ok := d.m.dialogs.top().(*secretModal); !ok {
		t.Fatal("secret modal not shown")
	}
}

func TestSecondResetIgnoredWhileInFlight(t *testing.T) {
	t.Parallel()
	d, _, _ := start(t, localiam.Faults{}, false)
	d.selectUser("mateo")
	holdMsgs[resetMsg](d)
	d.keys("enter", "r", "tab", "enter")
	if len(d.m.writes.ops) != 1 {
		t.Fatal("reset not in flight")
	}
	mustContain(t, d.m, "resetting")
	d.keys("r")
	if !d.m.dialogs.empty() || len(d.m.writes.ops) != 1 {
		t.Fatal("a second reset of the same credential was possible")
	}
	mustContain(t, d.m, "Still resetting mateo's Git credential")
}

func TestResetConfirmationCancelsByDefault(t *testing.T) {
	t.Parallel()
	d, e, _ := start(t, localiam.Faults{}, false)
	d.selectUser("mateo")
	before := e.creds(t, "mateo")
	d.keys("enter", "r")
	mustContain(t, d.m, "Reset this password?", "mateo", "CodeCommit Git credentials", before[0].ID,
		"stops working at once", "Git credential helpers, OS keychains")
	d.keys("enter") // Cancel has the focus
	if !d.m.dialogs.empty() || len(d.m.writes.ops) != 0 {
		t.Fatal("enter on the reset confirmation did not cancel")
	}
	mustContain(t, d.m, "Reset cancelled")
}

func TestDeleteNeedsLastFourOfID(t *testing.T) {
	t.Parallel()
	d, e, _ := start(t, localiam.Faults{}, false)
	d.selectUser("mateo")
	c := e.creds(t, "mateo")[0]
	d.keys("enter", "d", "enter")
	if _, ok := d.m.dialogs.top().(*deleteConfirm); !ok || len(d.m.writes.ops) != 0 {
		t.Fatal("enter without the proof deleted or closed")
	}
	mustContain(t, d.m, "Type the last 4 characters of the ID to delete")
	d.keys("Z", "Z", "Z", "Z", "enter")
	if len(e.creds(t, "mateo")) != 1 {
		t.Fatal("deleted with the wrong proof")
	}
	d.keys("backspace", "backspace", "backspace", "backspace")
	for _, r := range strings.ToLower(c.ID[len(c.ID)-4:]) {
		d.keys(string(r))
	}
	d.keys("enter")
	if n := len(e.creds(t, "mateo")); n != 0 {
		t.Fatalf("%d credentials left after delete", n)
	}
	mustContain(t, d.m, "✓ Deleted mateo's Git credential", "mateo has no service-specific credentials")
}

// createFor opens the form for user and creates a credential of the catalog's
// i-th service (API keys: the default expiry), leaving the secret modal open.
func (d *driver) createFor(user string, i int) *secretModal {
	d.t.Helper()
	d.selectUser(user)
	d.keys("n")
	for range i {
		d.keys("down")
	}
	d.keys("enter")
	if f, ok := d.m.dialogs.top().(*createForm); ok && f.step == stepExpiry {
		d.keys("enter")
	}
	d.keys("enter")
	sm, ok := d.m.dialogs.top().(*secretModal)
	if !ok {
		d.t.Fatalf("no secret modal; screen:\n%s", screenText(d.m))
	}
	return sm
}

func TestSecretModalCloseWithoutSaving(t *testing.T) {
	t.Parallel()
	d, _, mem := start(t, localiam.Faults{}, false)
	sm := d.createFor("kenji", 0)
	secret := sm.secret.Reveal()
	if secret == "" || strings.Contains(d.m.View(), secret) {
		t.Fatal("the secret should be masked")
	}
	mustContain(t, d.m, "New Git password for kenji", "kenji-at-123456789012", "cannot be retrieved again", sm.secret.Masked())
	d.keys("enter")
	mustContain(t, d.m, "Close without saving? It cannot be retrieved again. (y/N)")
	d.keys("n") // no: back to the modal
	if sm.question == askNothing && d.m.dialogs.top() != sm {
		t.Fatal("n should return to the modal")
	}
	if sm.question != askNothing {
		t.Fatal("still asking after n")
	}
	d.keys("esc")
	if sm.question == askNothing {
		t.Fatal("esc should ask too")
	}
	d.keys("enter") // N is the default
	if sm.question != askNothing || d.m.dialogs.top() != sm {
		t.Fatal("enter should answer no")
	}
	d.keys("esc", "y")
	if !d.m.dialogs.empty() || len(d.m.waiting) != 0 || !sm.secret.Empty() {
		t.Fatal("the secret was not dropped on close")
	}
	if mem.Text() != "" {
		t.Fatal("nothing was copied, yet the clipboard holds something")
	}
	_ = secret
}

func TestSecretModalCopyAndShow(t *testing.T) {
	t.Parallel()
	d, _, mem := start(t, localiam.Faults{}, false)
	sm := d.createFor("kenji", 2) // Bedrock
	secret := sm.secret.Reveal()
	d.keys("u")
	if mem.Text() != "kenji-at-123456789012" {
		t.Fatalf("u copied %q", mem.Text())
	}
	mustContain(t, d.m, "Alias copied to the system clipboard")
	if sm.kept {
		t.Fatal("copying the alias does not save the secret")
	}
	d.keys("e")
	if mem.Text() != "export AWS_BEARER_TOKEN_BEDROCK="+secret {
		t.Fatal("e did not copy the export line")
	}
	d.keys("c")
	if mem.Text() != secret {
		t.Fatal("c did not copy the secret")
	}
	mustContain(t, d.m, "API key copied to the system clipboard")
	d.keys("s")
	if !strings.Contains(strings.ReplaceAll(ansi.Strip(d.m.View()), "\n", ""), secret[:20]) {
		t.Fatal("s did not show the secret")
	}
	d.keys("enter") // copied: no question
	if !d.m.dialogs.empty() {
		t.Fatal("closing after a copy should not ask")
	}
}

func TestQuitWhileCreateInFlightShowsSecretFirst(t *testing.T) {
	t.Parallel()
	d, _, _ := start(t, localiam.Faults{}, false)
	d.selectUser("kenji")
	holdMsgs[createdMsg](d)
	d.keys("n", "enter", "enter")
	d.keys("q")
	if _, ok := d.m.dialogs.top().(*quitQuestion); !ok || d.Quit() {
		t.Fatal("q with a create in flight should ask")
	}
	mustContain(t, d.m, "IAM shows a new secret only once")
	d.keys("y")
	if d.Quit() {
		t.Fatal("quit before the secret arrived")
	}
	d.Release()
	d.settle()
	if _, ok := d.m.dialogs.top().(*secretModal); !ok || d.Quit() {
		t.Fatal("the secret modal should show before quitting")
	}
	d.keys("c", "enter")
	if !d.Quit() {
		t.Fatal("closing the modal should finish the quit")
	}
}

func TestQuitWithUnsavedSecretAsks(t *testing.T) {
	t.Parallel()
	d, _, _ := start(t, localiam.Faults{}, false)
	d.createFor("kenji", 0)
	d.keys("ctrl+c")
	if d.Quit() {
		t.Fatal("ctrl+c dropped an unsaved secret without asking")
	}
	// y quits the program, not just the dialog: the question says so.
	mustContain(t, d.m, "Quit without saving? It cannot be retrieved again. (y/N)", "y quit without saving")
	mustNotContain(t, d.m, "Close without saving?")
	d.keys("y")
	if !d.Quit() {
		t.Fatal("y should quit")
	}
}

func TestStaleCredentialAnswersAreDropped(t *testing.T) {
	t.Parallel()
	d, e, _ := start(t, localiam.Faults{}, false)
	d.selectUser("kenji") // no credentials, per the inventory
	// kenji gets one behind the UI's back; the next listing would show it.
	if _, _, err := e.client.CreateCredential(context.Background(), "kenji", model.Keyspaces, 0); err != nil {
		t.Fatal(err)
	}
	d.Hold(func(msg tea.Msg) bool { c, ok := msg.(credsMsg); return ok && c.user == "kenji" })
	d.Send(settleMsg{seq: d.m.main.settleSeq, user: "kenji"}) // the cursor rests on kenji
	d.settle()
	if d.Held() != 1 {
		t.Fatalf("held %d listings", d.Held())
	}
	d.keys("up") // away from kenji before the answer arrives
	d.Release()
	d.settle()
	if n := len(cached(d.m, "kenji")); n != 0 {
		t.Fatal("a listing for a user the cursor left was applied")
	}
	// Back on kenji, the cursor load applies.
	d.keys("down")
	if n := len(cached(d.m, "kenji")); n != 1 {
		t.Fatalf("kenji has %d credentials in the cache after settling on him", n)
	}
	mustContain(t, d.m, "kenji-at-1234")
}

func TestOlderListingDoesNotUndoAWrite(t *testing.T) {
	t.Parallel()
	d, _, _ := start(t, localiam.Faults{}, false)
	d.selectUser("mateo")
	d.keys("enter")
	// A listing starts before the toggle and answers after it.
	holdMsgs[credsMsg](d)
	d.Run(d.m.listCreds("mateo", false))
	d.settle()
	d.Hold(nil) // the toggle's own listing is not held
	d.keys("t")
	d.Release()
	d.settle()
	if c, _ := selectedCred(d.m); c.Status != model.Inactive {
		t.Fatalf("an older listing undid the toggle: %s", c.Status)
	}
}

func TestNoPanicAtAnySize(t *testing.T) {
	t.Parallel()
	d, _, _ := start(t, localiam.Faults{}, false)
	d.selectUser("priya")
	check := d.fitsEverySize
	check("main")
	d.keys("?")
	check("full help")
	d.keys("?", "/", "a")
	check("filter")
	d.keys("esc", "enter")
	check("credentials")
	d.keys("n")
	check("create form")
	d.keys("down", "down", "enter")
	check("expiry")
	d.keys("esc", "esc", "r")
	check("reset")
	d.keys("esc", "d")
	check("delete")
	d.keys("esc")
	d.createFor("ana", 0)
	check("secret")
	d.keys("s")
	check("secret shown")
	d.keys("esc")
	check("close question")
}

// fitsEverySize fails unless the view fills the window exactly, line by line,
// at every size from wide to absurd; it leaves the window at 120x36.
func (d *driver) fitsEverySize(what string) {
	d.t.Helper()
	for _, sz := range [][2]int{{120, 36}, {100, 30}, {99, 30}, {80, 24}, {60, 16}, {40, 12}, {30, 8}, {10, 3}, {1, 1}} {
		d.Send(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		lines := strings.Split(d.m.View(), "\n")
		if len(lines) != sz[1] {
			d.t.Fatalf("%s at %dx%d: %d lines", what, sz[0], sz[1], len(lines))
		}
		for i, l := range lines {
			if w := ansi.StringWidth(l); w != sz[0] {
				d.t.Fatalf("%s at %dx%d: line %d is %d wide: %q", what, sz[0], sz[1], i, w, l)
			}
		}
	}
	d.Send(tea.WindowSizeMsg{Width: 120, Height: 36})
}

// In colour, a row with a write in flight keeps its columns: the spinner in
// its status cell is plain text.
func TestPendingRowStaysAlignedInColour(t *testing.T) {
	lipgloss.SetColorProfile(termenv.TrueColor)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	d, e, _ := start(t, localiam.Faults{}, false)
	d.selectUser("mateo")
	id := e.creds(t, "mateo")[0].ID
	holdMsgs[toggledMsg](d)
	d.keys("enter", "t")
	var header, row string
	for _, l := range strings.Split(ansi.Strip(d.m.View()), "\n") {
		switch {
		case strings.Contains(l, "Expires") && header == "":
			header = l
		case strings.Contains(l, id) && strings.Contains(l, "disabling"):
			row = l
		}
	}
	if row == "" {
		t.Fatalf("no pending row:\n%s", ansi.Strip(d.m.View()))
	}
	col := func(s, sub string) int { return len([]rune(s[:strings.Index(s, sub)])) }
	if col(header, "Expires") != col(row, "never") {
		t.Fatalf("columns moved:\n%s\n%s", header, row)
	}
}

func TestRefreshReconcilesWithIAM(t *testing.T) {
	t.Parallel()
	d, e, _ := start(t, localiam.Faults{}, false)
	d.selectUser("lucia")
	if _, _, err := e.client.CreateCredential(context.Background(), "lucia", model.Logs, 5); err != nil {
		t.Fatal(err)
	}
	mustContain(t, d.m, "lucia has no service-specific credentials")
	d.keys("ctrl+r")
	mustContain(t, d.m, "20 users, 23 credentials, read 12:00:00", "Logs", "in 5d")
	if got := countsSummary(cached(d.m, "lucia")); got != "API keys 1" {
		t.Fatalf("lucia's counts %q", got)
	}
}

func TestAllUsersRefusedFallsBackUserByUser(t *testing.T) {
	t.Parallel()
	d, _, _ := start(t, localiam.Faults{Deny: []string{"ListServiceSpecificCredentials:AllUsers"}}, false)
	mustContain(t, d.m, "20 users, 22 credentials, read 12:00:00 (user by user: IAM refused the account-wide listing)")
	if got := countsSummary(cached(d.m, "sofia")); got != "Git 2" {
		t.Fatalf("sofia's counts %q", got)
	}
}

func TestListingRefusedIsShownWhereItMatters(t *testing.T) {
	t.Parallel()
	d, _, _ := start(t, localiam.Faults{Deny: []string{"ListServiceSpecificCredentials"}}, false)
	// The users still list; counts are unknown; the highlighted user's pane
	// says why it is empty.
	mustContain(t, d.m, "Users 20", "Could not list the credentials:", "access denied")
	if got := d.m.main.userCells(d.m.main.users.all[0])[ucCreds]; got != "?" {
		t.Fatalf("counts cell %q, want ?", got)
	}
	d.keys("down")
	mustContain(t, d.m, "Credentials of ana", "Could not list the credentials:")
}

func TestQuitShowsWaitingSecretsFirst(t *testing.T) {
	t.Parallel()
	d, _, _ := start(t, localiam.Faults{}, false)
	d.selectUser("mateo")
	holdMsgs[createdMsg](d)
	d.keys("n", "enter", "enter")
	d.keys("enter", "d") // a delete confirmation is open when the secret arrives
	if _, ok := d.m.dialogs.top().(*deleteConfirm); !ok {
		t.Fatalf("no delete confirmation:\n%s", screenText(d.m))
	}
	d.Release()
	d.settle()
	if len(d.m.waiting) != 1 {
		t.Fatal("the secret should wait behind the dialog")
	}
	mustContain(t, d.m, "is ready: it shows when this dialog closes")
	d.keys("ctrl+c")
	if d.Quit() {
		t.Fatal("quit with a secret never shown")
	}
	if _, ok := d.m.dialogs.top().(*secretModal); !ok {
		t.Fatal("the waiting secret should show")
	}
	d.keys("enter") // unsaved: asks, and since y finishes the quit, says so
	mustContain(t, d.m, "Quit without saving?")
	d.keys("n") // no to quitting: the program stays, and the next close only closes
	if d.Quit() || d.m.quitWhenDone {
		t.Fatal("n should cancel the quit")
	}
	d.keys("enter")
	mustContain(t, d.m, "Close without saving?")
	d.keys("n", "ctrl+c")
	mustContain(t, d.m, "Quit without saving?")
	d.keys("y")
	if !d.Quit() {
		t.Fatal("closing the last secret should finish the quit")
	}
}

// The form counts a create still in flight against IAM's limit (model's rule).
func TestCreateFormCountsCreatesInFlight(t *testing.T) {
	t.Parallel()
	d, e, _ := start(t, localiam.Faults{}, false)
	d.selectUser("mateo") // one Git credential
	holdMsgs[createdMsg](d)
	d.keys("n", "enter", "enter") // a second one, in flight
	d.keys("n")
	mustContain(t, d.m, "2 of 2 · limit reached")
	d.keys("up", "enter") // Git: refused without calling IAM
	mustContain(t, d.m, "mateo already has 2 CodeCommit credentials; delete one first")
	d.Release()
	d.settle()
	if n := model.CountByService(e.creds(t, "mateo"))[model.CodeCommit]; n != 2 {
		t.Fatalf("%d Git credentials on the endpoint", n)
	}
}

// ? lists every key of the screen, grouped, whatever is highlighted, and the
// global ones; P only where profiles can be switched (not in --demo).
func TestFullHelpListsEveryKey(t *testing.T) {
	t.Parallel()
	e := newEndpoint(t, "demo", localiam.Faults{}, false)
	help := func(m *Model) string { return ansi.Strip(strings.Join(m.fullHelpLines(120), "\n")) }
	check := func(what, help string, want, not []string) {
		t.Helper()
		for _, w := range want {
			if !strings.Contains(help, w) {
				t.Errorf("%s: the help lacks %q:\n%s", what, w, help)
			}
		}
		for _, n := range not {
			if strings.Contains(help, n) {
				t.Errorf("%s: the help has %q:\n%s", what, n, help)
			}
		}
	}
	o := testOptions(e, &memClipboard{})
	o.Profiles = func() ([]string, error) { return []string{"default"}, nil }
	o.SwitchProfile = func(context.Context, string) (IAM, model.Identity, error) {
		return nil, model.Identity{}, errors.New("no")
	}
	d := newDriver(t, New(o), 120, 36)
	d.settle()
	d.keys("?") // on the users table: no credential highlighted, its keys listed all the same
	check("main", help(d.m),
		[]string{"Navigation", "Users", "Credential", "Global", "n new", "t toggle", "R rotate",
			"P      profiles", "/   filter: user, id, login", "ctrl+c quit anywhere"}, nil)
	d.keys("?", "a", "?")
	check("fleet", help(d.m),
		[]string{"Sort and filter", "Selection", "space  select, move down", "x      export", "a      users view",
			"stale       Active and older than 90 days"}, nil)

	o.Demo = true
	dd := newDriver(t, New(o), 120, 36)
	dd.settle()
	dd.keys("?")
	check("demo", help(dd.m), []string{"Global", "ctrl+r refresh"}, []string{"profiles"})
}

// A single write and a bulk action apply what IAM confirmed by one rule: a
// credential past its date stays Expired whatever status was set.
func TestConfirmedWriteKeepsExpired(t *testing.T) {
	m := New(Options{Now: func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) }})
	past := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	c := model.Credential{UserName: "ana", ID: "ACCAEXP", Service: model.Bedrock, Status: model.Expired, Expires: past}
	m.acct.cache.added("ana", c)
	toggle := c
	toggle.Status = model.Inactive
	m.applyConfirmed(m.acct, confirmed{kind: opToggle, cred: toggle})
	b := &bulkRun{action: bulkActivate}
	m.applyConfirmed(m.acct, b.confirmed(c))
	got, _ := m.acct.cache.get("ana")
	if len(got) != 1 || got[0].Status != model.Expired {
		t.Fatalf("after a toggle and a bulk activate: %+v, want Expired", got)
	}
	m.applyConfirmed(m.acct, (&bulkRun{action: bulkDelete}).confirmed(c))
	if got, _ := m.acct.cache.get("ana"); len(got) != 0 {
		t.Fatalf("after a bulk delete: %+v", got)
	}
}
