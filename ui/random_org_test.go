package ui

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	"go.uber.org/goleak"

	"iamcreds/awsclient"
	"iamcreds/awsclient/localiam"
	"iamcreds/model"
)

// The randomized run on the organization view (iamcreds --org) of local
// IAM's demo organization: sort, reverse, the account, status, service and
// flagged filters, the text filter, cursor moves, t, r, d, R, bulk I/A/X,
// enter into an account (a toggle there) and O back, ctrl+r, resizes. Every
// write goes through the client of the row's account, which meets that
// account's own faults; a colleague signs with each account's own key.
// The invariants are random_test.go's and proof_test.go's, in every account
// read, and one more: the cursor stays on the row the person put it on
// (account, credential ID) through a sort, a filter, a write, a refresh, a
// resize and a colleague's change, while that row is shown.
//
// go test ./ui -run RandomizedOrgRun -seed S -ops N replays a run.

// orgRandomFaults are each account's faults: the management account has the
// main run's; the others, each its own mix.
var orgRandomFaults = map[string]localiam.Faults{
	orgMgmt:       randomFaults,
	orgProduction: {ThrottleRate: 0.25, FailRate: 0.04, DropRate: 0.05, Jitter: 300 * time.Microsecond},
	orgStaging:    {ThrottleRate: 0.10, FailRate: 0.10, DropRate: 0.02, Jitter: 300 * time.Microsecond},
	orgData:       {ThrottleRate: 0.30, FailRate: 0.03, DropRate: 0.06, Jitter: 300 * time.Microsecond},
}

// orgProof is what the organization run adds to randomRun.
type orgProof struct {
	checkers map[string]*awsclient.Client // each account read with its own key, faults paused
	faults   map[string]localiam.Faults
	want     credRef // the row the person put the cursor on (user left empty); zero before any move
}

func TestRandomizedOrgRun(t *testing.T) {
	ops, seed := randomSettings(t)
	t.Logf("seed %d, %d operations (replay: go test ./ui -run RandomizedOrgRun -seed %d -ops %d)", seed, ops, seed, ops)
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())

	r := newRandomRun(t, seed)
	r.log = newReqLog("AKIDTEST")
	srv, err := localiam.New(localiam.Config{Seed: "org:demo", Now: clock, Faults: randomFaults, FaultSeed: seed,
		SecretIssued: r.issuedHook, Requests: r.log.add})
	if err != nil {
		t.Fatal(err)
	}
	srv.SetAccountFaults(orgRandomFaults)
	r.srv, r.home = srv, orgMgmt
	hs := httptest.NewServer(secretless(srv, seed, "AKIDTEST", &r.secretless))
	defer hs.Close()
	keys := map[string]string{}
	r.org = &orgProof{checkers: map[string]*awsclient.Client{}, faults: orgRandomFaults}
	for _, a := range srv.Accounts() {
		keys[a.ID] = a.AccessKeyID
		if a.Status == "ACTIVE" {
			r.org.checkers[a.ID] = randomClient(t, hs.URL, a.AccessKeyID)
		}
	}
	r.mate = newColleague(hs.URL, func(acct string) string { return keys[acct] }, r.log)
	defer r.mate.close()

	client := randomClient(t, hs.URL, "AKIDTEST")
	o := testOptions(&endpoint{client: client}, &memClipboard{})
	o.Client, o.Demo = nil, true
	o.Accounts = orgAccounts{org: client.Org(awsclient.OrgOptions{SessionName: "iamcreds-test"})}
	m := New(o)
	m.spin = spinner.New(spinner.WithSpinner(spinner.Spinner{Frames: []string{"·"}, FPS: time.Millisecond}))
	r.d = newDriver(t, m, 120, 36)
	r.d.Observe = r.observe
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("panic at operation %d (%s), seed %d: %v", r.op, r.what, seed, p)
		}
		if t.Failed() {
			t.Logf("FAILED with seed %d: replay with go test ./ui -run RandomizedOrgRun -seed %d -ops %d", seed, seed, ops)
		}
	}()
	r.settle()
	if m.active != screenOrg || len(m.org.accounts) == 0 {
		t.Fatalf("not on the organization view:\n%s", screenText(m))
	}

	// Now and then the first keys sort before any move, then toggle the row
	// the cursor rests on, twice (issue 18: s s t t).
	if r.rng.IntN(2) == 0 {
		r.what = "sort, then t t"
		for range 1 + r.rng.IntN(3) {
			r.keys("s")
			r.checkCursor("s")
		}
		for range 2 {
			if ref, row, ok := r.orgRow(); ok {
				r.allow.update[statusChange{ref, string(toggledTo(row.Credential))}] = true
				r.keys("t")
				r.settle()
				r.checkCursor("t on " + ref.String())
			}
		}
		r.checkWrites()
		r.verify()
	}
	r.loop(ops, []runKind{
		{"move", 16, r.orgMove}, {"sort", 6, r.orgKey("s")}, {"reverse", 2, r.orgKey("S")},
		{"account filter", 5, r.orgKey("c")}, {"status filter", 4, r.orgKey("v")}, {"service filter", 3, r.orgKey("o")},
		{"flagged", 2, r.orgKey("f")}, {"text filter", 4, r.orgTextFilter}, {"clear filters", 4, r.orgKey("esc")},
		{"toggle", 14, r.orgToggle}, {"reset", 8, r.orgReset}, {"delete", 8, r.orgDelete}, {"bulk", 8, r.orgBulk},
		{"rotate", 14, r.orgRotate}, {"enter and O", 5, r.orgEnter}, {"refresh", 5, r.orgRefresh},
		{"resize", 6, r.orgResize}, {"colleague", 8, r.orgMate},
	}, func() { r.toOrg(); r.checkCursor("the last operation") })
	r.report(srv)
}

// world is what the organization view lists, with each row's account.
func (o *orgProof) world(m *Model) (creds []heldCred, users [][2]string) {
	for _, a := range m.org.accounts {
		if !a.read() {
			continue
		}
		for _, u := range a.users {
			users = append(users, [2]string{a.info.ID, u.Name})
		}
		for _, c := range a.cache.all() {
			creds = append(creds, heldCred{a.info.ID, c})
		}
	}
	return creds, users
}

// refresh reads every account again (ctrl+r on the organization view).
func (o *orgProof) refresh(r *randomRun) {
	r.toOrg()
	r.keys("ctrl+r")
	r.settle()
	r.checkCursor("ctrl+r")
}

// toOrg goes back to the organization view from an opened account.
func (r *randomRun) toOrg() {
	if r.d.m.active != screenOrg {
		r.keys("O")
		r.settle()
	}
	if r.d.m.orgView.text.typing {
		r.keys("enter")
	}
}

// orgRow is the row under the cursor.
func (r *randomRun) orgRow() (credRef, model.AuditRow, bool) {
	row, ok := r.d.m.orgView.row()
	if !ok {
		return credRef{}, row, false
	}
	return credRef{row.AccountID(), row.UserName, row.ID}, row, true
}

// checkCursor: after a key that moves nothing, the cursor is on the row the
// person put it on, if a row still shows it; then that row is the person's.
func (r *randomRun) checkCursor(after string, or ...credRef) {
	if r.d.m.active != screenOrg {
		return
	}
	want := r.org.want
	got, _, ok := r.orgRow()
	for _, o := range or {
		if ok && got.acct == o.acct && got.id == o.id {
			r.org.want = got
			return
		}
	}
	if want.id != "" && (!ok || got.acct != want.acct || got.id != want.id) {
		for _, v := range r.d.m.orgView.visible {
			if v.ID == want.id && v.AccountID() == want.acct {
				r.fail("after %s the cursor is on %s, not on %s, whose row is still shown; the endpoint saw of %s:\n%s",
					after, got, want, got.id, r.trail(got.user, got.id))
				break
			}
		}
	}
	r.org.want = got
}

// orgKey is an operation of one key that moves no cursor: sort, filters.
func (r *randomRun) orgKey(k string) func() {
	return func() {
		r.keys(k)
		r.checkCursor(k)
	}
}

func (r *randomRun) orgMove() {
	moves := []string{"j", "j", "j", "k", "down", "up", "g", "G", "pgdown", "pgup"}
	for range 1 + r.rng.IntN(6) {
		r.keys(moves[r.rng.IntN(len(moves))])
	}
	r.org.want, _, _ = r.orgRow()
}

// orgTextFilter types part of a shown row's user (or an account's name) into /.
func (r *randomRun) orgTextFilter() {
	v := r.d.m.orgView.visible
	if len(v) == 0 {
		return
	}
	row := v[r.rng.IntN(len(v))]
	q := row.UserName
	if r.rng.IntN(3) == 0 && row.Account != nil {
		q = strings.ToLower(row.Account.DisplayName())
	}
	q = q[:1+r.rng.IntN(len(q))]
	r.keys("/")
	for _, ch := range q {
		r.keys(string(ch))
	}
	r.keys("enter")
	r.checkCursor("/" + q)
}

// onRandomRow moves the cursor to a random shown row, as the person would,
// or now and then stays on the row under it.
func (r *randomRun) onRandomRow() (credRef, model.AuditRow, bool) {
	n := len(r.d.m.orgView.visible)
	if n == 0 {
		return credRef{}, model.AuditRow{}, false
	}
	if ref, row, ok := r.orgRow(); ok && r.rng.IntN(4) == 0 {
		r.org.want = ref
		return ref, row, ok
	}
	// From the nearer end: G and k, or g and j.
	if i := r.rng.IntN(n); i > n/2 {
		r.keys("G")
		for range n - 1 - i {
			r.keys("k")
		}
	} else {
		r.keys("g")
		for range i {
			r.keys("j")
		}
	}
	ref, row, ok := r.orgRow()
	r.org.want = ref
	return ref, row, ok
}

func (r *randomRun) orgToggle() {
	ref, row, ok := r.onRandomRow()
	if !ok {
		return
	}
	r.allow.update[statusChange{ref, string(toggledTo(row.Credential))}] = true
	r.keys("t")
	if _, open := unwrapDialog(r.d.m.dialogs.top()).(*activateConfirm); open && r.rng.IntN(2) == 0 {
		r.keys("tab", "enter")
	}
	r.settle()
	r.checkCursor("t on " + ref.String())
	if r.rng.IntN(3) == 0 { // again: "t switches it back", on the same credential
		if cur, _, ok := r.orgRow(); ok && cur == ref {
			row, _ := r.d.m.orgView.row()
			r.allow.update[statusChange{ref, string(toggledTo(row.Credential))}] = true
			r.keys("t")
			r.settle()
			r.checkCursor("t again on " + ref.String())
		}
	}
}

func (r *randomRun) orgReset() {
	ref, _, ok := r.onRandomRow()
	if !ok {
		return
	}
	r.allow.reset[ref] = true
	r.keys("r", "tab", "enter")
	r.settle()
	r.checkCursor("r on " + ref.String())
}

func (r *randomRun) orgDelete() {
	ref, _, ok := r.onRandomRow()
	if !ok {
		return
	}
	r.allow.del[ref] = "d"
	r.keys("d")
	r.d.typeProof(ref.id)
	r.keys("enter")
	r.settle()
	r.checkCursor("d on " + ref.String())
}

func (r *randomRun) orgRotate() {
	ref, row, ok := r.onRandomRow()
	if !ok {
		return
	}
	r.rotateSelected(ref.acct, row.Credential)
	r.settle()
	// The cursor may follow the new credential, as after a create: the one
	// the dialog names, or the one its create made after it was left.
	made := []credRef{{ref.acct, ref.user, r.rotNew}}
	for _, q := range r.log.since(r.opStart) {
		if r.log.fromUI(q) && q.Created != "" {
			made = append(made, credRef{q.AccountID, q.UserName, q.Created})
		}
	}
	r.checkCursor("R on "+ref.String(), made...)
}

// orgBulk selects a few rows (of any accounts) and deactivates, activates or
// deletes them.
func (r *randomRun) orgBulk() {
	r.keys("g")
	for range 1 + r.rng.IntN(4) {
		for range r.rng.IntN(4) {
			r.keys("j")
		}
		r.keys("space")
	}
	r.bulkWhat = r.bulkWhat[:0]
	ov := r.d.m.orgView
	for _, c := range ov.bulkTargets() {
		acct := ""
		for _, v := range ov.visible {
			if v.ID == c.ID {
				acct = v.AccountID()
			}
		}
		r.bulkWhat = append(r.bulkWhat, heldCred{acct, c})
	}
	r.bulkKeys(len(r.bulkWhat))
	r.org.want, _, _ = r.orgRow()
}

// orgEnter opens the row's account, toggles the credential there now and
// then (through the account's client), and goes back with O.
func (r *randomRun) orgEnter() {
	ref, _, ok := r.onRandomRow()
	if !ok {
		return
	}
	r.keys("enter")
	r.settle()
	if r.d.m.active != screenMain {
		return
	}
	if c, ok := selectedCred(r.d.m); ok && r.rng.IntN(2) == 0 {
		if c.ID != ref.id {
			r.fail("enter on %s opened %s's %s", ref, c.UserName, c.ID)
		}
		r.allow.update[statusChange{credRef{ref.acct, c.UserName, c.ID}, string(toggledTo(c))}] = true
		r.keys("t")
		r.settle()
		r.stillOn(c, "t in the account")
	}
	r.keys("O")
	r.settle()
	r.org.want, _, _ = r.orgRow()
}

func (r *randomRun) orgRefresh() { r.org.refresh(r) }

func (r *randomRun) orgResize() {
	r.resize()
	r.d.settle()
	r.checkCursor("a resize")
}

// orgMate: the colleague acts; the UI lists again, and the cursor stays.
func (r *randomRun) orgMate() {
	r.mateNow()
	r.org.refresh(r)
}
