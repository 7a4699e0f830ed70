package ui

import (
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
)

type focusArea int

const (
	focusUsers focusArea = iota
	focusCreds
)

// Below splitMinWidth columns the two tables show one at a time.
const splitMinWidth = 100

// mainScreen is the users table and the highlighted user's credentials: side by
// side when the window is wide, else the focused one.
type mainScreen struct {
	*shared
	users  usersView
	creds  credsView
	focus  focusArea
	filter textFilter
	// settleSeq tags the latest cursor move; its debounce timer must match.
	settleSeq   uint64
	settleDelay time.Duration
	// What the rows were drawn from (pull): the cache as of its mark, the
	// load, and the writes in flight.
	seen       cacheMark
	seenLoad   loadShown
	seenWrites uint64
	busyUsers  []string // the users with writes in flight at the last sync
	// The geometry of the last resize.
	w, h           int
	split          bool
	usersW, credsW int // pane widths, borders included
	// note says that the credential under the cursor went, and where the
	// cursor is now: the root puts it on the status line (takeNote).
	note string
}

func newMainScreen(sh *shared, settleDelay time.Duration) *mainScreen {
	s := &mainScreen{
		shared:      sh,
		users:       newUsersView(sh.styles),
		creds:       newCredsView(sh.styles),
		filter:      newUsersFilter(sh.styles),
		settleDelay: settleDelay,
	}
	s.users.credTextOf = func(user string) string {
		creds, _ := s.acct.cache.get(user)
		return searchText(creds)
	}
	s.applyFocus()
	return s
}

func (s *mainScreen) resize(w, h int) {
	s.w, s.h = w, h
	s.split = w >= splitMinWidth
	if s.split {
		s.usersW = clamp(w*3/8, 36, 60)
		s.credsW = w - s.usersW
	} else {
		s.usersW, s.credsW = w, w
	}
	s.filter.input.Width = max(1, s.usersW-2-3) // box borders, prompt, cursor
	inner := max(0, h-2)
	s.users.resize(max(1, s.usersW-2), max(0, inner-s.filterLines()))
	s.creds.resize(max(1, s.credsW-2), inner)
}

func (s *mainScreen) relayout() { s.resize(s.w, s.h) }

// sync redraws what changed since the last sync, then readies the tables.
// The screen pulls: nothing outside tells it which rows changed.
func (s *mainScreen) sync() {
	s.pull()
	s.users.table.sync()
	s.creds.table.sync()
}

// pull redraws the rows of the users whose credentials or writes in flight
// changed, or every row after an inventory, another account or a change of
// the load; the credentials of the highlighted user while a write runs (its
// spinner).
func (s *mainScreen) pull() {
	c := s.acct.cache
	if load := s.load.shown(); load != s.seenLoad || !c.changedSince(s.seen, s.refreshUser) {
		s.seenLoad = load
		s.refreshAllUsers()
	}
	s.seen = c.mark()
	if v := s.writes.version; v != s.seenWrites {
		s.seenWrites = v
		for _, u := range s.busyUsers {
			s.refreshUser(u)
		}
		s.busyUsers = s.writes.users()
		for _, u := range s.busyUsers {
			s.refreshUser(u)
		}
	}
	if s.writes.any() {
		s.rebuildCreds()
	}
}

func (s *mainScreen) typing() bool { return s.filter.typing }

// takeNote is what the screen has to say of its cursor since it was last
// asked (rebuildCreds), once.
func (s *mainScreen) takeNote() string {
	n := s.note
	s.note = ""
	return n
}

func (s *mainScreen) update(msg tea.KeyMsg) (tea.Msg, tea.Cmd) {
	if s.filter.typing {
		return nil, s.filterKey(msg)
	}
	k := s.keys
	switch {
	case key.Matches(msg, k.Filter):
		return nil, s.startFilter()
	case key.Matches(msg, k.ReadOnlyInfo):
		return statusMsg{levelWarn, "Read-only mode: create, toggle, reset, delete and rotate are off " + s.readOnlyHint()}, nil
	case key.Matches(msg, k.Create):
		return s.askCreate(), nil
	case key.Matches(msg, k.Profiles):
		return profilesRequestedMsg{}, nil
	}
	if s.focus == focusUsers {
		return nil, s.usersKey(msg)
	}
	s.credsKey(msg)
	return nil, nil
}

// askCreate opens the create form for the highlighted user.
func (s *mainScreen) askCreate() tea.Msg {
	u, ok := s.users.selected()
	if !ok {
		return statusMsg{levelInfo, "Select a user first"}
	}
	room := func(service string) (int, bool, error) { return s.createRoom(u.Name, service) }
	return openDialogMsg{newCreateForm(s.kit, u.Name, room)}
}

// usersKey handles keys while the users table has focus.
func (s *mainScreen) usersKey(msg tea.KeyMsg) tea.Cmd {
	k := s.keys
	t := &s.users.table
	before := t.Cursor()
	switch {
	case t.navigate(msg, k):
	case key.Matches(msg, k.ClearFilter) && s.users.filter != "":
		return s.setFilter("")
	case key.Matches(msg, k.Into), key.Matches(msg, k.Switch):
		if _, ok := s.users.selected(); ok {
			s.setFocus(focusCreds)
		}
	}
	if t.Cursor() != before {
		return s.selectionChanged()
	}
	return nil
}

// credsKey handles keys while the credentials table has focus.
func (s *mainScreen) credsKey(msg tea.KeyMsg) {
	k := s.keys
	switch {
	case s.creds.table.navigate(msg, k):
	case key.Matches(msg, k.Back), key.Matches(msg, k.Switch):
		s.setFocus(focusUsers)
	}
}

// selectionChanged shows the new user's cached credentials at once and asks IAM
// for fresh ones once the cursor rests (settled).
func (s *mainScreen) selectionChanged() tea.Cmd {
	s.rebuildCreds()
	s.selectFilterMatch()
	u, ok := s.users.selected()
	if !ok {
		return nil
	}
	s.settleSeq++
	return settleCmd(s.settleDelay, s.settleSeq, u.Name)
}

// settled reports the user whose credentials to list when the cursor has rested
// on it: msg is the latest move's timer and the user is still highlighted.
func (s *mainScreen) settled(msg settleMsg) (string, bool) {
	if msg.seq != s.settleSeq {
		return "", false // the cursor moved again since
	}
	if u, ok := s.users.selected(); !ok || u.Name != msg.user {
		return "", false
	}
	return msg.user, true
}

// setFocus moves the keys to a table; the focused table shows the bright marker.
func (s *mainScreen) setFocus(f focusArea) {
	s.focus = f
	s.applyFocus()
}

func (s *mainScreen) applyFocus() {
	if s.focus == focusUsers {
		s.users.table.Focus()
		s.creds.table.Blur()
		return
	}
	s.users.table.Blur()
	s.creds.table.Focus()
}

func (s *mainScreen) selectedUser() (model.User, bool) { return s.users.selected() }

// selected is the credential the shared keys act on: the highlighted one, once
// the credentials table has the focus.
func (s *mainScreen) selected() (model.Credential, string) {
	if s.focus == focusUsers {
		return model.Credential{}, "Select a credential first: → or enter moves to the credentials table"
	}
	c, ok := s.highlighted()
	if !ok {
		return c, "No credential selected"
	}
	return c, ""
}

// highlighted is the credentials table's cursor row, focused or not (not a
// create still in flight).
func (s *mainScreen) highlighted() (model.Credential, bool) {
	c := s.creds.table.Cursor()
	if c < 0 || c >= len(s.creds.creds) {
		return model.Credential{}, false
	}
	return s.creds.creds[c], true
}

// What the root tells the screen when the data it shows changed.

// setUsers shows a user list, keeping the selection on the same name.
func (s *mainScreen) setUsers(users []model.User) {
	s.users.setUsers(users, s.userCells)
	s.relayout()
	s.rebuildCreds()
}

// refreshUser re-renders what a change to user's credentials touches: the
// user's row and, if shown, the credentials table.
func (s *mainScreen) refreshUser(user string) {
	s.users.invalidate(user)
	if s.creds.user == user {
		s.rebuildCreds()
	}
}

// refreshAllUsers re-renders every row's counts and the credentials shown
// (after the inventory came, or failed).
func (s *mainScreen) refreshAllUsers() {
	if !s.load.everLoaded {
		return
	}
	s.users.invalidateAll()
	s.rebuildCreds()
}

// selectFilterMatch highlights the credential the filter matched when it
// matched one of the highlighted user's credentials rather than the name.
func (s *mainScreen) selectFilterMatch() {
	u, ok := s.users.selected()
	if !ok || s.users.filter == "" || s.users.matchesName(u.Name) {
		return
	}
	for i, c := range s.creds.creds {
		if matchesCred(c, s.users.filter) {
			s.creds.table.SetCursor(i)
			return
		}
	}
}

// selectCred moves the credentials cursor to user's credential id, if shown.
func (s *mainScreen) selectCred(user, id string) {
	s.pull() // a write just applied: its row first
	if s.creds.user != user {
		return
	}
	for i, c := range s.creds.creds {
		if c.ID == id {
			s.creds.table.SetCursor(i)
			return
		}
	}
}

func (s *mainScreen) help(k KeyMap) contextKeys {
	if s.filter.typing {
		move := key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "move"))
		return single([]key.Binding{k.FilterDone, k.FilterQuit, move, k.Interrupt})
	}
	filter := k.Filter
	filter.SetHelp("/", "filter: user, id, login")
	// ? lists every key of the screen, whatever is highlighted.
	moves := tableMoves()
	move := moves[0]
	groups := []helpGroup{
		{"Navigation", append(moves, k.Into, k.Back, k.Switch)},
		{"Users", []key.Binding{filter, k.ClearFilter}},
		{"Credential", []key.Binding{k.Create, k.Toggle, k.Reset, k.Delete, k.Rotate}},
		globalHelp(k),
	}
	k.ClearFilter.SetEnabled(s.users.filter != "")
	if _, why := s.selected(); why != "" {
		k.Toggle.SetEnabled(false)
		k.Reset.SetEnabled(false)
		k.Delete.SetEnabled(false)
		k.Rotate.SetEnabled(false)
	}
	if _, ok := s.users.selected(); !ok {
		k.Create.SetEnabled(false)
		k.Into.SetEnabled(false)
	}
	if s.focus == focusUsers {
		return contextKeys{
			short:  []key.Binding{move, k.Into, k.Create, k.Filter, k.ClearFilter, k.Fleet, k.Refresh, k.Quit, k.Whois, k.Help},
			groups: groups,
		}
	}
	return contextKeys{
		short:  []key.Binding{move, k.Back, k.Toggle, k.Reset, k.Delete, k.Rotate, k.Create, k.Refresh, k.Quit, k.Whois, k.Help},
		groups: groups,
	}
}
