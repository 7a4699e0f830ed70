package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
)

// Closing the secret modal: what it asks first when the secret was not kept,
// and the modal a dialog follows (handOver), which tells it on closing.

// closeQuestion is what closing the modal asks before the secret is dropped.
type closeQuestion int

const (
	askNothing closeQuestion = iota
	askDiscard               // never kept: "Close without saving?" ("Quit …" on a quit)
	askPaste                 // copied, but unchecked: "did the paste work?"
)

// pasteQuestion is asked on closing after an unchecked copy.
const pasteQuestion = "Copied through the terminal, which can't be checked — did the paste work?"

// answer takes y or n to the question on screen.
func (sm *secretModal) answer(msg tea.KeyMsg) reply {
	k := sm.keys
	switch {
	case key.Matches(msg, k.Yes):
		return sm.close()
	case key.Matches(msg, k.No) && sm.quitAfter:
		sm.question, sm.quitAfter = askNothing, false
		return ask(quitCancelledMsg{}) // no to quitting: the program stays
	case key.Matches(msg, k.No):
		sm.question = askNothing
	}
	return reply{}
}

// closeQuestion is what closing must ask first, if anything.
func (sm *secretModal) closeQuestion() closeQuestion {
	switch {
	case sm.kept:
		return askNothing
	case sm.unchecked != nil:
		return askPaste
	}
	return askDiscard
}

// close drops the secret; quitting goes on if that is why it closed.
func (sm *secretModal) close() reply {
	sm.secret = model.Secret{}
	if sm.quitAfter {
		return closeWith(quitWhenDoneMsg{})
	}
	return closeWith(nil)
}

// closeVerb is what y does to the program: a question asked because of a quit
// (ctrl+c) quits it, not just this dialog.
func (sm *secretModal) closeVerb() string {
	if sm.quitAfter {
		return "quit"
	}
	return "close"
}

// guardQuit: a kept secret may go; otherwise the modal asks first.
func (sm *secretModal) guardQuit() bool {
	q := sm.closeQuestion()
	if q == askNothing {
		return false
	}
	sm.file, sm.delivering = nil, false
	sm.question, sm.quitAfter = q, true
	return true
}

// handOver is the secret modal of a write a dialog follows (the rotation's
// step 3): the usual modal, which on closing tells that dialog (by) whether
// the secret was saved: kept (shown, copied and read back, written to a file),
// or copied unchecked and the person says the paste worked.
type handOver struct {
	*secretModal
	by int
}

func (h handOver) Update(msg tea.Msg) reply {
	pasted := h.question == askPaste // a yes now says the unchecked copy's paste worked
	r := h.secretModal.Update(msg)
	if r.close {
		r.out = secretClosedMsg{by: h.by, saved: h.kept || pasted, then: r.out}
	}
	return r
}
