package ui

import "iamcreds/model"

// account is one AWS account as the UI knows it: the client that acts on it,
// its users and what is known of its credentials. One account is an
// organization of one: the main and fleet screens show Model.acct, which is
// never nil; the organization view shows every account of orgState, and
// opening one makes it Model.acct — the same account, its one cache.
type account struct {
	key     string // the account ID, or "profile NAME" for a profile that never signed in; "" for the one account
	info    model.Account
	client  IAM
	users   []model.User
	cache   *credCache // its credentials, with the cache's rules against going back in time
	err     error      // the organization view could not read it
	skipped string     // the organization view left it out, and why
	gen     int        // the scan that last reported it
	// console is what its console-made users hold (users.go).
	console consoleHoldings
}

func newAccount(client IAM) *account { return &account{client: client, cache: newCredCache()} }

// read reports an account whose credentials are known (not failed, not left out).
func (a *account) read() bool { return a.client != nil && a.err == nil && a.skipped == "" }
