package ui

import "iamcreds/model"

// credCache is what the UI knows of each user's credentials, with the rules that
// keep it from going back in time. Every request takes a tag from the cache's
// counter when it starts, and every write IAM confirmed takes one when it is
// applied; per user, an answer tagged older than what was applied is dropped. A
// reset (another profile) drops every answer tagged before it.
type credCache struct {
	creds map[string][]model.Credential
	fresh map[string]uint64 // per user, the tag of the newest information applied
	errs  map[string]error  // per user, the last listing error, shown while nothing is cached
	last  uint64            // the last tag handed out
	floor uint64            // answers tagged before it are dropped
	// version counts changes, so that a view built from the cache rebuilds only
	// when it changed. It starts at 1: a view built from nothing holds 0.
	version uint64
}

func newCredCache() *credCache {
	return &credCache{creds: map[string][]model.Credential{}, fresh: map[string]uint64{}, errs: map[string]error{}, version: 1}
}

// tag returns the tag of a request starting now.
func (c *credCache) tag() uint64 {
	c.last++
	return c.last
}

// get returns a user's credentials and whether they are known at all.
func (c *credCache) get(user string) ([]model.Credential, bool) {
	creds, ok := c.creds[user]
	return creds, ok
}

// err is the last listing error of a user, nil once a listing succeeds.
func (c *credCache) err(user string) error { return c.errs[user] }

// all returns every cached credential, in no particular order.
func (c *credCache) all() []model.Credential {
	var out []model.Credential
	for _, creds := range c.creds {
		out = append(out, creds...)
	}
	return out
}

// stale reports whether an answer about user tagged tag is older than what the
// cache holds for that user, or than the last reset.
func (c *credCache) stale(user string, tag uint64) bool {
	return tag <= c.fresh[user] || tag < c.floor
}

// applyListing applies one user's listing, or its error, unless it is stale; it
// reports whether it did. A failed listing keeps what is cached (it may still be
// right), except when the user is gone.
func (c *credCache) applyListing(user string, tag uint64, creds []model.Credential, err error) bool {
	if c.stale(user, tag) {
		return false
	}
	c.version++
	if err != nil {
		c.errs[user] = err
		if model.KindOf(err) == model.KindNotFound {
			delete(c.creds, user)
		}
		return true
	}
	delete(c.errs, user)
	c.fresh[user] = tag
	c.creds[user] = creds
	return true
}

// applyInventory applies an account-wide listing to every user it names, except
// users with information newer than it (a listing or a write since it started),
// and calls applied with each user's credentials as applied.
func (c *credCache) applyInventory(tag uint64, inv model.Inventory, applied func(user string, creds []model.Credential)) {
	if tag < c.floor {
		return
	}
	byUser := map[string][]model.Credential{}
	for _, cr := range inv.Credentials {
		byUser[cr.UserName] = append(byUser[cr.UserName], cr)
	}
	for _, u := range inv.Users {
		if c.fresh[u.Name] > tag {
			continue
		}
		c.creds[u.Name] = byUser[u.Name]
		c.fresh[u.Name] = tag
		if applied != nil {
			applied(u.Name, byUser[u.Name])
		}
	}
	c.version++
}

// The writes IAM confirmed. Each makes the user's entry newer than every request
// started before it, so that an older listing answering late cannot undo it.

// added records a new credential of user. A listing may have shown it
// already (one that ran while its create's reply was on the way): it is then
// replaced, never doubled.
func (c *credCache) added(user string, cr model.Credential) {
	var list []model.Credential
	for _, x := range c.creds[user] {
		if x.ID != cr.ID {
			list = append(list, x)
		}
	}
	c.creds[user] = append(list, cr)
	c.written(user)
}

// replaced takes a listing of user that a write's outcome was judged by (its
// reply was lost, and the client listed the user again): as new as a write.
func (c *credCache) replaced(user string, creds []model.Credential) {
	c.creds[user] = creds
	delete(c.errs, user)
	c.written(user)
}

// changed applies f to the credential id of user.
func (c *credCache) changed(user, id string, f func(*model.Credential)) {
	list := append([]model.Credential(nil), c.creds[user]...) // the old slice may be in a message
	for i := range list {
		if list[i].ID == id {
			f(&list[i])
		}
	}
	c.creds[user] = list
	c.written(user)
}

// removed forgets the credential id of user.
func (c *credCache) removed(user, id string) {
	var list []model.Credential
	for _, cr := range c.creds[user] {
		if cr.ID != id {
			list = append(list, cr)
		}
	}
	c.creds[user] = list
	c.written(user)
}

func (c *credCache) written(user string) {
	c.fresh[user] = c.tag()
	c.version++
}

// reset forgets everything: another account. Requests still in flight were
// tagged before the new floor, so their answers are dropped.
func (c *credCache) reset() {
	c.creds, c.fresh, c.errs = map[string][]model.Credential{}, map[string]uint64{}, map[string]error{}
	c.floor = c.tag()
	c.version++
}
