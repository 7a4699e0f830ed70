package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// contextKeys satisfies help.KeyMap with the bindings that apply right now.
type contextKeys struct {
	short []key.Binding
	full  [][]key.Binding
}

func (c contextKeys) ShortHelp() []key.Binding  { return c.short }
func (c contextKeys) FullHelp() [][]key.Binding { return c.full }

// helpKeys returns the bindings of whatever has the keys: the top dialog, or
// the screen.
func (m *Model) helpKeys() contextKeys {
	if d := m.dialogs.top(); d != nil {
		return single(d.Keys())
	}
	k := m.keys
	if m.showFullHelp {
		k.Help.SetHelp("?", "close help")
	} else {
		k.Help.SetHelp("?", "more keys")
	}
	return m.withOrgKey(m.screen().help(k), k)
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
// fit in w, wrapping to further rows; at most maxH lines.
func (m *Model) fullHelpLines(w, maxH int) []string {
	var cols []string
	for _, g := range m.helpKeys().full {
		if c := m.help.FullHelpView([][]key.Binding{g}); c != "" {
			cols = append(cols, c)
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
	if len(lines) > maxH && maxH > 0 {
		lines = lines[:maxH]
		lines[maxH-1] = ansi.Truncate(lines[maxH-1], max(0, w-14), "") + m.styles.Muted.Render(" … (enlarge)")
	}
	return lines
}
