package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"iamcreds/awsclient/localiam"
	"iamcreds/model"
)

// The questions issue 11 changed: a reset of an Inactive credential, one
// delete from the fleet, bulk activation; and the day rule on screen.

// priya's Git credential is Inactive: the reset says it stays so, and "Reset
// and activate" resets it, shows the new secret with a note, and activates it.
func TestResetInactiveOffersToActivate(t *testing.T) {
	t.Parallel()
	d, e, _ := start(t, localiam.Faults{}, false)
	d.selectUser("priya")
	d.keys("enter")
	c := d.selectCred(isInactive)
	d.keys("r")
	mustContain(t, d.m, "It stays Inactive: the new password does not work until the credential", "[ Reset and activate ]")
	d.keys("tab", "enter") // Reset only
	sm, ok := d.m.dialogs.top().(*secretModal)
	if !ok || !strings.Contains(sm.credNote, "It stays Inactive") {
		t.Fatalf("the secret modal does not say it stays Inactive:\n%s", screenText(d.m))
	}
	mustContain(t, d.m, "It stays Inactive")
	if got, _ := byID(e.creds(t, "priya"), c.ID); got.Status != model.Inactive {
		t.Fatalf("a plain reset changed the status to %s", got.Status)
	}
	d.keys("c", "enter", "r", "tab", "tab", "enter") // Reset and activate
	sm, ok = d.m.dialogs.top().(*secretModal)
	if !ok || !strings.Contains(sm.credNote, "being activated") {
		t.Fatalf("no note on the activation:\n%s", screenText(d.m))
	}
	if got, _ := byID(e.creds(t, "priya"), c.ID); got.Status != model.Active {
		t.Fatalf("Reset and activate left it %s", got.Status)
	}
}

// X on one row asks for the id's last 4, as d does, and deletes that one.
func TestFleetDeleteOneRowAsksLastFour(t *testing.T) {
	t.Parallel()
	d, e, _ := start(t, localiam.Faults{}, false)
	d.keys("a", "/", "m", "a", "t", "e", "o", "enter", "X")
	dc, ok := d.m.dialogs.top().(*deleteConfirm)
	if !ok {
		t.Fatalf("X on one row did not ask for the last 4:\n%s", screenText(d.m))
	}
	d.keys("1", "enter") // a bulk delete's proof is the count: not this one's
	if len(e.creds(t, "mateo")) != 1 {
		t.Fatal("deleted without the id's last 4")
	}
	d.keys("backspace")
	d.typeProof(dc.cred.ID)
	d.keys("enter")
	if n := len(e.creds(t, "mateo")); n != 0 {
		t.Fatalf("%d left after the delete", n)
	}
	mustContain(t, d.m, "Deleted mateo's Git credential")
}

// Bulk A names each doubtful target and why, in its one confirmation.
func TestBulkActivateNamesWhy(t *testing.T) {
	t.Parallel()
	d, e, _ := start(t, localiam.Faults{}, false)
	d.keys("a", "v", "v", "ctrl+a", "A") // every Inactive one
	b, ok := d.m.dialogs.top().(*bulkConfirm)
	if !ok {
		t.Fatalf("no confirmation:\n%s", screenText(d.m))
	}
	var stale int
	for _, n := range b.notes {
		if strings.Contains(n, "older than the max age") {
			stale++
		}
	}
	if stale == 0 || len(b.notes) > len(b.targets) {
		t.Fatalf("notes %q for %d targets", b.notes, len(b.targets))
	}
	mustContain(t, d.m, "deserve a second thought", "sofia's Git credential")
	d.keys("esc")
	for _, c := range e.creds(t, "sofia") {
		if c.Status == model.Active && c.AgeDays(fixedNow) > 90 {
			t.Fatal("esc activated something")
		}
	}
}

// One rule for days on screen: a key created at 12:00 UTC for 1 day reads by
// the calendar in the clock's zone, the same in the table, the details and
// the fleet, at the edges of the day.
func TestExpiryTextAtDayBoundary(t *testing.T) {
	t.Parallel()
	e := newEndpoint(t, "demo", localiam.Faults{}, false)
	key, _, err := e.client.CreateCredential(context.Background(), "ana", model.Bedrock, 1) // expires 2026-03-15 12:00 UTC
	if err != nil {
		t.Fatal(err)
	}
	auckland := time.FixedZone("NZDT", 13*3600)
	cases := []struct {
		now                 time.Time
		short, long, detail string
	}{
		{time.Date(2026, 3, 14, 23, 59, 0, 0, time.UTC), "in 1d", "in 1 day", "2026-03-15 12:00 UTC · in 1 day"},
		{time.Date(2026, 3, 15, 0, 1, 0, 0, time.UTC), "today", "today", "2026-03-15 12:00 UTC · today"},
		{time.Date(2026, 3, 15, 11, 59, 59, 0, time.UTC), "today", "today", "2026-03-15 12:00 UTC · today"},
		{time.Date(2026, 3, 15, 12, 0, 1, 0, time.UTC), "expired", "expired", "2026-03-15 12:00 UTC · expired today"},
		// 01:00 on the 15th in Auckland; the key expires at 01:00 on the 16th there.
		{fixedNow.In(auckland), "in 1d", "in 1 day", "2026-03-16 01:00 NZDT · in 1 day"},
	}
	for _, tc := range cases {
		o := testOptions(e, &memClipboard{})
		o.Now = func() time.Time { return tc.now }
		d := newDriver(t, New(o), 120, 36)
		d.settle()
		d.selectUser("ana")
		d.keys("enter")
		cells := d.m.main.creds.cells
		if len(cells) != 1 || cells[0][ccExpires] != tc.short {
			t.Fatalf("at %s the table reads %q, want %q", tc.now, cells, tc.short)
		}
		mustContain(t, d.m, "Expires    "+tc.detail)
		d.keys("a")
		var fleet string
		for _, r := range d.m.fleet.all {
			if r.ID == key.ID {
				fleet = r.Expiry
			}
		}
		if fleet != tc.long {
			t.Fatalf("at %s the fleet reads %q, want %q", tc.now, fleet, tc.long)
		}
	}
}

// The notes' heading agrees with its number: "1 of them deserves".
func TestSecondThoughtAgrees(t *testing.T) {
	for _, tc := range []struct {
		n, total int
		want     string
	}{
		{1, 1, "It deserves a second thought:"},
		{1, 3, "1 of them deserves a second thought:"},
		{2, 3, "2 of them deserve a second thought:"},
	} {
		if got := secondThought(tc.n, tc.total); got != tc.want {
			t.Errorf("%d of %d: %q, want %q", tc.n, tc.total, got, tc.want)
		}
	}
}
