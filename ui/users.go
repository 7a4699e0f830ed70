package ui

import (
	"context"
	"sort"
	"time"

	"iamcreds/model"
)

// The users the console made (model.ConsoleMade): what each holds besides its
// credentials is read in the background for the users the rule selects
// alone, judged with the credentials the cache holds, and shown by the fleet
// and the organization view (screen_fleet_users.go); the cleanup dialog
// (dialog_cleanup*.go) removes an orphan or deactivates an at-risk user's keys.

// ConsoleUsersIAM is what the UI needs from the client for those users; IAM
// embeds it, so *awsclient.Client satisfies it (cli checks at compile time).
type ConsoleUsersIAM interface {
	// Holdings reads what each of users holds, with bounded concurrency; a
	// user deleted meanwhile is Gone.
	Holdings(ctx context.Context, users []string) ([]model.Holdings, error)
	// CleanupStep runs one step of model.RemovalPlan or DeactivationPlan;
	// gone: IAM said the thing no longer exists (what the step wanted).
	CleanupStep(ctx context.Context, s model.CleanupStep) (gone bool, err error)
}

func (noAccount) Holdings(context.Context, []string) ([]model.Holdings, error) {
	return nil, errNoAccount
}

func (noAccount) CleanupStep(context.Context, model.CleanupStep) (bool, error) {
	return false, errNoAccount
}

// consoleHoldings is what one account's console-made users hold, with the
// rules that keep it from going back in time: a read takes a tag when it
// starts; an account-wide read is dropped once another has started (gen),
// and per user an answer tagged older than what is held (a re-read by the
// cleanup dialog) is not applied.
type consoleHoldings struct {
	gen     int // the account-wide read in flight or last applied
	pending bool
	asked   bool         // a read was started since the account was (re)loaded
	users   []model.User // the users the rule selected for it
	held    map[string]model.Holdings
	fresh   map[string]int // per user, the tag of what is held
	tag     int            // the last tag handed out
	floor   int            // answers tagged before it are dropped: the users were read again
	err     error          // the account-wide read failed
	// version counts changes, so that a view rebuilds only when it changed.
	version uint64
}

// begin starts an account-wide read of users: its gen and tag.
func (c *consoleHoldings) begin(users []model.User) (gen, tag int) {
	c.gen++
	c.tag++
	c.pending, c.asked, c.users, c.err = true, true, users, nil
	c.held, c.fresh = map[string]model.Holdings{}, map[string]int{}
	c.floor = c.tag
	c.version++
	return c.gen, c.tag
}

// next is a tag for a read of one user.
func (c *consoleHoldings) next() int {
	c.tag++
	return c.tag
}

// applyAll applies an account-wide read, unless another has started since;
// it reports whether it did.
func (c *consoleHoldings) applyAll(gen, tag int, hs []model.Holdings, err error) bool {
	if gen != c.gen {
		return false
	}
	c.pending, c.err = false, err
	c.version++
	if err != nil {
		return true
	}
	if c.held == nil {
		c.held, c.fresh = map[string]model.Holdings{}, map[string]int{}
	}
	for _, h := range hs {
		if c.fresh[h.User] > tag {
			continue // read again since this read started
		}
		c.held[h.User], c.fresh[h.User] = h, tag
	}
	return true
}

// applyOne applies a read of one user (its tag from next), unless what is
// held is newer; it reports whether it did.
func (c *consoleHoldings) applyOne(tag int, u model.User, h model.Holdings) bool {
	if c.held == nil {
		c.held, c.fresh = map[string]model.Holdings{}, map[string]int{}
	}
	if tag < c.floor || c.fresh[u.Name] > tag {
		return false
	}
	known := false
	for _, x := range c.users {
		known = known || x.Name == u.Name
	}
	if !known {
		c.users = append(c.users, u)
	}
	c.held[u.Name], c.fresh[u.Name] = h, tag
	c.version++
	return true
}

// usersState is what the users line says of an account's console-made users.
type usersState struct {
	judged  []model.JudgedUser // sorted by name
	reading int                // users whose holdings or credentials are not known yet
	err     error
}

// judge judges the users whose holdings and credentials are known; creds is
// the account's cache.
func (c *consoleHoldings) judge(creds *credCache, now time.Time) usersState {
	st := usersState{err: c.err}
	for _, u := range c.users {
		h, ok := c.held[u.Name]
		cs, known := creds.get(u.Name)
		switch {
		case ok && h.Gone:
		case !ok || !known:
			// Not judged until both are known: a user whose credentials are
			// not listed yet would look orphaned.
			if c.err == nil {
				st.reading++
			}
		default:
			st.judged = append(st.judged, model.JudgeUser(u, h, cs, now))
		}
	}
	sort.SliceStable(st.judged, func(a, b int) bool { return st.judged[a].User.Name < st.judged[b].User.Name })
	return st
}

// userCounts are what a users line counts.
type userCounts struct {
	total, orphaned, atRisk, flagged int
	both                             int // orphaned and at risk
	reading                          int
	accounts                         int // accounts with a flagged user (the organization view)
	errs                             []error
}

func (n *userCounts) add(st usersState) {
	n.reading += st.reading
	if st.err != nil {
		n.errs = append(n.errs, st.err)
	}
	flagged := false
	for _, j := range st.judged {
		n.total++
		if j.Orphaned {
			n.orphaned++
		}
		if len(j.Risks) > 0 {
			n.atRisk++
		}
		if j.Orphaned && len(j.Risks) > 0 {
			n.both++
		}
		if j.Flagged() {
			n.flagged++
			flagged = true
		}
	}
	if flagged {
		n.accounts++
	}
}
