package ui

import (
	"context"

	"iamcreds/model"
)

// Accounts reaches several AWS accounts: an organization's (iamcreds --org) or
// those of named profiles (--profiles). The organization view reads every
// account through it, then acts on each through that account's own client.
type Accounts interface {
	// Scan reads every account, a few at once. found is called once, when the
	// accounts are known; done once per account as it is read, fails or is
	// left out, never concurrently. The error is the listing itself failing
	// (Organizations refused ListAccounts, no profiles): then done is never called.
	Scan(ctx context.Context, found func(AccountsFound), done func(AccountResult)) error
}

// AccountsFound is what a scan across accounts starts from.
type AccountsFound struct {
	// Organization (o-…) and Caller (the account reading the others) are ""
	// for named profiles.
	Organization, Caller string
	// Total is how many accounts the scan will report.
	Total int
}

// AccountResult is one account of a scan: its inventory, or why it was not
// read, and the client that acts on it (nil when it was not read).
type AccountResult struct {
	model.AccountInventory
	Client IAM
}
