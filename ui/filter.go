package ui

import (
	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

func newFilterInput(s Styles) textinput.Model {
	ti := textinput.New()
	ti.Prompt = "/ "
	ti.PromptStyle = s.FilterPrompt
	ti.TextStyle = s.FilterText
	ti.Placeholder = "part of a user name"
	ti.PlaceholderStyle = s.Muted
	ti.CharLimit = 64
	// A steady cursor: no blink timer, and a settled screen renders the same.
	ti.Cursor.SetMode(cursor.CursorStatic)
	return ti
}

// startFilter gives the keys to the filter input.
func (m *Model) startFilter() tea.Cmd {
	m.filtering = true
	if m.focus != focusUsers {
		m.setFocus(focusUsers)
	}
	m.filter.CursorEnd()
	cmd := m.filter.Focus()
	m.relayout()
	return cmd
}

// filterKey: typing filters at once; enter keeps the filter, esc drops it; the
// arrows still move in the users table.
func (m *Model) filterKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Interrupt):
		return m.requestQuit()
	case key.Matches(msg, k.FilterQuit):
		m.filtering = false
		m.filter.Blur()
		cmd := m.setFilter("")
		m.relayout()
		return cmd
	case key.Matches(msg, k.FilterDone):
		m.filtering = false
		m.filter.Blur()
		m.relayout()
		return nil
	case msg.Type == tea.KeyUp, msg.Type == tea.KeyDown, msg.Type == tea.KeyPgUp, msg.Type == tea.KeyPgDown:
		return m.usersKey(msg)
	}
	before := m.filter.Value()
	var cmd tea.Cmd
	m.filter, cmd = m.filter.Update(msg)
	if v := m.filter.Value(); v != before {
		return tea.Batch(cmd, m.setFilter(v))
	}
	return cmd
}

// setFilter applies q to the users table; a different selection settles anew.
func (m *Model) setFilter(q string) tea.Cmd {
	before, hadSel := m.users.selected()
	if q == "" {
		m.filter.SetValue("")
	}
	lines := m.filterLines()
	m.users.setFilter(q)
	if m.filterLines() != lines {
		m.relayout()
	}
	after, ok := m.users.selected()
	if ok != hadSel || after.Name != before.Name {
		return m.selectionChanged()
	}
	return nil
}

// filterView is the line above the users table.
func (m *Model) filterView() string {
	if m.filtering {
		return m.filter.View()
	}
	return m.styles.FilterPrompt.Render("/ ") + m.styles.FilterText.Render(m.filter.Value()) + m.styles.Muted.Render("  esc clears")
}
