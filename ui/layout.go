package ui

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Below splitMinWidth columns the tables show one at a time.
const splitMinWidth = 100

// minBodyHeight keeps a pane (border, header, one row) when full help is open.
const minBodyHeight = 4

// layout is the screen's geometry, recomputed on resize and when the help or the
// focus changes.
type layout struct {
	split          bool
	statusH        int
	helpH          int
	bodyH          int // height of the panes, borders included
	usersW, credsW int // pane widths, borders included
}

func (m *Model) resize(w, h int) {
	m.width, m.height = max(w, 1), max(h, 1)
	m.help.Width = m.width
	m.relayout()
}

// relayout sizes the panes and tables to the window.
func (m *Model) relayout() {
	w, h := m.width, m.height
	l := layout{split: w >= splitMinWidth, helpH: 1, statusH: m.statusHeight(w)}
	if m.showFullHelp {
		// The help takes what it needs; if that leaves no useful pane, it takes
		// the panes' place entirely until ? closes it.
		all := max(1, h-1-l.statusH)
		l.helpH = min(len(m.fullHelpLines(w, all)), all)
		if all-l.helpH < minBodyHeight {
			l.helpH = all
		}
	}
	l.bodyH = max(0, h-1-l.statusH-l.helpH) // the header is one line
	if l.split {
		l.usersW = clamp(w*3/8, 36, 60)
		l.credsW = w - l.usersW
	} else {
		l.usersW, l.credsW = w, w
	}
	m.lay = l
	m.filter.Width = max(1, l.usersW-2-3) // box borders, prompt, cursor
	inner := max(0, l.bodyH-2)
	m.users.resize(max(1, l.usersW-2), max(0, inner-m.filterLines()))
	m.creds.resize(max(1, l.credsW-2), inner)
}

// filterLines is the height of the filter line above the users table.
func (m *Model) filterLines() int {
	if m.filtering || m.users.filter != "" {
		return 1
	}
	return 0
}

// View renders the screen: header, panes, status bar, help; an overlay, when
// open, is spliced over it. Every line is exactly the window's width.
func (m *Model) View() string {
	w, h := m.width, m.height
	lines := make([]string, 0, h)
	lines = append(lines, m.headerView(w))
	lines = append(lines, m.bodyLines(w, m.lay.bodyH)...)
	lines = append(lines, m.statusLines(w, m.lay.statusH)...)
	lines = append(lines, m.helpLines(w, m.lay.helpH)...)
	lines = fitLines(lines, w, h)
	if m.overlay != nil {
		lines = m.withOverlay(lines, w, h)
	}
	return strings.Join(lines, "\n")
}

// bodyLines renders the panes: side by side, or the focused one alone.
func (m *Model) bodyLines(w, h int) []string {
	if h <= 0 {
		return nil
	}
	switch {
	case m.fleet.on:
		return m.fleetLines(w, h)
	case m.lay.split:
		left := m.usersPane(m.lay.usersW, h)
		right := m.credsPane(m.lay.credsW, h)
		out := make([]string, h)
		for i := range out {
			out[i] = left[i] + right[i]
		}
		return out
	case m.focus == focusCreds:
		return m.credsPane(w, h)
	default:
		return m.usersPane(w, h)
	}
}

// fitLines pads or cuts lines to exactly w columns and h lines.
func fitLines(lines []string, w, h int) []string {
	if len(lines) > h {
		lines = lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	for i, l := range lines {
		lines[i] = fitWidth(l, w)
	}
	return lines
}

// fitWidth pads or cuts one line to exactly w columns.
func fitWidth(s string, w int) string {
	sw := lineWidth(s)
	switch {
	case sw == w:
		return s
	case sw < w:
		return s + strings.Repeat(" ", w-sw)
	}
	return ansi.Truncate(s, w, "")
}

// pane draws a rounded box of w×h with the title in its top border.
func (m *Model) pane(title string, body []string, w, h int, focused bool) []string {
	if w < 2 || h < 2 {
		return fitLines(nil, max(w, 0), max(h, 0))
	}
	border, titleStyle := m.styles.PaneBorder, m.styles.PaneTitle
	if focused {
		border, titleStyle = m.styles.PaneBorderFocused, m.styles.PaneTitleFocused
	}
	inner := w - 2
	title = ansi.Truncate(title, max(0, inner-3), "…")
	fill := max(0, inner-1-ansi.StringWidth(title)-2)
	top := border.Render("╭─") + titleStyle.Render(" "+title+" ") + border.Render(strings.Repeat("─", fill)+"╮")
	if title == "" {
		top = border.Render("╭" + strings.Repeat("─", inner) + "╮")
	}
	side := border.Render("│")
	out := make([]string, 0, h)
	out = append(out, fitWidth(top, w))
	for i := 0; i < h-2; i++ {
		line := ""
		if i < len(body) {
			line = body[i]
		}
		out = append(out, side+fitWidth(line, inner)+side)
	}
	out = append(out, border.Render("╰"+strings.Repeat("─", inner)+"╯"))
	return out
}

func clamp(v, lo, hi int) int { return min(max(v, lo), hi) }

// lineWidth is the display width of a rendered line. It reads SGR sequences
// and the narrow characters this UI draws (Latin, punctuation, arrows, box
// drawing, braille spinners) itself, and leaves anything else to
// ansi.StringWidth, whose grapheme segmentation is many times slower: a frame
// measures every line of the screen.
func lineWidth(s string) int {
	w := 0
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == 0x1b:
			if i+1 >= len(s) || s[i+1] != '[' {
				return ansi.StringWidth(s)
			}
			j := i + 2
			for j < len(s) && (s[j] < 0x40 || s[j] > 0x7e) {
				j++
			}
			i = j + 1
			continue
		case c < 0x20 || c == 0x7f:
			i++
			continue
		case c < 0x80:
			w++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !narrowRune(r) {
			return ansi.StringWidth(s)
		}
		w++
		i += size
	}
	return w
}

func narrowRune(r rune) bool {
	switch {
	case r >= 0xa0 && r < 0x300, // Latin-1 and Latin Extended
		r >= 0x2010 && r <= 0x2027, // dashes, quotes, bullet, ellipsis
		r == 0x2039 || r == 0x203a, // ‹ ›
		r >= 0x2190 && r <= 0x21ff, // arrows
		r >= 0x2500 && r <= 0x25ff, // box drawing, blocks, geometric shapes
		r == 0x2713 || r == 0x2717, // ✓ ✗
		r >= 0x2800 && r <= 0x28ff: // braille (spinners)
		return true
	}
	return false
}
