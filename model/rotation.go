package model

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// A rotation replaces a credential without breaking whoever uses it. IAM allows
// MaxPerService per service and user, so the new one is created beside the old
// one and handed over, and only then is the old one deactivated and deleted. The
// TUI's rotation dialog and `iamcreds rotate` follow the same plan, made here.

// RotationStep is one step of a rotation, numbered as the dialog and the
// command line show them.
type RotationStep int

const (
	// StepDeleteOther makes room: the user holds the maximum, and the other
	// credential (Inactive or Expired) is deleted first.
	StepDeleteOther RotationStep = iota + 1
	// StepCreate creates the new credential.
	StepCreate
	// StepHandOver shows or saves the new secret, which IAM shows only once.
	StepHandOver
	// StepDeactivateOld makes the old credential Inactive once the new one is in
	// use (default: later).
	StepDeactivateOld
	// StepDeleteOld deletes the old credential (default: keep it Inactive).
	StepDeleteOld
)

func (s RotationStep) String() string {
	switch s {
	case StepDeleteOther:
		return "delete the other credential"
	case StepCreate:
		return "create the new credential"
	case StepHandOver:
		return "save the new secret"
	case StepDeactivateOld:
		return "deactivate the old credential"
	case StepDeleteOld:
		return "delete the old credential"
	}
	return fmt.Sprintf("step %d", int(s))
}

// RotationPlan is what rotating Old takes, decided from everything its user
// holds for its service. Build it with PlanRotation.
type RotationPlan struct {
	Old Credential
	// OldStatus is Old's status when planned (StatusAt): step 4 applies only to
	// an Active one.
	OldStatus Status
	// Other is the user's other credential of the service, if HasOther, and
	// OtherStatus its status when planned (StatusAt).
	Other       Credential
	OtherStatus Status
	HasOther    bool
	// DeleteOther: the user holds the maximum, so step 1 deletes Other first. It
	// is Inactive or Expired (else PlanRotation refuses); the person confirms by
	// typing DeleteProof(Other.ID).
	DeleteOther bool
	// LifetimeDays is the new credential's CredentialAgeDays: by default the old
	// API key's lifetime (RotationLifetime); 0 for a password service, or "never"
	// once chosen with WithLifetime.
	LifetimeDays int
	// ChooseLifetime: the old API key never expires (or its dates are unknown),
	// so a lifetime must be chosen with WithLifetime before the create: a new key
	// never silently "never expires".
	ChooseLifetime bool
}

// PlanRotation plans the rotation of old, given what its user holds now (all
// services or only old's; the list decides, not old's copy) at now. It refuses,
// with an *Error saying why and what to do, when old is not among held, or when
// the user holds the maximum and the other credential is Active.
func PlanRotation(old Credential, held []Credential, now time.Time) (RotationPlan, error) {
	var same []Credential
	found := false
	for _, c := range held {
		if c.Service != old.Service {
			continue
		}
		if c.ID == old.ID {
			old, found = c, true
			continue
		}
		same = append(same, c)
	}
	info := old.ServiceInfo()
	if !found {
		return RotationPlan{}, rotationError(KindNotFound, old, "",
			"%s has no %s %s any more: it may have been deleted meanwhile. List the credentials again", old.UserName, info.Noun(), old.ID)
	}
	p := RotationPlan{Old: old, OldStatus: old.StatusAt(now)}
	days, ok := RotationLifetime(old)
	p.LifetimeDays, p.ChooseLifetime = days, !ok
	switch {
	case len(same) == 0:
		return p, nil
	case len(same) > 1:
		return RotationPlan{}, rotationError(KindLimit, old, "",
			"%s holds %d %s, more than IAM's %d: delete the ones no longer used first", old.UserName, len(same)+1, pluralCredentials(info), MaxPerService)
	}
	p.Other, p.OtherStatus, p.HasOther = same[0], same[0].StatusAt(now), true
	if len(same)+1 < MaxPerService {
		return p, nil
	}
	if p.OtherStatus == Active {
		return RotationPlan{}, otherActiveError(old, p.OldStatus, p.Other)
	}
	p.DeleteOther = true
	return p, nil
}

func otherActiveError(old Credential, oldStatus Status, other Credential) *Error {
	info := old.ServiceInfo()
	if oldStatus == Active {
		return rotationError(KindLimit, old, other.ID,
			"%s already has %d %s and both are Active (%s and %s): a rotation is in progress. "+
				"Deactivate the one no longer in use once the other is, then rotate",
			old.UserName, MaxPerService, pluralCredentials(info), old.ID, other.ID)
	}
	return rotationError(KindLimit, old, other.ID,
		"%s already has %d %s: %s is %s and the other, %s, is Active. Rotate the Active one instead, or delete %s",
		old.UserName, MaxPerService, pluralCredentials(info), old.ID, oldStatus, other.ID, old.ID)
}

func rotationError(kind ErrorKind, old Credential, id, format string, args ...any) *Error {
	e := Errorf(kind, format, args...)
	e.User, e.Service, e.ID = old.UserName, old.Service, firstNonEmpty(id, old.ID)
	return e
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// PickRotationTarget chooses which of user's credentials of service to rotate
// when none is named: the only one, or the only Active one of two. It refuses
// when there is none, when both are Active (a rotation in progress), and when
// neither is (then which one is the person's choice).
func PickRotationTarget(user, service string, held []Credential, now time.Time) (Credential, error) {
	info := LookupService(service)
	var of, active []Credential
	for _, c := range held {
		if c.Service == service {
			of = append(of, c)
			if c.StatusAt(now) == Active {
				active = append(active, c)
			}
		}
	}
	none := Credential{UserName: user, Service: service}
	switch {
	case len(of) == 0:
		return Credential{}, rotationError(KindNotFound, none, "", "%s has no %s to rotate: create one instead", user, info.Noun())
	case len(of) == 1:
		return of[0], nil
	case len(active) == 1:
		return active[0], nil
	case len(active) > 1:
		older, newer := active[0], active[1] // named oldest first, whatever the listing's order
		if newer.Created.Before(older.Created) {
			older, newer = newer, older
		}
		return Credential{}, otherActiveError(older, Active, newer)
	}
	ids := make([]string, len(of))
	for i, c := range of {
		ids[i] = c.ID + " (" + string(c.StatusAt(now)) + ")"
	}
	return Credential{}, rotationError(KindInvalid, none, "",
		"%s has %d %s and none is Active (%s): name the one to rotate by its ID", user, len(of), pluralCredentials(info), strings.Join(ids, ", "))
}

// RotationLifetime is the lifetime in days a rotation gives the new credential
// by default: the old API key's, as it was created (IAM counts CredentialAgeDays
// in whole 24-hour days from the creation), or 0 for a password service. ok is
// false for an API key that never expires or whose dates are unknown: then the
// person chooses, since a new key must not silently never expire.
func RotationLifetime(old Credential) (days int, ok bool) {
	if !IsAPIKey(old) {
		return 0, true
	}
	if old.Expires.IsZero() || old.Created.IsZero() || !old.Expires.After(old.Created) {
		return 0, false
	}
	const day = 24 * time.Hour
	days = int((old.Expires.Sub(old.Created) + day/2) / day)
	return min(max(days, MinAgeDays), MaxAgeDays), true
}

// WithLifetime is p with the new credential's lifetime chosen: 1 to MaxAgeDays
// days, or 0 for never (a choice, never a default). A password service takes
// only 0: its credentials do not expire.
func (p RotationPlan) WithLifetime(days int) (RotationPlan, error) {
	if !IsAPIKey(p.Old) && days != 0 {
		return p, Errorf(KindInvalid, "%s do not expire: no lifetime can be set", pluralCredentials(p.Old.ServiceInfo()))
	}
	if err := ValidateAgeDays(days); err != nil {
		return p, err
	}
	p.LifetimeDays, p.ChooseLifetime = days, false
	return p, nil
}

// CreateAgeDays is the CredentialAgeDays for step 2, or an error while the
// lifetime has yet to be chosen.
func (p RotationPlan) CreateAgeDays() (int, error) {
	if p.ChooseLifetime {
		return 0, rotationError(KindInvalid, p.Old, "",
			"the old %s never expires: choose the new one's lifetime in days (never expiring only if you choose it)", p.Old.ServiceInfo().Noun())
	}
	return p.LifetimeDays, nil
}

// Steps are the steps that apply to p, in order: step 1 only when the user holds
// the maximum, step 4 only when the old credential is Active.
func (p RotationPlan) Steps() []RotationStep {
	var out []RotationStep
	if p.DeleteOther {
		out = append(out, StepDeleteOther)
	}
	out = append(out, StepCreate, StepHandOver)
	if p.OldStatus == Active {
		out = append(out, StepDeactivateOld)
	}
	return append(out, StepDeleteOld)
}

// Describe is one line saying what step does in p, for the plan on screen.
func (p RotationPlan) Describe(step RotationStep) string {
	info := p.Old.ServiceInfo()
	switch step {
	case StepDeleteOther:
		return fmt.Sprintf("Delete the other %s, %s (%s), to make room: type %s to confirm",
			info.Noun(), p.Other.ID, p.OtherStatus, DeleteProof(p.Other.ID))
	case StepCreate:
		switch {
		case p.ChooseLifetime:
			return fmt.Sprintf("Create a new %s: the old one never expires, so choose how long the new one lasts", info.Noun())
		case !IsAPIKey(p.Old):
			return fmt.Sprintf("Create a new %s", info.Noun())
		case p.LifetimeDays == 0:
			return fmt.Sprintf("Create a new %s that never expires (as chosen)", info.Noun())
		}
		if days, ok := RotationLifetime(p.Old); ok && days == p.LifetimeDays {
			return fmt.Sprintf("Create a new %s lasting %s, as the old one did", info.Noun(), countOf(p.LifetimeDays, "day"))
		}
		return fmt.Sprintf("Create a new %s lasting %s", info.Noun(), countOf(p.LifetimeDays, "day"))
	case StepHandOver:
		return fmt.Sprintf("Save the new %s: IAM shows it only once", info.SecretLabel())
	case StepDeactivateOld:
		return fmt.Sprintf("Deactivate the old one, %s, once the new one is in use (default: later)", p.Old.ID)
	case StepDeleteOld:
		return fmt.Sprintf("Delete the old one, %s (default: keep it Inactive)", p.Old.ID)
	}
	return step.String()
}

// DeleteProofLen is how many trailing characters of a credential's ID a person
// types to confirm deleting it.
const DeleteProofLen = 4

// DeleteProof is what a person types to confirm deleting the credential id:
// its last DeleteProofLen characters.
func DeleteProof(id string) string {
	if len(id) <= DeleteProofLen {
		return id
	}
	return id[len(id)-DeleteProofLen:]
}

// ConfirmsDelete reports whether typed is the proof for deleting id, in any case.
func ConfirmsDelete(id, typed string) bool {
	return len(id) >= DeleteProofLen && strings.EqualFold(strings.TrimSpace(typed), DeleteProof(id))
}

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
