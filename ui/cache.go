package ui

import "iamcreds/model"

// credCache is what the UI knows of each user's credentials, with the rules that
// keep it from going back in time. Every request takes a tag from the cache's
// counter when it starts, and every write IAM confirmed takes one when it is
// applied; per user, an answer tagged older than what was applied is dropped. A
// reset (another profile) drops every answer tagged before it.
type credCache struct {
	users map[string]*userEntry
	errs  map[string]error // per user, the last listing error, shown while nothing is cached
	last  uint64           // the last tag handed out
	floor uint64           // answers tagged before it are dropped
	// version counts changes, so that a view built from the cache rebuilds only
	// when it changed. It starts at 1: a view built from nothing holds 0.
	version uint64
	// recent are the last changes of one user each, so that a view can redraw
	// just their rows; a change before forgotten, or at everyone (an
	// inventory, a reset), is every user's.
	recent    []userChange
	forgotten uint64
	everyone  uint64
}

// userChange is the version at which a user's credentials changed.
type userChange struct {
	version uint64
	user    string
}

// maxRecent bounds the changes remembered user by user.
const maxRecent = 64

// cacheMark is a cache as of one version: a view keeps the mark it was built
// from and rebuilds when the cache's differs (another cache — another
// account — differs too).
type cacheMark struct {
	cache   *credCache
	version uint64
}

func (c *credCache) mark() cacheMark { return cacheMark{c, c.version} }

// cacheEra is a cache between two resets: rows built in another era — from
// another account's cache, or from this one before a reset — are not rows of
// what is on screen now (a cursor has nothing to hold, and nothing went).
type cacheEra struct {
	cache *credCache
	floor uint64
}

func (c *credCache) era() cacheEra { return cacheEra{c, c.floor} }

// touched records a change of user's credentials.
func (c *credCache) touched(user string) {
	c.version++
	c.recent = append(c.recent, userChange{c.version, user})
	if len(c.recent) > maxRecent {
		half := len(c.recent) / 2
		c.forgotten = c.recent[half-1].version
		c.recent = append(c.recent[:0], c.recent[half:]...)
	}
}

// touchedAll records a change of every user's credentials.
func (c *credCache) touchedAll() {
	c.version++
	c.everyone = c.version
	c.recent = c.recent[:0]
}

// changedSince calls f with each user whose credentials changed after m, and
// reports whether it could tell: false when m is of another cache, or every
// user (or one it no longer remembers) changed since.
func (c *credCache) changedSince(m cacheMark, f func(user string)) bool {
	if m.cache != c || m.version < c.everyone || m.version < c.forgotten {
		return false
	}
	for _, ch := range c.recent {
		if ch.version > m.version {
			f(ch.user)
		}
	}
	return true
}

// userEntry is one user's: one map entry per user, however much is known. An
// inventory's credentials are slices of its one array, never copied per user.
type userEntry struct {
	creds []model.Credential
	known bool   // creds is a listing (possibly empty), not just a tag
	fresh uint64 // the tag of the newest information applied
}

func newCredCache() *credCache {
	return &credCache{users: map[string]*userEntry{}, errs: map[string]error{}, version: 1}
}

// tag returns the tag of a request starting now.
func (c *credCache) tag() uint64 {
	c.last++
	return c.last
}

// entry is user's entry, made if there is none.
func (c *credCache) entry(user string) *userEntry {
	e := c.users[user]
	if e == nil {
		e = &userEntry{}
		c.users[user] = e
	}
	return e
}

// get returns a user's credentials and whether they are known at all.
func (c *credCache) get(user string) ([]model.Credential, bool) {
	if e := c.users[user]; e != nil && e.known {
		return e.creds, true
	}
	return nil, false
}

// err is the last listing error of a user, nil once a listing succeeds.
func (c *credCache) err(user string) error { return c.errs[user] }

// all returns every cached credential, in no particular order.
func (c *credCache) all() []model.Credential {
	out := make([]model.Credential, 0, c.count())
	c.each(func(creds []model.Credential) { out = append(out, creds...) })
	return out
}

// count is the number of cached credentials.
func (c *credCache) count() int {
	n := 0
	for _, e := range c.users {
		n += len(e.creds)
	}
	return n
}

// each calls f with each user's cached credentials, which f must not change.
func (c *credCache) each(f func([]model.Credential)) {
	for _, e := range c.users {
		if len(e.creds) > 0 {
			f(e.creds)
		}
	}
}

// stale reports whether an answer about user tagged tag is older than what the
// cache holds for that user, or than the last reset.
func (c *credCache) stale(user string, tag uint64) bool {
	if tag < c.floor {
		return true
	}
	e := c.users[user]
	return e != nil && tag <= e.fresh
}

// applyListing applies one user's listing, or its error, unless it is stale; it
// reports whether it did. A failed listing keeps what is cached (it may still be
// right), except when the user is gone.
func (c *credCache) applyListing(user string, tag uint64, creds []model.Credential, err error) bool {
	if c.stale(user, tag) {
		return false
	}
	c.touched(user)
	if err != nil {
		c.errs[user] = err
		if e := c.users[user]; e != nil && model.KindOf(err) == model.KindNotFound {
			e.creds, e.known = nil, false
		}
		return true
	}
	delete(c.errs, user)
	e := c.entry(user)
	e.creds, e.known, e.fresh = creds, true, tag
	return true
}

// applyInventory applies an account-wide listing to every user it names, except
// users with information newer than it (a listing or a write since it started),
// and calls applied (if not nil) with each user's credentials as applied.
func (c *credCache) applyInventory(tag uint64, inv model.Inventory, applied func(user string, creds []model.Credential)) {
	if tag < c.floor {
		return
	}
	if len(c.users) == 0 { // the first load: sized at once, not grown step by step
		c.users = make(map[string]*userEntry, len(inv.Users))
	}
	// One entry per user, in one array; the ones the inventory applies to are
	// found again by the users' order.
	entries := make([]userEntry, len(inv.Users))
	byName := make(map[string]*userEntry, len(inv.Users))
	for i, u := range inv.Users {
		e := c.users[u.Name]
		if e == nil {
			e = &entries[i]
			c.users[u.Name] = e
		}
		if e.fresh > tag {
			continue
		}
		e.creds, e.known, e.fresh = nil, true, tag
		byName[u.Name] = e
	}
	// A user's credentials are a run of the inventory's (it comes sorted by
	// user): the cache keeps slices of it, not a copy per user. The full slice
	// expression makes an append copy rather than write into the next run.
	cs := inv.Credentials
	for i := 0; i < len(cs); {
		j := i + 1
		for j < len(cs) && cs[j].UserName == cs[i].UserName {
			j++
		}
		switch e := byName[cs[i].UserName]; {
		case e == nil:
		case len(e.creds) == 0:
			e.creds = cs[i:j:j] // the usual case: the user's one run, shared
		default: // unsorted: the user's credentials in several runs
			e.creds = append(e.creds, cs[i:j:j]...)
		}
		i = j
	}
	if applied != nil {
		for _, u := range inv.Users {
			if e := byName[u.Name]; e != nil {
				applied(u.Name, e.creds)
			}
		}
	}
	c.touchedAll()
}

// The writes IAM confirmed. Each makes the user's entry newer than every request
// started before it, so that an older listing answering late cannot undo it.

// added records a new credential of user. A listing may have shown it
// already (one that ran while its create's reply was on the way): it is then
// replaced, never doubled.
func (c *credCache) added(user string, cr model.Credential) {
	e := c.entry(user)
	list := make([]model.Credential, 0, len(e.creds)+1)
	for _, x := range e.creds {
		if x.ID != cr.ID {
			list = append(list, x)
		}
	}
	e.creds, e.known = append(list, cr), true
	c.written(user, e)
}

// replaced takes a listing of user that a write's outcome was judged by (its
// reply was lost, and the client listed the user again): as new as a write.
func (c *credCache) replaced(user string, creds []model.Credential) {
	e := c.entry(user)
	e.creds, e.known = creds, true
	delete(c.errs, user)
	c.written(user, e)
}

// changed applies f to the credential id of user.
func (c *credCache) changed(user, id string, f func(*model.Credential)) {
	e := c.entry(user)
	list := append([]model.Credential(nil), e.creds...) // the old slice may be in a message
	for i := range list {
		if list[i].ID == id {
			f(&list[i])
		}
	}
	e.creds, e.known = list, true
	c.written(user, e)
}

// removed forgets the credential id of user.
func (c *credCache) removed(user, id string) {
	e := c.entry(user)
	var list []model.Credential
	for _, cr := range e.creds {
		if cr.ID != id {
			list = append(list, cr)
		}
	}
	e.creds, e.known = list, true
	c.written(user, e)
}

func (c *credCache) written(user string, e *userEntry) {
	e.fresh = c.tag()
	c.touched(user)
}

// reset forgets everything: another account. Requests still in flight were
// tagged before the new floor, so their answers are dropped.
func (c *credCache) reset() {
	c.users, c.errs = map[string]*userEntry{}, map[string]error{}
	c.floor = c.tag()
	c.touchedAll()
}
