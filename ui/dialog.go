package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// dialog is a box over the screen that takes the keys while it is on top: a
// form, a confirmation, the secret modal. Each lives in its own file with its
// data, keys, update and view; the root never looks inside one. To add one,
// write a type with these three methods in a new file and open it: a screen
// returns openDialogMsg, the root calls m.open. What it decides goes back as
// an intent in its reply; what it waits for (a command's result) it hears in
// Update.
type dialog interface {
	// Update handles a key while the dialog is on top, and every other message
	// the root receives (command results such as copiedMsg, the window's size,
	// which it also gets when it opens), wherever the dialog sits in the stack.
	Update(msg tea.Msg) reply
	// View renders the box in at most w columns and h lines; the root puts it
	// in the middle of the window. (One that must draw beyond its box, as the
	// secret modal does, is also a windowDialog: dialog_overlay.go.)
	View(w, h int) string
	// Keys are the bindings the help bar shows while the dialog is on top.
	Keys() []key.Binding
}

// reply is a dialog's answer to a message.
type reply struct {
	close bool    // the dialog is done: it leaves the stack
	out   tea.Msg // what the person decided, for the root to act on now (intents.go)
	cmd   tea.Cmd // the dialog's own work, such as a text input's
}

// closeWith closes the dialog and hands the root out (nil: nothing to do).
func closeWith(out tea.Msg) reply { return reply{close: true, out: out} }

// ask keeps the dialog open and hands the root out.
func ask(out tea.Msg) reply { return reply{out: out} }

// quitGuard is a dialog holding what a quit would lose (a secret not yet saved).
// On a quit, dialogs are dropped from the top down until one whose guardQuit
// says it stays: it then asks the person itself.
type quitGuard interface {
	guardQuit() (stay bool)
}

// dialogStack holds the open dialogs; the last is on top and has the keys.
type dialogStack struct {
	open []dialog
}

func (s *dialogStack) empty() bool { return len(s.open) == 0 }

// top is the dialog with the keys, nil when none is open.
func (s *dialogStack) top() dialog {
	if s.empty() {
		return nil
	}
	return s.open[len(s.open)-1]
}

func (s *dialogStack) push(d dialog) { s.open = append(s.open, d) }

// has reports whether d is open.
func (s *dialogStack) has(d dialog) bool {
	for _, o := range s.open {
		if o == d {
			return true
		}
	}
	return false
}

// key gives a key to the top dialog, taking it off the stack if it closes.
func (s *dialogStack) key(msg tea.KeyMsg) reply {
	d := s.top()
	if d == nil {
		return reply{}
	}
	r := d.Update(msg)
	if r.close {
		s.remove(d)
	}
	return r
}

// tell gives a message to every dialog, the top first, and returns their
// replies; a dialog that closes leaves the stack.
func (s *dialogStack) tell(msg tea.Msg) []reply {
	var out []reply
	for i := len(s.open) - 1; i >= 0; i-- {
		d := s.open[i]
		r := d.Update(msg)
		if r.close {
			s.remove(d)
		}
		if r.close || r.out != nil || r.cmd != nil {
			out = append(out, r)
		}
	}
	return out
}

// dropForQuit drops dialogs from the top until a quitGuard says it stays, and
// reports whether one did.
func (s *dialogStack) dropForQuit() bool {
	for d := s.top(); d != nil; d = s.top() {
		if g, ok := d.(quitGuard); ok && g.guardQuit() {
			return true
		}
		s.remove(d)
	}
	return false
}

func (s *dialogStack) remove(d dialog) {
	for i, o := range s.open {
		if o == d {
			s.open = append(s.open[:i], s.open[i+1:]...)
			return
		}
	}
}
