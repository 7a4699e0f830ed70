package ui

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
)

// A rotation whose credential config.toml's [[deliver]] rules name delivers
// the new secret at step 3, as `iamcreds rotate --deliver` does:
//
//   - the target is checked when the dialog opens, and no step writes to IAM
//     until that check has passed; a target that cannot take the secret stops
//     the rotation there, saying why, with nothing changed;
//   - after the create, the secret goes to the target (and is read back)
//     instead of the secret modal, before step 4 may touch the old one;
//   - a delivery refused leaves a new credential whose secret reached nobody:
//     IAM's reply named it as this rotation's, so it is deleted again, and the
//     dialog says so; a delivery of unknown outcome (the target may hold the
//     secret) shows the secret in the modal, so that it is not lost either way.

// planDelivery gives the rotation dialog its target, when a rule names one
// for the credential, and checks it. A rotation in another account than the
// profile's (the organization view) says where a target named without an ARN
// is: the profile's account, not the credential's.
func (m *Model) planDelivery(d *rotateDialog, a *account) tea.Cmd {
	if !m.canDeliver() {
		return nil
	}
	t, ok := model.MatchDelivery(m.opts.DeliveryRules, d.old)
	if !ok {
		return nil
	}
	d.target, d.checking = &t, true
	if m.elsewhere(a) && t.Account() == "" && t.IsAWS() {
		d.targetNote = "The target is in the profile's account and region, not in " + model.SafeText(a.info.Label()) + "."
	}
	return m.checkTarget(d.tag, t)
}

// startRotationDelivery is step 3 of a rotation with a target: the created
// credential's secret goes there, on its row as "delivering" (a write in
// flight: quitting asks first, and names it if it goes unanswered).
func (m *Model) startRotationDelivery(create pendingOp, c model.Credential, s model.Secret) tea.Cmd {
	t := *create.deliver
	op := m.startOp(pendingOp{kind: opDeliver, user: c.UserName, credID: c.ID, service: c.Service, by: create.by, acct: create.acct, deliver: &t})
	ctx, d, by := m.ctx, m.opts.Deliver, create.by
	return func() tea.Msg {
		res, err := runDelivery(ctx, d, t, s)
		msg := deliveredMsg{op: op, by: by, target: t, result: res, err: err}
		if deliveryOutcome(res, err) == model.OutcomeUnknown {
			msg.secret = s // the root shows it: the target may not hold it
		}
		return msg
	}
}

// onRotationDelivered ends step 3's delivery: done, the rotation goes on;
// refused, the new credential is deleted again; unknown, its secret shows.
func (m *Model) onRotationDelivered(msg deliveredMsg) tea.Cmd {
	p := m.endOp(msg.op)
	text := deliveryText(msg.result, msg.err)
	c := model.Credential{UserName: p.user, ID: p.credID, Service: p.service}
	label := credLabel(p.user, p.service, p.credID) + m.inAccount(p.acct)
	switch deliveryOutcome(msg.result, msg.err) {
	case model.OutcomeDone:
		m.setStatus(levelOK, "Delivered the "+c.ServiceInfo().SecretLabel()+" of "+label+" to "+msg.target.String()+", read back the same")
		return nil
	case model.OutcomeNotDone:
		m.setStatus(levelError, text+"; deleting "+label+" again: nobody holds its secret")
		return m.startDelete(c, p.by, nil) // no re-read: IAM's reply named it as this rotation's
	}
	m.setStatus(levelWarn, text)
	note := text + ". It shows here too, so that it is not lost."
	return m.showSecret(waitingSecret{secret: msg.secret, note: note, by: p.by, onTop: true, acct: p.acct})
}

// The dialog's side.

// targetChecked takes CheckTarget's answer: a target that cannot take the
// secret stops the rotation before any write.
func (d *rotateDialog) targetChecked(msg targetCheckedMsg) {
	d.checking = false
	if msg.err == nil {
		return
	}
	d.checkErr = fmt.Errorf("%s cannot take the new %s: %s", d.target.String(), d.old.ServiceInfo().SecretLabel(), errorWithCode(msg.err))
	if d.untouched() {
		d.why = d.checkErr
		d.enter(rotStopped)
	}
}

// waitCheck: a step may not write while the target's check runs.
func (d *rotateDialog) waitCheck() bool {
	if d.checking {
		d.err = "Checking " + d.target.String() + " first: a moment"
	}
	return d.checking
}

// stepDelivered takes step 3's delivery: done goes on to step 4; refused
// waits for the root's delete of the new credential; unknown waits for the
// secret modal the root opens.
func (d *rotateDialog) stepDelivered(msg deliveredMsg) {
	d.delivery, d.delivered = deliveryText(msg.result, msg.err), deliveryOutcome(msg.result, msg.err)
	switch d.delivered {
	case model.OutcomeDone:
		d.busy = false
		d.rot.SecretSaved = true
		d.afterHandOver()
	case model.OutcomeNotDone:
		d.phase = rotTakeBack // still busy: the delete runs
	default:
		d.busy = false
	}
}

// tookBack ends the delete of a new credential whose delivery was refused:
// the rotation failed at step 3, and says what exists.
func (d *rotateDialog) tookBack(err error) {
	switch {
	case err == nil:
		d.rot.NewDeleted = true
	case model.OutcomeOf(err) == model.OutcomeUnknown:
		d.rot.NewDeleteUnknown = true
	}
	d.phase, d.failedAt, d.why = rotFailed, model.StepHandOver, fmt.Errorf("%s", d.delivery)
	if err != nil && !d.rot.NewDeleteUnknown {
		d.why = fmt.Errorf("%s; deleting %s again failed too: %s", d.delivery, d.rot.New.ID, errorWithCode(err))
	}
}

// describe is the plan's line for step: step 3 names the target, and how its
// check stands.
func (d *rotateDialog) describe(step model.RotationStep) string {
	p := d.rot.Plan
	if step != model.StepHandOver || d.target == nil {
		return p.Describe(step)
	}
	check := "checked now"
	switch {
	case d.checking:
		check = "checking…"
	case d.checkErr != nil:
		check = "it cannot take it"
	}
	return fmt.Sprintf("Deliver the new %s to %s and read it back (%s)", p.Old.ServiceInfo().SecretLabel(), d.target.String(), check)
}

// createLine is what step 2 says of the new secret.
func (d *rotateDialog) createLine() string {
	secret := d.old.ServiceInfo().SecretLabel()
	if d.target == nil {
		return fmt.Sprintf("Step 2: the new %s is shown once, right after it is created.", secret)
	}
	return fmt.Sprintf("Step 2: right after it is created, the new %s goes to %s, not to the screen.", secret, d.target.String())
}

// busyLine is what the dialog says while a step's write runs.
func (d *rotateDialog) busyLine() string {
	step := d.phase.step()
	switch {
	case d.phase == rotTakeBack:
		return fmt.Sprintf("%s. Deleting the new one, %s, again: nobody holds its %s… (esc leaves; it goes on)",
			d.delivery, d.rot.New.ID, d.old.ServiceInfo().SecretLabel())
	case d.phase == rotHandOver && d.target != nil:
		return fmt.Sprintf("Step 3: delivering the new %s to %s and reading it back… (esc leaves; it goes on)",
			d.old.ServiceInfo().SecretLabel(), d.target.String())
	}
	return fmt.Sprintf("Step %d: %s… (esc leaves; it goes on)", int(step), step)
}

// deliverySection says, after step 3, where the secret went; before it,
// where the target is, when that is not the credential's account.
func (d *rotateDialog) deliverySection() section {
	switch {
	case d.targetNote != "" && !d.rot.Created():
		return section{lines: []string{d.styles.Muted.Render(d.targetNote)}, drop: 2}
	case d.delivery == "" || d.busy || d.phase == rotHandOver || d.phase == rotFailed:
		return section{}
	case d.delivered == model.OutcomeDone:
		return section{lines: []string{d.styles.StatusOK.Render("✓ " + d.delivery)}, drop: 2}
	}
	return section{lines: d.warnings("? " + d.delivery), drop: 2}
}
