//go:build e2epanic

package cli

import (
	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/ui"
)

// tuiModel, in the end-to-end tests' build only, panics inside Update on
// ctrl+t, so that a test can see the terminal restored after a panic in the
// real program (ui/e2e_test.go). No release build has this file.
func tuiModel(m *ui.Model) tea.Model { return panicOnKey{m} }

type panicOnKey struct{ *ui.Model }

func (p panicOnKey) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && k.String() == "ctrl+t" {
		panic("e2e: a panic inside Update (ctrl+t, build tag e2epanic)")
	}
	_, cmd := p.Model.Update(msg)
	return p, cmd
}
