package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
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
	return m.withOrgKey(m.screen().help(k), k)
}

// globalHelp is the group of keys every screen shares; other names the key
// that goes to the other screen.
func globalHelp(k KeyMap) helpGroup {
	return helpGroup{"Global", []key.Binding{k.Fleet, k.Whois, k.Refresh, k.Profiles, k.Help, k.Quit, k.Interrupt, k.Suspend}}
}

// tableMoves are the help-only bindings of a table's navigation, each naming
// several keys at once to save room: move, page, top/bottom.
func tableMoves() []key.Binding {
	return []key.Binding{
		key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑↓/jk", "move")),
		key.NewBinding(key.WithKeys("pgup", "pgdown"), key.WithHelp("pgup/pgdn", "page")),
		key.NewBinding(key.WithKeys("g", "G"), key.WithHelp("g/G", "top/bottom")),
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
		return fitLines(m.fullHelpWindow(w, h), w, h)
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

// shortHelp renders the enabled bindings on one line of at most w columns,
// in bubbles/help's styles, ending with " …" when some did not fit. (bubbles'
// own ShortHelpView adds an item that overflows when its ellipsis has no room,
// which then has to be cut mid-word.)
func (m *Model) shortHelp(bindings []key.Binding, w int) string {
	st := m.help.Styles
	sep := st.ShortSeparator.Render(m.help.ShortSeparator)
	more := " " + st.Ellipsis.Render(m.help.Ellipsis)
	var b strings.Builder
	used := 0
	for _, kb := range bindings {
		if !kb.Enabled() {
			continue
		}
		item := st.ShortKey.Render(kb.Help().Key) + " " + st.ShortDesc.Render(kb.Help().Desc)
		if used > 0 {
			item = sep + item
		}
		iw := lipgloss.Width(item)
		if used == 0 && iw > w { // not even the first: cut it
			return ansi.Truncate(item, w, "…")
		}
		if used > 0 && (used+iw > w || used+iw+lipgloss.Width(more) > w && !lastEnabled(bindings, kb)) {
			if used+lipgloss.Width(more) <= w {
				b.WriteString(more)
			}
			break
		}
		b.WriteString(item)
		used += iw
	}
	return b.String()
}

// lastEnabled reports whether kb is the last enabled binding of bindings.
func lastEnabled(bindings []key.Binding, kb key.Binding) bool {
	for i := len(bindings) - 1; i >= 0; i-- {
		if bindings[i].Enabled() {
			return bindings[i].Help() == kb.Help()
		}
	}
	return false
}

// fullHelpWindow is the full help in h lines: all of it, or, when it is
// longer, the lines from helpTop on and a last line that says how to scroll.
func (m *Model) fullHelpWindow(w, h int) []string {
	lines := m.fullHelpLines(w)
	if len(lines) <= h || h < 2 {
		return lines
	}
	top := clamp(m.helpTop, 0, len(lines)-(h-1))
	out := append([]string(nil), lines[top:top+h-1]...)
	return append(out, m.styles.Muted.Render(fmt.Sprintf("%d–%d of %d · ↑↓ scroll · ? closes", top+1, top+h-1, len(lines))))
}

// scrollHelp moves the full help when it is longer than its room, for the
// keys that move in a table; it reports whether msg was one.
func (m *Model) scrollHelp(msg tea.KeyMsg) bool {
	if !m.showFullHelp {
		return false
	}
	h := m.lay.helpH - 1 // the last line says how to scroll
	n := len(m.fullHelpLines(m.width))
	if n <= m.lay.helpH || h < 1 {
		return false
	}
	k := m.keys
	switch {
	case key.Matches(msg, k.Up):
		m.helpTop--
	case key.Matches(msg, k.Down):
		m.helpTop++
	case key.Matches(msg, k.PageUp):
		m.helpTop -= h
	case key.Matches(msg, k.PageDown):
		m.helpTop += h
	case key.Matches(msg, k.Top):
		m.helpTop = 0
	case key.Matches(msg, k.Bottom):
		m.helpTop = n
	default:
		return false
	}
	m.helpTop = clamp(m.helpTop, 0, n-h)
	return true
}

// fullHelpLines packs the binding groups into columns, as many side by side as
// fit in w, wrapping to further rows, then the note wrapped at words.
func (m *Model) fullHelpLines(w int) []string {
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
	return lines
}
