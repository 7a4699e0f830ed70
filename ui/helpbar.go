package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// contextKeys satisfies help.KeyMap with the bindings that apply right now:
// short for the help bar, full for ? (untitled columns), or groups, which ?
// shows under their titles with note (a screen's legend) after them.
type contextKeys struct {
	short  []key.Binding
	full   [][]key.Binding
	groups []helpGroup
	note   string
}

// helpGroup is a titled column of the full help: Navigation, Credential, …
type helpGroup struct {
	title string
	keys  []key.Binding
}

func (c contextKeys) ShortHelp() []key.Binding  { return c.short }
func (c contextKeys) FullHelp() [][]key.Binding { return c.full }

// helpKeys returns the bindings of whatever has the keys: the top dialog, or
// the screen. Keys that are off (P in --demo, the writes in --read-only) are
// left out, and so is the read-only explanation: the header's badge says it.
func (m *Model) helpKeys() contextKeys {
	if d := m.dialogs.top(); d != nil {
		return single(d.Keys())
	}
	k := m.keys
	if m.showFullHelp {
		k.Help.SetHelp("?", "close help")
	} else {
		k.Help.SetHelp("?", "all keys")
	}
	k.Profiles.SetEnabled(!m.opts.Demo && m.opts.Profiles != nil && m.opts.SwitchProfile != nil)
	k.ReadOnlyInfo.SetEnabled(false)
	return m.screen().help(k)
}

// globalHelp is the group of keys every screen shares; other names the key
// that goes to the other screen.
func globalHelp(k KeyMap) helpGroup {
	return helpGroup{"Global", []key.Binding{k.Fleet, k.Refresh, k.Profiles, k.Help, k.Quit, k.Interrupt}}
}

func single(b []key.Binding) contextKeys {
	return contextKeys{short: b, full: [][]key.Binding{b}}
}

// helpLines renders the help bar in exactly h lines: the short line, or with ?
// every binding of the context.
func (m *Model) helpLines(w, h int) []string {
	if h <= 0 {
		return nil
	}
	if m.showFullHelp {
		return fitLines(m.fullHelpLines(w, h), w, h)
	}
	// "?" stays visible however narrow: the rest is cut first.
	var rest []key.Binding
	var more []key.Binding
	for _, b := range m.helpKeys().short {
		if b.Help().Key == "?" {
			more = append(more, b)
			continue
		}
		rest = append(rest, b)
	}
	tail := m.shortHelp(more, w)
	room := w - lineWidth(tail)
	if tail != "" {
		room -= 3
	}
	line := m.shortHelp(rest, room)
	if line != "" && tail != "" {
		line += m.styles.Help.ShortSeparator.Render(" • ")
	}
	return fitLines([]string{line + tail}, w, h)
}

// shortHelp renders bindings on one line of at most w columns with
// bubbles/help, which ends with an ellipsis when some did not fit; the cut is a
// safety net for widths too small for even its ellipsis.
func (m *Model) shortHelp(bindings []key.Binding, w int) string {
	if w <= 0 {
		return ""
	}
	h := m.help // a copy: drawing changes nothing
	h.Width = w
	return ansi.Truncate(h.ShortHelpView(bindings), w, "…")
}

// fullHelpLines packs the binding groups into columns, as many side by side as
// fit in w, wrapping to further rows, then the note wrapped at words; at most
// maxH lines.
func (m *Model) fullHelpLines(w, maxH int) []string {
	ck := m.helpKeys()
	var cols []string
	for _, g := range ck.full {
		if c := m.help.FullHelpView([][]key.Binding{g}); c != "" {
			cols = append(cols, c)
		}
	}
	for _, g := range ck.groups {
		if c := m.help.FullHelpView([][]key.Binding{g.keys}); c != "" {
			cols = append(cols, m.styles.HelpTitle.Render(g.title)+"\n"+c)
		}
	}
	var lines []string
	var row []string
	rowW := 0
	flush := func() {
		if len(row) > 0 {
			lines = append(lines, strings.Split(lipgloss.JoinHorizontal(lipgloss.Top, row...), "\n")...)
		}
		row, rowW = nil, 0
	}
	const gap = "    "
	for _, c := range cols {
		cw := lipgloss.Width(c)
		if len(row) > 0 && rowW+len(gap)+cw > w {
			flush()
		}
		if len(row) > 0 {
			row = append(row, gap)
			rowW += len(gap)
		}
		row = append(row, c)
		rowW += cw
	}
	flush()
	if ck.note != "" {
		lines = append(lines, "")
		for _, l := range strings.Split(ansi.Wrap(ck.note, max(1, w), " "), "\n") {
			lines = append(lines, m.styles.Muted.Render(l))
		}
	}
	if len(lines) > maxH && maxH > 0 {
		lines = lines[:maxH]
		lines[maxH-1] = ansi.Truncate(lines[maxH-1], max(0, w-14), "") + m.styles.Muted.Render(" … (enlarge)")
	}
	return lines
}
