package ui

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"iamcreds/awsclient/localiam"
	"iamcreds/model"
)

func visibleIDs(m *Model) []string {
	var ids []string
	for _, r := range m.fleet.visible {
		ids = append(ids, r.ID)
	}
	return ids
}

func TestGoldenFleetSorted(t *testing.T) {
	t.Parallel()
	g := newGoldenRun(t, goldenSetup{w: 120, h: 36})
	g.keys("a", "s", "S") // by user, reversed
	g.golden(g.final())
}

func TestGoldenFleetFiltered(t *testing.T) {
	t.Parallel()
	g := newGoldenRun(t, goldenSetup{w: 120, h: 36})
	g.keys("a", "/", "g", "i", "t", "enter", "v") // "git", Active only
	g.golden(g.final())
}

func TestGoldenFleetFlaggedSelection(t *testing.T) {
	t.Parallel()
	g := newGoldenRun(t, goldenSetup{w: 120, h: 36})
	g.keys("a", "f", "space", "j", "space")
	g.golden(g.final())
}

func TestGoldenFleetBulkConfirm(t *testing.T) {
	t.Parallel()
	g := newGoldenRun(t, goldenSetup{w: 120, h: 36})
	g.keys("a", "f", "ctrl+a", "X")
	g.golden(g.final())
}

// One target deleted elsewhere before the bulk runs: it fails with IAM's
// reason, the rest succeed, and the summary says which is which.
func TestGoldenFleetPartialFailure(t *testing.T) {
	t.Parallel()
	g := newGoldenRun(t, goldenSetup{w: 120, h: 36})
	g.keys("a", "v", "f", "space", "space", "space") // three Active flagged
	if err := g.e.client.Delete(context.Background(), "chen.wei", "ACCAF7HVH5C3E5DB27E5X"); err != nil {
		t.Fatal(err)
	}
	g.keys("I", "tab", "enter")
	g.golden(g.final())
}

func TestFleetSwitchesAndSaysSo(t *testing.T) {
	t.Parallel()
	d, _, _ := start(t, localiam.Faults{}, false)
	mustContain(t, d.m, "a fleet")
	d.keys("a")
	mustContain(t, d.m, "Fleet", "22 of 22 credentials", "a users view", "? explains them")
	d.keys("?") // the legend in full
	mustContain(t, d.m, "stale       Active and older than 90 days", "IAM records no last-used date")
	d.keys("?", "a")
	mustNotContain(t, d.m, "22 of 22 credentials")
	mustContain(t, d.m, "Users 20")
}

// Deactivate denied for every call: every target fails with the reason, none
// is changed, and the batch still runs to the end.
func TestFleetBulkDeniedAllFail(t *testing.T) {
	t.Parallel()
	d, e, _ := start(t, localiam.Faults{Deny: []string{"UpdateServiceSpecificCredential"}}, false)
	d.keys("a", "v", "ctrl+a")
	n := len(d.m.fleet.sel)
	if n < 5 {
		t.Fatalf("only %d Active selected", n)
	}
	d.keys("I", "tab", "enter")
	s, ok := d.m.dialogs.top().(*bulkSummary)
	if !ok {
		t.Fatalf("no summary:\n%s", screenText(d.m))
	}
	if len(s.ok) != 0 || len(s.failed) != n {
		t.Fatalf("ok %d failed %d of %d", len(s.ok), len(s.failed), n)
	}
	for _, f := range s.failed {
		if !strings.Contains(strings.ToLower(f), "denied") && !strings.Contains(strings.ToLower(f), "not authorized") {
			t.Fatalf("no reason in %q", f)
		}
	}
	inv, err := e.client.Inventory(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	active := 0
	for _, c := range inv.Credentials {
		if c.Status == model.Active {
			active++
		}
	}
	if active != n {
		t.Fatalf("%d Active on the endpoint, want %d unchanged", active, n)
	}
	mustContain(t, d.m, "0 succeeded, "+itoa(n)+" failed")
}

// A target deleted elsewhere fails with NoSuchEntity; the others are applied,
// as the endpoint confirms.
func TestFleetBulkDeactivateOneGone(t *testing.T) {
	t.Parallel()
	d, e, _ := start(t, localiam.Faults{}, false)
	d.keys("a", "v", "ctrl+a")
	targets := d.m.fleet.bulkTargets()
	gone := targets[1]
	if err := e.client.Delete(context.Background(), gone.UserName, gone.ID); err != nil {
		t.Fatal(err)
	}
	d.keys("I", "tab", "enter")
	s, ok := d.m.dialogs.top().(*bulkSummary)
	if !ok {
		t.Fatalf("no summary:\n%s", screenText(d.m))
	}
	if len(s.failed) != 1 || !strings.Contains(s.failed[0], shortID(gone.ID)) || !strings.Contains(s.failed[0], "not found") {
		t.Fatalf("failed: %q", s.failed)
	}
	if len(s.ok) != len(targets)-1 {
		t.Fatalf("%d succeeded of %d", len(s.ok), len(targets)-1)
	}
	inv, err := e.client.Inventory(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]model.Status{}
	for _, c := range inv.Credentials {
		status[c.ID] = c.Status
	}
	for _, c := range targets {
		if c.ID == gone.ID {
			if _, still := status[c.ID]; still {
				t.Fatalf("%s should be gone", c.ID)
			}
			continue
		}
		if status[c.ID] != model.Inactive {
			t.Fatalf("%s is %s on the endpoint", c.ID, status[c.ID])
		}
	}
	d.keys("enter")
	// The changed rows stay in view, Inactive and marked; no Active row is left.
	if !d.m.dialogs.empty() || len(d.m.fleet.visible) != len(targets)-1 {
		t.Fatalf("after closing, %d rows in view, want the %d changed:\n%s", len(d.m.fleet.visible), len(targets)-1, screenText(d.m))
	}
	for _, r := range d.m.fleet.visible {
		if r.Status != model.Inactive || !d.m.fleet.changed.has(rowKey{id: r.ID}) {
			t.Fatalf("%s is %s, changed %v", r.ID, r.Status, d.m.fleet.changed.has(rowKey{id: r.ID}))
		}
	}
}

// Delete asks to type the count; Cancel is the default of the others.
func TestFleetBulkDeleteNeedsCount(t *testing.T) {
	t.Parallel()
	d, e, _ := start(t, localiam.Faults{}, false)
	d.keys("a", "space", "space", "X", "enter")
	if _, ok := d.m.dialogs.top().(*bulkConfirm); !ok {
		t.Fatal("enter without the count closed the confirmation")
	}
	mustContain(t, d.m, "Type 2 to delete")
	d.keys("esc", "I", "enter")
	if !d.m.dialogs.empty() || d.m.bulk != nil {
		t.Fatal("enter on the default button did not cancel")
	}
	before := len(d.m.fleet.all)
	d.keys("X", "2", "enter", "enter")
	inv, _ := e.client.Inventory(context.Background(), nil)
	if len(inv.Credentials) != before-2 || len(d.m.fleet.all) != before-2 {
		t.Fatalf("endpoint %d, view %d, want %d", len(inv.Credentials), len(d.m.fleet.all), before-2)
	}
}

// With AllUsers refused, the per-user fallback shows the same rows.
func TestFleetFallbackSameRows(t *testing.T) {
	t.Parallel()
	a, _, _ := start(t, localiam.Faults{}, false)
	b, _, _ := start(t, localiam.Faults{Deny: []string{"ListServiceSpecificCredentials:AllUsers"}}, false)
	a.keys("a")
	b.keys("a")
	ia, ib := visibleIDs(a.m), visibleIDs(b.m)
	sort.Strings(ia)
	sort.Strings(ib)
	if len(ia) == 0 || strings.Join(ia, ",") != strings.Join(ib, ",") {
		t.Fatalf("rows differ:\n%v\n%v", ia, ib)
	}
	mustContain(t, b.m, "user by user")
}

// x proposes a file named after the account and the day in the working
// directory, shows the full path before writing, writes the visible rows headed
// by the report's metadata to a 0600 file, never a secret, and asks before
// overwriting.
func TestFleetExport(t *testing.T) {
	t.Parallel()
	e := newEndpoint(t, "demo", localiam.Faults{}, false)
	o := testOptions(e, &memClipboard{})
	o.WorkDir = t.TempDir()
	d := newDriver(t, New(o), 120, 36)
	d.settle()
	d.keys("a", "f", "x")
	p, ok := d.m.dialogs.top().(*exportPrompt)
	proposed := filepath.Join(o.WorkDir, "iamcreds-audit-123456789012-20260314.csv")
	if !ok || p.input.Value() != proposed {
		t.Fatalf("no prompt with the default name %s:\n%s", proposed, screenText(d.m))
	}
	// A relative name goes in the working directory, and the prompt says so.
	p.input.SetValue("")
	for _, r := range "flagged.csv" {
		d.keys(string(r))
	}
	path := filepath.Join(o.WorkDir, "flagged.csv")
	mustContain(t, d.m, "Writes CSV to "+path)
	d.keys("enter")
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", st.Mode().Perm())
	}
	b, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != len(d.m.fleet.visible)+2 { // the metadata comment, the header, the rows
		t.Fatalf("%d lines for %d rows:\n%s", len(lines), len(d.m.fleet.visible), b)
	}
	if want := "# iamcreds audit; account 123456789012; generated 2026-03-14T12:00:00Z; max age 90d; filter flagged"; lines[0] != want {
		t.Fatalf("the file begins %q, want %q", lines[0], want)
	}
	for _, r := range d.m.fleet.visible {
		if !strings.Contains(string(b), r.ID) {
			t.Fatalf("%s missing", r.ID)
		}
	}
	if strings.Contains(strings.ToLower(lines[1]), "secret") || strings.Contains(strings.ToLower(lines[1]), "password") {
		t.Fatalf("header names a secret: %s", lines[1])
	}
	mustContain(t, d.m, "Exported "+itoa(len(d.m.fleet.visible))+" rows to "+path)
	// Again: it asks; n keeps the file, y overwrites with the whole fleet.
	d.keys("f", "x")
	d.m.dialogs.top().(*exportPrompt).input.SetValue(path)
	d.keys("enter")
	mustContain(t, d.m, path+" exists. Overwrite? y/N")
	d.keys("n")
	if b2, _ := os.ReadFile(path); string(b2) != string(b) {
		t.Fatal("n overwrote the file")
	}
	d.keys("enter")
	mustContain(t, d.m, "Overwrite? y/N")
	d.keys("y")
	b2, _ := os.ReadFile(path)
	if n := strings.Count(strings.TrimSpace(string(b2)), "\n"); n != len(d.m.fleet.all)+1 {
		t.Fatalf("overwritten with %d lines, want %d rows and the header", n, len(d.m.fleet.all))
	}
}

// Single-row t acts on the fleet's row, as in the users view.
func TestFleetToggleRow(t *testing.T) {
	t.Parallel()
	d, e, _ := start(t, localiam.Faults{}, false)
	d.keys("a", "v") // Active only: the first row is Active
	r, _ := d.m.fleet.row()
	d.keys("t")
	for _, c := range e.creds(t, r.UserName) {
		if c.ID == r.ID && c.Status != model.Inactive {
			t.Fatalf("%s is %s", c.ID, c.Status)
		}
	}
	mustContain(t, d.m, "is now Inactive")
}

func itoa(n int) string { return strconv.Itoa(n) }

// While the per-user fallback runs, the fleet shows the scan's progress.
func TestFleetShowsScanProgress(t *testing.T) {
	t.Parallel()
	e := newEndpoint(t, "demo", localiam.Faults{Deny: []string{"ListServiceSpecificCredentials:AllUsers"}}, false)
	d := newDriver(t, New(testOptions(e, &memClipboard{})), 120, 36)
	holdMsgs[inventoryMsg](d)
	d.settle()
	d.keys("a")
	mustContain(t, d.m, "scanning users", "20 of 20")
	d.Release()
	d.settle()
	mustNotContain(t, d.m, "scanning users")
	mustContain(t, d.m, "22 of 22 credentials")
}

// After a bulk deactivate under "flagged only", the rows it changed stay in
// view, marked, though Inactive rows are flagged no more; changing the filter
// or the sort lets them go. An export still writes only the filter's rows.
func TestFleetBulkChangedRowsStayInView(t *testing.T) {
	t.Parallel()
	d, _, _ := start(t, localiam.Faults{}, false)
	d.keys("a", "f", "v") // flagged only, Active only
	before := visibleIDs(d.m)
	d.keys("space", "space")
	targets := d.m.fleet.bulkTargets()
	if len(targets) != 2 {
		t.Fatalf("%d targets", len(targets))
	}
	d.keys("I", "tab", "enter")
	if _, ok := d.m.dialogs.top().(*bulkSummary); !ok {
		t.Fatalf("no summary:\n%s", screenText(d.m))
	}
	d.keys("enter")
	if got := visibleIDs(d.m); strings.Join(got, ",") != strings.Join(before, ",") {
		t.Fatalf("the rows in view changed:\n%v\nwant\n%v", got, before)
	}
	for _, c := range targets {
		i := slices.Index(visibleIDs(d.m), c.ID)
		if row := d.m.fleet.table.Row(i); row[fcSel] != "✓" || row[fcStatus] != string(model.Inactive) {
			t.Fatalf("%s is shown as %q", c.ID, row)
		}
	}
	mustContain(t, d.m, "✓ 2 changed")
	d.keys("x")
	if p := d.m.dialogs.top().(*exportPrompt); len(p.rows) != len(before)-2 {
		t.Fatalf("the export has %d rows, want the %d the filter selects", len(p.rows), len(before)-2)
	}
	d.keys("esc", "s") // another sort: the changed rows go
	if got := visibleIDs(d.m); len(got) != len(before)-2 {
		t.Fatalf("%d rows after the sort changed, want %d", len(got), len(before)-2)
	}
	mustNotContain(t, d.m, "changed")
}

// The fleet's / matches every column: the status and the flags too.
func TestFleetFilterMatchesStatusAndFlags(t *testing.T) {
	t.Parallel()
	d, _, _ := start(t, localiam.Faults{}, false)
	d.keys("a")
	for _, text := range []string{"stale", "Inactive", "never", "expiring"} {
		d.typeText(text)
		if len(d.m.fleet.visible) == 0 {
			t.Fatalf("/%s: no rows:\n%s", text, screenText(d.m))
		}
		for _, r := range d.m.fleet.visible {
			if !strings.Contains(strings.ToLower(strings.Join(d.m.fleet.rowCells(r), " ")), strings.ToLower(text)) {
				t.Fatalf("/%s shows %+v", text, d.m.fleet.rowCells(r))
			}
		}
		d.keys("esc")
	}
}
