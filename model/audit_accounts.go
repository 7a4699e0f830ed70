package model

import (
	"strings"
	"time"
)

// A report across accounts (audit --org, --profiles, the organization view's
// export) is the rows of every account read, each with its Account, and a
// summary of every account, read or not, in the report's metadata.

// AcrossAccounts is the metadata of a report across accounts.
type AcrossAccounts struct {
	// Organization is the organization's ID (o-…), "" for named profiles.
	Organization string
	// Caller is the account that read the others: the management or a
	// delegated-administrator account; "" for named profiles.
	Caller string
	// Accounts is every account the report covers, in the order read.
	Accounts []AccountSummary
}

// AccountSummary is what became of one account of a report across accounts.
type AccountSummary struct {
	Account Account
	// Users and Credentials count what was read, before any filter.
	Users, Credentials int
	// Err says why the account could not be read; Skipped why it was left
	// out on purpose (not ACTIVE, a second profile of one account). Both ""
	// for an account that was read.
	Err, Skipped string
}

// Result is "read", "failed" or "skipped".
func (s AccountSummary) Result() string {
	switch {
	case s.Err != "":
		return "failed"
	case s.Skipped != "":
		return "skipped"
	}
	return "read"
}

// SummarizeAccounts is the summary of each account of a scan, in order. An
// error's message loses the "account …: " that names the account, since the
// summary names it beside.
func SummarizeAccounts(results []AccountInventory) []AccountSummary {
	out := make([]AccountSummary, len(results))
	for i, r := range results {
		s := AccountSummary{Account: r.Account, Skipped: r.Skipped}
		switch {
		case r.Err != nil:
			s.Err = strings.TrimPrefix(r.Err.Error(), "account "+r.Account.Label()+": ")
		case r.Skipped == "":
			s.Users, s.Credentials = len(r.Inventory.Users), len(r.Inventory.Credentials)
		}
		out[i] = s
	}
	return out
}

// Counts are how many accounts were read, failed and were skipped.
func (a *AcrossAccounts) Counts() (read, failed, skipped int) {
	for _, s := range a.Accounts {
		switch s.Result() {
		case "failed":
			failed++
		case "skipped":
			skipped++
		default:
			read++
		}
	}
	return read, failed, skipped
}

// Failed are the accounts that could not be read.
func (a *AcrossAccounts) Failed() []AccountSummary { return a.with("failed") }

// SkippedAccounts are the accounts left out on purpose.
func (a *AcrossAccounts) SkippedAccounts() []AccountSummary { return a.with("skipped") }

func (a *AcrossAccounts) with(result string) []AccountSummary {
	var out []AccountSummary
	for _, s := range a.Accounts {
		if s.Result() == result {
			out = append(out, s)
		}
	}
	return out
}

// BuildAccountsAudit computes a row for every credential of every account read,
// each pointing at its account, in tie order (account last). Two-active is
// counted within each account.
func BuildAccountsAudit(results []AccountInventory, now time.Time, maxAge time.Duration) []AuditRow {
	n := 0
	for i := range results {
		n += len(results[i].Inventory.Credentials)
	}
	rows := make([]AuditRow, 0, n)
	for i := range results {
		r := &results[i]
		if !r.Read() {
			continue
		}
		acct := &r.Account
		for _, c := range r.Inventory.Credentials {
			row := NewAuditRow(c, now, maxAge)
			row.Account = acct
			row.search = row.haystack()
			rows = append(rows, row)
		}
	}
	MarkTwoActive(rows, now)
	sortByTie(rows)
	return rows
}

// OrganizationFromARN is the o-… ID in an account's Organizations ARN
// (arn:aws:organizations::MGMT:account/o-abc/ID); "" if there is none.
func OrganizationFromARN(arn string) string {
	_, rest, ok := strings.Cut(arn, ":account/")
	if !ok {
		return ""
	}
	org, _, ok := strings.Cut(rest, "/")
	if !ok || !isOrganizationID(org) {
		return "" // never put in a report what is not an organization's ID
	}
	return org
}

// isOrganizationID reports Organizations' pattern, ^o-[a-z0-9]{10,32}$: safe in
// a report's line and a file name.
func isOrganizationID(s string) bool {
	id, ok := strings.CutPrefix(s, "o-")
	return ok && len(id) >= 10 && len(id) <= 32 && strings.Trim(id, "abcdefghijklmnopqrstuvwxyz0123456789") == ""
}
