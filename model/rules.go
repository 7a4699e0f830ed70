package model

import (
	"fmt"
	"regexp"
)

// MaxPerService is IAM's limit of credentials per service per user.
const MaxPerService = 2

// Expiry bounds for API keys (CredentialAgeDays).
const (
	MinAgeDays = 1
	MaxAgeDays = 36600
)

var (
	userNameRE = regexp.MustCompile(`^[\w+=,.@-]+$`)
	credIDRE   = regexp.MustCompile(`^\w+$`)
)

// ValidateUserName checks an IAM user name: 1–64 of [\w+=,.@-].
func ValidateUserName(name string) error {
	switch {
	case name == "":
		return Errorf(KindInvalid, "a user name is required")
	case len(name) > 64:
		return Errorf(KindInvalid, "user name %q is longer than 64 characters", name[:16]+"…")
	case !userNameRE.MatchString(name):
		return Errorf(KindInvalid, "user name %q may contain only letters, digits and _+=,.@-", name)
	}
	return nil
}

// ValidateCredentialID checks a service-specific credential id: 20–128 of [\w].
func ValidateCredentialID(id string) error {
	switch {
	case len(id) < 20 || len(id) > 128:
		return Errorf(KindInvalid, "credential id %q must be 20 to 128 characters", id)
	case !credIDRE.MatchString(id):
		return Errorf(KindInvalid, "credential id %q may contain only letters, digits and _", id)
	}
	return nil
}

// ValidateAgeDays checks an API key's lifetime; 0 means it never expires.
func ValidateAgeDays(days int) error {
	if days == 0 || (days >= MinAgeDays && days <= MaxAgeDays) {
		return nil
	}
	return Errorf(KindInvalid, "expiry must be %d to %d days (or never), not %d", MinAgeDays, MaxAgeDays, days)
}

// CountByService counts credentials per service name.
func CountByService(creds []Credential) map[string]int {
	out := map[string]int{}
	for _, c := range creds {
		out[c.Service]++
	}
	return out
}

// CheckCanCreate applies IAM's limit of MaxPerService credentials per service
// per user: held is what user holds now (all services or just that one), and
// creating counts the creates for that service already on their way. It returns
// how many count against the limit, and a KindLimit error when none is left.
func CheckCanCreate(user, service string, held []Credential, creating int) (int, error) {
	n := creating
	for _, c := range held {
		if c.Service == service {
			n++
		}
	}
	if n >= MaxPerService {
		return n, LimitError(user, service)
	}
	return n, nil
}

// LimitError is the error for a user who already has the maximum for a service.
func LimitError(user, service string) *Error {
	return &Error{
		Kind:    KindLimit,
		Message: fmt.Sprintf("%s already has %d %s; delete one first", user, MaxPerService, pluralCredentials(LookupService(service))),
		User:    user,
		Service: service,
	}
}

func pluralCredentials(s Service) string {
	switch s.Name {
	case CodeCommit:
		return "CodeCommit credentials"
	case Keyspaces:
		return "Keyspaces credentials"
	}
	if s.Kind == KindAPIKey {
		return s.Short + " API keys"
	}
	return s.Display + " credentials"
}
