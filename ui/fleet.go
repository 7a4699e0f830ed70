package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/progress"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"iamcreds/model"
)

// fleetView is every credential of the account in one table, with risk flags,
// sort, filters and a selection for bulk actions. Its rows are rebuilt from the
// model's cache, which the users view shares.
type fleetView struct {
	on      bool
	dirty   bool // the cache changed: rebuild before the next frame
	table   tableModel
	all     []model.AuditRow // sorted
	visible []model.AuditRow // all, filtered
	cells   map[string][]string
	sortKey model.SortKey
	reverse bool
	filter  model.AuditFilter
	text    textinput.Model
	typing  bool            // the text filter has the keys
	sel     map[string]bool // selected credential ids
	scan    [2]int          // the per-user fallback's progress: done, total
	bar     progress.Model
	bulk    *bulkRun
	w, h    int
}

func newFleetView(s Styles) fleetView {
	ti := textinput.New()
	ti.Prompt = "/ "
	ti.PromptStyle, ti.TextStyle = s.FilterPrompt, s.FilterText
	ti.Cursor.SetMode(cursor.CursorStatic) // no blink timer: a settled screen renders the same
	return fleetView{
		table: newTable(s.Table), text: ti, sel: map[string]bool{}, dirty: true,
		bar: progress.New(progress.WithSolidFill("111"), progress.WithoutPercentage()),
	}
}

// maxAge is the age past which an Active credential is flagged stale.
func (m *Model) maxAge() time.Duration {
	if m.opts.MaxAge > 0 {
		return m.opts.MaxAge
	}
	return model.DefaultMaxAge
}

// toggleFleet switches between the users view and the fleet view.
func (m *Model) toggleFleet() tea.Cmd {
	m.fleet.on = !m.fleet.on
	m.fleet.dirty = true
	if m.fleet.on {
		m.fleet.table.Focus()
		m.rebuildFleet()
	}
	m.relayout()
	return nil
}

// rebuildFleet recomputes the rows from the cache: after a load or a write.
func (m *Model) rebuildFleet() {
	v := &m.fleet
	v.dirty = false
	var inv model.Inventory
	for _, creds := range m.cache {
		inv.Credentials = append(inv.Credentials, creds...)
	}
	v.all = model.BuildAudit(inv, m.now(), m.maxAge())
	v.cells = make(map[string][]string, len(v.all))
	for i := range v.all {
		v.cells[v.all[i].ID] = m.fleetCells(&v.all[i])
	}
	live := make(map[string]bool, len(v.all))
	for i := range v.all {
		live[v.all[i].ID] = true
	}
	for id := range v.sel {
		if !live[id] {
			delete(v.sel, id) // deleted: no longer selectable
		}
	}
	m.resortFleet()
}

// resortFleet sorts and filters again, keeping the cursor on the same credential.
func (m *Model) resortFleet() {
	v := &m.fleet
	model.SortAudit(v.all, v.sortKey, v.reverse)
	m.refilterFleet()
}

func (m *Model) refilterFleet() {
	v := &m.fleet
	cur, had := v.selected()
	v.filter.Text = v.text.Value()
	v.visible = v.filter.AppendMatches(v.visible[:0], v.all)
	m.setFleetRows()
	if had {
		for i := range v.visible {
			if v.visible[i].ID == cur.ID {
				v.table.SetCursor(i)
				return
			}
		}
	}
}

// setFleetRows hands the visible rows to the table, with the selection marks.
func (m *Model) setFleetRows() {
	v := &m.fleet
	rows := make([][]string, len(v.visible))
	for i := range v.visible {
		id := v.visible[i].ID
		c := v.cells[id]
		if v.sel[id] {
			row := make([]string, len(c))
			copy(row, c)
			row[0] = "●"
			c = row
		}
		rows[i] = c
	}
	v.table.SetRows(rows)
}

// selected is the row under the cursor.
func (v *fleetView) selected() (model.AuditRow, bool) {
	c := v.table.Cursor()
	if c < 0 || c >= len(v.visible) {
		return model.AuditRow{}, false
	}
	return v.visible[c], true
}

// Fleet columns; the cells are plain text (the table pads them).
const (
	fcSel = iota
	fcUser
	fcService
	fcID
	fcLogin
	fcStatus
	fcCreated
	fcAge
	fcExpires
	fcFlags
)

func (m *Model) fleetCells(r *model.AuditRow) []string {
	login := r.ServiceUserName
	if login == "" {
		login = r.Alias
	}
	return []string{
		" ", r.UserName, r.Info.Short, r.ID, login, string(r.Status),
		m.fmtDate(r.Created), strconv.Itoa(r.AgeDays), r.Expiry, strings.Join(r.Flags.Names(), " "),
	}
}

// fleetColumns fits the columns to w: the login and created columns go first
// when the terminal is narrow, then the id; flags take what is left.
func fleetColumns(w int) []column {
	cols := []column{
		{"", 1}, {"User", 14}, {"Service", 9}, {"Credential ID", 21}, {"User name / alias", 16},
		{"Status", 8}, {"Created", 10}, {"Age", 4}, {"Expires", 11}, {"Flags", 0},
	}
	drop := []int{fcLogin, fcCreated, fcID, fcExpires, fcService}
	width := func() int { // the columns with room, each after a space
		n := 0
		for _, c := range cols {
			if c.width > 0 {
				n += c.width + 1
			}
		}
		return n
	}
	for _, d := range drop {
		if width()+10 <= w {
			break
		}
		cols[d].width = 0
	}
	cols[fcFlags].width = max(0, w-width()-1)
	return cols
}

// fleetLines renders the fleet view in w x h: a title, the filter or progress
// lines, the table and the legend.
func (m *Model) fleetLines(w, h int) []string {
	v := &m.fleet
	if v.dirty {
		m.rebuildFleet()
	}
	var top []string
	top = append(top, fitWidth(m.fleetTitle(), w))
	if v.typing || v.text.Value() != "" {
		if v.typing {
			top = append(top, fitWidth(v.text.View(), w))
		} else {
			top = append(top, fitWidth(m.styles.FilterPrompt.Render("/ ")+m.styles.FilterText.Render(v.text.Value()), w))
		}
	}
	if line := m.fleetProgress(w); line != "" {
		top = append(top, line)
	}
	var legend []string
	for _, l := range strings.Split(ansi.Wrap(m.fleetLegend(), max(1, w), " "), "\n") {
		legend = append(legend, fitWidth(m.styles.Muted.Render(l), w))
	}
	if h < len(top)+len(legend)+4 {
		legend = legend[:0] // a tiny window keeps the table
	}
	th := max(2, h-len(top)-len(legend))
	if v.w != w || v.h != th {
		v.w, v.h = w, th
		v.table.SetWidth(w)
		v.table.SetColumns(fleetColumns(w))
		v.table.SetHeight(th)
	}
	lines := append(top, m.styleFlags(v.table.Lines())...)
	lines = append(lines, legend...)
	return fitLines(lines, w, h)
}

// styleFlags colours the flags column of the plain rows (the selected row has
// its own style, which a colour inside would break).
func (m *Model) styleFlags(lines []string) []string {
	at := 0
	for _, c := range m.fleet.table.Columns()[:fcFlags] {
		if c.width > 0 {
			at += c.width + 1
		}
	}
	for i := 1; i < len(lines); i++ { // 0 is the header
		l := lines[i]
		if strings.Contains(l, "\x1b") || strings.TrimSpace(ansi.Cut(l, at, at+ansi.StringWidth(l))) == "" {
			continue
		}
		style := m.styles.Warning
		if strings.Contains(ansi.Cut(l, at, ansi.StringWidth(l)), "expired") {
			style = m.styles.Error
		}
		lines[i] = ansi.Cut(l, 0, at) + style.Render(ansi.Cut(l, at, ansi.StringWidth(l)))
	}
	return lines
}

// fleetTitle counts what the view shows and says how it is sorted and filtered.
func (m *Model) fleetTitle() string {
	v := &m.fleet
	dir := ""
	if v.reverse {
		dir = " (reversed)"
	}
	parts := []string{
		m.styles.PaneTitleFocused.Render("Fleet"),
		fmt.Sprintf("%d of %d credentials", len(v.visible), len(v.all)),
		fmt.Sprintf("%d flagged", model.CountFlagged(v.visible)),
		"sort " + v.sortKey.String() + dir,
	}
	if v.filter.Status != "" {
		parts = append(parts, "status "+string(v.filter.Status))
	}
	if v.filter.Service != "" {
		parts = append(parts, "service "+model.LookupService(v.filter.Service).Short)
	}
	if v.filter.FlaggedOnly {
		parts = append(parts, "flagged only")
	}
	if n := len(v.sel); n > 0 {
		parts = append(parts, fmt.Sprintf("%d selected", n))
	}
	return strings.Join(parts, m.styles.HeaderSep.Render(" · "))
}

// fleetProgress is a bar while the per-user scan or a bulk action runs.
func (m *Model) fleetProgress(w int) string {
	v := &m.fleet
	var label string
	var done, total int
	switch {
	case v.bulk != nil:
		label, done, total = v.bulk.verb()+" ", v.bulk.done, len(v.bulk.targets)
	case m.load.invPending && v.scan[1] > 0:
		label, done, total = "scanning users ", v.scan[0], v.scan[1]
	case m.load.invPending:
		return fitWidth(m.styles.Muted.Render("loading every credential of the account…"), w)
	default:
		return ""
	}
	count := fmt.Sprintf(" %d of %d", done, total)
	v.bar.Width = max(4, min(40, w-len(label)-len(count)))
	return fitWidth(label+v.bar.ViewAs(float64(done)/float64(max(1, total)))+count, w)
}

// fleetKey handles keys in the fleet view (no overlay open).
func (m *Model) fleetKey(msg tea.KeyMsg) tea.Cmd {
	v := &m.fleet
	k := m.keys
	if v.dirty { // keys act on what the cache holds now, frame or not
		m.rebuildFleet()
	}
	if v.typing {
		return m.fleetTypingKey(msg)
	}
	t := &v.table
	switch {
	case key.Matches(msg, k.Quit):
		return m.requestQuit()
	case key.Matches(msg, k.Help):
		m.showFullHelp = !m.showFullHelp
		m.relayout()
	case key.Matches(msg, k.Fleet):
		return m.toggleFleet()
	case key.Matches(msg, k.Refresh):
		return m.refresh()
	case t.navigate(msg, k):
	case key.Matches(msg, k.Filter):
		v.typing = true
		v.text.CursorEnd()
		return v.text.Focus()
	case key.Matches(msg, k.Sort):
		v.sortKey = v.sortKey.Next()
		m.resortFleet()
	case key.Matches(msg, k.SortReverse):
		v.reverse = !v.reverse
		m.resortFleet()
	case key.Matches(msg, k.StatusFilter):
		v.filter.Status = nextStatus(v.filter.Status)
		m.refilterFleet()
	case key.Matches(msg, k.ServiceFilter):
		v.filter.Service = nextService(v.filter.Service, model.AuditServices(v.all))
		m.refilterFleet()
	case key.Matches(msg, k.FlaggedOnly):
		v.filter.FlaggedOnly = !v.filter.FlaggedOnly
		m.refilterFleet()
	case key.Matches(msg, k.ClearFilter) && m.fleetFiltered():
		v.text.SetValue("")
		v.filter = model.AuditFilter{}
		m.refilterFleet()
	case key.Matches(msg, k.Select):
		m.toggleSelect()
	case key.Matches(msg, k.SelectAll):
		m.selectAllVisible()
	case key.Matches(msg, k.ReadOnlyInfo):
		m.setStatus(levelWarn, "Read-only mode: toggle, reset, delete and bulk actions are off (start without --read-only to make changes)")
	case key.Matches(msg, k.BulkDeactivate):
		return m.openBulkConfirm(bulkDeactivate)
	case key.Matches(msg, k.BulkActivate):
		return m.openBulkConfirm(bulkActivate)
	case key.Matches(msg, k.BulkDelete):
		return m.openBulkConfirm(bulkDelete)
	case key.Matches(msg, k.Toggle):
		return m.toggle()
	case key.Matches(msg, k.Reset):
		return m.openResetConfirm()
	case key.Matches(msg, k.Delete):
		return m.openDeleteConfirm()
	case key.Matches(msg, k.Export):
		return m.openExportPrompt()
	}
	return nil
}

func (m *Model) fleetFiltered() bool {
	v := &m.fleet
	return v.text.Value() != "" || v.filter.Status != "" || v.filter.Service != "" || v.filter.FlaggedOnly
}

// fleetTypingKey: the text filter applies on every keystroke; enter keeps it,
// esc drops it.
func (m *Model) fleetTypingKey(msg tea.KeyMsg) tea.Cmd {
	v := &m.fleet
	k := m.keys
	switch {
	case key.Matches(msg, k.Interrupt):
		return m.requestQuit()
	case key.Matches(msg, k.FilterQuit):
		v.typing = false
		v.text.Blur()
		v.text.SetValue("")
		m.refilterFleet()
		return nil
	case key.Matches(msg, k.FilterDone):
		v.typing = false
		v.text.Blur()
		return nil
	case msg.Type == tea.KeyUp:
		v.table.MoveUp(1)
		return nil
	case msg.Type == tea.KeyDown:
		v.table.MoveDown(1)
		return nil
	}
	before := v.text.Value()
	var cmd tea.Cmd
	v.text, cmd = v.text.Update(msg)
	if v.text.Value() != before {
		m.refilterFleet()
	}
	return cmd
}

func nextStatus(s model.Status) model.Status {
	switch s {
	case "":
		return model.Active
	case model.Active:
		return model.Inactive
	case model.Inactive:
		return model.Expired
	}
	return ""
}

func nextService(cur string, all []string) string {
	for i, s := range all {
		if s == cur {
			if i+1 < len(all) {
				return all[i+1]
			}
			return ""
		}
	}
	if cur == "" && len(all) > 0 {
		return all[0]
	}
	return ""
}

// toggleSelect selects or unselects the row under the cursor and moves down.
func (m *Model) toggleSelect() {
	v := &m.fleet
	r, ok := v.selected()
	if !ok {
		return
	}
	if v.sel[r.ID] {
		delete(v.sel, r.ID)
	} else {
		v.sel[r.ID] = true
	}
	c := v.table.Cursor()
	m.setFleetRows()
	v.table.SetCursor(c + 1)
}

// selectAllVisible selects every visible row, or clears them when all are.
func (m *Model) selectAllVisible() {
	v := &m.fleet
	all := len(v.visible) > 0
	for i := range v.visible {
		all = all && v.sel[v.visible[i].ID]
	}
	for i := range v.visible {
		if all {
			delete(v.sel, v.visible[i].ID)
		} else {
			v.sel[v.visible[i].ID] = true
		}
	}
	m.setFleetRows()
}

// fleetHelp is the help bar's bindings in the fleet view.
func (m *Model) fleetHelp(k KeyMap) contextKeys {
	v := &m.fleet
	if v.typing {
		return single([]key.Binding{k.FilterDone, k.FilterQuit, k.Interrupt})
	}
	k.ClearFilter.SetEnabled(m.fleetFiltered())
	k.ClearFilter.SetHelp("esc", "clear filters")
	k.Fleet.SetHelp("a", "users view")
	if _, ok := v.selected(); !ok {
		k.Toggle.SetEnabled(false)
		k.Reset.SetEnabled(false)
		k.Delete.SetEnabled(false)
	}
	move := key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑↓/jk", "move"))
	filters := key.NewBinding(key.WithKeys("v", "o", "f"), key.WithHelp("v/o/f", "status/service/flagged"))
	bulk := key.NewBinding(key.WithKeys("I", "A", "X"), key.WithHelp("I/A/X", "bulk off/on/delete"))
	bulk.SetEnabled(k.BulkDelete.Enabled())
	return contextKeys{
		short: []key.Binding{k.Fleet, move, k.Sort, k.SortReverse, k.Filter, filters, k.Select, k.SelectAll, bulk,
			k.Toggle, k.Reset, k.Delete, k.Export, k.ClearFilter, k.Quit, k.Help},
		full: [][]key.Binding{
			{move, k.PageUp, k.PageDown, k.Top, k.Bottom},
			{k.Sort, k.SortReverse, k.Filter, k.StatusFilter, k.ServiceFilter, k.FlaggedOnly, k.ClearFilter},
			{k.Select, k.SelectAll, k.BulkDeactivate, k.BulkActivate, k.BulkDelete, k.ReadOnlyInfo},
			{k.Toggle, k.Reset, k.Delete, k.Export},
			{k.Fleet, k.Refresh, k.Help, k.Quit},
		},
	}
}

// fleetLegend explains each flag and says that IAM records no last-used date.
func (m *Model) fleetLegend() string {
	var parts []string
	for _, f := range model.AllFlags() {
		parts = append(parts, f.String()+": "+f.Explain(m.maxAge()))
	}
	return "Flags: " + strings.Join(parts, " · ") + ". " + model.NoLastUsedNote
}
