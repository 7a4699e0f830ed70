package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"iamcreds/model"
)

// The fleet screen's rows and what it draws around them.

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

// rebuild recomputes the rows from the cache: after a load or a write. The
// rows are built straight from the cache's credentials (no copy of them first)
// and their cells only when the table shows them.
func (s *fleetScreen) rebuild() {
	s.built = s.cache.version
	cur, had := s.row()
	s.all, s.visible = nil, nil // the old rows can go while the new are built
	now := s.now()
	rows := make([]model.AuditRow, 0, s.cache.count())
	s.cache.each(func(creds []model.Credential) {
		for _, c := range creds {
			rows = append(rows, model.NewAuditRow(c, now, s.maxAge))
		}
	})
	model.MarkTwoActive(rows, now)
	s.all = rows
	live := make(map[string]bool, len(s.sel))
	for i := range s.all {
		if s.sel[s.all[i].ID] {
			live[s.all[i].ID] = true
		}
	}
	for id := range s.sel {
		if !live[id] {
			delete(s.sel, id) // deleted: no longer selectable
		}
	}
	model.SortAudit(s.all, s.sortKey, s.reverse)
	s.refilterAt(cur.ID, had)
}

// resort sorts and filters again, keeping the cursor on the same credential.
func (s *fleetScreen) resort() {
	cur, had := s.row() // before the sort moves what visible points at
	model.SortAudit(s.all, s.sortKey, s.reverse)
	s.refilterAt(cur.ID, had)
}

func (s *fleetScreen) refilter() {
	cur, had := s.row()
	s.refilterAt(cur.ID, had)
}

// refilterAt filters again and puts the cursor back on credential id.
func (s *fleetScreen) refilterAt(id string, had bool) {
	s.filter.Text = s.text.value()
	s.visible = s.filter.AppendMatching(s.visible[:0], s.all)
	s.flagged = 0
	for _, r := range s.visible {
		if r.Flags != 0 {
			s.flagged++
		}
	}
	s.table.SetRowFunc(len(s.visible), s.cellsAt)
	if had {
		for i := range s.visible {
			if s.visible[i].ID == id {
				s.table.SetCursor(i)
				return
			}
		}
	}
}

// visibleRows is a copy of the rows the filters let through, in order.
func (s *fleetScreen) visibleRows() []model.AuditRow {
	out := make([]model.AuditRow, len(s.visible))
	for i, r := range s.visible {
		out[i] = *r
	}
	return out
}

// cellsAt is visible row i's cells, with its selection mark.
func (s *fleetScreen) cellsAt(i int) []string {
	r := s.visible[i]
	cells := s.cellsOf(r)
	if s.sel[r.ID] {
		cells[fcSel] = "●"
	}
	return cells
}

func (s *fleetScreen) rowCells(r *model.AuditRow) []string {
	login := r.ServiceUserName
	if login == "" {
		login = r.Alias
	}
	return []string{
		" ", r.UserName, r.Info.Short, r.ID, login, string(r.Status),
		s.fmtDate(r.Created), strconv.Itoa(r.AgeDays), r.Expiry, strings.Join(r.Flags.Names(), " "),
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

// frame is what surrounds the table: a title, the filter and progress lines,
// and the legend (none in a tiny window, which keeps the table).
func (s *fleetScreen) frame() (top, legend []string) {
	return s.frameWith(s.title(), nil, s.progressLine(s.w))
}

// frameWith is frame with its title, notes under it (the organization view's
// accounts not read) and a progress line ("" for none).
func (s *fleetScreen) frameWith(title string, notes []string, progress string) (top, legend []string) {
	w := s.w
	top = append(top, fitWidth(title, w))
	top = append(top, notes...)
	if s.text.typing || s.text.value() != "" {
		top = append(top, fitWidth(s.text.view(s.styles, ""), w))
	}
	if progress != "" {
		top = append(top, progress)
	}
	for _, l := range strings.Split(ansi.Wrap(s.legend(), max(1, w), " "), "\n") {
		legend = append(legend, fitWidth(s.styles.Muted.Render(l), w))
	}
	if s.h < len(top)+len(legend)+4 {
		legend = nil
	}
	return top, legend
}

// layout sizes the table for the lines around it.
func (s *fleetScreen) layout() {
	top, legend := s.frame()
	s.fitTable(top, legend, fleetColumns)
}

// fitTable sizes the table for the lines around it, with the columns cols
// gives for its width.
func (s *fleetScreen) fitTable(top, legend []string, cols func(w int) []column) {
	size := [2]int{s.w, max(2, s.h-len(top)-len(legend))}
	c := cols(size[0])
	if s.tableSize != size || !slices.Equal(c, s.table.Columns()) {
		s.tableSize = size
		s.table.SetWidth(size[0])
		s.table.SetColumns(c)
		s.table.SetHeight(size[1])
	}
}

func (s *fleetScreen) view() []string {
	top, legend := s.frame()
	return s.viewWith(top, legend)
}

// viewWith is the table between the lines frame or frameWith made.
func (s *fleetScreen) viewWith(top, legend []string) []string {
	lines := append(top, s.styleFlags(s.table.Lines())...)
	lines = append(lines, legend...)
	return fitLines(lines, s.w, s.h)
}

// styleFlags colours the flags column of the plain rows (the selected row has
// its own style, which a colour inside would break).
func (s *fleetScreen) styleFlags(lines []string) []string {
	at := 0
	cols := s.table.Columns()
	for _, c := range cols[:max(0, len(cols)-1)] { // every column before the flags, the last
		if c.width > 0 {
			at += c.width + 1
		}
	}
	for i := 1; i < len(lines); i++ { // 0 is the header
		l := lines[i]
		if strings.Contains(l, "\x1b") || strings.TrimSpace(ansi.Cut(l, at, at+ansi.StringWidth(l))) == "" {
			continue
		}
		style := s.styles.Warning
		if strings.Contains(ansi.Cut(l, at, ansi.StringWidth(l)), "expired") {
			style = s.styles.Error
		}
		lines[i] = ansi.Cut(l, 0, at) + style.Render(ansi.Cut(l, at, ansi.StringWidth(l)))
	}
	return lines
}

// title counts what the screen shows and says how it is sorted and filtered.
func (s *fleetScreen) title() string {
	dir := ""
	if s.reverse {
		dir = " (reversed)"
	}
	parts := []string{
		s.styles.PaneTitleFocused.Render("Fleet"),
		fmt.Sprintf("%d of %d credentials", len(s.visible), len(s.all)),
		fmt.Sprintf("%d flagged", s.flagged),
		"sort " + s.sortKey.String() + dir,
	}
	parts = append(parts, s.filterParts()...)
	return strings.Join(parts, s.styles.HeaderSep.Render(" · "))
}

// filterParts are the title's words for the filters and the selection.
func (s *fleetScreen) filterParts() []string {
	var parts []string
	if s.filter.Status != "" {
		parts = append(parts, "status "+string(s.filter.Status))
	}
	if s.filter.Service != "" {
		parts = append(parts, "service "+model.SafeText(model.LookupService(s.filter.Service).Short))
	}
	if s.filter.FlaggedOnly {
		parts = append(parts, "flagged only")
	}
	if n := len(s.sel); n > 0 {
		parts = append(parts, fmt.Sprintf("%d selected", n))
	}
	return parts
}

// progressLine is a bar while the per-user scan or a bulk action runs.
func (s *fleetScreen) progressLine(w int) string {
	var label string
	var done, total int
	switch {
	case s.bulk != nil:
		label, done, total = s.bulk.verb()+" ", s.bulk.done, len(s.bulk.targets)
	case s.load.invPending && s.load.scan[1] > 0:
		label, done, total = "scanning users ", s.load.scan[0], s.load.scan[1]
	case s.load.invPending:
		return fitWidth(s.styles.Muted.Render("loading every credential of the account…"), w)
	default:
		return ""
	}
	return s.barLine(label, done, total, w)
}

// barLine is "label ▓▓▓░░ done of total" in w columns.
func (s *fleetScreen) barLine(label string, done, total, w int) string {
	count := fmt.Sprintf(" %d of %d", done, total)
	bar := s.bar // a copy: drawing changes nothing
	bar.Width = max(4, min(40, w-len(label)-len(count)))
	return fitWidth(label+bar.ViewAs(float64(done)/float64(max(1, total)))+count, w)
}

// legend explains each flag and says that IAM records no last-used date.
func (s *fleetScreen) legend() string {
	var parts []string
	for _, f := range model.AllFlags() {
		parts = append(parts, f.String()+": "+f.Explain(s.maxAge))
	}
	return "Flags: " + strings.Join(parts, " · ") + ". " + model.NoLastUsedNote
}
