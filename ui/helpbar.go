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

// helpKeys returns the bindings of whatever has the keys: the overlay, the
// filter input, or the focused table.
func (m *Model) helpKeys() contextKeys {
	k := m.keys
	if m.showFullHelp {
		k.Help.SetHelp("?", "close help")
	} else {
		k.Help.SetHelp("?", "more keys")
	}
	switch o := m.overlay.(type) {
	case *createForm:
		return single(o.keys(k))
	case *resetConfirm:
		return single(o.keys(k))
	case *deleteConfirm:
		return single(o.keys(k))
	case *secretModal:
		return single(o.keys(k))
	case *quitQuestion:
		return single(o.keys(k))
	}
	if m.filtering {
		move := key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "move"))
		return single([]key.Binding{k.FilterDone, k.FilterQuit, move, k.Interrupt})
	}
	k.ClearFilter.SetEnabled(m.users.filter != "")
	_, hasCred := m.selectedCred()
	if !hasCred || m.focus == focusUsers {
		k.Toggle.SetEnabled(false)
		k.Reset.SetEnabled(false)
		k.Delete.SetEnabled(false)
	}
	if _, ok := m.users.selected(); !ok {
		k.Create.SetEnabled(false)
		k.Into.SetEnabled(false)
	}
	full := [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Into, k.Back, k.Switch, k.Filter, k.ClearFilter},
		{k.Create, k.Toggle, k.Reset, k.Delete, k.ReadOnlyInfo},
		{k.Refresh, k.Help, k.Quit},
	}
	if m.focus == focusUsers {
		return contextKeys{
			short: []key.Binding{k.Up, k.Down, k.Into, k.Filter, k.ClearFilter, k.Create, k.ReadOnlyInfo, k.Refresh, k.Help, k.Quit},
			full:  full,
		}
	}
	return contextKeys{
		short: []key.Binding{k.Up, k.Down, k.Back, k.Toggle, k.Reset, k.Delete, k.Create, k.ReadOnlyInfo, k.Help, k.Quit},
		full:  full,
	}
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
	var more *key.Binding
	for _, b := range m.helpKeys().short {
		if b.Help().Key == "?" {
			more = &b
			continue
		}
		rest = append(rest, b)
	}
	if more == nil {
		return fitLines([]string{m.help.ShortHelpView(rest)}, w, h)
	}
	tail := m.help.ShortHelpView([]key.Binding{*more})
	hm := m.help
	hm.Width = max(1, w-ansi.StringWidth(tail)-3)
	line := hm.ShortHelpView(rest)
	if line != "" {
		line += m.styles.Help.ShortSeparator.Render(" • ")
	}
	return fitLines([]string{line + tail}, w, h)
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
