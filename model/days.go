package model

import (
	"fmt"
	"time"
)

// The day rule: iamcreds counts days by the calendar, in the time zone of the
// clock it is given (the person's own zone; a report run in UTC counts in UTC).
// A credential's age is the number of calendar days from the date it was created
// to today, and its expiry the number from today to the date it expires. So a key
// created today for 45 days reads "in 45 days" all day, "in 44 days" tomorrow, and
// the count always agrees with the date shown beside it: a key expiring at 00:30
// on the 16th reads "in 1 day" on the 15th, however few hours are left. Only the
// instant decides whether it has expired (IsExpired): a key that expired at 09:00
// reads "expired", not "today", from 09:00 on.

// CalendarDays is the number of calendar days from the date of from to the date
// of to, both read in loc: 0 on the same date, 1 from yesterday to today, and
// negative when to falls on an earlier date. Days are counted on the dates, so a
// change of daylight-saving time changes nothing.
func CalendarDays(from, to time.Time, loc *time.Location) int {
	return dayNumber(to.In(loc)) - dayNumber(from.In(loc))
}

// dayNumber is t's date as a count of days since 1970-01-01, whatever t's zone.
func dayNumber(t time.Time) int {
	y, m, d := t.Date()
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// wholeDays is d in days when it is a whole number of days.
func wholeDays(d time.Duration) (int, bool) {
	const day = 24 * time.Hour
	if d <= 0 || d%day != 0 {
		return 0, false
	}
	return int(d / day), true
}

// AgeDays is how many calendar days old the credential is at now, in now's time
// zone: 0 on the day it was created (and when its creation date is unknown).
func (c Credential) AgeDays(now time.Time) int {
	if c.Created.IsZero() {
		return 0
	}
	return max(0, CalendarDays(c.Created, now, now.Location()))
}

// DaysToExpiry is how many calendar days from now's date, in now's time zone, to
// the date the credential expires; false when it never expires. 0 means it
// expires today (IsExpired says whether that has happened); negative, that its
// expiry date has passed.
func (c Credential) DaysToExpiry(now time.Time) (int, bool) {
	if c.Expires.IsZero() {
		return 0, false
	}
	return CalendarDays(now, c.Expires, now.Location()), true
}

// StatusAt is the status to show at now: IAM's, but Expired once the expiry
// date has passed even if IAM has not said so yet.
func (c Credential) StatusAt(now time.Time) Status {
	if c.IsExpired(now) {
		return Expired
	}
	return c.Status
}

// ExpiryText is how a credential's expiry reads in a sentence or a wide column:
// "in 3 days", "in 1 day", "today", "never" or "expired".
func ExpiryText(c Credential, now time.Time) string {
	days, ok := c.DaysToExpiry(now)
	switch {
	case c.IsExpired(now):
		return "expired"
	case !ok:
		return "never"
	case days <= 0:
		return "today"
	}
	return "in " + countOf(days, "day")
}

// ExpiryShort is ExpiryText for a narrow column: "in 3d", "today", "never", "expired".
func ExpiryShort(c Credential, now time.Time) string {
	days, ok := c.DaysToExpiry(now)
	if c.IsExpired(now) || !ok || days <= 0 {
		return ExpiryText(c, now)
	}
	return fmt.Sprintf("in %dd", days)
}

// AgeText is how long ago the credential was created: "today", "1 day ago",
// "12 days ago"; "" when the date is unknown.
func AgeText(c Credential, now time.Time) string {
	if c.Created.IsZero() {
		return ""
	}
	return agoText(c.AgeDays(now))
}

func agoText(n int) string {
	if n <= 0 {
		return "today"
	}
	return countOf(n, "day") + " ago"
}

// FormatDate is t's date in loc, "2006-01-02"; "" for the zero time.
func FormatDate(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format(time.DateOnly)
}

// FormatDateTime is t to the minute in loc, with the zone's name, for a detail
// pane: "2026-01-15 14:03 CET"; "" for the zero time.
func FormatDateTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format("2006-01-02 15:04 MST")
}

// CreatedDetail is the Created line of a detail pane at now:
// "2026-01-15 14:03 CET · 12 days ago"; "unknown" without a date.
func CreatedDetail(c Credential, now time.Time) string {
	if c.Created.IsZero() {
		return "unknown"
	}
	return FormatDateTime(c.Created, now.Location()) + " · " + AgeText(c, now)
}

// ExpiryDetail is the Expires line of a detail pane at now: the exact date and
// time in now's zone and the count of days, by the same rule as every column:
// "2026-01-15 14:03 CET · in 45 days", "… · today", "… · expired 3 days ago",
// "never".
func ExpiryDetail(c Credential, now time.Time) string {
	days, ok := c.DaysToExpiry(now)
	if !ok {
		if IsAPIKey(c) {
			return "never (an API key without expiry: consider rotating it)"
		}
		return "never"
	}
	exact := FormatDateTime(c.Expires, now.Location()) + " · "
	switch {
	case c.IsExpired(now) && days >= 0:
		return exact + "expired today"
	case c.IsExpired(now):
		return exact + "expired " + agoText(-days)
	}
	return exact + ExpiryText(c, now)
}

// ExpiresAfter is when an API key created at created with a lifetime of
// ageDays expires: IAM counts CredentialAgeDays as whole 24-hour days. The zero
// time for ageDays 0 (never).
func ExpiresAfter(created time.Time, ageDays int) time.Time {
	if ageDays == 0 {
		return time.Time{}
	}
	return created.Add(time.Duration(ageDays) * 24 * time.Hour)
}

// countOf is "1 day", "2 days".
func countOf(n int, what string) string {
	if n == 1 || n == -1 {
		return fmt.Sprintf("%d %s", n, what)
	}
	return fmt.Sprintf("%d %ss", n, what)
}
