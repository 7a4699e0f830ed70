//go:build !e2epanic

package cli

import (
	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/ui"
)

// tuiModel is the model the program runs: the UI itself. (A build for the
// end-to-end tests, tag e2epanic, wraps it: tui_model_e2epanic.go.)
func tuiModel(m *ui.Model) tea.Model { return m }
