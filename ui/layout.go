package ui

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// minBodyHeight keeps a pane (border, header, one row) when full help is open.
const minBodyHeight = 4

// layout is the window's division: the header (one line), the screen's body,
// the status bar and the help. Update keeps it current (afterUpdate).
type layout struct {
	statusH int
	helpH   int
	bodyH   int
}

func (m *Model) resize(w, h int) {
	m.width, m.height = max(w, 1), max(h, 1)
	m.help.Width = m.width
	m.relayout()
}

// wantLayout is the layout the window, the status and the help need now.
func (m *Model) wantLayout() layout {
	w, h := m.width, m.height
	l := layout{helpH: 1, statusH: m.statusHeight(w)}
	if m.showFullHelp {
		// The help takes what it needs; if that leaves no useful pane, it takes
		// the panes' place entirely until ? closes it.
		all := max(1, h-1-l.statusH)
		l.helpH = min(len(m.fullHelpLines(w)), all)
		if all-l.helpH < minBodyHeight {
			l.helpH = all
		}
	}
	l.bodyH = max(0, h-1-l.statusH-l.helpH)
	return l
}

// relayout divides the window again and fits the screen to its body.
func (m *Model) relayout() {
	m.lay = m.wantLayout()
	m.screen().resize(m.width, m.lay.bodyH)
}

// View renders the window: header, screen, status bar, help; the top dialog,
// when one is open, is spliced over it. Every line is exactly the window's
// width. It changes nothing: Update has prepared everything it draws.
func (m *Model) View() string {
	w, h := m.width, m.height
	lines := make([]string, 0, h)
	lines = append(lines, m.headerView(w))
	if m.lay.bodyH > 0 {
		lines = append(lines, m.screen().view()...)
	}
	lines = append(lines, m.statusLines(w, m.lay.statusH)...)
	lines = append(lines, m.helpLines(w, m.lay.helpH)...)
	lines = fitLines(lines, w, h)
	if d := m.dialogs.top(); d != nil {
		lines = m.withOverlay(lines, d, w, h)
	}
	return strings.Join(lines, "\n")
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
