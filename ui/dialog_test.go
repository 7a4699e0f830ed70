package ui

import (
	"fmt"
	"testing"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/awsclient/localiam"
)

// recorder is a dialog that records what it hears and closes on the message
// closeOn names (fmt's %v of it).
type recorder struct {
	name    string
	heard   []tea.Msg
	closeOn string
	guard   bool // a quitGuard that stays
}

func (r *recorder) Update(msg tea.Msg) reply {
	r.heard = append(r.heard, msg)
	if r.closeOn != "" && fmt.Sprint(msg) == r.closeOn {
		return closeWith(statusMsg{levelInfo, r.name + " closed"})
	}
	return reply{}
}
func (r *recorder) View(int, int) string { return r.name }
func (r *recorder) Keys() []key.Binding  { return nil }

type guarded struct{ *recorder }

func (g guarded) guardQuit() bool { return g.guard }

func TestDialogStack(t *testing.T) {
	var s dialogStack
	bottom := &recorder{name: "bottom", closeOn: fmt.Sprint(secretReadyMsg{})}
	top := &recorder{name: "top", closeOn: "esc"}
	s.push(bottom)
	s.push(top)

	// A key goes to the top dialog only.
	if r := s.key(keyMsg("x")); r.close || len(top.heard) != 1 || len(bottom.heard) != 0 {
		t.Fatalf("key: %+v, top heard %d, bottom heard %d", r, len(top.heard), len(bottom.heard))
	}
	// Any other message goes to all, top first; one closing below the top leaves.
	replies := s.tell(secretReadyMsg{})
	if len(replies) != 1 || replies[0].out != (statusMsg{levelInfo, "bottom closed"}) {
		t.Fatalf("tell replies %+v", replies)
	}
	if s.top() != dialog(top) || len(s.open) != 1 {
		t.Fatalf("stack after bottom closed: %v", s.open)
	}
	// The top closing on its key empties the stack.
	if r := s.key(keyMsg("esc")); !r.close || !s.empty() {
		t.Fatalf("esc: %+v, stack %v", r, s.open)
	}
	if r := s.key(keyMsg("x")); s.top() != nil || r.close || r.out != nil || r.cmd != nil {
		t.Fatal("an empty stack has no top and takes no key")
	}
}

// A quit drops dialogs from the top until one guarding something stays.
func TestDialogStackQuitStopsAtGuard(t *testing.T) {
	var s dialogStack
	keeper := guarded{&recorder{name: "keeper", guard: true}}
	s.push(&recorder{name: "under"})
	s.push(keeper)
	s.push(guarded{&recorder{name: "saved", guard: false}})
	s.push(&recorder{name: "plain"})
	if !s.dropForQuit() || s.top() != dialog(keeper) || len(s.open) != 2 {
		t.Fatalf("dropForQuit left %v", s.open)
	}
	keeper.guard = false
	if s.dropForQuit() || !s.empty() {
		t.Fatalf("nothing guards: the stack should be empty, is %v", s.open)
	}
}

// A bulk action ending while an unsaved secret is on screen puts its summary on
// top; ctrl+c then drops the summary, not the secret, which asks first.
func TestQuitKeepsUnsavedSecretUnderAnotherDialog(t *testing.T) {
	t.Parallel()
	d, _, _ := start(t, localiam.Faults{}, false)
	d.selectUser("kenji")
	d.Hold(func(msg tea.Msg) bool {
		switch msg.(type) {
		case createdMsg, bulkDoneMsg:
			return true
		}
		return false
	})
	d.keys("n", "enter", "enter", "a", "v", "I", "tab", "enter") // a create, then a bulk deactivate, both in flight
	if len(d.m.writes.ops) != 1 || d.m.bulk == nil {
		t.Fatalf("not both in flight:\n%s", screenText(d.m))
	}
	d.Release()
	d.settle()
	sm, ok := d.m.dialogs.open[0].(*secretModal)
	if _, top := d.m.dialogs.top().(*bulkSummary); !ok || !top || len(d.m.dialogs.open) != 2 {
		t.Fatalf("want the summary over the secret, have %v", d.m.dialogs.open)
	}
	d.keys("ctrl+c")
	if d.Quit() || d.m.dialogs.top() != dialog(sm) || sm.question == askNothing {
		t.Fatalf("ctrl+c lost the secret (quit %v):\n%s", d.Quit(), screenText(d.m))
	}
	mustContain(t, d.m, "Quit without saving?")
	d.keys("y")
	if !d.Quit() {
		t.Fatal("y should quit")
	}
}

// y answers only the (y/N) questions: in a dialog of buttons, where Cancel is
// focused so that no single key changes a credential, it does nothing.
func TestYesDoesNothingInButtonDialogs(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, user string
		keys       []string
	}{
		{"reset", "mateo", []string{"enter", "r"}},
		{"activate a stale one", "priya", []string{"enter", "t"}},
		{"delete", "mateo", []string{"enter", "d"}},
		{"rotate", "mateo", []string{"enter", "R"}},
		{"create", "ana", []string{"n", "enter"}},
		{"bulk deactivate", "", []string{"a", "ctrl+a", "I"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d, e, _ := start(t, localiam.Faults{}, false)
			if tc.user != "" {
				d.selectUser(tc.user)
			}
			before := fmt.Sprint(e.creds(t, "mateo"), e.creds(t, "priya"), e.creds(t, "ana"))
			d.keys(tc.keys...)
			open := d.m.dialogs.top()
			if open == nil {
				t.Fatalf("no dialog:\n%s", screenText(d.m))
			}
			d.keys("y", "Y")
			if d.m.dialogs.top() != open || d.Quit() {
				t.Fatalf("y acted on the %s dialog:\n%s", tc.name, screenText(d.m))
			}
			if after := fmt.Sprint(e.creds(t, "mateo"), e.creds(t, "priya"), e.creds(t, "ana")); after != before {
				t.Fatalf("y changed IAM:\n%s\n%s", before, after)
			}
		})
	}
}
