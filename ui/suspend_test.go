package ui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/awsclient/localiam"
)

// ctrl+z suspends the program (back to the shell; fg resumes) wherever the
// keys are: a screen, a filter being typed, a dialog. The full help lists it.
func TestCtrlZSuspends(t *testing.T) {
	t.Parallel()
	d, _, _ := start(t, localiam.Faults{}, false)
	suspends := func(where string) {
		t.Helper()
		_, cmd := d.m.Update(tea.KeyMsg{Type: tea.KeyCtrlZ})
		if cmd == nil {
			t.Fatalf("%s: ctrl+z did nothing", where)
		}
		if _, ok := cmd().(tea.SuspendMsg); !ok {
			t.Fatalf("%s: ctrl+z does not suspend", where)
		}
	}
	suspends("the users table")
	d.keys("/")
	suspends("typing a filter")
	d.keys("esc")
	d.selectUser("ana")
	d.keys("n")
	suspends("the create dialog")
	d.keys("esc", "?")
	mustContain(t, d.m, "ctrl+z", "suspend")
}
