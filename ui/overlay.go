package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// withOverlay dims the screen and splices the top dialog into its middle.
// lipgloss v1 has no compositor: each line of the box replaces a run of cells of
// the background line, cut with ansi.Truncate/TruncateLeft.
func (m *Model) withOverlay(bg []string, d dialog, w, h int) []string {
	view := d.View(min(w, maxModalWidth), h)
	if view == "" {
		return bg
	}
	for i, l := range bg {
		bg[i] = m.styles.Backdrop.Render(ansi.Strip(l))
	}
	fg := strings.Split(view, "\n")
	if len(fg) > h {
		fg = fg[:h]
	}
	bw := 0
	for _, l := range fg {
		bw = max(bw, ansi.StringWidth(l))
	}
	x, y := max(0, (w-bw)/2), max(0, (h-len(fg))/2)
	for i, l := range fg {
		bg[y+i] = splice(bg[y+i], fitWidth(l, min(bw, w)), x)
	}
	return bg
}

// splice writes fg over bg starting at column x.
func splice(bg, fg string, x int) string {
	left := ansi.Truncate(bg, x, "")
	right := ansi.TruncateLeft(bg, x+ansi.StringWidth(fg), "")
	if strings.Contains(bg, "\x1b") || strings.Contains(fg, "\x1b") {
		const reset = "\x1b[m" // no style leaks from one side into the other
		return left + reset + fg + reset + right
	}
	return left + fg + right
}
