package ui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// maxModalWidth keeps dialogs readable on wide terminals.
const maxModalWidth = 76

// withOverlay dims the screen and splices the open overlay into its middle.
// lipgloss v1 has no compositor: each line of the box replaces a run of cells of
// the background line, cut with ansi.Truncate/TruncateLeft.
func (m *Model) withOverlay(bg []string, w, h int) []string {
	box := m.overlayView(m.modalWidth(w), h)
	if box == "" {
		return bg
	}
	for i, l := range bg {
		bg[i] = m.styles.Backdrop.Render(ansi.Strip(l))
	}
	fg := strings.Split(box, "\n")
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

func (m *Model) modalWidth(w int) int { return min(w, maxModalWidth) }

// overlayView renders the open overlay as a box at most w wide and h tall.
func (m *Model) overlayView(w, h int) string {
	switch o := m.overlay.(type) {
	case *createForm:
		return m.createFormView(o, w, h)
	case *resetConfirm:
		return m.resetConfirmView(o, w, h)
	case *deleteConfirm:
		return m.deleteConfirmView(o, w, h)
	case *secretModal:
		return m.secretView(o, w, h)
	case *quitQuestion:
		return m.quitQuestionView(w, h)
	case *bulkConfirm:
		return m.bulkConfirmView(o, w, h)
	case *bulkSummary:
		return m.bulkSummaryView(o, w, h)
	case *exportPrompt:
		return m.exportPromptView(o, w, h)
	case *profilePicker:
		return m.profilePickerView(o, w, h)
	}
	return ""
}

// dialog is an overlay's content: a title, sections separated by blank lines,
// and a footer (buttons, a question or the keys), which is always kept.
type dialog struct {
	title    string
	sections []section
	footer   []string
	danger   bool
}

// section is a group of lines. When the dialog is too tall, blank lines go
// first, then sections by drop, highest first; drop 0 is never dropped.
type section struct {
	lines []string
	drop  int
	tight bool // no blank line before it: it continues the previous section
}

// modalInner is the width inside a dialog box w wide.
func (m *Model) modalInner(w int) int {
	return max(1, w-m.styles.Modal.GetHorizontalFrameSize())
}

// render boxes the dialog in w columns and at most h lines.
func (m *Model) render(d dialog, w, h int) string {
	style := m.styles.Modal
	if d.danger {
		style = m.styles.ModalDanger
	}
	inner := m.modalInner(w)
	wrap := func(lines []string) []string {
		var out []string
		for _, l := range lines {
			out = append(out, strings.Split(ansi.Wrap(l, inner, " "), "\n")...)
		}
		return out
	}
	title := wrap([]string{m.styles.ModalTitle.Render(d.title)})
	var sections []section
	levels := map[int]bool{}
	for _, s := range d.sections {
		if len(s.lines) > 0 {
			sections = append(sections, section{lines: wrap(s.lines), drop: s.drop, tight: s.tight})
			levels[s.drop] = true
		}
	}
	footer := wrap(d.footer)
	room := max(1, h-style.GetVerticalFrameSize())
	// build lays the dialog out, leaving out sections with drop >= cut (0: none).
	build := func(gaps bool, cut int) []string {
		lines := append([]string(nil), title...)
		for _, s := range sections {
			if cut > 0 && s.drop >= cut {
				continue
			}
			if gaps && !s.tight {
				lines = append(lines, "")
			}
			lines = append(lines, s.lines...)
		}
		if len(footer) > 0 {
			if gaps {
				lines = append(lines, "")
			}
			lines = append(lines, footer...)
		}
		return lines
	}
	lines := build(true, 0)
	if len(lines) > room {
		lines = build(false, 0)
	}
	for cut := 99; len(lines) > room && cut > 0; cut-- {
		if levels[cut] {
			lines = build(false, cut)
		}
	}
	if over := len(lines) - room; over > 0 {
		// Still too tall: cut from the end of the body, keeping the footer.
		body := lines[:len(lines)-len(footer)]
		body = body[:max(0, len(body)-over)]
		lines = append(body, footer...)
		if len(lines) > room {
			lines = lines[len(lines)-room:]
		}
	}
	for i, l := range lines {
		lines[i] = fitWidth(l, inner)
	}
	return style.Width(inner + style.GetHorizontalPadding()).Render(strings.Join(lines, "\n"))
}

// fieldLines renders "label  value", the value wrapped under itself when it is
// wider than the dialog.
func (m *Model) fieldLines(label, value string, labelW, inner int) []string {
	vw := max(1, inner-labelW-1)
	vals := strings.Split(ansi.Wrap(value, vw, " -"), "\n")
	out := make([]string, len(vals))
	for i, v := range vals {
		l := ""
		if i == 0 {
			l = label
		}
		out[i] = m.styles.Label.Render(padRight(l, labelW)) + " " + m.styles.Value.Render(v)
	}
	return out
}

// buttons renders a row of buttons; focused is the index of the focused one,
// danger styles it as destructive, disabled lists buttons that cannot be used.
func (m *Model) buttons(labels []string, focused int, danger bool, disabled ...int) string {
	st := m.styles
	out := make([]string, len(labels))
	for i, l := range labels {
		s := st.Button
		switch {
		case contains(disabled, i):
			s = st.ButtonOff
		case i == focused && danger:
			s = st.ButtonDanger
		case i == focused:
			s = st.ButtonActive
		}
		text := "[ " + l + " ]"
		if i == focused {
			text = "[▸" + l + "◂]" // visible without colour too
		}
		out[i] = s.Render(text)
	}
	return lipgloss.JoinHorizontal(lipgloss.Top, out...)
}

func contains(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// field renders "label  value" with the label column aligned.
func (m *Model) field(label, value string, labelW int) string {
	return m.styles.Label.Render(padRight(label, labelW)) + " " + m.styles.Value.Render(value)
}

func padRight(s string, w int) string {
	if n := ansi.StringWidth(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}
