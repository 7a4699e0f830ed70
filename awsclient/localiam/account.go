package localiam

import (
	"crypto/sha256"
	"slices"
	"strings"
	"sync"
	"time"
)

// Account states of Organizations' Status (and State) field.
const (
	accountActive    = "ACTIVE"
	accountSuspended = "SUSPENDED"
)

// account is one AWS account the server hosts: its IAM state and, in an
// organization, what Organizations says about it. The IAM handlers are its
// methods, so that a request acts on the account whose credentials signed it.
type account struct {
	id  string
	srv *Server // the clock and persistence

	// Organizations' view; empty outside an organization.
	name, email, status, joinedMethod string
	joined                            time.Time
	// roles are the IAM roles sts:AssumeRole can assume, by lower-cased name
	// (IAM names are unique case-insensitively).
	roles map[string]string
	// accessKey is a long-term key that signs as this account's caller.
	accessKey string

	mu sync.RWMutex // guards st
	st *state

	// stores are the account's secrets and parameters, by region
	// (stores.go). They hold values, so they are never in a state file.
	storesMu sync.Mutex // guards stores
	stores   map[string]*regionStore
}

func (a *account) clock() time.Time { return a.srv.clock() }
func (a *account) now() time.Time   { return a.srv.now() }

// changed records that a's state was mutated; callers hold a.mu for writing.
func (a *account) changed() { a.srv.changed(a.st) }

// callerARN is the IAM user the endpoint says signed with a long-term key of
// the account; it need not exist in the state.
func (a *account) callerARN() string { return "arn:aws:iam::" + a.id + ":user/" + callerName }

func (a *account) roleARN(name string) string { return "arn:aws:iam::" + a.id + ":role/" + name }

// role returns the role's name as created, if the account has it.
func (a *account) role(name string) (string, bool) {
	n, ok := a.roles[strings.ToLower(name)]
	return n, ok
}

func (a *account) addRole(name string) {
	if a.roles == nil {
		a.roles = map[string]string{}
	}
	a.roles[strings.ToLower(name)] = name
}

// derivedID is prefix plus 17 base32 characters derived from the parts: the
// stable IDs of things the state files do not hold (callers, roles, keys).
func derivedID(prefix string, n int, parts ...string) string {
	sum := sha256.Sum256([]byte("localiam " + strings.Join(parts, "\x00")))
	out := []byte(prefix)
	for _, b := range sum[:n] {
		out = append(out, base32Alphabet[b&31])
	}
	return string(out)
}

// roleID is the AROA… ID of a role.
func roleID(accountID, role string) string {
	return derivedID("AROA", 17, "role", accountID, strings.ToLower(role))
}

// accountAccessKey is the account's long-term AKIA… key: 20 characters, like AWS's.
func accountAccessKey(accountID string) string { return derivedID("AKIA", 16, "access key", accountID) }

// AccountInfo describes one account the server hosts, for tests, demos and
// scripts that need to sign as it.
type AccountInfo struct {
	ID, Name, Email string
	Status          string // ACTIVE or SUSPENDED; "" outside an organization
	Management      bool   // the organization's management account
	// AccessKeyID signs as the account's caller with any secret key: a stand-in
	// for a named profile of that account.
	AccessKeyID string
	Roles       []string // the roles sts:AssumeRole can assume in it
}

// Accounts lists the accounts: the one account, or the organization's, the
// management account first.
func (s *Server) Accounts() []AccountInfo {
	all := []*account{s.home}
	if s.org != nil {
		all = s.org.accounts
	}
	out := make([]AccountInfo, 0, len(all))
	for _, a := range all {
		info := AccountInfo{ID: a.id, Name: a.name, Email: a.email, Status: a.status,
			Management: s.org != nil && a == s.home, AccessKeyID: a.accessKey}
		for _, r := range a.roles {
			info.Roles = append(info.Roles, r)
		}
		slices.Sort(info.Roles)
		out = append(out, info)
	}
	return out
}
