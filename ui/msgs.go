package ui

import (
	"iamcreds/model"
	"iamcreds/ui/clipboard"

	tea "github.com/charmbracelet/bubbletea"
)

// Results of commands. Each carries what it was asked for (user, id) and a tag
// (task, gen, seq), so an answer that no longer applies is recognised and dropped.

type identityMsg struct {
	task     int
	identity model.Identity
	err      error
}

type usersMsg struct {
	task  int
	gen   int // the load generation (start or ctrl+r)
	users []model.User
	err   error
}

type inventoryMsg struct {
	acct *account // the account listed
	task int
	gen  int
	seq  uint64 // taken when the request started: fresher per-user answers win
	inv  model.Inventory
	err  error
}

// inventoryProgressMsg reports a per-user scan (IAM refused AllUsers).
type inventoryProgressMsg struct {
	gen         int
	done, total int
	ch          <-chan [2]int
}

// settleMsg fires when the users cursor has rested on user for the debounce time.
type settleMsg struct {
	seq  uint64
	user string
}

// credsMsg is one user's credentials in an account: a cursor load, or a
// listing after a write (on any screen, in any account).
type credsMsg struct {
	acct  *account // the account listed
	task  int
	seq   uint64
	user  string
	creds []model.Credential
	// settle is true for a cursor load (dropped once the cursor has moved on),
	// false for a reconciliation after a write (always applied if fresh).
	settle bool
	err    error
}

type createdMsg struct {
	op      int
	user    string
	service string
	cred    model.Credential
	secret  model.Secret
	err     error
}

type toggledMsg struct {
	op        int
	user, id  string
	to        model.Status
	err       error
	lostReply bool // done, by IAM's listing, though its reply was lost
}

type resetMsg struct {
	op       int
	user, id string
	cred     model.Credential
	secret   model.Secret
	err      error
}

type deletedMsg struct {
	op        int
	user, id  string
	err       error
	lostReply bool // done, by IAM's listing, though its reply was lost
}

// copiedMsg is a clipboard copy's outcome. clear, when set, is the timer that
// clears the clipboard later; it holds only the copy's Result (digests, no text).
type copiedMsg struct {
	task     int
	secretID int // which modal asked; 0 for non-secret text
	what     string
	result   clipboard.Result
	err      error
	clear    tea.Cmd
}

// clipboardClearedMsg is the outcome of clearing a secret's copy: the status
// bar says it, and so does the modal that copied it (secretID).
type clipboardClearedMsg struct {
	secretID int
	what     string // what was copied: "password", "export line"
	cleared  clipboard.Cleared
	err      error
}

// opDoneMsg tells the dialog that asked for a write (its by) how the write
// ended: done (err nil), failed, or refused before it started.
type opDoneMsg struct {
	by   int
	kind opKind
	cred model.Credential // what was written; for a create, the new credential
	err  error
}
