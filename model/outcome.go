package model

import (
	"errors"
	"fmt"
	"strings"
)

// Outcome is what a write did: done, not done, or unknown. Unknown is a write
// whose reply was lost (or never came) and which no check could settle: it is
// said as unknown, with what to check, never as done or as not done.
type Outcome string

const (
	OutcomeDone    Outcome = "done"
	OutcomeNotDone Outcome = "not_done"
	OutcomeUnknown Outcome = "unknown"
)

// OutcomeOf is the outcome of a write that returned err: done when nil, or
// when IAM did it and only its secret is lost (KindSecretLost); unknown when
// it may have happened (KindUnconfirmed, KindResetUnconfirmed); else not done.
func OutcomeOf(err error) Outcome {
	switch KindOf(err) {
	case KindUnconfirmed, KindResetUnconfirmed:
		return OutcomeUnknown
	case KindSecretLost:
		return OutcomeDone
	}
	if err != nil {
		return OutcomeNotDone
	}
	return OutcomeDone
}

// Appeared is the credentials err names as having appeared during a create
// whose reply was lost (Error.Appeared), as its listing showed them: of
// unknown origin, this create's or another client's.
func Appeared(err error) []Credential {
	var me *Error
	if !errors.As(err, &me) {
		return nil
	}
	out := make([]Credential, 0, len(me.Appeared))
	for _, id := range me.Appeared {
		c := Credential{ID: id, UserName: me.User, Service: me.Service, Status: Active}
		for _, l := range me.Listed {
			if l.ID == id {
				c = l
			}
		}
		out = append(out, c)
	}
	return out
}

// CheckUnknown is what to check after a write of unknown outcome: "check U's
// credentials: X may exist" and the like. what says how X may stand, e.g.
// "may still exist".
func CheckUnknown(user, id, what string) string {
	return fmt.Sprintf("check %s's credentials: %s %s", user, id, what)
}

// idList names ids as "A", "A and B", "A, B and C".
func idList(ids []string) string {
	if len(ids) < 2 {
		return strings.Join(ids, "")
	}
	return strings.Join(ids[:len(ids)-1], ", ") + " and " + ids[len(ids)-1]
}
