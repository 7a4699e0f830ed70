package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/progress"
	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
)

// fleetScreen is every credential of the account in one table, with risk flags,
// sort, filters and a selection for bulk actions. Its rows are built from the
// cache the main screen shares, again whenever the cache changes.
type fleetScreen struct {
	*shared
	table   tableModel
	built   cacheMark         // the cache the rows were built from (zero: none yet)
	era     cacheEra          // the cache's era then: another is another account
	lostAt  uint64            // the lost set's version they were built from
	focusID rowKey            // a row the cursor goes to once the rows have it
	all     []model.AuditRow  // sorted
	visible []*model.AuditRow // all, filtered: into all, so refilter after sorting
	flagged int               // of visible
	// unscanned are services of the rows the AllUsers scan does not list: a
	// user's own listing showed them (unscannedNote says so above the table).
	unscanned []string
	// cellsOf is a row's cells, built when the table shows the row: rowCells,
	// or the organization view's, with an account column.
	cellsOf func(*model.AuditRow) []string
	sortKey model.SortKey
	reverse bool
	filter  model.AuditFilter
	text    textFilter
	sel     map[rowKey]bool // the selected rows
	// note says that the row under the cursor went (deleted elsewhere, hidden
	// by the filter after a change) and where the cursor is now: the root puts
	// it on the status line (takeNote).
	note    string
	changed changedRows // rows a bulk action changed, kept in view
	bar     progress.Model
	w, h    int
	// tableSize is the table's width and height (header included) as last set.
	tableSize [2]int
	// users lists the console-made users in place of the rows (U).
	users *usersList
}

func newFleetScreen(sh *shared) *fleetScreen {
	s := &fleetScreen{
		shared: sh, table: newTable(sh.styles.Table), text: newTextFilter(sh.styles), sel: map[rowKey]bool{},
		bar: progress.New(progress.WithSolidFill("111"), progress.WithoutPercentage()),
	}
	s.cellsOf = s.rowCells
	s.users = newUsersList(s, func() []*account { return []*account{s.acct} }, false)
	s.table.Focus()
	return s
}

func (s *fleetScreen) resize(w, h int) {
	s.w, s.h = w, h
	s.layout()
}

// sync rebuilds the rows when the cache changed, and sizes the table for the
// lines around it (a filter, a progress bar, the legend) as they are now.
func (s *fleetScreen) sync() {
	if s.built != s.acct.cache.mark() || s.lostAt != s.lost.version {
		s.rebuild()
	}
	if s.focusID != (rowKey{}) {
		s.moveTo(s.focusID)
		s.focusID = rowKey{}
	}
	s.users.sync()
	s.layout()
	s.table.sync()
}

// focus puts the cursor on row k at the next sync, once the rows have been
// rebuilt with it.
func (s *fleetScreen) focus(k rowKey) { s.focusID = k }

// moveTo puts the cursor on row k, if one shows it, and reports whether.
func (s *fleetScreen) moveTo(k rowKey) bool {
	for i, r := range s.visible {
		if r.ID == k.id && r.AccountID() == k.acct {
			s.table.SetCursor(i)
			return true
		}
	}
	return false
}

// takeNote is what the screen has to say of its cursor since it was last
// asked (refilterHolding), once.
func (s *fleetScreen) takeNote() string {
	n := s.note
	s.note = ""
	return n
}

func (s *fleetScreen) typing() bool { return s.text.typing }

func (s *fleetScreen) selected() (model.Credential, string) {
	if s.users.open {
		return model.Credential{}, "The console-made users are listed: U goes back to the credentials"
	}
	r, ok := s.row()
	if !ok {
		return model.Credential{}, "No credential selected"
	}
	return r.Credential, ""
}

// row is the row under the cursor.
func (s *fleetScreen) row() (model.AuditRow, bool) {
	c := s.table.Cursor()
	if c < 0 || c >= len(s.visible) {
		return model.AuditRow{}, false
	}
	return *s.visible[c], true
}

func (s *fleetScreen) update(msg tea.KeyMsg) (tea.Msg, tea.Cmd) {
	if s.text.typing {
		return nil, s.editKey(msg)
	}
	if s.users.open {
		return s.users.update(msg)
	}
	k := s.keys
	switch {
	case s.table.navigate(msg, k):
	case key.Matches(msg, k.ConsoleUsers):
		s.users.open = true
	case key.Matches(msg, k.OpenUser):
		if r, ok := s.row(); ok {
			return openUserMsg{cred: r.Credential}, nil
		}
		return statusMsg{levelInfo, "No credential selected"}, nil
	case key.Matches(msg, k.Filter):
		return nil, s.text.start()
	case key.Matches(msg, k.Sort):
		s.sortKey = s.sortKey.Next()
		s.resort()
	case key.Matches(msg, k.SortReverse):
		s.reverse = !s.reverse
		s.resort()
	case key.Matches(msg, k.StatusFilter):
		s.filter.Status = nextStatus(s.filter.Status)
		s.refilter()
	case key.Matches(msg, k.ServiceFilter):
		s.filter.Service = nextService(s.filter.Service, model.AuditServices(s.all))
		s.refilter()
	case key.Matches(msg, k.FlaggedOnly):
		s.filter.FlaggedOnly = !s.filter.FlaggedOnly
		s.refilter()
	case key.Matches(msg, k.ClearFilter) && s.filtered():
		s.text.clear()
		s.filter = model.AuditFilter{}
		s.refilter()
	case key.Matches(msg, k.Select):
		s.toggleSelect()
	case key.Matches(msg, k.SelectAll):
		s.selectAllVisible()
	case key.Matches(msg, k.ReadOnlyInfo):
		return statusMsg{levelWarn, "Read-only mode: toggle, reset, delete, rotate and bulk actions are off " + s.readOnlyHint()}, nil
	case key.Matches(msg, k.BulkDeactivate):
		return s.askBulk(bulkDeactivate), nil
	case key.Matches(msg, k.BulkActivate):
		return s.askBulk(bulkActivate), nil
	case key.Matches(msg, k.BulkDelete):
		return s.askBulk(bulkDelete), nil
	case key.Matches(msg, k.Export):
		// The rows the filter selects: not the changed rows it now hides.
		return exportAskedMsg{rows: s.matchingRows(), filter: s.filter}, nil
	}
	return nil, nil
}

func (s *fleetScreen) filtered() bool {
	return s.text.value() != "" || s.filter.Status != "" || s.filter.Service != "" || s.filter.FlaggedOnly || s.filter.Account != ""
}

// editKey: the text filter has the keys, but for the arrows. (ctrl+c is the
// root's.)
func (s *fleetScreen) editKey(msg tea.KeyMsg) tea.Cmd {
	switch msg.Type {
	case tea.KeyUp:
		s.table.MoveUp(1)
		return nil
	case tea.KeyDown:
		s.table.MoveDown(1)
		return nil
	}
	changed, cmd := s.text.key(msg, s.keys)
	if changed {
		s.refilter()
	}
	return cmd
}

// openUserMsg asks the root to show the row's user, and the credential, in
// the main view.
type openUserMsg struct{ cred model.Credential }

// toggleSelect selects or unselects the row under the cursor and moves down.
func (s *fleetScreen) toggleSelect() {
	r, ok := s.row()
	if !ok {
		return
	}
	if k := keyOf(&r); s.sel[k] {
		delete(s.sel, k)
	} else {
		s.sel[k] = true
	}
	c := s.table.Cursor()
	s.table.Invalidate(c)
	s.table.SetCursor(c + 1)
}

// selectAllVisible selects every visible row, or clears them when all are.
func (s *fleetScreen) selectAllVisible() {
	all := len(s.visible) > 0
	for _, r := range s.visible {
		all = all && s.sel[keyOf(r)]
	}
	for _, r := range s.visible {
		if all {
			delete(s.sel, keyOf(r))
		} else {
			s.sel[keyOf(r)] = true
		}
	}
	s.table.InvalidateAll()
}

// bulkDone: a bulk action is done with row k. It leaves the selection and
// stays in view, marked, until the filter or the sort changes.
func (s *fleetScreen) bulkDone(k rowKey) {
	delete(s.sel, k)
	s.changed.mark(k, s.shownAs())
}

// written: a single write changed row k. Under a filter it stays in view,
// marked, as a bulk action's rows do, so that the cursor stays on what was
// written even when the filter would now hide it (t, then t switches back).
func (s *fleetScreen) written(k rowKey) {
	if s.filtered() {
		s.changed.mark(k, s.shownAs())
	}
}

// shownAs is the sort and filter on display.
func (s *fleetScreen) shownAs() fleetView {
	f := s.filter
	f.Text = s.text.value()
	return fleetView{sortKey: s.sortKey, reverse: s.reverse, filter: f}
}

// bulkTargets: the visible selection (never a row a filter hides), or the row
// under the cursor when none.
func (s *fleetScreen) bulkTargets() []model.Credential {
	var out []model.Credential
	for _, r := range s.visible {
		if s.sel[keyOf(r)] {
			out = append(out, r.Credential)
		}
	}
	if len(out) == 0 {
		if r, ok := s.row(); ok {
			out = append(out, r.Credential)
		}
	}
	return out
}

// askBulk opens the confirmation of a bulk action, or says why not.
func (s *fleetScreen) askBulk(a bulkAction) tea.Msg {
	if s.bulk != nil {
		return statusMsg{levelWarn, "A bulk action is still running; wait for it to finish"}
	}
	targets := s.bulkTargets()
	switch {
	case len(targets) == 0:
		return statusMsg{levelInfo, "Nothing to act on: space selects rows"}
	case a == bulkDelete && len(targets) == 1:
		// One delete, one confirmation: the id's last 4, as with d.
		return openDialogMsg{newDeleteConfirm(s.kit, targets[0])}
	}
	var notes []string
	if a == bulkActivate {
		notes = s.activationNotes(targets)
	}
	return openDialogMsg{newBulkConfirm(s.kit, a, targets, notes)}
}

// activationNotes names, for each target model has doubts about activating,
// why (CheckActivation): the bulk confirmation is the one question asked.
func (s *fleetScreen) activationNotes(targets []model.Credential) []string {
	var notes []string
	now := s.now()
	for _, c := range targets {
		check := model.CheckActivation(c, now, s.maxAge)
		label := credLabel(c.UserName, c.Service, c.ID)
		switch {
		case check.Ask():
			notes = append(notes, label+": it "+strings.Join(check.Reasons, "; and it ")+".")
		case check.Refused != nil && c.IsExpired(now):
			notes = append(notes, label+": "+errorText(check.Refused))
		}
	}
	return notes
}

func (s *fleetScreen) help(k KeyMap) contextKeys {
	if s.users.open {
		return s.users.help(k)
	}
	k.Fleet.SetHelp("a", "users view")
	// The bar names one key of a kind, so that it fits in 120 columns; ? has them all.
	sort := key.NewBinding(key.WithKeys("s", "S"), key.WithHelp("s/S", "sort"))
	filters := key.NewBinding(key.WithKeys("v", "o", "f"), key.WithHelp("v/o/f", "filters"))
	bulk := key.NewBinding(key.WithKeys("I", "A", "X"), key.WithHelp("I/A/X", "bulk"))
	sel := k.Select
	sel.SetHelp("space", "select")
	return s.fleetHelp(k, fleetHelpParts{
		open:   func(k *KeyMap) *key.Binding { return &k.OpenUser },
		global: func(k KeyMap) helpGroup { return globalHelp(k) },
		bar: func(k KeyMap, move, bulkKeys key.Binding) []key.Binding {
			bulk.SetEnabled(bulkKeys.Enabled())
			return []key.Binding{k.Fleet, move, sort, k.Filter, filters, sel, bulk, k.Export, k.ConsoleUsers, k.ClearFilter, k.Help}
		},
		note: s.legend(),
	})
}

// fleetHelpParts are what a screen of fleet rows (the fleet, the organization
// view) sets in the help it shares: the key that opens a row (open, turned off
// with no row), the filters before the status filter, the global group, the
// bar and the note.
type fleetHelpParts struct {
	open    func(k *KeyMap) *key.Binding
	filters []key.Binding
	global  func(k KeyMap) helpGroup
	// bar is the help bar's keys; bulk is enabled as the bulk actions are.
	bar  func(k KeyMap, move, bulk key.Binding) []key.Binding
	note string
}

// fleetHelp is the help of a screen of fleet rows: its groups for ?, its bar.
func (s *fleetScreen) fleetHelp(k KeyMap, p fleetHelpParts) contextKeys {
	if s.text.typing {
		return single([]key.Binding{k.FilterDone, k.FilterQuit, k.Interrupt})
	}
	k.ClearFilter.SetHelp("esc", "clear filters")
	// ? lists every key of the screen, whatever is highlighted or filtered:
	// the groups take the bindings before the bar's are turned off.
	moves := tableMoves()
	sortFilter := append([]key.Binding{k.Sort, k.SortReverse, k.Filter}, p.filters...)
	groups := []helpGroup{
		{"Navigation", append(moves, *p.open(&k), k.ConsoleUsers)},
		{"Sort and filter", append(sortFilter, k.StatusFilter, k.ServiceFilter, k.FlaggedOnly, k.ClearFilter)},
		{"Selection", []key.Binding{k.Select, k.SelectAll, k.BulkDeactivate, k.BulkActivate, k.BulkDelete, k.Export}},
		{"Credential", []key.Binding{k.Toggle, k.Reset, k.Delete, k.Rotate}},
		p.global(k),
	}
	k.ClearFilter.SetEnabled(s.filtered())
	if _, ok := s.row(); !ok {
		k.Toggle.SetEnabled(false)
		k.Reset.SetEnabled(false)
		k.Delete.SetEnabled(false)
		k.Rotate.SetEnabled(false)
		p.open(&k).SetEnabled(false)
	}
	return contextKeys{short: p.bar(k, moves[0], k.BulkDelete), groups: groups, note: p.note}
}
