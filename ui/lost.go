package ui

import (
	"errors"

	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
)

// Every write accounted for. When a write's reply is lost, the client lists the
// user again and says what happened (model.KindSecretLost, KindResetUnconfirmed,
// KindUnconfirmed); the UI shows the listing it judged by, says so plainly, and
// remembers the credentials whose secret nobody received.

// lostSecrets are the credentials whose secret IAM issued and nobody received (a
// create whose reply named the credential but carried no secret: a credential
// that merely appeared after a lost reply may be another client's, and is
// never added), until they are reset or deleted. No listing can
// tell: the fleet marks them secret-lost from this set, which only the root
// changes. Credential IDs are unique across accounts; each is kept with the
// cache and user a listing of which may show it gone. (The main view's cache
// holds another account after a profile switch or an enter on the
// organization view: a user of the same name there can only take a mark away
// early, never add one.)
type lostSecrets struct {
	ids map[string]lostOwner
	// version counts changes, as the cache's does, so that the fleet rebuilds
	// its rows when the set changes. It starts at 1.
	version uint64
}

type lostOwner struct {
	cache *credCache
	user  string
}

func newLostSecrets() *lostSecrets { return &lostSecrets{ids: map[string]lostOwner{}, version: 1} }

func (l *lostSecrets) has(id string) bool { _, ok := l.ids[id]; return ok }

func (l *lostSecrets) empty() bool { return len(l.ids) == 0 }

// add records that user's credential id, in the account cache holds, has a
// secret nobody received.
func (l *lostSecrets) add(cache *credCache, user, id string) {
	o := lostOwner{cache, user}
	if id == "" || l.ids[id] == o {
		return
	}
	l.ids[id] = o
	l.version++
}

// forget drops id: it was reset (a new secret was shown) or deleted.
func (l *lostSecrets) forget(id string) {
	if _, ok := l.ids[id]; ok {
		delete(l.ids, id)
		l.version++
	}
}

// prune drops user's ids that a listing applied to cache no longer holds:
// deleted elsewhere.
func (l *lostSecrets) prune(cache *credCache, user string, listed []model.Credential) {
	held := make(map[string]bool, len(listed))
	for _, c := range listed {
		held[c.ID] = true
	}
	for id, o := range l.ids {
		if o == (lostOwner{cache, user}) && !held[id] {
			l.forget(id)
		}
	}
}

// pruneLost prunes, user by user, what a listing applied to cache shows
// (credCache.applyInventory's applied).
func (m *Model) pruneLost(cache *credCache) func(user string, creds []model.Credential) {
	return func(user string, creds []model.Credential) { m.lost.prune(cache, user, creds) }
}

// writeFailed shows a write to account a that did not
// simply succeed. After a lost reply the client's own words say what happened,
// with the listing it judged by, which the cache shows at once; an orphan
// credential is selected and marked. Otherwise it says what failed and why. It
// returns the listing of user to run: after a lost reply always, since another
// write to the user may have answered while the judging listing was on its way.
func (m *Model) writeFailed(a *account, what, user string, err error) tea.Cmd {
	listed := m.applyJudged(a, user, err)
	var me *model.Error
	errors.As(err, &me)
	switch model.KindOf(err) {
	case model.KindSecretLost:
		m.lost.add(a.cache, user, me.ID)
		if a == m.acct {
			m.main.selectCred(user, me.ID)
			m.fleet.focus(rowKey{id: me.ID})
		} else if m.orgView != nil {
			m.orgView.focus(rowKey{a.info.ID, me.ID})
		}
		m.setOutcome(err, a)
	case model.KindResetUnconfirmed, model.KindUnconfirmed:
		m.setOutcome(err, a) // the message says what may have happened and what to do
	default:
		m.setError(what, err)
		if !listed {
			return m.reconcileIfGone(a, user, err)
		}
	}
	return m.reconcile(a, user)
}

// setOutcome says, in the client's words, what a lost reply left; an error of
// a listing run in the background does not replace it (statusLine.keep).
func (m *Model) setOutcome(err error, a *account) {
	line := errorLine("", err)
	if m.elsewhere(a) {
		line.text = model.SafeText(a.info.Label()) + ": " + line.text
	}
	line.keep = true
	m.board.set(m.statusOwner(), line)
}

// applyJudged shows the listing a write's outcome was judged by, if err
// carries one, and reports whether it did.
func (m *Model) applyJudged(a *account, user string, err error) bool {
	var me *model.Error
	listed := errors.As(err, &me) && me.Listed != nil
	if listed {
		a.cache.replaced(user, me.Listed)
		m.lost.prune(a.cache, user, me.Listed)
	}
	return listed
}

// lostReplyNote is what a success adds when its reply was lost and the client
// found the write done by listing.
func lostReplyNote(lost bool) string {
	if !lost {
		return ""
	}
	return " (its reply was lost; IAM's listing shows it done)"
}
