package ui

import (
	"fmt"
	"strings"
	"testing"

	"iamcreds/model"
)

func cred(user, id string, st model.Status) model.Credential {
	return model.Credential{UserName: user, ID: id, Service: model.CodeCommit, Status: st}
}

func ids(creds []model.Credential) []string {
	var out []string
	for _, c := range creds {
		out = append(out, c.ID+":"+string(c.Status))
	}
	return out
}

func mustHold(t *testing.T, c *credCache, user string, want ...string) {
	t.Helper()
	creds, ok := c.get(user)
	if !ok {
		t.Fatalf("%s not cached", user)
	}
	got := ids(creds)
	if len(got) != len(want) {
		t.Fatalf("%s holds %v, want %v", user, got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("%s holds %v, want %v", user, got, want)
		}
	}
}

// Two listings of one user cross: the one started first answers last and is dropped.
func TestCacheDropsStaleListing(t *testing.T) {
	c := newCredCache()
	older, newer := c.tag(), c.tag()
	if !c.applyListing("ana", newer, []model.Credential{cred("ana", "NEW", model.Active)}, nil) {
		t.Fatal("the newer listing was dropped")
	}
	if c.applyListing("ana", older, []model.Credential{cred("ana", "OLD", model.Active)}, nil) {
		t.Fatal("the older listing was applied after the newer one")
	}
	mustHold(t, c, "ana", "NEW:Active")
	// The same tag twice is no newer either.
	if c.applyListing("ana", newer, nil, nil) {
		t.Fatal("a repeated answer was applied")
	}
	// Other users are not affected by ana's freshness.
	if !c.applyListing("ben", older, nil, nil) {
		t.Fatal("ben's listing was dropped because of ana's")
	}
}

// A listing started before a write answers after it: the write stands.
func TestCacheWriteBeatsOlderListing(t *testing.T) {
	c := newCredCache()
	c.applyListing("ana", c.tag(), []model.Credential{cred("ana", "A1", model.Active)}, nil)
	before := c.tag() // a listing starts, then a toggle is confirmed
	c.changed("ana", "A1", func(cr *model.Credential) { cr.Status = model.Inactive })
	if c.applyListing("ana", before, []model.Credential{cred("ana", "A1", model.Active)}, nil) {
		t.Fatal("an older listing undid the toggle")
	}
	mustHold(t, c, "ana", "A1:Inactive")

	before = c.tag()
	c.added("ana", cred("ana", "A2", model.Active))
	c.applyListing("ana", before, []model.Credential{cred("ana", "A1", model.Inactive)}, nil)
	mustHold(t, c, "ana", "A1:Inactive", "A2:Active")

	before = c.tag()
	c.removed("ana", "A1")
	c.applyListing("ana", before, []model.Credential{cred("ana", "A1", model.Inactive), cred("ana", "A2", model.Active)}, nil)
	mustHold(t, c, "ana", "A2:Active")

	// A listing started after the write applies.
	if !c.applyListing("ana", c.tag(), []model.Credential{cred("ana", "A2", model.Inactive)}, nil) {
		t.Fatal("a listing newer than the write was dropped")
	}
	mustHold(t, c, "ana", "A2:Inactive")
}

// After a reset (another profile), every answer started before it is dropped,
// listings and inventories alike, even for users the cache never held.
func TestCacheResetDropsEverythingOlder(t *testing.T) {
	c := newCredCache()
	listing, inventory := c.tag(), c.tag()
	c.applyListing("ana", c.tag(), []model.Credential{cred("ana", "A1", model.Active)}, nil)
	c.reset()
	if _, ok := c.get("ana"); ok {
		t.Fatal("the old account's credentials survived the reset")
	}
	if c.applyListing("priya", listing, []model.Credential{cred("priya", "P1", model.Active)}, nil) {
		t.Fatal("a listing of the old account was applied")
	}
	c.applyInventory(inventory, model.Inventory{Users: []model.User{{Name: "priya"}}, Credentials: []model.Credential{cred("priya", "P1", model.Active)}}, nil)
	if _, ok := c.get("priya"); ok || len(c.all()) != 0 {
		t.Fatal("an inventory of the old account was applied")
	}
	if !c.applyListing("priya", c.tag(), nil, nil) {
		t.Fatal("a listing of the new account was dropped")
	}
}

// The inventory fills every user it names, but not one with newer information.
func TestCacheInventorySkipsFresherUsers(t *testing.T) {
	c := newCredCache()
	inv := c.tag()
	c.applyListing("ana", c.tag(), []model.Credential{cred("ana", "FRESH", model.Active)}, nil)
	var applied []string
	c.applyInventory(inv, model.Inventory{
		Users:       []model.User{{Name: "ana"}, {Name: "ben"}, {Name: "cy"}},
		Credentials: []model.Credential{cred("ana", "OLD", model.Active), cred("ben", "B1", model.Inactive)},
	}, func(user string, creds []model.Credential) { applied = append(applied, fmt.Sprint(user, len(creds))) })
	if strings.Join(applied, " ") != "ben1 cy0" {
		t.Errorf("applied to %q, want ben (1 credential) and cy (none), not ana", applied)
	}
	mustHold(t, c, "ana", "FRESH:Active")
	mustHold(t, c, "ben", "B1:Inactive")
	if creds, ok := c.get("cy"); !ok || len(creds) != 0 {
		t.Fatal("a user without credentials should be known to have none")
	}
	if n := len(c.all()); n != 2 {
		t.Fatalf("all() has %d credentials", n)
	}
}

// A failed listing keeps what is cached and says why; a user who is gone is forgotten.
func TestCacheListingErrors(t *testing.T) {
	c := newCredCache()
	c.applyListing("ana", c.tag(), []model.Credential{cred("ana", "A1", model.Active)}, nil)
	denied := &model.Error{Kind: model.KindAccessDenied, Message: "denied"}
	c.applyListing("ana", c.tag(), nil, denied)
	mustHold(t, c, "ana", "A1:Active")
	if c.err("ana") != error(denied) {
		t.Fatalf("err = %v", c.err("ana"))
	}
	c.applyListing("ana", c.tag(), []model.Credential{cred("ana", "A1", model.Active)}, nil)
	if c.err("ana") != nil {
		t.Fatal("a successful listing should clear the error")
	}
	c.applyListing("ana", c.tag(), nil, &model.Error{Kind: model.KindNotFound, Message: "gone"})
	if _, ok := c.get("ana"); ok {
		t.Fatal("a user IAM no longer knows is still cached")
	}
}

// Every change bumps the version; a dropped answer does not.
func TestCacheVersion(t *testing.T) {
	c := newCredCache()
	v := c.version
	old := c.tag()
	c.applyListing("ana", c.tag(), nil, nil)
	if c.version == v {
		t.Fatal("a listing did not bump the version")
	}
	v = c.version
	c.applyListing("ana", old, nil, nil)
	if c.version != v {
		t.Fatal("a dropped listing bumped the version")
	}
	for _, change := range []func(){
		func() { c.added("ana", cred("ana", "A1", model.Active)) },
		func() { c.changed("ana", "A1", func(*model.Credential) {}) },
		func() { c.removed("ana", "A1") },
		func() { c.applyInventory(c.tag(), model.Inventory{}, nil) },
		c.reset,
	} {
		change()
		if c.version == v {
			t.Fatal("a change did not bump the version")
		}
		v = c.version
	}
}

// An inventory's credentials are kept as slices of its array, one run per
// user; a write to one user copies, never touching the next user's run, and
// an unsorted inventory (a user in several runs) still gives each user all.
func TestCacheInventoryKeepsRuns(t *testing.T) {
	users := []model.User{{Name: "ana"}, {Name: "ben"}, {Name: "cy"}}
	for _, tc := range []struct {
		name  string
		creds []model.Credential
	}{
		{"sorted", []model.Credential{cred("ana", "A1", model.Active), cred("ana", "A2", model.Active), cred("ben", "B1", model.Active)}},
		{"unsorted", []model.Credential{cred("ana", "A1", model.Active), cred("ben", "B1", model.Active), cred("ana", "A2", model.Active)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCredCache()
			c.applyInventory(c.tag(), model.Inventory{Users: users, Credentials: tc.creds}, nil)
			mustHold(t, c, "ana", "A1:Active", "A2:Active")
			mustHold(t, c, "ben", "B1:Active")
			mustHold(t, c, "cy")
			c.added("ana", cred("ana", "A3", model.Active))
			c.changed("ben", "B1", func(cr *model.Credential) { cr.Status = model.Inactive })
			mustHold(t, c, "ana", "A1:Active", "A2:Active", "A3:Active")
			mustHold(t, c, "ben", "B1:Inactive")
			if got := ids(tc.creds); got[0] != "A1:Active" || got[1] == "A3:Active" || got[2] == "A3:Active" ||
				(got[1] != "B1:Active" && got[2] != "B1:Active") {
				t.Fatalf("the inventory's array changed: %v", got)
			}
			if c.count() != 4 {
				t.Fatalf("count %d, want 4", c.count())
			}
		})
	}
}

// A create's answer for a credential a listing already showed replaces it.
func TestCacheAddedNeverDoubles(t *testing.T) {
	c := newCredCache()
	c.applyListing("ana", c.tag(), []model.Credential{cred("ana", "A1", model.Active), cred("ana", "NEW", model.Active)}, nil)
	c.added("ana", cred("ana", "NEW", model.Inactive))
	mustHold(t, c, "ana", "A1:Active", "NEW:Inactive")
}

// The listing a lost reply was judged by is as new as a write: listings that
// started before it are dropped.
func TestCacheReplacedByAJudgedListing(t *testing.T) {
	c := newCredCache()
	before := c.tag()
	c.applyListing("ana", c.tag(), nil, fmt.Errorf("throttled"))
	c.replaced("ana", []model.Credential{cred("ana", "ORPHAN", model.Active)})
	if c.err("ana") != nil {
		t.Error("the listing error stays after a listing")
	}
	if c.applyListing("ana", before, nil, nil) {
		t.Error("a listing older than the judged one was applied")
	}
	mustHold(t, c, "ana", "ORPHAN:Active")
}

func TestLostSecrets(t *testing.T) {
	l := newLostSecrets()
	here, there := newCredCache(), newCredCache() // two accounts
	v := l.version
	l.add(here, "ana", "A1")
	l.add(here, "ana", "A1")
	l.add(here, "ben", "B1")
	l.add(there, "ana", "T1")
	if !l.has("A1") || !l.has("B1") || !l.has("T1") || l.version != v+3 {
		t.Fatalf("after adding: %v, version +%d", l.ids, l.version-v)
	}
	l.prune(here, "ana", []model.Credential{cred("ana", "A2", model.Active)}) // A1 deleted elsewhere
	if l.has("A1") || !l.has("B1") || !l.has("T1") {
		t.Fatalf("after pruning ana here: %v", l.ids)
	}
	l.forget("T1")
	l.forget("B1")
	l.forget("B1")
	if !l.empty() || l.version != v+6 {
		t.Fatalf("after forgetting: %v, version +%d", l.ids, l.version-v)
	}
}

// A view redraws just the users changed since its mark; after an inventory,
// a reset, another cache or more changes than are remembered, every user.
func TestCacheChangedSince(t *testing.T) {
	c := newCredCache()
	changed := func(m cacheMark) ([]string, bool) {
		var users []string
		ok := c.changedSince(m, func(u string) { users = append(users, u) })
		return users, ok
	}
	c.applyInventory(c.tag(), model.Inventory{Users: []model.User{{Name: "ana"}, {Name: "raj"}}}, nil)
	m := c.mark()
	if users, ok := changed(m); !ok || len(users) != 0 {
		t.Fatalf("nothing changed: %v %v", users, ok)
	}
	c.added("raj", cred("raj", "ACCA1", model.Active))
	c.applyListing("ana", c.tag(), nil, nil)
	if users, ok := changed(m); !ok || strings.Join(users, ",") != "raj,ana" {
		t.Fatalf("changed since the mark: %v %v, want raj,ana", users, ok)
	}
	if _, ok := changed(cacheMark{newCredCache(), m.version}); ok {
		t.Fatal("another cache's mark told which users changed")
	}
	before := c.mark()
	c.applyInventory(c.tag(), model.Inventory{Users: []model.User{{Name: "ana"}}}, nil)
	if _, ok := changed(before); ok {
		t.Fatal("an inventory since the mark told which users changed")
	}
	m = c.mark()
	for i := range maxRecent + 1 {
		c.added("raj", cred("raj", fmt.Sprint("ACCA", i), model.Active))
	}
	if _, ok := changed(m); ok {
		t.Fatal("more changes than remembered told which users changed")
	}
	if users, ok := changed(c.mark()); !ok || len(users) != 0 {
		t.Fatalf("a fresh mark: %v %v", users, ok)
	}
}
