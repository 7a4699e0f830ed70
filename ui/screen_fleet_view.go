package ui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"iamcreds/model"
)

// What the fleet draws around its rows: columns, title, legend, progress.

// fleetSteps are the fleet's columns in the order they get room (fitSteps):
// what tells a row apart first — the user, the service, the id's last
// characters (as a delete asks for them) — then its status, flags and age,
// then the full id, the expiry, the creation date and the login.
var fleetSteps = []fitStep{
	{fcSel, 1}, {fcUser, 8}, {fcService, 9}, {fcID, 6}, {fcStatus, 8}, {fcFlags, 6}, {fcAge, 4},
	{fcUser, 14}, {fcID, 21}, {fcExpires, 11}, {fcCreated, 10}, {fcLogin, 10}, {fcLogin, 16},
}

// fleetColumns fits the columns to w; the flags (else the user) take what is
// left.
func fleetColumns(w int) []column {
	return fleetTitled(fitSteps(fcFlags+1, fleetSteps, []int{fcFlags, fcUser}, w))
}

// fleetTitled names the fleet's columns of widths (fcSel…fcFlags).
func fleetTitled(widths []int) []column {
	id := "Credential ID"
	if widths[fcID] < len(id) {
		id = "ID"
	}
	titles := [...]string{"", "User", "Service", id, "User name / alias", "Status", "Created", "Age", "Expires", "Flags"}
	cols := make([]column, len(titles))
	for i, t := range titles {
		cols[i] = column{title: t, width: widths[i], tail: i == fcID}
	}
	return cols
}

// frame is what surrounds the table: a title, the filter and progress lines,
// and the legend (none in a tiny window, which keeps the table).
func (s *fleetScreen) frame() (top, legend []string) {
	return s.frameWith(s.title(s.w), s.bannerLines(), s.progressLine(s.w))
}

// unscannedOf are the services of rows the scan does not list.
func unscannedOf(rows []model.AuditRow, scan []string) []string {
	creds := make([]model.Credential, len(rows))
	for i := range rows {
		creds[i] = rows[i].Credential
	}
	return model.UnscannedServices(creds, scan)
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
	legend = []string{fitWidth(s.styles.Muted.Render(s.legendLine(w)), w)}
	if s.h < len(top)+len(legend)+4 || fleetColumns(w)[fcFlags].width == 0 {
		legend = nil // no room, or no flags column to explain
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
	if s.users.open {
		return s.users.view()
	}
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
		if flags := ansi.Cut(l, at, ansi.StringWidth(l)); strings.Contains(flags, "expired") || strings.Contains(flags, "secret-lost") {
			style = s.styles.Error
		}
		lines[i] = ansi.Cut(l, 0, at) + style.Render(ansi.Cut(l, at, ansi.StringWidth(l)))
	}
	return lines
}

// titlePart is a part of a screen's title line, with the shorter form it
// takes when the line is too narrow.
type titlePart struct{ long, short string }

// fitTitle joins name and parts with " · " in w columns: parts take their
// short form, the last first, until it fits; then whole parts go, the last
// first, and a "…" says there was more. A word is never cut in the middle,
// but for the name alone in a tiny window, which ends with "…".
func (s *fleetScreen) fitTitle(name string, parts []titlePart, w int) string {
	texts := make([]string, len(parts))
	for i, p := range parts {
		texts[i] = p.long
	}
	sep := s.styles.HeaderSep.Render(" · ")
	more := false
	join := func() string {
		all := append([]string{s.styles.PaneTitleFocused.Render(name)}, texts...)
		if more {
			all = append(all, "…")
		}
		return strings.Join(all, sep)
	}
	for i := len(parts) - 1; i >= 0 && lineWidth(join()) > w; i-- {
		texts[i] = parts[i].short
	}
	for len(texts) > 0 && lineWidth(join()) > w {
		texts, more = texts[:len(texts)-1], true
	}
	if lineWidth(join()) > w {
		return ansi.Truncate(s.styles.PaneTitleFocused.Render(name), w, "…")
	}
	return join()
}

// title counts what the screen shows and says how it is sorted and filtered,
// in w columns.
func (s *fleetScreen) title(w int) string {
	parts := []titlePart{
		{fmt.Sprintf("%d of %d credentials", len(s.visible), len(s.all)), fmt.Sprintf("%d/%d", len(s.visible), len(s.all))},
		{fmt.Sprintf("%d flagged", s.flagged), fmt.Sprintf("%d flagged", s.flagged)},
		s.sortPart(),
	}
	return s.fitTitle("Fleet", append(parts, s.filterParts()...), w)
}

// sortPart says how the rows are sorted.
func (s *fleetScreen) sortPart() titlePart {
	if s.reverse {
		return titlePart{"sort " + s.sortKey.String() + " (reversed)", "sort " + s.sortKey.String() + " reversed"}
	}
	return titlePart{"sort " + s.sortKey.String(), "sort " + s.sortKey.String()}
}

// filterParts are the title's words for the filters, the selection and the
// rows a bulk action changed.
func (s *fleetScreen) filterParts() []titlePart {
	var parts []titlePart
	if s.filter.Status != "" {
		parts = append(parts, titlePart{"status " + string(s.filter.Status), string(s.filter.Status)})
	}
	if s.filter.Service != "" {
		svc := model.SafeText(model.LookupService(s.filter.Service).Short)
		parts = append(parts, titlePart{"service " + svc, svc})
	}
	if s.filter.FlaggedOnly {
		parts = append(parts, titlePart{"flagged only", "flagged"})
	}
	if n := len(s.sel); n > 0 {
		parts = append(parts, titlePart{fmt.Sprintf("%d selected", n), fmt.Sprintf("%d sel", n)})
	}
	if n := s.changed.count(); n > 0 {
		parts = append(parts, titlePart{fmt.Sprintf("✓ %d changed: kept until the filter or sort changes", n), fmt.Sprintf("✓ %d changed", n)})
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

// legendLine is the legend folded to one line of at most w columns: the flags'
// names, and where ? explains them (the full help shows legend).
func (s *fleetScreen) legendLine(w int) string {
	var names []string
	for _, f := range s.flags() {
		names = append(names, f.String())
	}
	for _, l := range []string{
		"Flags: " + strings.Join(names, " · ") + " — ? explains them",
		"Flags: " + strings.Join(names, " · ") + " (?)",
		"? explains the flags",
	} {
		if ansi.StringWidth(l) <= w {
			return l
		}
	}
	return ""
}

// legend explains each flag, one a line, and says that IAM records no
// last-used date: the full help's note.
func (s *fleetScreen) legend() string {
	l := "Flags\n" + strings.TrimRight(model.Legend(s.maxAge), "\n")
	if !s.lost.empty() {
		l += "\n" + model.FlagSecretLost.String() + ": " + model.FlagSecretLost.Explain(s.maxAge)
	}
	if n := s.users.counts; n.total > 0 || n.reading > 0 {
		l += "\n\n" + usersLegend
	}
	return l
}

// flags are the flags the legend names: secret-lost only while a credential
// has it (this session's own knowledge, which no report carries).
func (s *fleetScreen) flags() []model.Flag {
	var out []model.Flag
	for _, f := range model.AllFlags() {
		if f != model.FlagSecretLost || !s.lost.empty() {
			out = append(out, f)
		}
	}
	return out
}
