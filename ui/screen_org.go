package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"iamcreds/model"
)

// orgScreen is the organization view: every credential of every account read,
// with an Account column, the fleet's sort, filters and selection, and a
// filter and sort by account. It is a fleet screen of its own whose rows come
// from the accounts rather than from the account on screen: the table, the
// filters, the selection and the row cells are the fleet's.
type orgScreen struct {
	*fleetScreen
	org      *orgState
	orgBuilt uint64 // the accounts' version the rows were built from
	wide     bool   // the account column shows "Name (ID)", else the name
	// moved: the person has pressed a key on the view (moved, sorted,
	// filtered, written). Until then the cursor stays on the first row while
	// accounts arrive, in whatever order they are read; from then on it holds
	// its row, by account and id.
	moved bool
}

// openAccountMsg asks the root to open the row's user in its account.
type openAccountMsg struct{ row model.AuditRow }

func newOrgScreen(sh *shared, org *orgState) *orgScreen {
	fs := newFleetScreen(sh)
	fs.sortKey = model.SortAccount
	s := &orgScreen{fleetScreen: fs, org: org, wide: true}
	fs.cellsOf = s.rowCells
	fs.users = newUsersList(fs, s.readAccounts, true)
	return s
}

func (s *orgScreen) resize(w, h int) {
	s.w, s.h = w, h
	if wide := w >= orgWideWidth; wide != s.wide {
		s.wide = wide
		s.orgBuilt = 0 // the account cells change
	}
	s.layout()
}

func (s *orgScreen) sync() {
	if v := s.org.version(); s.orgBuilt != v || s.lostAt != s.lost.version {
		s.orgBuilt, s.lostAt = v, s.lost.version
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

// rowCells are a row's fleet cells with its account's after the selection
// mark, built when the table shows the row.
func (s *orgScreen) rowCells(r *model.AuditRow) []string {
	fleet := s.fleetScreen.rowCells(r)
	cells := make([]string, 0, len(fleet)+1)
	return append(append(append(cells, fleet[0]), s.accountCell(r.Account)), fleet[1:]...)
}

// takeNote is the fleet's, once the accounts are read: a row gone while a
// scan runs is said with the scan's summary.
func (s *orgScreen) takeNote() string {
	if s.org.scanning {
		return ""
	}
	return s.fleetScreen.takeNote()
}

// rebuild computes the rows of every account read.
func (s *orgScreen) rebuild() {
	cur, had := s.row()
	s.all, s.visible = nil, nil // the old rows can go while the new are built
	s.all = model.BuildAccountsAudit(s.org.inventories(), s.now(), s.maxAge)
	s.unscanned = s.org.unscanned()
	model.MarkSecretLost(s.all, s.lost.has)
	s.forgetGone()
	if s.filter.Account != "" && s.org.byKey[s.filter.Account] == nil {
		s.filter.Account = "" // the account is gone
	}
	model.SortAudit(s.all, s.sortKey, s.reverse)
	if !s.moved {
		s.refilterAt(rowKey{}, false)
		s.table.SetCursor(0)
		return
	}
	acct := ""
	if cur.Account != nil {
		acct = " in " + model.SafeText(cur.Account.Label())
	}
	s.refilterHolding(cur, had, acct)
}

// orgWideWidth is the width from which the account column shows the ID too.
const orgWideWidth = 110

// accountCell names a row's account: "Production (111122223333)" when wide,
// else the name alone (the ID when there is none).
func (s *orgScreen) accountCell(a *model.Account) string {
	if a == nil {
		return ""
	}
	if s.wide || a.DisplayName() == "" {
		return model.SafeText(a.Label())
	}
	return model.SafeText(a.DisplayName())
}

// columns are the fleet's with an account column, as wide as the widest
// account's cell (at most 28; 14 when not wide).
func (s *orgScreen) columns(w int) []column {
	width := 8
	for _, a := range s.org.accounts {
		if a.read() {
			width = max(width, ansi.StringWidth(s.accountCell(&a.info)))
		}
	}
	width = min(width, 28)
	if !s.wide {
		width = min(width, 14)
	}
	return orgColumns(w, width)
}

// orgCol is the organization table's index of fleet column fc: the account
// column follows the selection mark.
func orgCol(fc int) int {
	if fc == fcSel {
		return fcSel
	}
	return fc + 1
}

// orgColumns fits the columns to w, the account's at most account wide. What
// tells two rows of one user apart — the id's tail, the status — gets room
// before the account's name, which is cut first ("Data pl…"); then the
// fleet's order (fleetSteps).
func orgColumns(w, account int) []column {
	const acct = fcSel + 1
	steps := []fitStep{
		{orgCol(fcSel), 1}, {orgCol(fcUser), 8}, {orgCol(fcID), 6}, {orgCol(fcStatus), 8}, {acct, min(8, account)},
		{orgCol(fcService), 9}, {orgCol(fcFlags), 6}, {orgCol(fcAge), 4}, {acct, account},
	}
	for _, st := range fleetSteps[7:] { // the user's, the id's… widenings
		steps = append(steps, fitStep{orgCol(st.col), st.width})
	}
	widths := fitSteps(fcFlags+2, steps, []int{orgCol(fcFlags), orgCol(fcUser)}, w)
	cols := fleetTitled(append([]int{widths[fcSel]}, widths[acct+1:]...))
	out := make([]column, 0, len(cols)+1)
	return append(append(append(out, cols[0]), column{title: "Account", width: widths[acct]}), cols[1:]...)
}

// layout sizes the table for the lines around it; the account column follows
// the accounts' names.
func (s *orgScreen) layout() {
	top, legend := s.frame()
	s.fitTable(top, legend, s.columns)
}

func (s *orgScreen) view() []string {
	if s.users.open {
		return s.users.view()
	}
	top, legend := s.frame()
	return s.viewWith(top, legend)
}

// frame is the fleet's, with the accounts not read under the title and the
// accounts' reading as its progress.
func (s *orgScreen) frame() (top, legend []string) {
	return s.frameWith(s.title(s.w), append(s.notReadLines(s.w), s.bannerLines()...), s.scanLine(s.w))
}

// maxNotRead bounds the lines naming accounts not read; the rest are counted.
const maxNotRead = 3

// notReadLines name each account that could not be read, with the reason, then
// the accounts left out, in a few lines.
func (s *orgScreen) notReadLines(w int) []string {
	failed, skipped := s.org.notRead()
	var lines []string
	if err := s.org.err; err != nil {
		lines = append(lines, s.styles.Error.Render("✗ Could not list the accounts: "+model.SafeText(errorText(err))))
	}
	for i, a := range failed {
		if i == maxNotRead-1 && len(failed) > maxNotRead {
			lines = append(lines, s.styles.Error.Render(fmt.Sprintf("✗ … and %d more accounts could not be read (iamcreds audit --org lists every reason)", len(failed)-i)))
			break
		}
		lines = append(lines, s.styles.Error.Render("✗ "+notReadReason(a)))
	}
	if len(skipped) > 0 {
		var names []string
		for _, a := range skipped {
			names = append(names, a.info.Label()+": "+strings.TrimPrefix(a.skipped, "account is "))
		}
		lines = append(lines, s.styles.Muted.Render("Skipped: "+model.SafeText(strings.Join(names, " · "))))
	}
	for i, l := range lines {
		lines[i] = fitWidth(ansi.Truncate(l, w, "…"), w)
	}
	return lines
}

// notReadReason is "Sandbox (222233334444): cannot assume …": why account a
// could not be read, whole (the line above the table may cut it; ? shows it).
func notReadReason(a *account) string {
	reason := strings.TrimPrefix(errorText(a.err), "account "+a.info.Label()+": ")
	return model.SafeText(a.info.Label() + ": " + reason)
}

// notReadNote lists every account that could not be read with its reason,
// whole, for the full help (?): the lines above the table are cut to the
// window's width.
func (s *orgScreen) notReadNote() string {
	failed, _ := s.org.notRead()
	if len(failed) == 0 {
		return ""
	}
	lines := []string{"Accounts not read (ctrl+r tries again)"}
	for _, a := range failed {
		lines = append(lines, "✗ "+notReadReason(a))
	}
	return strings.Join(lines, "\n")
}

// scanLine is a bar while the accounts are read or a bulk action runs.
func (s *orgScreen) scanLine(w int) string {
	var label string
	var done, total int
	switch {
	case s.bulk != nil:
		label, done, total = s.bulk.verb()+" ", s.bulk.done, len(s.bulk.targets)
	case s.org.scanning && s.org.found.Total > 0:
		label, done, total = "reading accounts ", s.org.reported, s.org.found.Total
	case s.org.scanning:
		return fitWidth(s.styles.Muted.Render("listing the accounts…"), w)
	default:
		return ""
	}
	return s.barLine(label, done, total, w)
}

// title counts what the view shows and says how it is sorted and filtered,
// in w columns.
func (s *orgScreen) title(w int) string {
	name := "Organization"
	if s.org.found.Organization == "" && s.org.found.Caller == "" {
		name = "Profiles"
	}
	read := fmt.Sprintf("%d of %s read", s.org.readCount(), plural(len(s.org.accounts), "account"))
	parts := []titlePart{
		{fmt.Sprintf("%d of %d credentials", len(s.visible), len(s.all)), fmt.Sprintf("%d/%d", len(s.visible), len(s.all))},
		{read, read},
		{fmt.Sprintf("%d flagged", s.flagged), fmt.Sprintf("%d flagged", s.flagged)},
	}
	if a := s.org.byKey[s.filter.Account]; a != nil {
		name := a.info.DisplayName()
		if name == "" {
			name = a.info.ID
		}
		parts = append(parts, titlePart{"account " + model.SafeText(name), model.SafeText(name)})
	}
	parts = append(append(parts, s.filterParts()...), s.sortPart())
	return s.fitTitle(name, parts, w)
}

func (s *orgScreen) update(msg tea.KeyMsg) (tea.Msg, tea.Cmd) {
	s.moved = true
	if s.text.typing {
		return nil, s.editKey(msg)
	}
	if s.users.open {
		return s.users.update(msg)
	}
	k := s.keys
	switch {
	case key.Matches(msg, k.OpenAccount):
		if r, ok := s.row(); ok {
			return openAccountMsg{row: r}, nil
		}
		return statusMsg{levelInfo, "No credential selected"}, nil
	case key.Matches(msg, k.Sort):
		s.sortKey = s.sortKey.NextAcross()
		s.resort()
		return nil, nil
	case key.Matches(msg, k.AccountFilter):
		s.filter.Account = s.nextAccount()
		s.refilter()
		return nil, nil
	case key.Matches(msg, k.ReadOnlyInfo):
		return statusMsg{levelWarn, "Read-only mode: toggle, reset, delete, rotate and bulk actions are off in every account " + s.readOnlyHint()}, nil
	}
	intent, cmd := s.fleetScreen.update(msg)
	return s.acrossAccounts(intent), cmd
}

// acrossAccounts completes a dialog the fleet opens for the accounts: a bulk
// confirmation names the targets' accounts, an export carries the
// organization's metadata.
func (s *orgScreen) acrossAccounts(intent tea.Msg) tea.Msg {
	if ask, ok := intent.(exportAskedMsg); ok {
		meta := s.reportMeta()
		ask.meta = &meta
		return ask
	}
	open, ok := intent.(openDialogMsg)
	if !ok {
		return intent
	}
	switch d := open.dialog.(type) {
	case *bulkConfirm:
		var accts []*account
		for _, c := range d.targets {
			accts = append(accts, s.org.holding(c.UserName, c.ID))
		}
		return openDialogMsg{newAccountDialog(s.styles, d, accts)}
	}
	return intent
}

// nextAccount is the account filter after the current one: each account read
// in turn, then none.
func (s *orgScreen) nextAccount() string {
	var keys []string
	for _, a := range s.org.accounts {
		if a.read() {
			keys = append(keys, a.info.ID)
		}
	}
	return nextService(s.filter.Account, keys) // the same cycle as the service filter's
}

// reportMeta is the metadata of an export of the view: the organization, the
// accounts, the filters.
func (s *orgScreen) reportMeta() model.AuditMeta {
	return model.AuditMeta{
		GeneratedAt: s.now(), MaxAge: s.maxAge, Filter: s.filter,
		Across: &model.AcrossAccounts{Organization: s.org.found.Organization, Caller: s.org.found.Caller,
			Accounts: model.SummarizeAccounts(s.org.inventories())},
	}
}

// help is the fleet's, with the account's keys: enter opens the row's
// account, c filters by account, ctrl+r reads every account again.
func (s *orgScreen) help(k KeyMap) contextKeys {
	if s.users.open {
		return s.users.help(k)
	}
	k.Refresh.SetHelp("ctrl+r", "read every account again")
	filters := key.NewBinding(key.WithKeys("c", "v", "o", "f"), key.WithHelp("c/v/o/f", "account/status/service/flagged"))
	bulk := key.NewBinding(key.WithKeys("I", "A", "X"), key.WithHelp("I/A/X", "bulk off/on/delete"))
	note := s.legend()
	if failed := s.notReadNote(); failed != "" {
		note = failed + "\n\n" + note
	}
	return s.fleetHelp(k, fleetHelpParts{
		open:    func(k *KeyMap) *key.Binding { return &k.OpenAccount },
		filters: []key.Binding{k.AccountFilter},
		global: func(k KeyMap) helpGroup {
			return helpGroup{"Global", []key.Binding{k.Whois, k.Refresh, k.Help, k.Quit, k.Interrupt, k.Suspend}}
		},
		bar: func(k KeyMap, move, bulkKeys key.Binding) []key.Binding {
			bulk.SetEnabled(bulkKeys.Enabled())
			return []key.Binding{k.OpenAccount, move, k.Sort, k.Filter, filters, k.Select, bulk,
				k.Toggle, k.Reset, k.Delete, k.Rotate, k.Export, k.ConsoleUsers, k.ClearFilter, k.Refresh, k.Quit, k.Help}
		},
		note: note,
	})
}
