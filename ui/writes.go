package ui

import (
	"fmt"
	"slices"

	"iamcreds/model"
)

type opKind int

const (
	opCreate opKind = iota + 1
	opToggle
	opReset
	opDelete
	opDeliver // a rotation's step 3: the new credential's secret to a target
)

// pendingOp is one write in flight.
type pendingOp struct {
	id      int
	task    int
	kind    opKind
	user    string
	credID  string // "" for a create
	service string
	to      model.Status // for a toggle
	// by is the tag of the dialog following the write (0: none), which hears
	// how it ended (opDoneMsg).
	by int
	// secretOnTop: a create's secret shows over the dialogs (createRequestedMsg).
	secretOnTop bool
	// activate: a reset is followed by making the credential Active.
	activate bool
	// acct is the account the write goes to.
	acct *account
	// deliver: a create's secret goes to this target (a rotation's step 3),
	// not to the secret modal; a delivery's target.
	deliver *model.Target
}

// verb is what the row says while the write runs.
func (p pendingOp) verb() string {
	switch p.kind {
	case opCreate:
		return "creating"
	case opToggle:
		if p.to == model.Inactive {
			return "disabling"
		}
		return "enabling"
	case opReset:
		return "resetting"
	case opDelete:
		return "deleting"
	case opDeliver:
		return "delivering"
	}
	return "working"
}

// unanswered says what p was doing when the program ended before its answer,
// and what to check: IAM may have done it. It names the credential in full,
// never a secret.
func (p pendingOp) unanswered() string {
	svc := model.LookupService(p.service).Short
	cred := fmt.Sprintf("%s's %s credential %s", p.user, svc, p.credID)
	check := "check " + p.user + "'s credentials"
	switch p.kind {
	case opCreate:
		return fmt.Sprintf("a create of a %s credential for %s was in flight: %s", svc, p.user, check)
	case opToggle:
		return fmt.Sprintf("a change of %s to %s was in flight: %s", cred, p.to, check)
	case opReset:
		return fmt.Sprintf("a reset of %s was in flight: its old secret may no longer work; reset it again to get one", cred)
	case opDelete:
		return fmt.Sprintf("a delete of %s was in flight: %s", cred, check)
	case opDeliver:
		return fmt.Sprintf("a delivery of the new %s's secret to %s was in flight: if %s lacks it, delete %s (nobody else holds its secret)",
			cred, p.deliver.String(), p.deliver.String(), p.credID)
	}
	return "a write for " + p.user + " was in flight: " + check
}

// writes are the single writes in flight (a bulk action is a bulkRun). Their rows
// show a spinner, and a second write to the same credential (or a second create
// of the same service) waits for the first.
type writes struct {
	ops  []pendingOp
	last int
	// version counts changes, so that the rows they show on redraw.
	version uint64
}

// users are the users with writes in flight.
func (w *writes) users() []string {
	var out []string
	for _, p := range w.ops {
		if !slices.Contains(out, p.user) {
			out = append(out, p.user)
		}
	}
	return out
}

// add records p and returns it with its id.
func (w *writes) add(p pendingOp) pendingOp {
	w.last++
	w.version++
	p.id = w.last
	w.ops = append(w.ops, p)
	return p
}

// done forgets a finished write and returns it.
func (w *writes) done(id int) (pendingOp, bool) {
	for i, p := range w.ops {
		if p.id == id {
			w.version++
			w.ops = append(w.ops[:i], w.ops[i+1:]...)
			return p, true
		}
	}
	return pendingOp{}, false
}

// on returns the write changing a credential, if any.
func (w *writes) on(user, id string) (pendingOp, bool) {
	for _, p := range w.ops {
		if p.user == user && p.credID == id && p.kind != opCreate {
			return p, true
		}
	}
	return pendingOp{}, false
}

// creates lists the creates in flight for user.
func (w *writes) creates(user string) []pendingOp {
	var out []pendingOp
	for _, p := range w.ops {
		if p.kind == opCreate && p.user == user {
			out = append(out, p)
		}
	}
	return out
}

// creating counts the creates in flight for user and service.
func (w *writes) creating(user, service string) int {
	n := 0
	for _, p := range w.creates(user) {
		if p.service == service {
			n++
		}
	}
	return n
}

// secrets counts the creates, resets and deliveries in flight: a secret
// arrives with each, once, or is on its way to a target.
func (w *writes) secrets() int {
	n := 0
	for _, p := range w.ops {
		if p.kind == opCreate || p.kind == opReset || p.kind == opDeliver {
			n++
		}
	}
	return n
}

func (w *writes) any() bool { return len(w.ops) > 0 }
