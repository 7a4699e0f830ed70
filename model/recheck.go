package model

import (
	"time"
)

// Re-read before every destructive step: a delete or a deactivation goes only
// to a credential that a listing made just before still shows as the
// confirmation or the plan did. What a person confirmed seconds or minutes ago
// may have changed since: another client may have activated it, deleted it,
// or replaced it.

// CheckDelete checks that shown, the credential a person confirmed deleting,
// may still go, given held, its user's credentials listed just now. It refuses
// a credential that is gone (KindNotFound) and one that has become Active
// since it was shown otherwise (KindChanged): an Active credential is deleted
// only when it was shown Active.
func CheckDelete(shown Credential, held []Credential, now time.Time) error {
	c, found := findCredential(held, shown.ID)
	switch {
	case !found:
		return changed(KindNotFound, shown, held, "%s no longer exists (deleted elsewhere meanwhile): nothing was deleted", shown.ID)
	case c.StatusAt(now) == Active && shown.StatusAt(now) != Active:
		return changed(KindChanged, shown, held,
			"%s is Active now, not %s as when the delete was confirmed: another client activated it meanwhile. Nothing was deleted",
			shown.ID, shown.StatusAt(now))
	}
	return nil
}

// Recheck checks a destructive step of r (1, 4 or 5) against held, its user's
// credentials listed just before the step's write. It refuses, saying what
// changed and that nothing was done, when the step's credential is gone or no
// longer in the state the plan said (the other or the old one Active again,
// the old one deactivated already), or when the new one it relies on is gone.
func (r Rotation) Recheck(step RotationStep, held []Credential, now time.Time) error {
	p := r.Plan
	old, oldFound := findCredential(held, p.Old.ID)
	if !oldFound {
		return changed(KindNotFound, p.Old, held, "the old one, %s, no longer exists (deleted elsewhere meanwhile): nothing was done at step %d", p.Old.ID, int(step))
	}
	if r.Created() && step != StepDeleteOther {
		if _, ok := findCredential(held, r.New.ID); !ok {
			return changed(KindChanged, p.Old, held,
				"the new one, %s, no longer exists (deleted elsewhere meanwhile): the old one, %s, was left as it is", r.New.ID, p.Old.ID)
		}
	}
	switch step {
	case StepDeleteOther:
		other, ok := findCredential(held, p.Other.ID)
		switch {
		case !ok:
			return changed(KindChanged, p.Other, held,
				"the other one, %s, no longer exists (deleted elsewhere meanwhile): nothing was deleted; rotate again to plan afresh", p.Other.ID)
		case other.StatusAt(now) == Active:
			return changed(KindChanged, p.Other, held,
				"the other one, %s, is Active now, not %s as planned: another client activated it meanwhile. Nothing was deleted", p.Other.ID, p.OtherStatus)
		}
	case StepDeactivateOld:
		if st := old.StatusAt(now); st != Active {
			return changed(KindChanged, p.Old, held, "the old one, %s, is %s now, not Active as planned: someone changed it meanwhile; nothing was done", p.Old.ID, st)
		}
	case StepDeleteOld:
		// An Active old one goes only when the plan deletes it Active (rotate
		// --delete-old without --deactivate-old).
		if old.StatusAt(now) == Active && r.OldStatus != Active {
			return changed(KindChanged, p.Old, held,
				"the old one, %s, is Active now, not %s: another client activated it meanwhile. Nothing was deleted", p.Old.ID, r.OldStatus)
		}
	}
	return nil
}

func changed(kind ErrorKind, c Credential, held []Credential, format string, args ...any) *Error {
	e := Errorf(kind, format, args...)
	e.User, e.Service, e.ID, e.Listed = c.UserName, c.Service, c.ID, held
	if e.Listed == nil {
		e.Listed = []Credential{}
	}
	return e
}

func findCredential(cs []Credential, id string) (Credential, bool) {
	for _, c := range cs {
		if c.ID == id {
			return c, true
		}
	}
	return Credential{}, false
}

// RecheckFailed is the error of a re-read that could not be made: nothing was
// done, since the step's credential could not be checked.
func RecheckFailed(user, id string, err error) error {
	e := Errorf(KindOf(err), "listing %s's credentials to check %s again before changing it failed: %s; nothing was changed", user, id, err)
	e.User, e.ID, e.Err = user, id, err
	return e
}
