package ui

import (
	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
)

// Intents: what a dialog or a screen asks the root to do, returned in a reply
// (dialogs) or from a screen's update. The root acts on them at once, in the
// same Update, so that a dialog closes and its action starts in one step, and
// nothing happens twice however fast keys come.

// statusMsg writes the status line.
type statusMsg struct {
	level level
	text  string
}

// openDialogMsg opens a dialog on top of the others.
type openDialogMsg struct{ dialog dialog }

// quitRequestedMsg is q or ctrl+c: quit, unless a secret could be lost.
type quitRequestedMsg struct{}

// quitNowMsg quits at once, whatever is in flight.
type quitNowMsg struct{}

// quitWhenDoneMsg quits once the secrets in flight have been shown; note, when
// set, goes to the status line meanwhile.
type quitWhenDoneMsg struct{ note string }

// quitCancelledMsg is a no to a question a quit asked: the program stays.
type quitCancelledMsg struct{}

// A write asked for by a dialog that follows it (the rotation) carries the
// dialog's tag, by: the root answers it with an opDoneMsg. 0: nobody follows.

// createRequestedMsg creates a credential (ageDays 0: never expires).
// secretOnTop shows its secret at once, over the dialogs, instead of after them:
// the dialog that asked waits for it. deliver, when set, delivers the secret
// to that target instead (rotate_deliver.go).
type createRequestedMsg struct {
	user, service string
	ageDays       int
	by            int
	secretOnTop   bool
	deliver       *model.Target
}

// resetRequestedMsg resets a credential; activate then makes it Active (it
// was Inactive, and the person chose to activate it).
type resetRequestedMsg struct {
	cred     model.Credential
	activate bool
}

// deleteRequestedMsg deletes a credential. check, when set, is the re-read
// before it: it sees the user's credentials listed just before the delete and
// refuses (an error) when they are no longer what was confirmed.
type deleteRequestedMsg struct {
	cred  model.Credential
	by    int
	check recheck
}

// toggleRequestedMsg makes a credential Active or Inactive; check as for a delete.
type toggleRequestedMsg struct {
	cred  model.Credential
	to    model.Status
	by    int
	check recheck
}

// recheck judges a user's credentials, listed just before a destructive
// write, against what the person confirmed: nil lets the write go. It is a
// pure function of the values it closed over, safe on a command's goroutine.
type recheck func(held []model.Credential) error

// secretClosedMsg: a secret modal shown for a dialog (by) closed; saved says
// whether the secret was copied, shown or written first. then is what the
// modal itself asked for on closing (a quit going on), if anything.
type secretClosedMsg struct {
	by    int
	saved bool
	then  tea.Msg
}

type bulkRequestedMsg struct {
	action  bulkAction
	targets []model.Credential
}

// copyRequestedMsg copies text; secretID names the secret modal asking (0: the
// text is no secret, and is not cleared from the clipboard later).
type copyRequestedMsg struct {
	secretID int
	what     string
	text     string
}

// secretFileRequestedMsg writes the secret modal secretID's secret (what names
// it: "password") to a new file at path.
type secretFileRequestedMsg struct {
	secretID int
	what     string
	path     string
	secret   model.Secret
}

// exportAskedMsg opens the export prompt for the fleet's rows, selected by
// filter; meta, when set, heads the report instead of the account's own
// (the organization view's).
type exportAskedMsg struct {
	rows   []model.AuditRow
	filter model.AuditFilter
	meta   *model.AuditMeta
}

// exportRequestedMsg writes rows' metadata to path, headed by meta.
type exportRequestedMsg struct {
	path      string
	rows      []model.AuditRow
	meta      model.AuditMeta
	overwrite bool
}

// profilesRequestedMsg reads the profile names to offer a switch.
type profilesRequestedMsg struct{}

type profileChosenMsg struct{ name string }
