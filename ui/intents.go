package ui

import (
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

// createRequestedMsg creates a credential (ageDays 0: never expires).
type createRequestedMsg struct {
	user, service string
	ageDays       int
}

type resetRequestedMsg struct{ cred model.Credential }

type deleteRequestedMsg struct{ cred model.Credential }

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

// exportRequestedMsg writes rows' metadata to path.
type exportRequestedMsg struct {
	path      string
	rows      []model.AuditRow
	overwrite bool
}

// profilesRequestedMsg reads the profile names to offer a switch.
type profilesRequestedMsg struct{}

type profileChosenMsg struct{ name string }
