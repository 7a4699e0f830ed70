package model

import (
	"fmt"
	"strings"
	"time"
)

// Flag is a set of risk flags on a credential; the zero value is "nothing to report".
type Flag uint8

const (
	// FlagStale: Active and older than the maximum age.
	FlagStale Flag = 1 << iota
	// FlagNoExpiry: an API key with no expiration date (password services never expire by design).
	FlagNoExpiry
	// FlagExpiring: expires within ExpiringWithin and has not expired yet.
	FlagExpiring
	// FlagExpired: IAM reports it Expired, or its date has passed.
	FlagExpired
	// FlagTwoActive: its user holds two Active credentials of its service, which
	// is how a rotation in progress looks (MarkTwoActive sets it).
	FlagTwoActive
	// FlagSecretLost: IAM issued its secret (a create whose reply named it
	// but carried no secret) and
	// nobody received it. No listing shows that: only the session that lost the
	// reply knows, so reports never carry it (MarkSecretLost sets it).
	FlagSecretLost

	flagEnd // one past the last flag: new flags go above it
)

// allFlagBits has every flag's bit set; lookup tables of flag sets index by it.
const allFlagBits = flagEnd - 1

// allFlags is every flag in legend order.
var allFlags = [...]Flag{FlagStale, FlagNoExpiry, FlagExpiring, FlagExpired, FlagTwoActive, FlagSecretLost}

// AllFlags returns every flag in legend order, in a new slice.
func AllFlags() []Flag { return append([]Flag(nil), allFlags[:]...) }

// Audit thresholds.
const (
	DefaultMaxAge = 90 * 24 * time.Hour
	// ExpiringWithin: a credential expiring this many calendar days from today
	// or fewer is flagged expiring.
	ExpiringWithin = 7 * 24 * time.Hour
)

// NoLastUsedNote explains why age is the only staleness signal.
const NoLastUsedNote = "IAM records no last-used date for service-specific credentials, so age is the only staleness signal."

var flagNames = map[Flag]string{
	FlagStale: "stale", FlagNoExpiry: "no-expiry", FlagExpiring: "expiring", FlagExpired: "expired",
	FlagTwoActive: "two-active", FlagSecretLost: "secret-lost",
}

// Has reports whether every flag of g is set in f.
func (f Flag) Has(g Flag) bool { return f&g == g }

// Names returns the names of the set flags in legend order, e.g. ["stale" "no-expiry"].
func (f Flag) Names() []string {
	var out []string
	for _, g := range allFlags {
		if f&g != 0 {
			out = append(out, flagNames[g])
		}
	}
	return out
}

// String joins the names with ";" (a separator that needs no quoting in CSV); "" when none.
func (f Flag) String() string { return strings.Join(f.Names(), ";") }

// Explain is a one-line explanation of a single flag for a legend.
func (f Flag) Explain(maxAge time.Duration) string {
	switch f {
	case FlagStale:
		return "Active and older than " + FormatMaxAge(maxAge) + " (--max-age)"
	case FlagNoExpiry:
		return "an API key with no expiration date"
	case FlagExpiring:
		return "expires within 7 days"
	case FlagExpired:
		return "IAM no longer accepts it"
	case FlagTwoActive:
		return TwoActiveAdvice
	case FlagSecretLost:
		return SecretLostAdvice
	}
	return ""
}

// SecretLostAdvice is the legend of FlagSecretLost.
const SecretLostAdvice = "IAM issued a secret nobody received: reset it or delete it"

// Legend explains every flag a report can carry, one per line, followed by
// NoLastUsedNote. (FlagSecretLost is known only to the session that lost the
// reply; a report never has it.)
func Legend(maxAge time.Duration) string {
	var b strings.Builder
	for _, f := range allFlags {
		if f == FlagSecretLost {
			continue
		}
		fmt.Fprintf(&b, "%-10s  %s\n", flagNames[f], f.Explain(maxAge))
	}
	b.WriteString(NoLastUsedNote + "\n")
	return b.String()
}

// FormatMaxAge prints an age threshold in days when it is whole days ("90 days"), else as a duration.
func FormatMaxAge(d time.Duration) string {
	if d <= 0 {
		d = DefaultMaxAge
	}
	const day = 24 * time.Hour
	if d%day == 0 {
		if d == day {
			return "1 day"
		}
		return fmt.Sprintf("%d days", d/day)
	}
	return d.String()
}

// IsAPIKey reports whether c is an API key: by the catalog, or for a service the
// catalog does not know, by its alias (only API-key services have one).
func IsAPIKey(c Credential) bool { return isAPIKey(c, c.ServiceInfo()) }

func isAPIKey(c Credential, info Service) bool {
	switch info.Kind {
	case KindAPIKey:
		return true
	case KindUnknown:
		return c.Alias != "" && c.ServiceUserName == ""
	}
	return false
}

// Flags computes c's risk flags at now; maxAge <= 0 means DefaultMaxAge.
func Flags(c Credential, now time.Time, maxAge time.Duration) Flag {
	return flagsFor(c, c.ServiceInfo(), now, maxAge)
}

func flagsFor(c Credential, info Service, now time.Time, maxAge time.Duration) Flag {
	if maxAge <= 0 {
		maxAge = DefaultMaxAge
	}
	var f Flag
	if c.Status == Active && c.OlderThan(maxAge, now) {
		f |= FlagStale
	}
	if isAPIKey(c, info) && c.NeverExpires() && c.Status != Expired {
		f |= FlagNoExpiry
	}
	switch {
	case c.IsExpired(now):
		f |= FlagExpired
	case expiringSoon(c, now):
		f |= FlagExpiring
	}
	return f
}

// TwoActiveAdvice is the legend of FlagTwoActive: what the state means and what to do.
const TwoActiveAdvice = "two Active credentials of one service: rotation in progress — deactivate the old one once the new one is in use"

// OlderThan reports whether c is older than maxAge at now (maxAge <= 0 means
// DefaultMaxAge). A whole number of days is counted by the day rule, so that
// "--max-age 90d" flags what the age column shows as 91 days and more; any other
// duration ("36h") by the clock. A credential without a creation date is not.
func (c Credential) OlderThan(maxAge time.Duration, now time.Time) bool {
	if maxAge <= 0 {
		maxAge = DefaultMaxAge
	}
	if c.Created.IsZero() {
		return false
	}
	if days, ok := wholeDays(maxAge); ok {
		return c.AgeDays(now) > days
	}
	return now.Sub(c.Created) > maxAge
}

// expiringSoon: not expired, and expiring within ExpiringWithin's days by the day rule.
func expiringSoon(c Credential, now time.Time) bool {
	days, ok := c.DaysToExpiry(now)
	limit, _ := wholeDays(ExpiringWithin)
	return ok && !c.IsExpired(now) && days <= limit
}

// AuditRow is one credential of the fleet report with what the audit computed for
// it. After changing its Credential (a toggle, say), rebuild it with NewAuditRow.
type AuditRow struct {
	Credential
	Info    Service // the catalog entry of Credential.Service
	Flags   Flag
	AgeDays int
	Expiry  string // ExpiryText at the audit's time
	// Account is the account the credential belongs to in a report across
	// accounts (BuildAccountsAudit); nil in a single account's. Rows of one
	// account share it.
	Account *Account
	// search is the lower-cased text a text filter looks in: built the first
	// time one does, and kept, since filtering runs on every keystroke (a report
	// with no text filter never builds it).
	search string
}

// NewAuditRow computes one row at now.
func NewAuditRow(c Credential, now time.Time, maxAge time.Duration) AuditRow {
	info := c.ServiceInfo()
	r := AuditRow{
		Credential: c,
		Info:       info,
		Flags:      flagsFor(c, info, now, maxAge),
		AgeDays:    c.AgeDays(now),
		Expiry:     ExpiryText(c, now),
	}
	return r
}

// BuildAudit computes a row for every credential of inv, ordered by user, service
// (catalog order) and id: SortAudit's tie order, which keeps later sorts fast.
func BuildAudit(inv Inventory, now time.Time, maxAge time.Duration) []AuditRow {
	rows := make([]AuditRow, len(inv.Credentials))
	for i, c := range inv.Credentials {
		rows[i] = NewAuditRow(c, now, maxAge)
	}
	if !tieOrdered(rows) { // a listing from awsclient is already
		sortByTie(rows)
	}
	MarkTwoActive(rows, now) // by runs: the rows are in tie order now
	return rows
}

// MarkTwoActive sets FlagTwoActive on every row whose user holds two Active
// credentials of its service among rows, and clears it on the others. NewAuditRow
// sees one credential and cannot set it: after changing rows (a toggle), call it
// again on all of them, before any filter.
func MarkTwoActive(rows []AuditRow, now time.Time) {
	if tieOrdered(rows) && oneAccount(rows) {
		markTwoActiveRuns(rows, now)
		return
	}
	type key struct{ account, user, service string } // alice of one account is not alice of another
	active := map[key]int{}
	for i := range rows {
		if r := &rows[i]; r.StatusAt(now) == Active {
			active[key{r.AccountID(), r.UserName, r.Service}]++
		}
	}
	for i := range rows {
		r := &rows[i]
		r.Flags &^= FlagTwoActive
		if r.StatusAt(now) == Active && active[key{r.AccountID(), r.UserName, r.Service}] >= MaxPerService {
			r.Flags |= FlagTwoActive
		}
	}
}

// oneAccount reports whether every row is of the same account (or none).
func oneAccount(rows []AuditRow) bool {
	for i := 1; i < len(rows); i++ {
		if rows[i].AccountID() != rows[0].AccountID() {
			return false
		}
	}
	return true
}

// markTwoActiveRuns is MarkTwoActive for rows of one account in tie order,
// where a user's credentials of one service are next to each other: no map
// of every pair.
func markTwoActiveRuns(rows []AuditRow, now time.Time) {
	for i := 0; i < len(rows); {
		j, active := i, 0
		for ; j < len(rows) && rows[j].UserName == rows[i].UserName && rows[j].Service == rows[i].Service; j++ {
			if rows[j].StatusAt(now) == Active {
				active++
			}
		}
		for k := i; k < j; k++ {
			r := &rows[k]
			r.Flags &^= FlagTwoActive
			if active >= MaxPerService && r.StatusAt(now) == Active {
				r.Flags |= FlagTwoActive
			}
		}
		i = j
	}
}

// MarkSecretLost sets FlagSecretLost on the rows whose credential lost reports,
// and clears it on the others. Rows come from listings, which cannot know: the
// set is the session's (the UI's record of the secrets it never received).
func MarkSecretLost(rows []AuditRow, lost func(id string) bool) {
	for i := range rows {
		rows[i].Flags &^= FlagSecretLost
		if lost(rows[i].ID) {
			rows[i].Flags |= FlagSecretLost
		}
	}
}

// CountFlagged counts the rows with at least one flag.
func CountFlagged(rows []AuditRow) int {
	n := 0
	for _, r := range rows {
		if r.Flags != 0 {
			n++
		}
	}
	return n
}

// AccountID is the ID of the row's account; "" in a single account's report.
func (r *AuditRow) AccountID() string {
	if r.Account == nil {
		return ""
	}
	return r.Account.ID
}

// haystack joins the searchable fields with a separator no needle will contain, so
// that a match never spans two fields: every column a report shows as text — the
// user, the service, the id, the login, the status, the expiry ("never", "in 3
// days") and each flag. A row of a report across accounts is found by its
// account's ID and name too.
func (r AuditRow) haystack() string {
	info := r.Info
	if info.Name != r.Service {
		info = r.ServiceInfo() // a row built by hand, not by NewAuditRow
	}
	fields := []string{r.UserName, info.Display, info.Short, r.Service, r.ID, r.Login(), string(r.Status), r.Expiry}
	fields = append(fields, r.Flags.Names()...)
	if a := r.Account; a != nil {
		fields = append(fields, a.ID, a.DisplayName())
	}
	return strings.ToLower(strings.Join(fields, "\x00"))
}
