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
// create whose reply was lost), until they are reset or deleted. No listing can
// tell: the fleet marks them secret-lost from this set, which only the root
// changes.
type lostSecrets struct {
	ids map[string]string // credential id → its user
	// version counts changes, as the cache's does, so that the fleet rebuilds
	// its rows when the set changes. It starts at 1.
	version uint64
}

func newLostSecrets() *lostSecrets { return &lostSecrets{ids: map[string]string{}, version: 1} }

func (l *lostSecrets) has(id string) bool { _, ok := l.ids[id]; return ok }

func (l *lostSecrets) empty() bool { return len(l.ids) == 0 }

// add records that user's credential id has a secret nobody received.
func (l *lostSecrets) add(user, id string) {
	if id == "" || l.ids[id] == user {
		return
	}
	l.ids[id] = user
	l.version++
}

// forget drops id: it was reset (a new secret was shown) or deleted.
func (l *lostSecrets) forget(id string) {
	if _, ok := l.ids[id]; ok {
		delete(l.ids, id)
		l.version++
	}
}

// prune drops user's ids that a listing applied to the cache no longer holds:
// deleted elsewhere.
func (l *lostSecrets) prune(user string, listed []model.Credential) {
	held := make(map[string]bool, len(listed))
	for _, c := range listed {
		held[c.ID] = true
	}
	for id, u := range l.ids {
		if u == user && !held[id] {
			l.forget(id)
		}
	}
}

// writeFailed shows a write that did not simply succeed. After a lost reply the
// client's own words say what happened, with the listing it judged by, which
// the cache shows at once; an orphan credential is selected and marked.
// Otherwise it says what failed and why. It returns the listing of user to
// run: after a lost reply always, since another write to the user may have
// answered while the judging listing was on its way.
func (m *Model) writeFailed(what, user string, err error) tea.Cmd {
	listed := m.applyJudged(user, err)
	var me *model.Error
	errors.As(err, &me)
	switch model.KindOf(err) {
	case model.KindSecretLost:
		m.lost.add(user, me.ID)
		m.main.selectCred(user, me.ID)
		m.fleet.focus(me.ID)
		m.setError("", err)
		m.status.keep = true
	case model.KindResetUnconfirmed, model.KindUnconfirmed:
		m.setError("", err) // the message says what may have happened and what to do
		m.status.keep = true
	default:
		m.setError(what, err)
		if !listed {
			return m.reconcileIfGone(user, err)
		}
	}
	return m.reconcile(user)
}

// applyJudged shows the listing a write's outcome was judged by, if err
// carries one, and reports whether it did.
func (m *Model) applyJudged(user string, err error) bool {
	var me *model.Error
	listed := errors.As(err, &me) && me.Listed != nil
	if listed {
		m.cache.replaced(user, me.Listed)
		m.lost.prune(user, me.Listed)
	}
	m.main.refreshUser(user)
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
