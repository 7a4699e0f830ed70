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
	case *bulkConfirm:
		return single(o.keys(k))
	case *bulkSummary:
		return single(o.keys(k))
	case *exportPrompt:
		return single(o.keys(k))
	case *profilePicker:
		return single(o.keys(k))
	}
	if m.fleet.on {
		return m.fleetHelp(k)
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
	// Help-only bindings that name several keys at once, to save room.
	move := key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑↓/jk", "move"))
	page := key.NewBinding(key.WithKeys("pgup", "pgdown"), key.WithHelp("pgup/pgdn", "page"))
	ends := key.NewBinding(key.WithKeys("g", "G"), key.WithHelp("g/G", "top/bottom"))
	full := [][]key.Binding{
		{move, page, ends},
		{k.Into, k.Back, k.Switch, k.Filter, k.ClearFilter},
		{k.Create, k.Toggle, k.Reset, k.Delete, k.ReadOnlyInfo},
		{k.Fleet, k.Refresh, k.Profiles, k.Help, k.Quit},
	}
	if m.focus == focusUsers {
		return contextKeys{
			short: []key.Binding{move, k.Into, k.Create, k.ReadOnlyInfo, k.Filter, k.ClearFilter, k.Fleet, k.Refresh, k.Quit, k.Help},
			full:  full,
		}
	}
	return contextKeys{
		short: []key.Binding{move, k.Back, k.Toggle, k.Reset, k.Delete, k.Create, k.ReadOnlyInfo, k.Refresh, k.Quit, k.Help},
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
	m.help.Width = w
	return ansi.Truncate(m.help.ShortHelpView(bindings), w, "…")
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
