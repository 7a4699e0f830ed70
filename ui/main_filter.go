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
func (s *mainScreen) startFilter() tea.Cmd {
	s.filtering = true
	if s.focus != focusUsers {
		s.setFocus(focusUsers)
	}
	s.filter.CursorEnd()
	cmd := s.filter.Focus()
	s.relayout()
	return cmd
}

// filterKey: typing filters at once; enter keeps the filter, esc drops it; the
// arrows still move in the users table. (ctrl+c is the root's.)
func (s *mainScreen) filterKey(msg tea.KeyMsg) tea.Cmd {
	k := s.keys
	switch {
	case key.Matches(msg, k.FilterQuit):
		s.filtering = false
		s.filter.Blur()
		cmd := s.setFilter("")
		s.relayout()
		return cmd
	case key.Matches(msg, k.FilterDone):
		s.filtering = false
		s.filter.Blur()
		s.relayout()
		return nil
	case msg.Type == tea.KeyUp, msg.Type == tea.KeyDown, msg.Type == tea.KeyPgUp, msg.Type == tea.KeyPgDown:
		return s.usersKey(msg)
	}
	before := s.filter.Value()
	var cmd tea.Cmd
	s.filter, cmd = s.filter.Update(msg)
	if v := s.filter.Value(); v != before {
		return tea.Batch(cmd, s.setFilter(v))
	}
	return cmd
}

// setFilter applies q to the users table; a different selection settles anew.
func (s *mainScreen) setFilter(q string) tea.Cmd {
	before, hadSel := s.users.selected()
	if q == "" {
		s.filter.SetValue("")
	}
	lines := s.filterLines()
	s.users.setFilter(q)
	if s.filterLines() != lines {
		s.relayout()
	}
	after, ok := s.users.selected()
	if ok != hadSel || after.Name != before.Name {
		return s.selectionChanged()
	}
	return nil
}

// filterLines is the height of the filter line above the users table.
func (s *mainScreen) filterLines() int {
	if s.filtering || s.users.filter != "" {
		return 1
	}
	return 0
}

// filterView is the line above the users table.
func (s *mainScreen) filterView() string {
	if s.filtering {
		return s.filter.View()
	}
	return s.styles.FilterPrompt.Render("/ ") + s.styles.FilterText.Render(s.filter.Value()) + s.styles.Muted.Render("  esc clears")
}
