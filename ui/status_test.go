package ui

import (
	"testing"
	"time"

	"iamcreds/awsclient/localiam"
)

func TestStatusBoardHandsDownTheNewerLine(t *testing.T) {
	var b statusBoard
	d1, d2 := &quitQuestion{}, &quitQuestion{}
	b.set(screenMain, statusLine{text: "screen's"})
	b.set(d1, statusLine{text: "first dialog's"})
	b.set(d2, statusLine{text: "second dialog's"})
	gone := func(o any) bool { return o == d1 || o == d2 }
	b.handDown(gone, screenMain)
	if got := b.get(screenMain).text; got != "second dialog's" {
		t.Fatalf("the screen shows %q, want the newest line of the dialogs that closed", got)
	}
	if _, ok := b.lines[d1]; ok {
		t.Fatal("a closed dialog's line is kept")
	}
	// A line written on the screen after the dialog's is not replaced.
	d3 := &quitQuestion{}
	b.set(d3, statusLine{text: "older"})
	b.set(screenMain, statusLine{text: "newer"})
	b.handDown(func(o any) bool { return o == d3 }, screenMain)
	if got := b.get(screenMain).text; got != "newer" {
		t.Fatalf("the screen shows %q, want its newer line", got)
	}
	// An empty line (a dialog that said nothing) hands nothing down.
	d4 := &quitQuestion{}
	b.set(d4, statusLine{})
	b.handDown(func(o any) bool { return o == d4 }, screenMain)
	if got := b.get(screenMain).text; got != "newer" {
		t.Fatalf("the screen shows %q after a silent dialog", got)
	}
}

// A stale hint of the screen is not shown over a dialog, which has its own
// line; what the dialog says last outlives it.
func TestDialogHasItsOwnStatusLine(t *testing.T) {
	t.Parallel()
	d, _, _ := start(t, localiam.Faults{}, false)
	d.keys("/", "z", "z", "z", "enter", "n")
	mustContain(t, d.m, "Select a user first")
	d.keys("esc") // the filter goes, a user is highlighted
	d.keys("n")
	if _, ok := d.m.dialogs.top().(*createForm); !ok {
		t.Fatalf("n opened no create form:\n%s", screenText(d.m))
	}
	mustNotContain(t, d.m, "Select a user first")
	d.keys("esc")
	if !d.m.dialogs.empty() {
		t.Fatal("esc left the form open")
	}
	// The export prompt's own message ("Export cancelled") outlives it on the fleet.
	d.keys("a", "x", "esc")
	mustContain(t, d.m, "Export cancelled")
}

// Each screen keeps its own line: switching shows that screen's last message;
// what concerns the account (a load) shows on every screen.
func TestStatusBelongsToItsScreen(t *testing.T) {
	t.Parallel()
	d, _, _ := start(t, localiam.Faults{}, false)
	d.keys("t") // on the users table: no credential selected
	mustContain(t, d.m, "Select a credential first")
	d.keys("a")
	mustNotContain(t, d.m, "Select a credential first")
	mustContain(t, d.m, "20 users, 22 credentials, read 12:00:00")
	d.keys("x", "esc")
	mustContain(t, d.m, "Export cancelled")
	d.keys("a")
	mustContain(t, d.m, "Select a credential first")
	mustNotContain(t, d.m, "Export cancelled")
	d.keys("ctrl+r") // a reload speaks to every screen
	mustContain(t, d.m, "20 users, 22 credentials, read 12:00:00")
	d.keys("a")
	mustContain(t, d.m, "20 users, 22 credentials, read 12:00:00")
}

// The fleet's line, written by the load, counts what its title counts: a
// create on the main screen changes both (it said "17 credentials" under a
// title saying 18).
func TestLoadSummaryCountsWhatTheTitlesCount(t *testing.T) {
	t.Parallel()
	d, _, _ := start(t, localiam.Faults{}, false)
	d.createFor("ana", 0)
	d.keys("s", "esc", "y")
	d.keys("a")
	mustContain(t, d.m, "23 of 23 credentials", "20 users, 23 credentials, read 12:00:00")
	mustNotContain(t, d.m, "22 credentials")
}

// ctrl+r says when it read: the summary names the time of the last read.
func TestRefreshSaysWhenItRead(t *testing.T) {
	t.Parallel()
	e := newEndpoint(t, "demo", localiam.Faults{}, false)
	now := fixedNow
	o := testOptions(e, &memClipboard{})
	o.Now = func() time.Time { return now }
	d := newDriver(t, New(o), 120, 36)
	d.settle()
	mustContain(t, d.m, "20 users, 22 credentials, read 12:00:00")
	now = now.Add(2*time.Minute + 7*time.Second)
	d.keys("a") // the time stays that of the read, not the clock's
	mustContain(t, d.m, "read 12:00:00")
	d.keys("ctrl+r")
	mustContain(t, d.m, "20 users, 22 credentials, read 12:02:07")
}
