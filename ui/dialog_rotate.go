package ui

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
)

// rotateDialog is R: the rotation of one credential as one dialog that shows
// model's plan and where it stands, step by step (model.RotationPlan):
//
//  1. the user holds 2: delete the other one first (its last 4), if it is
//     Inactive or Expired; else the plan refuses, and the dialog says why;
//  2. create the new one (an API key: the old one's lifetime, adjustable);
//  3. its secret in the secret modal, over this dialog (handOver);
//  4. "Is the new one in use?" → deactivate the old one (default: Later);
//  5. delete the old one (default: keep it).
//
// Each write goes through the root, tagged with the dialog's tag, and its
// outcome comes back as an opDoneMsg. Leaving, or a failure, shows what exists
// now and what to do next (model.Rotation's State and Next).
type rotateDialog struct {
	*kit
	tag  int              // the tag of its writes (pendingOp.by)
	old  model.Credential // the credential to rotate, as selected
	held func() ([]model.Credential, bool)
	rot  model.Rotation
	// phase is the step on screen, or how the rotation ended.
	phase rotPhase
	busy  bool // the step's write is in flight
	// why is the plan's refusal (rotStopped) or the failed step's error
	// (rotFailed, at failedAt).
	why      error
	failedAt model.RotationStep
	proof    textinput.Model // the last 4 of an ID: steps 1 and 5
	expiry   expiryPicker    // step 2 of an API key
	focus    int             // the focused button of steps 3 (not saved) and 4
	err      string          // why the step cannot go on (a wrong proof)
	// target is where step 3 delivers the secret (a [[deliver]] rule), nil
	// for the secret modal: rotate_deliver.go. checking: its check runs;
	// checkErr: it failed. delivery says how step 3's delivery went.
	target    *model.Target
	checking  bool
	checkErr  error
	delivery  string
	delivered model.Outcome
	// targetNote says where the target is, when not in the credential's account.
	targetNote string
}

type rotPhase int

const (
	rotStopped     rotPhase = iota // the plan refused: why; nothing changed
	rotDeleteOther                 // step 1
	rotCreate                      // step 2
	rotHandOver                    // step 3: the secret modal is open over the dialog
	rotNotSaved                    // step 3 ended without the secret saved
	rotDeactivate                  // step 4
	rotDeleteOld                   // step 5
	rotEnded                       // left, or complete: the state and what next
	rotFailed                      // a step failed: why, the state and what next
	rotTakeBack                    // step 3's delivery was refused: the new one is deleted again
)

// step is the plan's step the phase is at; 0 when none.
func (p rotPhase) step() model.RotationStep {
	switch p {
	case rotDeleteOther:
		return model.StepDeleteOther
	case rotCreate:
		return model.StepCreate
	case rotHandOver, rotNotSaved, rotTakeBack:
		return model.StepHandOver
	case rotDeactivate:
		return model.StepDeactivateOld
	case rotDeleteOld:
		return model.StepDeleteOld
	}
	return 0
}

// newRotateDialog plans the rotation of old from what held says its user
// holds (the root's cache); a fresher listing plans again until a step starts.
func newRotateDialog(k *kit, tag int, old model.Credential, held func() ([]model.Credential, bool)) *rotateDialog {
	d := &rotateDialog{kit: k, tag: tag, old: old, held: held}
	d.plan()
	return d
}

// plan plans the rotation from what is held now. A plan that starts where the
// dialog already is keeps what was typed or chosen.
func (d *rotateDialog) plan() {
	held, known := d.held()
	if !known {
		held = []model.Credential{d.old}
	}
	p, err := model.PlanRotation(d.old, held, d.now())
	if err == nil && d.checkErr != nil {
		d.rot, d.why = p.Start(), d.checkErr
		d.enter(rotStopped)
		return
	}
	if err != nil {
		d.rot, d.why = model.Rotation{}, err
		d.enter(rotStopped)
		return
	}
	phase := rotCreate
	if p.DeleteOther {
		phase = rotDeleteOther
	}
	same := phase == d.phase && d.rot.Plan.Old.ID != "" && p.LifetimeDays == d.rot.Plan.LifetimeDays &&
		p.ChooseLifetime == d.rot.Plan.ChooseLifetime && p.Other.ID == d.rot.Plan.Other.ID
	d.rot, d.why = p.Start(), nil
	if !same {
		d.expiry = newExpiryPicker(lifetimeChoices(p))
		d.enter(phase)
	}
}

// lifetimeChoices are step 2's lifetimes: the old key's first, when it had
// one; else the create form's, on 30 days (never is only ever chosen).
func lifetimeChoices(p model.RotationPlan) ([]expiryChoice, int) {
	if p.ChooseLifetime {
		return expiryChoices(), defaultExpiry
	}
	same := expiryChoice{label: plural(p.LifetimeDays, "day") + ", as the old one", days: p.LifetimeDays}
	return append([]expiryChoice{same}, expiryChoices()...), 0
}

// enter shows a phase afresh.
func (d *rotateDialog) enter(p rotPhase) {
	d.phase, d.focus, d.err = p, 0, ""
	if p == rotDeleteOther || p == rotDeleteOld {
		d.proof = newProofInput()
	}
}

// untouched: no step has started, so a fresher listing may plan again.
func (d *rotateDialog) untouched() bool {
	return !d.busy && !d.rot.Changed() && (d.phase == rotStopped || d.phase == rotDeleteOther || d.phase == rotCreate)
}

func (d *rotateDialog) apiKey() bool { return model.IsAPIKey(d.old) }

func (d *rotateDialog) Update(msg tea.Msg) reply {
	switch msg := msg.(type) {
	case opDoneMsg:
		if msg.by == d.tag && d.busy {
			d.done(msg)
		}
	case secretClosedMsg:
		if msg.by == d.tag && d.phase == rotHandOver {
			d.handedOver(msg.saved)
		}
	case credsMsg:
		if msg.user == d.old.UserName && msg.err == nil && d.untouched() {
			d.plan()
		}
	case targetCheckedMsg:
		if msg.by == d.tag && d.checking {
			d.targetChecked(msg)
		}
	case deliveredMsg:
		if msg.by == d.tag && msg.op != 0 && d.busy && d.phase == rotHandOver {
			d.stepDelivered(msg)
		}
	case tea.KeyMsg:
		return d.key(msg)
	}
	return reply{}
}

func (d *rotateDialog) key(msg tea.KeyMsg) reply {
	k := d.keys
	switch {
	case key.Matches(msg, k.Interrupt):
		return ask(quitRequestedMsg{})
	case d.busy && key.Matches(msg, k.Cancel):
		step := d.phase.step()
		return closeWith(statusMsg{levelInfo, fmt.Sprintf("Left the rotation while step %d (%s) runs: its outcome shows here", int(step), step)})
	case d.busy:
		return reply{}
	}
	d.err = ""
	switch d.phase {
	case rotDeleteOther:
		return d.proofKey(msg, d.rot.Plan.Other)
	case rotCreate:
		return d.createKey(msg)
	case rotNotSaved, rotDeactivate:
		return d.questionKey(msg)
	case rotDeleteOld:
		return d.proofKey(msg, d.rot.Plan.Old)
	case rotStopped, rotEnded, rotFailed:
		if key.Matches(msg, k.Close) {
			return closeWith(d.outcome())
		}
	}
	return reply{}
}

// proofKey is steps 1 and 5: the last 4 of c's ID delete it. Step 1 is left
// with esc; step 5 keeps the old one with esc or enter on an empty input.
func (d *rotateDialog) proofKey(msg tea.KeyMsg, c model.Credential) reply {
	k := d.keys
	keep := d.phase == rotDeleteOld
	switch {
	case key.Matches(msg, k.Cancel), keep && key.Matches(msg, k.Confirm) && d.proof.Value() == "":
		return d.leave()
	case key.Matches(msg, k.Confirm) && !model.ConfirmsDelete(c.ID, d.proof.Value()):
		d.err = fmt.Sprintf("Type %s, the last 4 characters of the ID, to delete it", model.DeleteProof(c.ID))
		return reply{}
	case key.Matches(msg, k.Confirm) && !keep && d.waitCheck():
		return reply{}
	case key.Matches(msg, k.Confirm):
		d.busy = true
		return ask(deleteRequestedMsg{cred: c, by: d.tag, check: d.recheck()})
	}
	var cmd tea.Cmd
	d.proof, cmd = d.proof.Update(msg)
	return reply{cmd: cmd}
}

// createKey is step 2: enter creates, with the highlighted lifetime for an
// API key.
func (d *rotateDialog) createKey(msg tea.KeyMsg) reply {
	k := d.keys
	switch {
	case key.Matches(msg, k.Cancel) && !d.expiry.typing:
		return d.leave()
	case !d.apiKey():
		if key.Matches(msg, k.Confirm) {
			return d.create(0)
		}
		return reply{}
	}
	days, picked, cmd, err := d.expiry.key(msg, k)
	switch {
	case err != nil:
		d.err = err.Error()
	case picked:
		r := d.create(days)
		r.cmd = tea.Batch(cmd, r.cmd)
		return r
	}
	return reply{cmd: cmd}
}

func (d *rotateDialog) create(days int) reply {
	if d.waitCheck() {
		return reply{}
	}
	p := d.rot.Plan
	if d.apiKey() {
		var err error
		if p, err = p.WithLifetime(days); err != nil {
			d.err = err.Error()
			return reply{}
		}
	}
	ageDays, err := p.CreateAgeDays()
	if err != nil {
		d.err = err.Error()
		return reply{}
	}
	d.rot.Plan, d.busy = p, true
	return ask(createRequestedMsg{user: p.Old.UserName, service: p.Old.Service, ageDays: ageDays, by: d.tag, secretOnTop: true, deliver: d.target})
}

// questionKey is the two buttons of step 4 and of a secret not saved; the
// first, the default, leaves.
func (d *rotateDialog) questionKey(msg tea.KeyMsg) reply {
	k := d.keys
	switch {
	case key.Matches(msg, k.Cancel), key.Matches(msg, k.Confirm) && d.focus == 0:
		return d.leave()
	case key.Matches(msg, k.Next), key.Matches(msg, k.Prev):
		d.focus = 1 - d.focus
	case key.Matches(msg, k.Confirm) && d.phase == rotNotSaved:
		d.rot.SecretSaved = true // the person says so: a copy by OSC 52 cannot be checked
		d.afterHandOver()
	case key.Matches(msg, k.Confirm):
		d.busy = true
		return ask(toggleRequestedMsg{cred: d.rot.Plan.Old, to: model.Inactive, by: d.tag, check: d.recheck()})
	}
	return reply{}
}

// recheck is the re-read before the current step, which deletes or
// deactivates: the step goes only if the listing made just before it still
// shows what the plan says (model.Rotation.Recheck).
func (d *rotateDialog) recheck() recheck {
	rot, step, now := d.rot, d.phase.step(), d.now()
	return func(held []model.Credential) error { return rot.Recheck(step, held, now) }
}

// leave stops the rotation where it is: nothing changed closes; else the
// state shows.
func (d *rotateDialog) leave() reply {
	if !d.rot.Changed() {
		return closeWith(statusMsg{levelInfo, "Rotation cancelled: nothing was changed"})
	}
	d.enter(rotEnded)
	return reply{}
}

// done records the outcome of the step's write and goes on to the next step.
func (d *rotateDialog) done(msg opDoneMsg) {
	step := d.phase.step()
	d.busy = false
	if d.phase == rotTakeBack {
		d.tookBack(msg.err)
		return
	}
	if msg.err != nil {
		d.fail(step, msg.err)
		return
	}
	switch step {
	case model.StepDeleteOther:
		d.rot.OtherDeleted = true
		d.enter(rotCreate)
	case model.StepCreate:
		d.rot.New = msg.cred
		d.enter(rotHandOver)
		d.busy = d.target != nil // the secret is on its way to the target
	case model.StepDeactivateOld:
		d.rot.OldStatus = model.Inactive
		d.enter(rotDeleteOld)
	case model.StepDeleteOld:
		d.rot.OldDeleted = true
		d.enter(rotEnded)
	}
}

// fail shows the step's error with the state, as model.Rotation.Failed reads
// it: a create whose reply named the new credential without its secret left
// it, to be reset or deleted; a write that may have happened is unknown, and
// a credential that appeared meanwhile is named, never taken for the new one.
func (d *rotateDialog) fail(step model.RotationStep, err error) {
	d.phase, d.failedAt, d.why = rotFailed, step, err
	d.rot.Failed(step, err)
}

// unconfirmed: the failed step's write may have happened after all (its reply
// was lost, and no listing could tell).
func (d *rotateDialog) unconfirmed() bool {
	return d.phase == rotFailed && d.rot.Outcome(d.failedAt) == model.OutcomeUnknown
}

// handedOver is the end of step 3: the secret modal closed.
func (d *rotateDialog) handedOver(saved bool) {
	d.rot.SecretSaved = saved
	if !saved {
		d.enter(rotNotSaved)
		return
	}
	d.afterHandOver()
}

// afterHandOver goes to step 4, or to step 5 when the old one is not Active.
func (d *rotateDialog) afterHandOver() {
	if d.rot.OldStatus == model.Active {
		d.enter(rotDeactivate)
		return
	}
	d.enter(rotDeleteOld)
}

// outcome is the status line the dialog leaves behind.
func (d *rotateDialog) outcome() statusMsg {
	label := credLabel(d.old.UserName, d.old.Service, d.old.ID)
	switch {
	case d.phase == rotStopped:
		return statusMsg{levelWarn, "Not rotated: " + errorText(d.why)}
	case d.rot.OldDeleted:
		return statusMsg{levelOK, "Rotated " + label + ": the rotation is complete"}
	case d.phase == rotFailed:
		return statusMsg{levelWarn, fmt.Sprintf("Rotation of %s stopped at step %d: %s", label, int(d.failedAt), d.rot.Next())}
	}
	return statusMsg{levelInfo, "Rotation of " + label + " left: " + d.rot.Next()}
}
