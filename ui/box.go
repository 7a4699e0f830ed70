package ui

import (
	"slices"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"iamcreds/model"
)

// What every dialog draws with: a box of sections that gives up its least useful
// lines first when the window is short, aligned fields and buttons.

// maxModalWidth keeps dialogs readable on wide terminals.
const maxModalWidth = 76

// box is a dialog's content: a title, sections separated by blank lines, and a
// footer (buttons, a question or the keys), which is always kept.
type box struct {
	title    string
	sections []section
	footer   []string
	danger   bool
}

// section is a group of lines. When the box is too tall, blank lines go first,
// then sections by drop, highest first — a section with short lines gives way
// to them instead of going; drop 0 is never dropped.
type section struct {
	lines []string
	drop  int
	tight bool     // no blank line before it: it continues the previous section
	short []string // what stays of it when it is dropped (a one-line summary)
}

// inner is the width inside a box w wide.
func (k *kit) inner(w int) int {
	return max(1, w-k.styles.Modal.GetHorizontalFrameSize())
}

// slotMark is a section line that the dialog draws itself over the rendered box
// (the revealed secret, across the box's borders): renderRows leaves its row
// blank and says which it is.
const slotMark = "\uE000"

// render draws b in w columns and at most h lines.
func (k *kit) render(b box, w, h int) string {
	lines, _ := k.renderRows(b, w, h)
	return strings.Join(lines, "\n")
}

// renderRows draws b in w columns and at most h lines, one string a row, and
// returns the row of its slotMark line (-1: none, or it did not fit).
func (k *kit) renderRows(b box, w, h int) (rows []string, slot int) {
	style := k.styles.Modal
	if b.danger {
		style = k.styles.ModalDanger
	}
	inner := k.inner(w)
	wrap := func(lines []string) []string {
		var out []string
		for _, l := range lines {
			out = append(out, strings.Split(ansi.Wrap(l, inner, " "), "\n")...)
		}
		return out
	}
	title := wrap([]string{k.styles.ModalTitle.Render(model.SafeText(b.title))}) // titles name users
	var sections []section
	levels := map[int]bool{}
	for _, s := range b.sections {
		if len(s.lines) > 0 {
			sections = append(sections, section{lines: wrap(s.lines), drop: s.drop, tight: s.tight, short: wrap(s.short)})
			levels[s.drop] = true
		}
	}
	footer := wrap(b.footer)
	room := max(1, h-style.GetVerticalFrameSize())
	// build lays the box out, leaving out sections with drop >= cut (0: none).
	build := func(gaps bool, cut int) []string {
		lines := append([]string(nil), title...)
		for _, s := range sections {
			body := s.lines
			if cut > 0 && s.drop >= cut {
				if body = s.short; len(body) == 0 {
					continue
				}
			}
			if gaps && !s.tight {
				lines = append(lines, "")
			}
			lines = append(lines, body...)
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
		// The last line kept ends in "…": there is more, which a taller
		// window shows.
		body := lines[:len(lines)-len(footer)]
		body = body[:max(0, len(body)-over)]
		if n := len(body); n > len(title) {
			body[n-1] = ansi.Truncate(body[n-1], max(0, inner-1), "") + "…"
		}
		lines = append(body, footer...)
		if len(lines) > room {
			lines = lines[len(lines)-room:]
		}
	}
	for i, l := range lines {
		lines[i] = fitWidth(l, inner)
	}
	rows = strings.Split(style.Width(inner+style.GetHorizontalPadding()).Render(strings.Join(lines, "\n")), "\n")
	slot = -1
	for i, r := range rows {
		if strings.Contains(r, slotMark) {
			rows[i] = strings.Replace(r, slotMark, " ", 1)
			slot = i
		}
	}
	return rows, slot
}

// fieldLines renders "label  value", the value wrapped under itself when it is
// wider than the box. Values come from IAM: they are made safe here.
func (k *kit) fieldLines(label, value string, labelW, inner int) []string {
	vw := max(1, inner-labelW-1)
	vals := strings.Split(ansi.Wrap(model.SafeText(value), vw, " -"), "\n")
	out := make([]string, len(vals))
	for i, v := range vals {
		l := ""
		if i == 0 {
			l = label
		}
		out[i] = k.styles.Label.Render(padRight(l, labelW)) + " " + k.styles.Value.Render(v)
	}
	return out
}

// field renders "label  value" with the label column aligned; the value is made
// safe, as in fieldLines.
func (k *kit) field(label, value string, labelW int) string {
	return k.styles.Label.Render(padRight(label, labelW)) + " " + k.styles.Value.Render(model.SafeText(value))
}

// credFields are the lines naming a credential in a box inner columns wide;
// proof highlights the id's last characters, which a delete asks for.
func (k *kit) credFields(c model.Credential, inner int, proof bool) []string {
	s := c.ServiceInfo()
	const lw = 10
	var lines []string
	add := func(label, value string) { lines = append(lines, k.fieldLines(label, value, lw, inner)...) }
	add("IAM user", c.UserName)
	add("Service", serviceName(s, inner-lw-1))
	id := model.SafeText(c.ID)
	styled := id
	if tail := model.DeleteProof(id); proof && len(tail) < len(id) {
		styled = id[:len(id)-len(tail)] + k.styles.ChoiceActive.Render(tail)
	}
	lines = append(lines, k.styles.Label.Render(padRight("ID", lw))+" "+k.styles.Value.Render(styled))
	if c.Login() != "" {
		add(capitalize(s.LoginLabel()), c.Login())
	}
	add("Status", string(c.Status))
	return lines
}

// serviceName is the service's full name, or its short word when the full
// one would not fit in w columns.
func serviceName(s model.Service, w int) string {
	if ansi.StringWidth(s.Display) > w {
		return s.Short
	}
	return s.Display
}

// credSummary is a credential on one line, for a box too short for its
// fields: "mateo's Git credential …OYQCF".
func credSummary(c model.Credential) string { return credLabel(c.UserName, c.Service, c.ID) }

// warnings renders each line that is not empty in the warning style.
func (k *kit) warnings(lines ...string) []string {
	var out []string
	for _, l := range lines {
		if l != "" {
			out = append(out, k.styles.Warning.Render(l))
		}
	}
	return out
}

// buttons renders a row of buttons; focused is the index of the focused one,
// danger styles it as destructive, disabled lists buttons that cannot be used.
func (k *kit) buttons(labels []string, focused int, danger bool, disabled ...int) string {
	st := k.styles
	out := make([]string, len(labels))
	for i, l := range labels {
		s := st.Button
		switch {
		case slices.Contains(disabled, i):
			s = st.ButtonOff
		case i == focused && danger:
			s = st.ButtonDanger
		case i == focused:
			s = st.ButtonActive
		}
		// Non-breaking spaces: a row too wide for the box wraps between
		// buttons, never inside one.
		l = strings.ReplaceAll(l, " ", "\u00a0")
		text := "[\u00a0" + l + "\u00a0]"
		if i == focused {
			text = "[▸" + l + "◂]" // visible without colour too
		}
		out[i] = s.Render(text)
	}
	return lipgloss.JoinHorizontal(lipgloss.Top, out...)
}
