package model

import (
	"errors"
	"fmt"
	"strings"
)

// Rotation is where a rotation stands: its plan and what has been done. The
// dialog and `iamcreds rotate` record each step as it succeeds (or, with
// Failed, how it failed) and show State and Next when the person leaves or a
// step fails, so that every way out names what exists and what to do. A step
// whose outcome is unknown (its reply lost, and no check could tell) is said
// as unknown, never as done or not done.
type Rotation struct {
	Plan RotationPlan
	// OtherDeleted: step 1 deleted Plan.Other. OtherUnknown: step 1's delete
	// may have happened.
	OtherDeleted, OtherUnknown bool
	// New is the new credential once step 2 has created it (ID set): IAM's
	// reply named it.
	New Credential
	// SecretSaved: step 3 is done; the new secret reached the person or a file.
	SecretSaved bool
	// DeliveredTo is the target step 3 delivered the secret to (Target.String),
	// when it was delivered rather than shown or saved.
	DeliveredTo string
	// NewDeleted: the new secret could not be saved anywhere, so the new
	// credential was deleted again (useless without its secret).
	// NewDeleteUnknown: that delete may have happened.
	NewDeleted, NewDeleteUnknown bool
	// SecretLost: IAM's reply to step 2 named New but carried no secret.
	SecretLost bool
	// CreateUnknown: step 2's reply was lost and nobody can tell whether IAM
	// created a credential. Appeared are the credentials that appeared
	// meanwhile, which may be this rotation's or another client's: they are
	// named, never taken for the new one.
	CreateUnknown bool
	Appeared      []Credential
	// OldStatus is the old credential's status now: Plan.OldStatus until step
	// 4. OldStatusUnknown: step 4's deactivation may have happened.
	OldStatus        Status
	OldStatusUnknown bool
	// OldDeleted: step 5 deleted the old credential. OldDeleteUnknown: step 5's
	// delete may have happened. OldGone: a listing found it deleted elsewhere.
	OldDeleted, OldDeleteUnknown, OldGone bool
}

// Start is the rotation of p before any step.
func (p RotationPlan) Start() Rotation { return Rotation{Plan: p, OldStatus: p.OldStatus} }

// Created reports whether step 2 has created the new credential.
func (r Rotation) Created() bool { return r.New.ID != "" }

// Changed reports whether anything in IAM has changed, or may have.
func (r Rotation) Changed() bool {
	return r.OtherDeleted || r.Created() || r.OldDeleted || r.OldStatus != r.Plan.OldStatus ||
		r.OtherUnknown || r.CreateUnknown || r.OldStatusUnknown || r.OldDeleteUnknown
}

// Failed records what err, the error of step's write (or of the re-read
// before it), says about IAM: a create whose reply named the new credential
// without its secret created it (SecretLost); a write that may have happened
// is unknown; a refusal after the re-read shows the old one as listed.
func (r *Rotation) Failed(step RotationStep, err error) {
	var me *Error
	if !errors.As(err, &me) {
		return
	}
	unknown := OutcomeOf(err) == OutcomeUnknown
	switch {
	case step == StepCreate && me.Kind == KindSecretLost && me.ID != "":
		r.New, r.SecretLost = Credential{ID: me.ID, UserName: r.Plan.Old.UserName, Service: r.Plan.Old.Service, Status: Active}, true
		if c, ok := findCredential(me.Listed, me.ID); ok {
			r.New = c
		}
	case step == StepCreate && unknown:
		r.CreateUnknown, r.Appeared = true, Appeared(err)
	case step == StepDeleteOther && unknown:
		r.OtherUnknown = true
	case step == StepDeactivateOld && unknown:
		r.OldStatusUnknown = true
	case step == StepDeleteOld && unknown:
		r.OldDeleteUnknown = true
	case me.Listed != nil && (me.Kind == KindChanged || me.Kind == KindNotFound):
		if c, ok := findCredential(me.Listed, r.Plan.Old.ID); ok {
			r.OldStatus = c.Status
		} else {
			r.OldGone = true
		}
	}
}

// Outcome is what step did: done, not done (or not tried), or unknown.
func (r Rotation) Outcome(step RotationStep) Outcome {
	done, unknown := false, false
	switch step {
	case StepDeleteOther:
		done, unknown = r.OtherDeleted, r.OtherUnknown
	case StepCreate:
		done, unknown = r.Created(), r.CreateUnknown
	case StepHandOver:
		done = r.SecretSaved
	case StepDeactivateOld:
		done, unknown = r.Plan.OldStatus == Active && r.OldStatus == Inactive, r.OldStatusUnknown
	case StepDeleteOld:
		done, unknown = r.OldDeleted, r.OldDeleteUnknown
	}
	switch {
	case done:
		return OutcomeDone
	case unknown:
		return OutcomeUnknown
	}
	return OutcomeNotDone
}

// State is what exists now, one line per credential the rotation concerns.
func (r Rotation) State() []string {
	p := r.Plan
	info := p.Old.ServiceInfo()
	out := []string{}
	if p.Old.ID == "" {
		return out // no plan: nothing was touched
	}
	switch {
	case r.OtherDeleted:
		out = append(out, fmt.Sprintf("other %s: deleted (it was %s)", p.Other.ID, p.OtherStatus))
	case r.OtherUnknown:
		out = append(out, fmt.Sprintf("other %s: unknown: its delete's reply was lost, so it may be deleted or still %s", p.Other.ID, p.OtherStatus))
	}
	switch secret := info.SecretLabel(); {
	case r.CreateUnknown && len(r.Appeared) > 0:
		out = append(out, fmt.Sprintf("new: unknown: %s appeared for %s while the create's reply was lost; it may be this rotation's or someone else's, and was left alone",
			idList(credentialIDs(r.Appeared)), p.Old.UserName))
	case r.CreateUnknown:
		out = append(out, fmt.Sprintf("new: unknown: IAM may have created one, whose %s never arrived", secret))
	case !r.Created():
		out = append(out, "new: none created")
	case r.SecretLost && r.NewDeleted:
		out = append(out, fmt.Sprintf("new %s: created, but its reply lacked the %s; deleted again", r.New.ID, secret))
	case r.NewDeleteUnknown:
		out = append(out, fmt.Sprintf("new %s: unknown: nobody holds its %s, and deleting it again may or may not have happened", r.New.ID, secret))
	case r.SecretLost:
		out = append(out, fmt.Sprintf("new %s: %s, but its reply lacked the %s", r.New.ID, r.New.Status, secret))
	case r.NewDeleted:
		out = append(out, fmt.Sprintf("new %s: created, then deleted again: its %s could not be saved", r.New.ID, secret))
	case r.SecretSaved && r.DeliveredTo != "":
		out = append(out, fmt.Sprintf("new %s: %s, its %s delivered to %s", r.New.ID, r.New.Status, secret, r.DeliveredTo))
	case r.SecretSaved:
		out = append(out, fmt.Sprintf("new %s: %s, its %s saved", r.New.ID, r.New.Status, secret))
	default:
		out = append(out, fmt.Sprintf("new %s: %s, but its %s was not saved", r.New.ID, r.New.Status, secret))
	}
	old := string(r.OldStatus)
	switch {
	case r.OldDeleted:
		old = "deleted"
	case r.OldGone:
		old = "gone (deleted elsewhere)"
	case r.OldDeleteUnknown:
		old = fmt.Sprintf("unknown: its delete's reply was lost, so it may be deleted or still %s", r.OldStatus)
	case r.OldStatusUnknown:
		old = "unknown: its deactivation's reply was lost, so it may be Inactive or still Active"
	}
	return append(out, fmt.Sprintf("old %s: %s", p.Old.ID, old))
}

// Next says what the person should do now, as one sentence or a few.
func (r Rotation) Next() string {
	p := r.Plan
	info := p.Old.ServiceInfo()
	secret := info.SecretLabel()
	user := p.Old.UserName
	switch {
	case r.CreateUnknown && len(r.Appeared) > 0:
		ids := idList(credentialIDs(r.Appeared))
		return fmt.Sprintf("%s, and may be this rotation's or someone else's. If nobody else created it, reset it to get a %s "+
			"and hand that over, or delete it and rotate again. The old one still works.",
			capitalize(CheckUnknown(user, ids, "exists")), secret)
	case r.CreateUnknown:
		return fmt.Sprintf("Check %s's %s: delete any new one nobody has the %s of, then rotate again. The old one still works.",
			user, pluralCredentials(info), secret)
	case r.OtherUnknown:
		return fmt.Sprintf("Nothing new was created. %s, then rotate again.", capitalize(CheckUnknown(user, p.Other.ID, "may have been deleted")))
	case r.NewDeleteUnknown:
		return fmt.Sprintf("%s, with a %s nobody holds: delete it if so. The old one still works.", capitalize(CheckUnknown(user, r.New.ID, "may still exist")), secret)
	case r.OldStatusUnknown:
		return fmt.Sprintf("%s (t switches it back); the new one, %s, has its %s saved.", capitalize(CheckUnknown(user, p.Old.ID, "may be Inactive now")), r.New.ID, secret)
	case r.OldDeleteUnknown:
		return fmt.Sprintf("%s; the new one, %s, has its %s saved.", capitalize(CheckUnknown(user, p.Old.ID, "may have been deleted")), r.New.ID, secret)
	case r.SecretLost && r.NewDeleted:
		return "Nothing new exists and the old one still works: rotate again."
	case r.NewDeleted:
		return fmt.Sprintf("Nothing new exists and the old one still works: make sure the %s can be saved, then rotate again.", secret)
	case !r.Created() && r.OtherDeleted:
		return "No new credential was created: rotate again (there is room for one now)."
	case !r.Created():
		return "Nothing was changed."
	case !r.SecretSaved:
		return fmt.Sprintf("The new %s's %s is lost: reset %s to get another, or delete it. The old one still works.", info.Noun(), secret, r.New.ID)
	case r.OldDeleted:
		return "Nothing left to do: the rotation is complete."
	case r.OldGone:
		return fmt.Sprintf("Nothing left to do: the old one, %s, was deleted elsewhere; the new one is in place.", p.Old.ID)
	case r.OldStatus == Active && r.DeliveredTo != "":
		return fmt.Sprintf("The new %s is in %s. Once its readers use it, deactivate the old one, %s, and later delete it; "+
			"until then %s holds two Active %s (flagged two-active).", secret, r.DeliveredTo, p.Old.ID, user, pluralCredentials(info))
	case r.OldStatus == Active:
		return fmt.Sprintf("Hand the new %s over. Once it is in use, deactivate the old one, %s, and later delete it; "+
			"until then %s holds two Active %s (flagged two-active).", secret, p.Old.ID, user, pluralCredentials(info))
	case r.OldStatus == Expired:
		return fmt.Sprintf("Delete the old one, %s: it has expired.", p.Old.ID)
	}
	return fmt.Sprintf("Once nothing has needed the old one, %s, for a while, delete it; until then it can be activated again.", p.Old.ID)
}

func credentialIDs(cs []Credential) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
