package ui

import (
	tea "github.com/charmbracelet/bubbletea"
)

// newUsersFilter is the main screen's filter of user names.
func newUsersFilter(s Styles) textFilter {
	f := newTextFilter(s)
	f.input.Placeholder = "user name, credential id, Git user name or API-key alias"
	f.input.CharLimit = 128
	return f
}

// startFilter gives the keys to the filter input.
func (s *mainScreen) startFilter() tea.Cmd {
	if s.focus != focusUsers {
		s.setFocus(focusUsers)
	}
	cmd := s.filter.start()
	s.relayout()
	return cmd
}

// filterKey: typing filters at once; enter keeps the filter, esc drops it; the
// arrows still move in the users table. (ctrl+c is the root's.)
func (s *mainScreen) filterKey(msg tea.KeyMsg) tea.Cmd {
	switch msg.Type {
	case tea.KeyUp, tea.KeyDown, tea.KeyPgUp, tea.KeyPgDown:
		return s.usersKey(msg)
	}
	changed, cmd := s.filter.key(msg, s.keys)
	if changed {
		cmd = tea.Batch(cmd, s.setFilter(s.filter.value()))
	}
	if !s.filter.typing {
		s.relayout() // the line stays only for a kept filter
	}
	return cmd
}

// setFilter applies q to the users table; a different selection settles anew.
func (s *mainScreen) setFilter(q string) tea.Cmd {
	before, hadSel := s.users.selected()
	if q == "" {
		s.filter.clear()
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
	s.selectFilterMatch()
	return nil
}

// filterLines is the height of the filter line above the users table.
func (s *mainScreen) filterLines() int {
	if s.filter.typing || s.users.filter != "" {
		return 1
	}
	return 0
}

// filterView is the line above the users table.
func (s *mainScreen) filterView() string {
	return s.filter.view(s.styles, s.styles.Muted.Render("  esc clears"))
}
