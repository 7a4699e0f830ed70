package model

import (
	"context"
	"slices"
	"time"
)

// Status is a credential's state as IAM reports it.
type Status string

const (
	Active   Status = "Active"
	Inactive Status = "Inactive"
	// Expired is reported by IAM for an API key past its expiration date; it
	// cannot be set by a client.
	Expired Status = "Expired"
)

// Toggled returns the status a toggle switches to. Expired has none.
func (s Status) Toggled() (Status, bool) {
	switch s {
	case Active:
		return Inactive, true
	case Inactive:
		return Active, true
	}
	return s, false
}

// User is an IAM user.
type User struct {
	Name    string
	ID      string
	ARN     string
	Path    string
	Created time.Time
}

// Credential is a service-specific credential's metadata: never its secret.
type Credential struct {
	ID       string
	UserName string // the IAM user it belongs to
	Service  string // IAM service name, e.g. codecommit.amazonaws.com
	Status   Status
	Created  time.Time
	// Expires is the zero time when the credential never expires.
	Expires time.Time
	// ServiceUserName is set for password services (e.g. alice-at-123456789012).
	ServiceUserName string
	// Alias is set for API-key services.
	Alias string
}

// Login is what the credential is used with: the service user name or the alias.
func (c Credential) Login() string {
	if c.ServiceUserName != "" {
		return c.ServiceUserName
	}
	return c.Alias
}

// ServiceInfo is the catalog entry for the credential's service.
func (c Credential) ServiceInfo() Service { return LookupService(c.Service) }

// NeverExpires reports whether the credential has no expiration date.
func (c Credential) NeverExpires() bool { return c.Expires.IsZero() }

// IsExpired reports whether the credential is expired at now, by IAM's status or its date.
func (c Credential) IsExpired(now time.Time) bool {
	return c.Status == Expired || (!c.Expires.IsZero() && !now.Before(c.Expires))
}

// Identity is the principal iamcreds runs as.
type Identity struct {
	Account string
	ARN     string
	UserID  string
}

// Inventory is every user and every credential of an account.
type Inventory struct {
	Users       []User
	Credentials []Credential
	// PerUser is true when IAM refused AllUsers and users were listed one by one.
	PerUser bool
	// Unscanned are services a per-user listing showed that the AllUsers scan
	// does not list (a service AWS added after this release): their
	// credentials are in Credentials, but an AllUsers load would miss them.
	Unscanned []string
}

// UnscannedServices are the services of creds not in scanned, sorted, each once.
func UnscannedServices(creds []Credential, scanned []string) []string {
	var out []string
	for i := range creds {
		s := creds[i].Service
		if !slices.Contains(scanned, s) && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}

// InventoryOptions say what a load of the inventory needs besides the
// credentials, and where it gets the users from.
type InventoryOptions struct {
	// Progress reports the per-user fallback, if it runs.
	Progress ProgressFunc
	// Users, when set, is the user list the caller is already getting (the UI
	// lists users for its table while the credentials load): the load asks it
	// at most once, when it needs the users, instead of listing them again.
	Users func(context.Context) ([]User, error)
	// CredentialsOnly: the caller needs no user list (an audit). The users are
	// listed only if IAM refuses AllUsers, for the per-user fallback; otherwise
	// Inventory.Users stays nil and nothing waits for them.
	CredentialsOnly bool
}

// ProgressFunc reports a per-user scan: done of total users listed so far. Calls
// come from several goroutines, never concurrently.
type ProgressFunc func(done, total int)
