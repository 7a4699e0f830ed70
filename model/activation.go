package model

import (
	"fmt"
	"strings"
	"time"
)

// Deactivating is the panic button: one key, at once, undone by activating. The
// way back is not always as harmless, so activating a credential that looks
// retired asks once, naming why; the main view's toggle and the fleet view's
// bulk activation share this rule.

// ActivationCheck is what activating a credential needs.
type ActivationCheck struct {
	// Refused, when set, is why it cannot be activated at all (it is Active
	// already, or expired): say so, and ask nothing.
	Refused error
	// Reasons, when there are any and nothing is refused, are why to ask once
	// before activating, each a clause that completes "It …"; none: activate at once.
	Reasons []string
}

// Ask reports whether activating needs the person's yes first.
func (a ActivationCheck) Ask() bool { return a.Refused == nil && len(a.Reasons) > 0 }

// Question is the question to ask about c: "Activate …? It is 800 days old, …".
func (a ActivationCheck) Question(c Credential) string {
	return fmt.Sprintf("Activate %s's %s %s? It %s.", c.UserName, c.ServiceInfo().Noun(), c.ID, strings.Join(a.Reasons, "; and it "))
}

// CheckActivation says what activating c at now needs, with --max-age maxAge
// (<= 0: DefaultMaxAge). It asks when c is older than maxAge (it would be
// flagged stale at once, and since IAM keeps no date of deactivation it may have
// been Inactive that long), and when IAM reported it Expired although its
// expiry date has not come (it expired and was extended since). It refuses an
// Active credential and one past its expiry date, which IAM will not activate.
func CheckActivation(c Credential, now time.Time, maxAge time.Duration) ActivationCheck {
	pastDate := !c.Expires.IsZero() && !now.Before(c.Expires)
	switch {
	case pastDate:
		return ActivationCheck{Refused: rotationError(KindInvalid, c, "",
			"%s expired on %s: IAM cannot activate it. Delete it, or create a new one",
			c.ID, FormatDate(c.Expires, now.Location()))}
	case c.Status == Active:
		return ActivationCheck{Refused: rotationError(KindInvalid, c, "", "%s is Active already", c.ID)}
	}
	var a ActivationCheck
	if c.OlderThan(maxAge, now) {
		a.Reasons = append(a.Reasons, fmt.Sprintf(
			"is %d days old, older than the max age of %s: Active, it is flagged stale at once, "+
				"and IAM keeps no date of deactivation, so it may have been unused that long",
			c.AgeDays(now), FormatMaxAge(maxAge)))
	}
	if c.Status == Expired {
		until := "it has no expiry date now"
		if !c.Expires.IsZero() {
			until = "its expiry date is " + FormatDate(c.Expires, now.Location())
		}
		a.Reasons = append(a.Reasons, "was reported Expired by IAM, but "+until+
			": it expired and was extended since, so make sure it is meant to be used again")
	}
	return a
}

// ResetNotes are what a reset's confirmation must add about c at now: that an
// Inactive credential stays Inactive (IAM keeps the status, so the new secret
// does not work until it is activated), and that a credential older than maxAge
// stays as old (IAM keeps the creation date), for which rotating is the remedy;
// flagged stale only if Active, as the flag is.
func ResetNotes(c Credential, now time.Time, maxAge time.Duration) []string {
	var out []string
	if note := ResetSecretNote(c); note != "" {
		out = append(out, note)
	}
	switch {
	case !c.OlderThan(maxAge, now):
	case c.Status == Active:
		out = append(out, fmt.Sprintf("A reset keeps its creation date: it stays %d days old and flagged stale. Rotate it to start afresh.", c.AgeDays(now)))
	default: // only an Active credential is flagged stale; activating it says so
		out = append(out, fmt.Sprintf("A reset keeps its creation date: it stays %d days old. Rotate it to start afresh.", c.AgeDays(now)))
	}
	return out
}

// ResetSecretNote is what the secret dialog of a reset must say about c, the
// credential the reset returned; "" when nothing (it is Active).
func ResetSecretNote(c Credential) string {
	if c.Status != Inactive {
		return ""
	}
	return fmt.Sprintf("It stays Inactive: the new %s does not work until the credential is activated.", c.ServiceInfo().SecretLabel())
}
