package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// windowDialog is a dialog that draws over the whole window itself instead of
// as a box spliced into its middle: the secret modal, whose revealed secret
// stands on a row of its own, clear of the box's borders.
type windowDialog interface {
	dialog
	// viewOver draws the dialog over bg, the window's lines already dimmed,
	// and returns exactly h lines of w columns.
	viewOver(bg []string, w, h int) []string
}

// withOverlay dims the screen and draws the top dialog over it: its box in the
// middle, or whatever a windowDialog draws.
func (m *Model) withOverlay(bg []string, d dialog, w, h int) []string {
	dim := func() {
		for i, l := range bg {
			bg[i] = m.styles.Backdrop.Render(ansi.Strip(l))
		}
	}
	if wd, ok := d.(windowDialog); ok {
		dim()
		return wd.viewOver(bg, w, h)
	}
	// The box leaves the last line, the help bar with the dialog's keys, in
	// view, unless the window is too short for any box.
	room := h
	if h > 6 {
		room = h - 1
	}
	view := d.View(min(w, maxModalWidth), room)
	if view == "" {
		return bg
	}
	dim()
	out, _, _ := spliceBox(bg, strings.Split(view, "\n"), w, room)
	if room < h {
		out[h-1] = m.helpLines(w, 1)[0]
	}
	return out
}

// spliceBox writes the box's rows over the middle of bg and says where its top
// left corner went. lipgloss v1 has no compositor: each row of the box replaces
// a run of cells of the background line, cut with ansi.Truncate/TruncateLeft.
func spliceBox(bg, box []string, w, h int) (out []string, x, y int) {
	if len(box) > h {
		box = box[:h]
	}
	bw := 0
	for _, l := range box {
		bw = max(bw, ansi.StringWidth(l))
	}
	x, y = max(0, (w-bw)/2), max(0, (h-len(box))/2)
	for i, l := range box {
		bg[y+i] = splice(bg[y+i], fitWidth(l, min(bw, w)), x)
	}
	return bg, x, y
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
