package ui

import (
	"fmt"
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

// rebuild recomputes the rows from the cache: after a load or a write.
func (s *fleetScreen) rebuild() {
	s.built, s.lostAt = s.cache.version, s.lost.version
	s.all = model.BuildAudit(model.Inventory{Credentials: s.cache.all()}, s.now(), s.maxAge)
	model.MarkSecretLost(s.all, s.lost.has)
	s.cells = make(map[string][]string, len(s.all))
	live := make(map[string]bool, len(s.all))
	for i := range s.all {
		s.cells[s.all[i].ID] = s.rowCells(&s.all[i])
		live[s.all[i].ID] = true
	}
	for id := range s.sel {
		if !live[id] {
			delete(s.sel, id) // deleted: no longer selectable
		}
	}
	s.resort()
}

// resort sorts and filters again, keeping the cursor on the same credential.
func (s *fleetScreen) resort() {
	model.SortAudit(s.all, s.sortKey, s.reverse)
	s.refilter()
}

func (s *fleetScreen) refilter() {
	cur, had := s.row()
	s.filter.Text = s.text.value()
	s.visible = s.filter.AppendMatches(s.visible[:0], s.all)
	s.setRows()
	if had {
		s.moveTo(cur.ID)
	}
}

// setRows hands the visible rows to the table, with the selection marks.
func (s *fleetScreen) setRows() {
	rows := make([][]string, len(s.visible))
	for i := range s.visible {
		id := s.visible[i].ID
		c := s.cells[id]
		if s.sel[id] {
			row := make([]string, len(c))
			copy(row, c)
			row[0] = "●"
			c = row
		}
		rows[i] = c
	}
	s.table.SetRows(rows)
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
	w := s.w
	top = append(top, fitWidth(s.title(), w))
	if s.text.typing || s.text.value() != "" {
		top = append(top, fitWidth(s.text.view(s.styles, ""), w))
	}
	if line := s.progressLine(w); line != "" {
		top = append(top, line)
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
	size := [2]int{s.w, max(2, s.h-len(top)-len(legend))}
	if s.tableSize != size {
		s.tableSize = size
		s.table.SetWidth(size[0])
		s.table.SetColumns(fleetColumns(size[0]))
		s.table.SetHeight(size[1])
	}
}

func (s *fleetScreen) view() []string {
	top, legend := s.frame()
	lines := append(top, s.styleFlags(s.table.Lines())...)
	lines = append(lines, legend...)
	return fitLines(lines, s.w, s.h)
}

// styleFlags colours the flags column of the plain rows (the selected row has
// its own style, which a colour inside would break).
func (s *fleetScreen) styleFlags(lines []string) []string {
	at := 0
	for _, c := range s.table.Columns()[:fcFlags] {
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
		if flags := ansi.Cut(l, at, ansi.StringWidth(l)); strings.Contains(flags, "expired") || strings.Contains(flags, "secret-lost") {
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
		fmt.Sprintf("%d flagged", model.CountFlagged(s.visible)),
		"sort " + s.sortKey.String() + dir,
	}
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
	return strings.Join(parts, s.styles.HeaderSep.Render(" · "))
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
	count := fmt.Sprintf(" %d of %d", done, total)
	bar := s.bar // a copy: drawing changes nothing
	bar.Width = max(4, min(40, w-len(label)-len(count)))
	return fitWidth(label+bar.ViewAs(float64(done)/float64(max(1, total)))+count, w)
}

// legend explains each flag and says that IAM records no last-used date;
// secret-lost only while a credential has it.
func (s *fleetScreen) legend() string {
	var parts []string
	for _, f := range model.AllFlags() {
		if f == model.FlagSecretLost && s.lost.empty() {
			continue
		}
		parts = append(parts, f.String()+": "+f.Explain(s.maxAge))
	}
	return "Flags: " + strings.Join(parts, " · ") + ". " + model.NoLastUsedNote
}
