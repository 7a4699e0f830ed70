package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"iamcreds/model"
)

// The revealed secret is drawn for the mouse: whatever a person selects by
// dragging from its first character to its last is the secret, exactly. So it
// never wraps inside the box and no border shares its row: it stands alone on
// a row of the window, blank around it. A secret wider than the window (a
// Bedrock API key runs past 100 characters) cannot stand on one row, so the
// window gives way to a plain view of it: rows of exactly the window's width
// from the first column, nothing else on them. bubbletea ends every row with a
// line break, so a selection across rows may carry one in some terminals; the
// view says so, and c and w remain exact.
//
// What is drawn is model.SafeText of the secret: a character that would steer
// the terminal becomes a visible placeholder (the box warns of it).

// viewOver draws the modal over bg, the window's dimmed lines: the box in the
// middle, and the shown secret on a row of its own (windowDialog).
func (sm *secretModal) viewOver(bg []string, w, h int) []string {
	rows, slot := sm.renderRows(sm.box(sm.inner(min(w, maxModalWidth))), min(w, maxModalWidth), h)
	secret := model.SafeText(sm.secret.Reveal())
	sw := ansi.StringWidth(secret)
	if !sm.shown || sm.file != nil {
		out, _, _ := spliceBox(bg, rows, w, h)
		return out
	}
	if slot < 0 || sw > w {
		return sm.plainView(secret, w, h)
	}
	out, x, y := spliceBox(bg, rows, w, h)
	// From the box's text column, or further left if the secret is wider than
	// the box (never past the window's edge).
	col := min(x+sm.styles.Modal.GetBorderLeftSize()+sm.styles.Modal.GetPaddingLeft(), w-sw)
	out[y+slot] = fitWidth(strings.Repeat(" ", col)+sm.styles.Secret.Render(secret), w)
	return out
}

// plainView is the whole window given to a secret wider than it: the title,
// the secret in full rows, the latest copy's outcome, the question or the keys.
// When the window is short, the words around the secret go first.
func (sm *secretModal) plainView(secret string, w, h int) []string {
	st := sm.styles
	wrap := func(styled string) []string { return strings.Split(ansi.Wrap(styled, max(1, w), " "), "\n") }
	chunks := strings.Split(ansi.Hardwrap(secret, max(1, w), true), "\n")
	for i, c := range chunks {
		chunks[i] = st.Secret.Render(c)
	}
	howTo := "It fills " + plural(len(chunks), "row") + ": drag from its first character to its last. " +
		"Some terminals put a line break between rows: c copies it exactly, w writes it to a file."
	if len(chunks) == 1 {
		howTo = "Drag from its first character to its last to select it."
	}
	top := append(wrap(st.ModalTitle.Render(model.SafeText(sm.title()))), wrap(st.Muted.Render(howTo))...)
	var bottom []string
	if sm.note != "" {
		bottom = wrap(sm.noteLine())
	}
	bottom = append(bottom, wrap(sm.footer(sm.secret.Credential.ServiceInfo()))...)
	layout := func(top, bottom []string, gaps bool) []string {
		out := append([]string{}, top...)
		if gaps {
			out = append(out, "")
		}
		out = append(out, chunks...)
		if gaps {
			out = append(out, "")
		}
		return append(out, bottom...)
	}
	lines := layout(top, bottom, true)
	for len(lines) > h && len(top) > 0 {
		top = top[:len(top)-1]
		lines = layout(top, bottom, len(top) > 0)
	}
	for len(lines) > h && len(bottom) > 1 {
		bottom = bottom[1:] // the footer (question or keys) is the last to go
		lines = layout(nil, bottom, false)
	}
	if len(lines) > h {
		lines = chunks
	}
	return fitLines(lines, w, h)
}
