// Package uitest runs a Bubble Tea model the way tea.Program does, but under the
// caller's control, against a local IAM endpoint through the real SDK. The UI's
// tests and go run ./screenshots both drive the UI with it.
//
// It imports no part of the UI, so that package ui's own tests can use it.
package uitest

import (
	"fmt"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
)

// Driver runs a model: commands run on goroutines and their messages are applied
// one at a time, in the caller's goroutine, when it settles. Spinner ticks are
// dropped (a spinner never settles); a quit is recorded, not obeyed.
type Driver struct {
	model       tea.Model
	msgs        chan tea.Msg
	outstanding int
	quit        bool
	hold        func(tea.Msg) bool
	held        []tea.Msg
	// Timeout bounds one Settle; 20 s unless set.
	Timeout time.Duration
	// Observe, if set, sees each message the model has just handled, with the
	// model as it left it: a test checks what the screen says at that moment.
	Observe func(msg tea.Msg)
}

// New starts m: its Init commands run and the window size is sent. Nothing is
// settled yet.
func New(m tea.Model, width, height int) *Driver {
	d := &Driver{model: m, msgs: make(chan tea.Msg, 64), Timeout: 20 * time.Second}
	d.Run(m.Init())
	d.Send(tea.WindowSizeMsg{Width: width, Height: height})
	return d
}

// Model is the model being driven.
func (d *Driver) Model() tea.Model { return d.model }

// View is the model's current view.
func (d *Driver) View() string { return d.model.View() }

// Quit reports whether the model has asked to quit.
func (d *Driver) Quit() bool { return d.quit }

// Run runs cmd on a goroutine; Settle applies its message.
func (d *Driver) Run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	d.outstanding++
	go func() { d.msgs <- cmd() }()
}

// Send applies msg now: a batch runs its commands, and anything else goes to the
// model's Update unless Hold keeps it back.
func (d *Driver) Send(msg tea.Msg) {
	switch msg := msg.(type) {
	case nil, spinner.TickMsg:
	case tea.BatchMsg:
		for _, c := range msg {
			d.Run(c)
		}
	case tea.QuitMsg:
		d.quit = true
	default:
		if d.hold != nil && d.hold(msg) {
			d.held = append(d.held, msg)
			return
		}
		var cmd tea.Cmd
		d.model, cmd = d.model.Update(msg)
		if d.Observe != nil {
			d.Observe(msg)
		}
		d.Run(cmd)
	}
}

// Settle applies messages until no command is running.
func (d *Driver) Settle() error {
	deadline := time.After(d.Timeout)
	for d.outstanding > 0 {
		select {
		case msg := <-d.msgs:
			d.outstanding--
			d.Send(msg)
		case <-deadline:
			return fmt.Errorf("%d commands still running after %s; screen:\n%s", d.outstanding, d.Timeout, d.model.View())
		}
	}
	return nil
}

// Pump applies the messages that arrive until none has for quiet, without
// waiting for every command: some may be waiting on an endpoint that answers
// slowly or never.
func (d *Driver) Pump(quiet time.Duration) {
	for {
		select {
		case msg := <-d.msgs:
			d.outstanding--
			d.Send(msg)
		case <-time.After(quiet):
			return
		}
	}
}

// Keys types keys, settling after each. Names are as Key reads them.
func (d *Driver) Keys(names ...string) error {
	for _, n := range names {
		d.Send(Key(n))
		if err := d.Settle(); err != nil {
			return fmt.Errorf("after key %q: %w", n, err)
		}
	}
	return nil
}

// Press types keys without settling in between.
func (d *Driver) Press(names ...string) {
	for _, n := range names {
		d.Send(Key(n))
	}
}

// Hold keeps back, from now on, the messages keep reports true for (the answer
// of a call still "in flight"); nil stops holding. Release applies them.
func (d *Driver) Hold(keep func(tea.Msg) bool) { d.hold = keep }

// Held is how many messages are kept back.
func (d *Driver) Held() int { return len(d.held) }

// Release stops holding and applies the held messages in their order.
func (d *Driver) Release() {
	held := d.held
	d.hold, d.held = nil, nil
	for _, msg := range held {
		d.Send(msg)
	}
}

// Key is the key message for a name: enter, esc, tab, shift+tab, up, down, left,
// right, pgup, pgdown, home, end, backspace, space, ctrl+a, ctrl+c, ctrl+r;
// anything else is typed as runes.
func Key(name string) tea.KeyMsg {
	if t, ok := special[name]; ok {
		if t == tea.KeySpace {
			return tea.KeyMsg{Type: t, Runes: []rune{' '}}
		}
		return tea.KeyMsg{Type: t}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(name)}
}

var special = map[string]tea.KeyType{
	"enter": tea.KeyEnter, "esc": tea.KeyEscape, "tab": tea.KeyTab, "shift+tab": tea.KeyShiftTab,
	"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
	"pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown, "home": tea.KeyHome, "end": tea.KeyEnd,
	"backspace": tea.KeyBackspace, "space": tea.KeySpace,
	"ctrl+a": tea.KeyCtrlA, "ctrl+c": tea.KeyCtrlC, "ctrl+r": tea.KeyCtrlR,
}
