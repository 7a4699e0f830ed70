package model

import (
	"slices"
	"strings"
	"time"
)

// AccountStatus is an account's status in its organization.
type AccountStatus string

const (
	AccountActive         AccountStatus = "ACTIVE"
	AccountSuspended      AccountStatus = "SUSPENDED"
	AccountPendingClosure AccountStatus = "PENDING_CLOSURE"
)

// Account is one AWS account of a scan across accounts: an account of an
// organization, or the account a named profile signs in to. Name and Email come
// from AWS: untrusted text, to be cleaned before it is drawn or written.
type Account struct {
	ID           string
	Name         string // the organization's name for it; "" for a profile's account
	Email        string
	ARN          string        // the organization's ARN for it
	Status       AccountStatus // "" when not known through Organizations
	JoinedMethod string        // INVITED or CREATED
	Joined       time.Time
	Profile      string // the named profile that reaches it, for --profiles
}

// Label names the account for a person: "Production (210000000001)", "profile
// prod (123456789012)", or the ID alone.
func (a Account) Label() string {
	name := a.Name
	if name == "" && a.Profile != "" {
		name = "profile " + a.Profile
	}
	switch {
	case name == "":
		return a.ID
	case a.ID == "":
		return name
	}
	return name + " (" + a.ID + ")"
}

// DisplayName is the name shown beside the account's ID: the organization's
// name for it, else the profile that reaches it; "" when neither is known.
func (a Account) DisplayName() string {
	if a.Name != "" {
		return a.Name
	}
	return a.Profile
}

// Active reports whether the account can be read: ACTIVE, or of unknown status.
func (a Account) Active() bool { return a.Status == "" || a.Status == AccountActive }

// AccountInventory is one account's part of a scan across accounts: its
// inventory, why it could not be read (Err), or why it was left out (Skipped).
type AccountInventory struct {
	Account   Account
	Inventory Inventory
	// Err says why the account could not be read (the role could not be
	// assumed, IAM denied the listing, …). Its message names the account.
	Err error
	// Skipped says why the account was not read on purpose: not ACTIVE, or a
	// profile of an account another profile already read. Not a failure.
	Skipped string
}

// Read reports whether the account's inventory was read.
func (r AccountInventory) Read() bool { return r.Err == nil && r.Skipped == "" }

// CountFailed counts the accounts that could not be read (Skipped ones are not failures).
func CountFailed(results []AccountInventory) int {
	n := 0
	for _, r := range results {
		if r.Err != nil {
			n++
		}
	}
	return n
}

// SelectAccounts keeps the accounts whose IDs are listed (--accounts), in the
// order of all; unknown lists the IDs that are not accounts of all. Spaces
// around an ID are ignored.
func SelectAccounts(all []Account, ids []string) (selected []Account, unknown []string) {
	want := map[string]bool{}
	for _, id := range ids {
		want[strings.TrimSpace(id)] = true
	}
	for _, a := range all {
		if want[a.ID] {
			selected = append(selected, a)
			delete(want, a.ID)
		}
	}
	for id := range want {
		if id != "" {
			unknown = append(unknown, id)
		}
	}
	slices.Sort(unknown)
	return selected, unknown
}
