package ui

import (
	"time"

	"github.com/charmbracelet/bubbles/spinner"

	"iamcreds/model"
)

// kit is what every screen and dialog draws with: the styles, the keymap and
// the clock (soft-serve's common.Common). New builds it once; nothing changes it.
type kit struct {
	styles Styles
	keys   KeyMap
	now    func() time.Time
	// readOnlyFrom: where read-only mode came from ("" the command line), so
	// the key that finds a write off says where to turn it back on.
	readOnlyFrom string
}

// readOnlyHint ends the read-only status: how to start with writes on.
func (k *kit) readOnlyHint() string {
	if k.readOnlyFrom != "" {
		return "(read-only = true in " + k.readOnlyFrom + ": start with --read-only=false to make changes)"
	}
	return "(start without --read-only to make changes)"
}

// fmtDate shows a date in the clock's time zone (model's day rule), "—" when
// unknown.
func (k *kit) fmtDate(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return model.FormatDate(t, k.now().Location())
}

// shared is what the screens show and only the root changes: what is known of
// the account, and what is in flight. Screens read it; they never write it.
type shared struct {
	*kit
	// acct is the account the main and fleet screens show: never nil (one
	// account is an organization of one).
	acct   *account
	writes *writes
	lost   *lostSecrets // credentials whose secret nobody received
	load   loadState
	bulk   *bulkRun      // the bulk action in flight, nil when none
	spin   spinner.Model // its frame shows on the rows a write is changing
	// readOnly: writes are off (the client refuses them too).
	readOnly bool
	// maxAge is the age past which an Active credential is flagged stale.
	maxAge time.Duration
	// deleted are the credentials this session deleted, by id: a row that
	// goes for that reason needs no word that it went (the write's status has it).
	deleted map[string]bool
}

// loadState tracks the account-wide loads of one generation (start, ctrl+r).
type loadState struct {
	gen              int
	usersPending     bool
	invPending       bool
	invApplied       bool // this generation's inventory is in the cache
	usersApplied     bool // this generation's users are in the users table
	usersErr, invErr error
	invTask          int       // the inventory's task, whose label shows the scan's progress
	scan             [2]int    // the per-user fallback's progress: done, total
	everLoaded       bool      // users arrived at least once
	readAt           time.Time // when the last inventory was read (the status says it)
	perUser          bool      // it was read user by user
}

// loadShown is what of the load the users table shows (its counts cells).
type loadShown struct {
	gen                    int
	invPending, everLoaded bool
}

func (l loadState) shown() loadShown { return loadShown{l.gen, l.invPending, l.everLoaded} }

// createRoom applies IAM's per-service limit to what is known of user,
// counting creates in flight; known is false while nothing is loaded.
func (s *shared) createRoom(user, service string) (held int, known bool, err error) {
	creds, known := s.acct.cache.get(user)
	held, err = model.CheckCanCreate(user, service, creds, s.writes.creating(user, service))
	return held, known, err
}
