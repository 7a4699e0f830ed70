package ui

import (
	"crypto/sha256"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"iamcreds/model"
)

// Rotation in the randomized runs: R on the selected credential, then every
// step of the dialog with a random choice at each (go on, leave, a wrong
// proof, leave while a step runs, close the secret unsaved, keep the old one),
// while the endpoint's faults hit each write and a colleague changes IAM
// between the steps (re-activating the credential a delete step is about to
// delete) and during them (a create of the same service in the window of a
// create that may not have reached IAM).

// unwrapDialog is the dialog inside the organization view's account line.
func unwrapDialog(d dialog) dialog {
	for {
		switch x := d.(type) {
		case *accountDialog:
			d = x.inner
		case accountWindowDialog:
			d = x.accountDialog.inner
		default:
			return d
		}
	}
}

// openRotation is the open rotation dialog, nil if none.
func (r *randomRun) openRotation() *rotateDialog {
	for _, x := range r.d.m.dialogs.open {
		if rd, ok := unwrapDialog(x).(*rotateDialog); ok {
			return rd
		}
	}
	return nil
}

// topSecret is the secret modal on top, nil if the top dialog is another.
func (r *randomRun) topSecret() *secretModal {
	switch x := unwrapDialog(r.d.m.dialogs.top()).(type) {
	case *secretModal:
		return x
	case handOver:
		return x.secretModal
	}
	return nil
}

// rotateSelected rotates old, the credential selected in account acct.
func (r *randomRun) rotateSelected(acct string, old model.Credential) {
	r.rotating, r.rotNew = true, ""
	defer func() { r.rotating = false }()
	start := r.log.len()
	r.keys("R")
	if r.openRotation() == nil {
		return
	}
	r.counts["rotate: R"]++
	for range 16 {
		rd := r.openRotation()
		if rd == nil {
			return // left with nothing changed, or while a step ran
		}
		r.rotNew = rd.rot.New.ID
		n := r.rng.IntN(100)
		switch rd.phase {
		case rotStopped, rotEnded, rotFailed:
			r.counts["rotate: "+map[rotPhase]string{rotStopped: "refused", rotEnded: "ended", rotFailed: "failed"}[rd.phase]]++
			r.judgeRotationEnd(rd, acct, start)
			r.keys("enter")
			return
		case rotDeleteOther:
			other := rd.rot.Plan.Other
			switch {
			case n < 10:
				r.keys("esc")
				continue
			case n < 18:
				r.keys("Z", "Z", "Z", "Z", "enter", "backspace", "backspace", "backspace", "backspace") // a wrong proof deletes nothing
			}
			if r.rng.IntN(100) < 30 { // the plan goes stale: a colleague re-activates the other
				r.mate.do(mateAct{kind: "activate", ref: credRef{acct, other.UserName, other.ID}})
				r.stale++
			}
			r.allow.del[credRef{acct, other.UserName, other.ID}] = "rotation step 1"
			r.d.typeProof(other.ID)
			r.keys("enter")
		case rotCreate:
			if n < 10 {
				r.keys("esc")
				continue
			}
			r.allow.create[[3]string{acct, old.UserName, old.Service}] = true
			if n >= 85 { // the create's reply and the listing that would tell are lost
				restore := r.armBlackout(acct, old.UserName)
				r.keys("enter")
				restore()
				continue
			}
			r.armCreateRace(acct, old.UserName, old.Service)
			if rd.apiKey() {
				for range r.rng.IntN(3) {
					r.keys("down")
				}
			}
			if n < 18 { // leave while the create runs: its outcome still shows
				holdMsgs[createdMsg](r.d)
				r.d.Press("enter")
				r.d.settle()
				r.keys("esc")
				r.d.Release()
				r.d.settle()
				r.counts["rotate: left while creating"]++
				continue
			}
			r.keys("enter")
		case rotHandOver:
			sm := r.topSecret()
			if sm == nil {
				r.fail("the rotation is at step 3 but no secret modal is on top:\n%s", screenText(r.d.m))
				r.keys("esc")
				continue
			}
			r.shown[sha256.Sum256([]byte(sm.secret.Reveal()))]++
			switch {
			case n < 55:
				r.keys("c", "enter") // copied, read back
			case n < 80:
				r.keys("s", "enter") // shown
			default:
				r.keys("esc", "y") // closed without saving: the dialog says the secret is lost
			}
		case rotNotSaved:
			if n < 50 {
				r.keys("enter") // leave
			} else {
				r.keys("tab", "enter") // "it was saved"
			}
		case rotDeactivate:
			if n < 35 {
				r.keys("enter") // later
				continue
			}
			r.allow.update[statusChange{credRef{acct, old.UserName, old.ID}, string(model.Inactive)}] = true
			r.keys("tab", "enter")
		case rotDeleteOld:
			if r.rng.IntN(100) < 30 { // the plan goes stale: a colleague re-activates the old one
				r.mate.do(mateAct{kind: "activate", ref: credRef{acct, old.UserName, old.ID}})
				r.stale++
			}
			if n < 30 {
				r.keys("enter") // keep it
				continue
			}
			r.allow.del[credRef{acct, old.UserName, old.ID}] = "rotation step 5"
			r.d.typeProof(old.ID)
			r.keys("enter")
		default:
			r.fail("the rotation is in phase %v", rd.phase)
			r.keys("esc")
		}
	}
	r.fail("the rotation did not end after 16 steps:\n%s", screenText(r.d.m))
}

// judgeRotationEnd: the end of a rotation says what IAM holds. A write that
// IAM carried out (the log since R, start) is not "nothing changed"; a create
// it carried out is not "none created".
func (r *randomRun) judgeRotationEnd(rd *rotateDialog, acct string, start int) {
	text := strings.Join(strings.Fields(ansi.Strip(rd.View(1000, 200))), " ")
	var acted []string
	created := ""
	for _, q := range r.log.since(start) {
		if !r.log.fromUI(q) || !isWrite(q.Action) || q.Code != "" || q.Injected || q.AccountID != acct {
			continue
		}
		acted = append(acted, strings.TrimSuffix(q.Action, "ServiceSpecificCredential")+" "+q.CredentialID+q.Created)
		if q.Action == actCreate {
			created = q.Created
		}
	}
	switch {
	case len(acted) > 0 && strings.Contains(text, "Nothing was changed"):
		r.fail("the rotation says \"Nothing was changed\", but IAM carried out %v:\n%s", acted, text)
	case created != "" && strings.Contains(text, "new: none created"):
		r.fail("the rotation says \"new: none created\", but IAM created %s:\n%s", created, text)
	case created != "" && strings.Contains(text, "No new credential was created"):
		r.fail("the rotation says \"No new credential was created\", but IAM created %s:\n%s", created, text)
	}
	if rd.phase == rotFailed && (model.KindOf(rd.why) == model.KindUnconfirmed) && !strings.Contains(text, "may") {
		r.fail("the rotation's step %d has an unknown outcome, and the dialog does not say so:\n%s", int(rd.failedAt), text)
	}
}
