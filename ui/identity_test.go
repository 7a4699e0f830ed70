package ui

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/awsclient/localiam"
	"iamcreds/model"
)

// Rows are held by identity: the cursor stays on the credential it was on
// through a sort, a filter, a write and a refresh, in every view; a credential
// gone behind the UI's back moves it to the neighbour, and the status says so.

// typeText types a filter: /, the text, enter.
func (d *driver) typeText(text string) {
	d.t.Helper()
	d.keys("/")
	d.keys(strings.Split(text, "")...)
	d.keys("enter")
}

// orgAt is the organization view's row under the cursor, as (account, id).
func orgAt(t *testing.T, r *orgRun) string {
	t.Helper()
	row, ok := r.m.orgView.row()
	if !ok {
		t.Fatalf("no row under the cursor:\n%s", screenText(r.m))
	}
	return row.AccountID() + "/" + row.ID
}

// The bug of the issue: at 80x24, s s (by user; the cursor follows dana), t —
// the cursor jumped to row 1 (amara, Management), and the t that "switches it
// back" deactivated amara's key. Now both t's touch dana's key only, through
// Data platform's role, and the cursor stays on it through c, / and ctrl+r.
func TestOrgCursorHoldsTheWrittenCredential(t *testing.T) {
	t.Parallel()
	r := startOrg(t, orgSetup{w: 80, h: 24})
	before := map[string][]model.Credential{}
	for _, id := range []string{orgMgmt, orgProduction, orgStaging, orgData} {
		inv, err := r.as(id).Inventory(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		before[id] = inv.Credentials
	}
	dana := orgAt(t, r)
	if !strings.HasPrefix(dana, orgData+"/") {
		t.Fatalf("the first row is %s, want Data platform's dana", dana)
	}
	r.keys_("s", "s")
	if r.m.orgView.sortKey != model.SortUser || orgAt(t, r) != dana {
		t.Fatalf("sort %v, cursor on %s, want %s", r.m.orgView.sortKey, orgAt(t, r), dana)
	}
	r.keys_("t")
	if got := orgAt(t, r); got != dana {
		t.Fatalf("after t the cursor is on %s, want %s:\n%s", got, dana, screenText(r.m))
	}
	mustContain(t, r.m, "t switches it back")
	r.keys_("t")
	if got := orgAt(t, r); got != dana {
		t.Fatalf("after the second t the cursor is on %s, want %s", got, dana)
	}
	r.keys_("c") // Data platform only
	if got := orgAt(t, r); got != dana {
		t.Fatalf("after c the cursor is on %s, want %s", got, dana)
	}
	r.keys_("t")
	if got := orgAt(t, r); got != dana {
		t.Fatalf("after c, t the cursor is on %s, want %s", got, dana)
	}
	r.keys_("t") // back to Active
	r.typeText("bedrock")
	if got := orgAt(t, r); got != dana {
		t.Fatalf("after / the cursor is on %s, want %s", got, dana)
	}
	r.keys_("ctrl+r")
	if got := orgAt(t, r); got != dana {
		t.Fatalf("after ctrl+r the cursor is on %s, want %s", got, dana)
	}
	r.Send(tea.WindowSizeMsg{Width: 120, Height: 36}) // the account column takes the IDs: rows rebuilt
	r.settle()
	if got := orgAt(t, r); got != dana {
		t.Fatalf("after a resize the cursor is on %s, want %s", got, dana)
	}
	// IAM holds what it held: four toggles of dana's key, nothing else.
	for _, id := range []string{orgMgmt, orgProduction, orgStaging, orgData} {
		inv, err := r.as(id).Inventory(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(inv.Credentials) != len(before[id]) {
			t.Fatalf("%s: %d credentials, had %d", id, len(inv.Credentials), len(before[id]))
		}
		for i, c := range inv.Credentials {
			if b := before[id][i]; c.ID != b.ID || c.Status != b.Status {
				t.Fatalf("%s: %s %s is %s, was %s %s", id, c.UserName, c.ID, c.Status, b.ID, b.Status)
			}
		}
	}
}

// "t switches it back" acts on the credential it names, even when the
// cursor is no longer on it: a status filter hides the row once it changed.
func TestOrgUndoActsOnTheNamedCredential(t *testing.T) {
	t.Parallel()
	r := startOrg(t, orgSetup{})
	r.keys_("v") // Active only
	// ci-runner@prod's Active Git password, 12 days old: t asks nothing.
	row := r.toRow(orgProduction, "ci-runner@prod")
	r.keys_("t")
	if c := credByID(r.creds(orgProduction, "ci-runner@prod"), row.ID); c.Status != model.Inactive {
		t.Fatalf("ci-runner@prod: %+v", c)
	}
	mustContain(t, r.m, "t switches it back")
	others := map[string]model.Status{}
	for _, v := range r.m.orgView.all {
		others[v.AccountID()+"/"+v.ID] = v.Status
	}
	r.keys_("t")
	if c := credByID(r.creds(orgProduction, "ci-runner@prod"), row.ID); c.Status != model.Active {
		t.Fatalf("ci-runner@prod after the second t: %+v", c)
	}
	for _, v := range r.m.orgView.all {
		if k := v.AccountID() + "/" + v.ID; v.ID != row.ID && others[k] != v.Status {
			t.Fatalf("%s changed: %s → %s", k, others[k], v.Status)
		}
	}
}

// A credential deleted by someone else: the next listing moves the cursor to
// the row now at its place, and the status says what happened.
func TestOrgCredentialGoneMovesToNeighbour(t *testing.T) {
	t.Parallel()
	r := startOrg(t, orgSetup{})
	row := r.toRow(orgMgmt, "chen.wei")
	r.keys_("j") // chen.wei's second key
	gone, _ := r.m.orgView.row()
	next := r.m.orgView.visible[r.m.table().Cursor()+1]
	if err := r.as(orgMgmt).Delete(context.Background(), gone.UserName, gone.ID); err != nil {
		t.Fatal(err)
	}
	r.keys_("ctrl+r")
	if got := orgAt(t, r); got != next.AccountID()+"/"+next.ID {
		t.Fatalf("cursor on %s, want the neighbour %s/%s (row %s)", got, next.AccountID(), next.ID, row.ID)
	}
	mustSay(t, r.m, shortID(gone.ID)+" in Management (123456789012) is gone (deleted elsewhere); cursor on the next row")
}

// table is the organization view's table (a test's shorthand).
func (m *Model) table() *tableModel { return &m.orgView.table }

func credByID(cs []model.Credential, id string) model.Credential {
	for _, c := range cs {
		if c.ID == id {
			return c
		}
	}
	return model.Credential{}
}

// fleetTo moves the fleet's cursor to credential id.
func (d *driver) fleetTo(id string) model.AuditRow {
	d.t.Helper()
	d.keys("g")
	for range len(d.m.fleet.visible) {
		if row, ok := d.m.fleet.row(); ok && row.ID == id {
			return row
		}
		d.keys("j")
	}
	d.t.Fatalf("no row of %s:\n%s", id, screenText(d.m))
	return model.AuditRow{}
}

func fleetAt(t *testing.T, d *driver) string {
	t.Helper()
	row, ok := d.m.fleet.row()
	if !ok {
		t.Fatalf("no row under the cursor:\n%s", screenText(d.m))
	}
	return row.ID
}

func TestFleetCursorHoldsTheWrittenCredential(t *testing.T) {
	t.Parallel()
	d, e, _ := start(t, localiam.Faults{}, false)
	d.keys("a")
	row := d.fleetTo("ACCA4TUS46NPX2GERMQEH") // sofia's Git password, Active, 35 days: t asks nothing
	for _, step := range [][]string{{"s"}, {"S"}, {"t"}, {"t"}, {"v"}, {"ctrl+r"}, {"s"}, {"t"}, {"t"}} {
		d.keys(step...)
		if got := fleetAt(t, d); got != row.ID {
			t.Fatalf("after %v the cursor is on %s, want %s:\n%s", step, got, row.ID, screenText(d.m))
		}
	}
	d.keys("esc")
	d.typeText(row.UserName)
	if got := fleetAt(t, d); got != row.ID {
		t.Fatalf("after / the cursor is on %s, want %s", got, row.ID)
	}
	for _, c := range e.creds(t, row.UserName) {
		if c.ID == row.ID && c.Status != row.Status {
			t.Fatalf("%s is %s after two toggles, was %s", c.ID, c.Status, row.Status)
		}
	}
}

func TestFleetCredentialGoneMovesToNeighbour(t *testing.T) {
	t.Parallel()
	d, e, _ := start(t, localiam.Faults{}, false)
	d.keys("a", "j", "j")
	gone, _ := d.m.fleet.row()
	next := d.m.fleet.visible[d.m.fleet.table.Cursor()+1]
	if err := e.client.Delete(context.Background(), gone.UserName, gone.ID); err != nil {
		t.Fatal(err)
	}
	d.keys("ctrl+r")
	if got := fleetAt(t, d); got != next.ID {
		t.Fatalf("cursor on %s, want the neighbour %s", got, next.ID)
	}
	mustSay(t, d.m, shortID(gone.ID)+" is gone (deleted elsewhere); cursor on the next row")
}

func TestMainCursorHoldsTheWrittenCredential(t *testing.T) {
	t.Parallel()
	d, e, _ := start(t, localiam.Faults{}, false)
	d.selectUser("sofia")
	d.keys("enter", "j") // sofia's second Git password, Active, 35 days: t asks nothing
	c, _ := selectedCred(d.m)
	if c.ID != "ACCA4TUS46NPX2GERMQEH" {
		t.Fatalf("selected %+v", c)
	}
	for _, step := range [][]string{{"t"}, {"t"}, {"ctrl+r"}} {
		d.keys(step...)
		if got, _ := selectedCred(d.m); got.ID != c.ID {
			t.Fatalf("after %v the cursor is on %s, want %s", step, got.ID, c.ID)
		}
	}
	d.typeText("sofia")
	d.keys("enter")
	if got, _ := selectedCred(d.m); got.ID != c.ID {
		t.Fatalf("after / the cursor is on %s, want %s", got.ID, c.ID)
	}
	for _, x := range e.creds(t, "chen.wei") {
		if x.ID == c.ID && x.Status != c.Status {
			t.Fatalf("%s is %s after two toggles, was %s", x.ID, x.Status, c.Status)
		}
	}
}

func TestMainCredentialGoneMovesToNeighbour(t *testing.T) {
	t.Parallel()
	d, e, _ := start(t, localiam.Faults{}, false)
	d.selectUser("chen.wei")
	d.keys("enter")
	gone, _ := selectedCred(d.m)
	next := d.m.main.creds.creds[1]
	if err := e.client.Delete(context.Background(), gone.UserName, gone.ID); err != nil {
		t.Fatal(err)
	}
	d.keys("ctrl+r")
	if got, _ := selectedCred(d.m); got.ID != next.ID {
		t.Fatalf("cursor on %s, want the neighbour %s", got.ID, next.ID)
	}
	mustSay(t, d.m, shortID(gone.ID)+" is gone (deleted elsewhere); cursor on the next row")
}

// In an account opened from the organization view that is not the caller's,
// a write's status names the account, as on the organization view.
func TestOpenedAccountWritesNameTheAccount(t *testing.T) {
	t.Parallel()
	r := startOrg(t, orgSetup{})
	row := r.toRow(orgProduction, "ci-runner@prod")
	r.keys_("enter", "t")
	mustSay(t, r.m, credLabel(row.UserName, row.Service, row.ID)+" in Production (111122223333) is now Inactive")
	if c := credByID(r.creds(orgProduction, "ci-runner@prod"), row.ID); c.Status != model.Inactive {
		t.Fatalf("ci-runner@prod: %+v", c)
	}
}

// enter on a fleet row opens its user in the main view, with the row's
// credential under the cursor; h and l move between the tables as ← and →.
func TestFleetEnterOpensTheUser(t *testing.T) {
	t.Parallel()
	d, _, _ := start(t, localiam.Faults{}, false)
	d.typeText("zz") // a users filter that hides everyone
	d.keys("a")
	row := d.fleetTo("ACCA4TUS46NPX2GERMQEH")
	d.keys("enter")
	if c, ok := selectedCred(d.m); d.m.active != screenMain || !ok || c.ID != row.ID {
		t.Fatalf("screen %v, selected %+v, want %s:\n%s", d.m.active, c, row.ID, screenText(d.m))
	}
	d.keys("h")
	if d.m.main.focus != focusUsers {
		t.Fatal("h did not go back to the users")
	}
	d.keys("l")
	if d.m.main.focus != focusCreds {
		t.Fatal("l did not go into the credentials")
	}
}

// At 80 columns the header keeps the endpoint — this is not AWS — before the
// region and the principal, cut short rather than dropped.
func TestHeaderKeepsTheEndpointFirst(t *testing.T) {
	t.Parallel()
	e := newEndpoint(t, "demo", localiam.Faults{}, false)
	o := testOptions(e, &memClipboard{})
	o.Region, o.Profile, o.Endpoint = "eu-west-1", "ops", "https://iam.localhost.localstack.cloud:4566"
	d := newDriver(t, New(o), 80, 24)
	d.settle()
	head, _, _ := strings.Cut(screenText(d.m), "\n")
	if !strings.Contains(head, "endpoint https://iam.localhost") || strings.Contains(head, "region") {
		t.Fatalf("header %q", head)
	}
	d.Send(tea.WindowSizeMsg{Width: 200, Height: 24})
	head, _, _ = strings.Cut(screenText(d.m), "\n")
	if !strings.Contains(head, "endpoint https://iam.localhost.localstack.cloud:4566") || !strings.Contains(head, "region eu-west-1") {
		t.Fatalf("header %q", head)
	}
}

// At 40x12 the organization view keeps what tells two rows of one user apart
// — the id's tail and the status — before the account's name; the title drops
// whole parts, never a word's end.
func TestOrgNarrowKeepsIDAndStatus(t *testing.T) {
	t.Parallel()
	r := startOrg(t, orgSetup{w: 40, h: 12})
	r.toRow(orgMgmt, "chen.wei")
	r.keys_("j")
	var lines []string
	for _, l := range strings.Split(screenText(r.m), "\n") {
		if strings.Contains(l, "chen.wei") {
			lines = append(lines, l)
		}
	}
	if len(lines) != 2 || !strings.Contains(lines[0], "…27E5X") || !strings.Contains(lines[0], "Active") ||
		!strings.Contains(lines[1], "…GCGBM") || !strings.Contains(lines[1], "Inactive") {
		t.Fatalf("chen.wei's rows %q:\n%s", lines, screenText(r.m))
	}
	title := strings.Split(screenText(r.m), "\n")[1]
	for _, want := range []string{"Organization · 36/36 · …", "Organization · 36/36 · 4 of 6 accounts read · …"} {
		if title == want {
			return
		}
	}
	t.Fatalf("title %q", title)
}

// A failed account's reason, cut above the table even at 120 columns, can be
// read whole in the full help.
func TestOrgFailedAccountReasonReadable(t *testing.T) {
	t.Parallel()
	r := startOrg(t, orgSetup{})
	const reason = "Sandbox (222233334444): cannot assume arn:aws:iam::222233334444:role/OrganizationAccountAccessRole: access denied"
	mustContain(t, r.m, "? shows why")
	r.keys_("?")
	mustSay(t, r.m, "Accounts not read", "✗ "+reason)
	flat := strings.Join(strings.Fields(screenText(r.m)), " ")
	i := strings.LastIndex(flat, reason)
	rest := flat[i+len(reason):]
	if !strings.HasPrefix(rest, " — the role may not exist in that account, may not trust account 123456789012, or an SCP or your policy may deny sts:AssumeRole") {
		t.Fatalf("the reason is cut: %q", flat[i:])
	}
}

// Another account's rows are not a row gone: opening another account from the
// organization view says nothing of the cursor's row in the last one.
func TestAnotherAccountIsNotARowGone(t *testing.T) {
	t.Parallel()
	r := startOrg(t, orgSetup{})
	r.toRow(orgProduction, "maria")
	r.keys_("enter", "a", "G", "O")
	r.toRow(orgStaging, "ivan")
	r.keys_("enter", "a")
	mustNotContain(t, r.m, "is gone")
	r.keys_("a")
	mustNotContain(t, r.m, "is gone")
}

// A confirmation the fleet or the organization view opens for a write names
// the account it goes to: a one-row X there, a bulk in an opened account.
func TestConfirmationsNameTheAccount(t *testing.T) {
	t.Parallel()
	r := startOrg(t, orgSetup{})
	r.toRow(orgStaging, "ivan")
	r.keys_("X")
	if _, ok := r.m.dialogs.top().(*accountDialog); !ok {
		t.Fatalf("the delete confirmation does not name the account:\n%s", screenText(r.m))
	}
	mustContain(t, r.m, "Account: Staging (444455556666)")
	r.keys_("esc", "enter", "a", "I")
	if _, ok := r.m.dialogs.top().(*accountDialog); !ok {
		t.Fatalf("the bulk confirmation does not name the account:\n%s", screenText(r.m))
	}
	mustContain(t, r.m, "Account: Staging (444455556666)")
}
