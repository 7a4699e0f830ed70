package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/table"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/mattn/go-runewidth"

	"iamcreds/model"
)

// tableModel is a thin wrapper around bubbles/table keeping the small API the
// views use. The root model's KeyMap drives it (its own bindings never match);
// the views filter and sort their rows, then call SetRows or SetRowFunc.
//
// bubbles/table renders only the rows around its cursor, but it takes every
// row as text. This table builds a row's text — its cells, padded to the
// columns — only when the row comes near the cursor, and keeps it until the
// row, the columns or the width change: loading 20,000 users, sorting 40,000
// credentials or resizing the window renders a screenful, not every row.
type tableModel struct {
	t     table.Model
	cols  []column
	n     int                  // rows
	cells func(i int) []string // row i's cells; not called for rows far from the cursor
	// rows are bubbles' rows: one padded line per row once it has been near
	// the cursor, nil until then (bubbles never renders those).
	rows    []table.Row
	width   int
	focused bool
	dirty   bool // a row's text changed: render again before the next view (sync)
	// stale: something changed since sync; view is sync's rendering of the rows.
	stale  bool
	view   string
	styles tableStyles
	header string // rendered on SetColumns: padded to the width, unlike bubbles'
}

type column struct {
	title string
	width int
	// tail: a value too wide loses its start, not its end (a credential id,
	// whose last characters tell it apart and are what a delete asks for).
	tail bool
}

// tableStyles: the header, and the selected row when the table has or lacks the
// focus. Rows themselves are plain so that the selection always shows.
type tableStyles struct {
	header        lipgloss.Style
	selected      lipgloss.Style
	selectedBlur  lipgloss.Style
	marker        string // replaces the selected row's first (padding) cell
	markerBlurred string
}

// noKeys never matches: the table must not react to d/u/f/b/g/G/space itself.
var noKeys = table.KeyMap{
	LineUp: key.NewBinding(key.WithDisabled()), LineDown: key.NewBinding(key.WithDisabled()),
	PageUp: key.NewBinding(key.WithDisabled()), PageDown: key.NewBinding(key.WithDisabled()),
	HalfPageUp: key.NewBinding(key.WithDisabled()), HalfPageDown: key.NewBinding(key.WithDisabled()),
	GotoTop: key.NewBinding(key.WithDisabled()), GotoBottom: key.NewBinding(key.WithDisabled()),
}

func newTable(s tableStyles) tableModel {
	t := tableModel{styles: s}
	// One column from the start: rows (one cell each) may come before SetColumns.
	t.t = table.New(table.WithKeyMap(noKeys), table.WithHeight(2), table.WithColumns([]table.Column{{}}))
	t.applyStyles()
	return t
}

// applyStyles gives bubbles/table plain cells (a Foreground there would hide the
// selection) and a selected style that puts the marker in the row's first cell.
func (t *tableModel) applyStyles() {
	t.stale = true
	t.prepare(t.t.Cursor())
	marker, style := t.styles.markerBlurred, t.styles.selectedBlur
	if t.focused {
		marker, style = t.styles.marker, t.styles.selected
	}
	withMarker := func(row string) string {
		if strings.HasPrefix(row, " ") {
			return marker + row[1:]
		}
		return row
	}
	t.t.SetStyles(table.Styles{
		Header:   lipgloss.NewStyle(),
		Cell:     lipgloss.NewStyle().PaddingLeft(1),
		Selected: style.Transform(withMarker),
	})
}

// SetColumns sets our columns. bubbles/table gets one column holding each row
// already padded to these: one lipgloss render per row instead of one per cell
// keeps a cursor move under a millisecond.
func (t *tableModel) SetColumns(cols []column) {
	t.stale = true
	t.cols = cols
	var b strings.Builder
	for _, c := range cols {
		if c.width <= 0 {
			continue // a column the width has no room for
		}
		b.WriteByte(' ')
		b.WriteString(padCell(c.title, c.width))
	}
	t.header = t.styles.header.Render(padCell(b.String(), t.width))
	t.invalidateAll()
	t.t.SetColumns([]table.Column{{Width: max(0, t.width-1)}})
}

// SetRows replaces the rows; the cursor stays at its index, within bounds.
func (t *tableModel) SetRows(rows [][]string) {
	t.SetRowFunc(len(rows), func(i int) []string { return rows[i] })
}

// SetRowFunc replaces the rows with n rows whose cells come from cells(i),
// asked only for the rows that come near the cursor, and again after
// Invalidate. The cursor stays at its index, within bounds.
func (t *tableModel) SetRowFunc(n int, cells func(i int) []string) {
	t.stale = true
	cur := t.t.Cursor()
	t.n, t.cells = n, cells
	if cap(t.rows) >= n && cap(t.rows) <= 2*n {
		t.rows = t.rows[:n]
		clear(t.rows)
	} else {
		t.rows = make([]table.Row, n)
	}
	cur = clamp(cur, 0, max(0, n-1))
	t.prepare(cur)
	t.t.SetRows(t.rows)
	t.SetCursor(cur) // bubbles leaves -1 after empty rows
}

// Invalidate says row i's cells changed: its text is built again when shown.
func (t *tableModel) Invalidate(i int) {
	if i >= 0 && i < t.n {
		t.rows[i] = nil
		t.dirty, t.stale = true, true
	}
}

// InvalidateAll says every row's cells changed.
func (t *tableModel) InvalidateAll() {
	t.invalidateAll()
	t.dirty = true
}

func (t *tableModel) invalidateAll() {
	t.stale = true
	clear(t.rows)
	t.prepare(t.t.Cursor())
}

// prepare builds the text of the rows bubbles renders with the cursor at cur:
// those within its viewport's height either side (and a row more).
func (t *tableModel) prepare(cur int) { t.prepareFor(cur, t.t.Height()) }

// prepareFor is prepare for a viewport of height lines.
func (t *tableModel) prepareFor(cur, height int) {
	if t.cells == nil || t.n == 0 {
		return
	}
	h := height + 1
	for i := max(0, cur-h); i < min(t.n, cur+h+1); i++ {
		if t.rows[i] == nil {
			t.rows[i] = table.Row{t.line(t.cells(i))}
		}
	}
}

// line joins a row's cells padded to the columns (the first cell's leading
// space comes from the Cell style's padding). Every table's cells pass here, so
// this is where text from IAM (names, ids, logins, statuses) is made safe.
func (t *tableModel) line(cells []string) string {
	var b strings.Builder
	first := true
	for j, c := range t.cols {
		if c.width <= 0 {
			continue // as in the header
		}
		if !first {
			b.WriteByte(' ')
		}
		first = false
		switch {
		case j < len(cells) && c.tail:
			b.WriteString(padCellTail(model.SafeText(cells[j]), c.width))
		case j < len(cells):
			b.WriteString(padCell(model.SafeText(cells[j]), c.width))
		default:
			b.WriteString(strings.Repeat(" ", c.width))
		}
	}
	return b.String()
}

// SetWidth sets the table's width; the columns' widths come with SetColumns.
func (t *tableModel) SetWidth(w int) {
	if t.width == max(0, w) {
		return
	}
	t.width = max(0, w)
	t.t.SetWidth(t.width)
	t.SetColumns(t.cols)
}

// SetHeight sets the table's height in lines, the header included.
func (t *tableModel) SetHeight(h int) {
	t.stale = true
	h = max(2, h)
	t.prepareFor(t.t.Cursor(), h-1) // the header takes a line
	t.t.SetHeight(h)
	t.t.UpdateViewport() // keeps the cursor on screen at the new height
}

func (t *tableModel) Height() int { return t.t.Height() }
func (t *tableModel) Len() int    { return t.n }

// Row is row i's cells as the view gives them (built anew; nil out of range).
func (t *tableModel) Row(i int) []string {
	if i < 0 || i >= t.n || t.cells == nil {
		return nil
	}
	return t.cells(i)
}

func (t *tableModel) Columns() []column { return t.cols }
func (t *tableModel) Cursor() int {
	if t.n == 0 {
		return -1
	}
	return t.t.Cursor()
}

func (t *tableModel) Focus() { t.focused = true; t.prepare(t.t.Cursor()); t.t.Focus(); t.applyStyles() }
func (t *tableModel) Blur()  { t.focused = false; t.prepare(t.t.Cursor()); t.t.Blur(); t.applyStyles() }

// SetCursor moves the cursor to row i (clamped) and scrolls it into view.
func (t *tableModel) SetCursor(i int) {
	t.stale = true
	i = clamp(i, 0, max(0, t.n-1))
	t.prepare(i)
	t.t.SetCursor(i)
}

func (t *tableModel) MoveUp(n int)   { t.moveTo(t.t.Cursor() - n); t.t.MoveUp(n) }
func (t *tableModel) MoveDown(n int) { t.moveTo(t.t.Cursor() + n); t.t.MoveDown(n) }
func (t *tableModel) GotoTop()       { t.moveTo(0); t.t.GotoTop() }
func (t *tableModel) GotoBottom()    { t.moveTo(t.n - 1); t.t.GotoBottom() }

// moveTo prepares the rows around where a move takes the cursor.
func (t *tableModel) moveTo(i int) {
	t.stale = true
	t.prepare(clamp(i, 0, max(0, t.n-1)))
}

// reveal scrolls the cursor back on screen: bubbles/table's SetCursor and
// SetHeight render around the cursor but leave the viewport's offset, which
// can hide it. From the top (offset 0), MoveDown sets an offset that shows it.
func (t *tableModel) reveal() {
	c := t.t.Cursor()
	t.prepare(0)
	t.t.SetCursor(0)
	t.t.MoveUp(0) // at the top: the offset becomes 0
	t.prepare(c)
	t.t.MoveDown(c)
}

// sync readies the next Lines after changes: bubbles' viewport is rendered
// again if a row changed in place, and scrolled back to the cursor if it hides
// it, and the rows on screen are kept for Lines. The views call it from Update
// (their sync), so that Lines changes nothing.
func (t *tableModel) sync() {
	if !t.stale {
		return
	}
	t.stale = false
	if t.dirty {
		t.prepare(t.t.Cursor())
		t.t.UpdateViewport()
		t.dirty = false
	}
	t.view = t.body()
	if t.n > 0 && (!t.showsCursor(t.view) || shownRows(t.view) < min(t.n, t.Height())) {
		t.reveal()
		t.view = t.body()
	}
}

// shownRows counts the rows a body shows: its lines that are not blank (a
// row always has a cell). Fewer than fit means rows hidden above the cursor
// while lines below stay blank: after a filter widens, bubbles' viewport keeps
// an offset that no longer applies.
func shownRows(body string) int {
	n := 0
	for _, l := range strings.Split(body, "\n") {
		if strings.TrimSpace(l) != "" { // a blank line is spaces alone
			n++
		}
	}
	return n
}

// Lines renders the header and the rows on screen, each exactly t.width wide;
// blank lines fill the height. After changes, sync first.
func (t *tableModel) Lines() []string {
	body := t.view
	if t.stale {
		body = t.body() // not synced: as bubbles has it, which may hide the cursor
	}
	out := make([]string, 0, t.Height()+1)
	out = append(out, t.header)
	out = append(out, strings.Split(body, "\n")...) // the viewport pads each line to the width
	blank := strings.Repeat(" ", t.width)
	for len(out) < t.Height()+1 {
		out = append(out, blank)
	}
	return out[:t.Height()+1]
}

// body is bubbles/table's view without its header (ours is padded to the width).
func (t *tableModel) body() string {
	v := t.t.View()
	if i := strings.IndexByte(v, '\n'); i >= 0 {
		return v[i+1:]
	}
	return ""
}

// showsCursor: the selected row, and only it, starts with a marker.
func (t *tableModel) showsCursor(body string) bool {
	for _, l := range strings.Split(body, "\n") {
		l = ansi.Strip(l[:min(len(l), 48)]) // the marker follows at most a few escapes
		if strings.HasPrefix(l, t.styles.marker) || strings.HasPrefix(l, t.styles.markerBlurred) {
			return true
		}
	}
	return false
}

// padCell cuts s to w cells (with an ellipsis) or pads it with spaces to w.
// Plain ASCII, the common case, needs no width tables.
func padCell(s string, w int) string {
	if w <= 0 {
		return ""
	}
	n := textWidth(s)
	switch {
	case n == w:
		return s
	case n < w:
		return s + strings.Repeat(" ", w-n)
	}
	return runewidth.Truncate(s, w, "…")
}

// padCellTail is padCell, but a value too wide keeps its end: "…KH5MVF".
func padCellTail(s string, w int) string {
	if w <= 1 || textWidth(s) <= w {
		return padCell(s, w)
	}
	r := []rune(s)
	for n := w - 1; n > 0; n-- { // runes, not cells: ids are ASCII, the rest must fit too
		if t := "…" + string(r[len(r)-n:]); textWidth(t) <= w {
			return padCell(t, w)
		}
	}
	return padCell("…", w)
}

// textWidth is the display width of text without escape sequences.
func textWidth(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return runewidth.StringWidth(s)
		}
	}
	return len(s)
}

// navigate moves the cursor for the keymap's movement keys and reports whether
// msg was one of them; every view's table moves the same way.
func (t *tableModel) navigate(msg tea.KeyMsg, k KeyMap) bool {
	switch {
	case key.Matches(msg, k.Up):
		t.MoveUp(1)
	case key.Matches(msg, k.Down):
		t.MoveDown(1)
	case key.Matches(msg, k.PageUp):
		t.MoveUp(t.Height())
	case key.Matches(msg, k.PageDown):
		t.MoveDown(t.Height())
	case key.Matches(msg, k.Top):
		t.GotoTop()
	case key.Matches(msg, k.Bottom):
		t.GotoBottom()
	default:
		return false
	}
	return true
}
