package model

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the zones below, on any machine
)

// zones spans the offsets a person may be in: whole, half and quarter hours,
// both sides of UTC, the extremes, and two with daylight-saving time.
var zones = []string{
	"UTC", "America/Los_Angeles", "America/New_York", "Europe/Berlin", "Asia/Kolkata",
	"Asia/Kathmandu", "Australia/Adelaide", "Pacific/Kiritimati", "Pacific/Pago_Pago",
}

func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// What an admin expects: a key created today for 45 days reads "in 45 days" for
// the rest of that day, whenever today it was created and wherever they are, and
// "in 44 days" from midnight on; its age is 0 days until midnight, then 1.
func TestKeyCreatedTodayReadsItsLifetimeAllDay(t *testing.T) {
	for _, name := range zones {
		loc := zone(t, name)
		for hour := range 24 {
			created := time.Date(2026, 6, 10, hour, 17, 0, 0, loc) // no zone changes time in June
			key := Credential{Service: Bedrock, Status: Active, Created: created, Expires: ExpiresAfter(created, 45)}
			midnight := time.Date(2026, 6, 11, 0, 0, 0, 0, loc)
			for _, now := range []time.Time{created, created.Add(time.Minute), midnight.Add(-time.Second)} {
				if got := ExpiryText(key, now); got != "in 45 days" {
					t.Fatalf("%s, created %s, at %s: %q, want in 45 days", name, created.Format(time.Kitchen), now.Format(time.TimeOnly), got)
				}
				if got := ExpiryShort(key, now); got != "in 45d" {
					t.Fatalf("%s at %s: short %q", name, now.Format(time.TimeOnly), got)
				}
				if got := key.AgeDays(now); got != 0 || AgeText(key, now) != "today" {
					t.Fatalf("%s at %s: age %d", name, now.Format(time.TimeOnly), got)
				}
			}
			if got := ExpiryText(key, midnight); got != "in 44 days" {
				t.Fatalf("%s, created %02d:17, at midnight: %q, want in 44 days", name, hour, got)
			}
			if got := key.AgeDays(midnight); got != 1 || AgeText(key, midnight) != "1 day ago" {
				t.Fatalf("%s at midnight: age %d %q", name, got, AgeText(key, midnight))
			}
		}
	}
}

// The count always agrees with the date shown beside it, in every zone, for any
// pair of instants: it is the difference of the two dates as a calendar reads them.
func TestDaysAgreeWithTheDatesShown(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 45))
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 5000 {
		loc := zone(t, zones[i%len(zones)])
		now := base.Add(time.Duration(rng.Int64N(int64(400 * 24 * time.Hour)))).In(loc)
		exp := now.Add(time.Duration(rng.Int64N(int64(200*24*time.Hour))) - 100*24*time.Hour)
		days, _ := Credential{Expires: exp}.DaysToExpiry(now)
		shownNow, _ := time.Parse(time.DateOnly, FormatDate(now, loc))
		shownExp, _ := time.Parse(time.DateOnly, FormatDate(exp, loc))
		if want := int(shownExp.Sub(shownNow).Hours() / 24); days != want {
			t.Fatalf("%s: now %s, expires %s: %d days, the dates say %d", loc, now, exp.In(loc), days, want)
		}
		created := Credential{Created: exp}
		if age := created.AgeDays(now); age != max(0, -days) {
			t.Fatalf("%s: created %s, now %s: age %d, want %d", loc, exp.In(loc), now, age, max(0, -days))
		}
	}
}

// Daylight-saving time moves the clock, not the dates: 45 days from 10:00 the day
// before the change still reads 45. A key created at 23:30 the night before
// Berlin's spring change for 45×24 hours expires at 00:30 on the 46th calendar
// day, so it reads 46, the count its date on the pane shows.
func TestDaysAcrossDaylightSavingTime(t *testing.T) {
	berlin := zone(t, "Europe/Berlin")
	morning := time.Date(2026, 3, 28, 10, 0, 0, 0, berlin)
	key := Credential{Service: Bedrock, Created: morning, Expires: ExpiresAfter(morning, 45)}
	if got := ExpiryText(key, morning); got != "in 45 days" {
		t.Errorf("10:00 the day before the change: %q", got)
	}
	night := time.Date(2026, 3, 28, 23, 30, 0, 0, berlin)
	key = Credential{Service: Bedrock, Created: night, Expires: ExpiresAfter(night, 45)}
	if got, date := ExpiryText(key, night), FormatDate(key.Expires, berlin); got != "in 46 days" || date != "2026-05-13" {
		t.Errorf("23:30 the day before the change: %q, expiring %s", got, date)
	}
	// The autumn change: a day of 25 hours is still one day.
	before := time.Date(2026, 10, 24, 12, 0, 0, 0, berlin)
	after := time.Date(2026, 10, 26, 12, 0, 0, 0, berlin)
	if d := CalendarDays(before, after, berlin); d != 2 {
		t.Errorf("across the autumn change: %d days", d)
	}
}

// One instant is today in New York and tomorrow in UTC: each zone counts the
// dates it shows.
func TestDaysDependOnTheViewersZone(t *testing.T) {
	ny := zone(t, "America/New_York")
	exp := time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC) // 2026-11-30 22:00 in New York
	now := time.Date(2026, 11, 30, 22, 0, 0, 0, time.UTC)
	key := Credential{Service: Bedrock, Status: Active, Expires: exp}
	if got := ExpiryText(key, now); got != "in 1 day" {
		t.Errorf("UTC: %q", got)
	}
	if got := ExpiryText(key, now.In(ny)); got != "today" {
		t.Errorf("New York: %q", got)
	}
	if got := ExpiryDetail(key, now.In(ny)); got != "2026-11-30 22:00 EST · today" {
		t.Errorf("New York detail: %q", got)
	}
	if got := ExpiryDetail(key, now); got != "2026-12-01 03:00 UTC · in 1 day" {
		t.Errorf("UTC detail: %q", got)
	}
}

// Day boundaries: a second before midnight, a second after, and the instant of expiry.
func TestDaysAtDayBoundaries(t *testing.T) {
	now := time.Date(2026, 11, 22, 23, 59, 59, 0, time.UTC)
	key := func(exp time.Time) Credential { return Credential{Service: Bedrock, Status: Active, Expires: exp} }
	for _, tc := range []struct {
		exp          time.Time
		text, detail string
		days         int
	}{
		{now.Add(2 * time.Second), "in 1 day", "2026-11-23 00:00 UTC · in 1 day", 1},
		{now.Add(time.Second / 2), "today", "2026-11-22 23:59 UTC · today", 0},
		{now, "expired", "2026-11-22 23:59 UTC · expired today", 0},
		{time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC), "expired", "2026-11-22 00:00 UTC · expired today", 0},
		{time.Date(2026, 11, 21, 23, 59, 59, 0, time.UTC), "expired", "2026-11-21 23:59 UTC · expired 1 day ago", -1},
		{now.Add(-10 * 24 * time.Hour), "expired", "2026-11-12 23:59 UTC · expired 10 days ago", -10},
	} {
		c := key(tc.exp)
		days, ok := c.DaysToExpiry(now)
		if !ok || days != tc.days || ExpiryText(c, now) != tc.text || ExpiryDetail(c, now) != tc.detail {
			t.Errorf("expires %s: %d %q %q, want %d %q %q", tc.exp, days, ExpiryText(c, now), ExpiryDetail(c, now), tc.days, tc.text, tc.detail)
		}
	}
}

func TestDayTexts(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	git := Credential{Service: CodeCommit, Status: Active, ServiceUserName: "a-at-1", Created: now.AddDate(0, 0, -12)}
	if got := CreatedDetail(git, now); got != "2026-11-10 12:00 UTC · 12 days ago" {
		t.Errorf("created detail %q", got)
	}
	if got := ExpiryDetail(git, now); got != "never" || ExpiryText(git, now) != "never" || ExpiryShort(git, now) != "never" {
		t.Errorf("a password never expires: %q", got)
	}
	key := Credential{Service: Bedrock, Status: Active, Alias: "k", Created: now}
	if got := ExpiryDetail(key, now); !strings.HasPrefix(got, "never (an API key without expiry") {
		t.Errorf("an API key without expiry: %q", got)
	}
	if CreatedDetail(Credential{}, now) != "unknown" || AgeText(Credential{}, now) != "" || FormatDate(time.Time{}, time.UTC) != "" {
		t.Error("an unknown date must read as unknown")
	}
	future := Credential{Created: now.Add(time.Hour * 30)} // a clock behind IAM's
	if future.AgeDays(now) != 0 {
		t.Errorf("a creation date ahead of the clock: age %d", future.AgeDays(now))
	}
	expired := Credential{Service: Bedrock, Status: Active, Expires: now.Add(-time.Minute)}
	if expired.StatusAt(now) != Expired || ExpiryShort(expired, now) != "expired" || key.StatusAt(now) != Active {
		t.Error("StatusAt must read Expired once the date has passed")
	}
	if got := ExpiresAfter(now, 30); !got.Equal(now.Add(720*time.Hour)) || !ExpiresAfter(now, 0).IsZero() {
		t.Errorf("ExpiresAfter %v", got)
	}
}

// --max-age in whole days counts by the calendar, whatever the time of day; a
// duration in hours by the clock.
func TestOlderThan(t *testing.T) {
	la := zone(t, "America/Los_Angeles")
	now := time.Date(2026, 11, 22, 0, 30, 0, 0, la)
	at := func(daysBefore int, hour int) Credential {
		return Credential{Created: time.Date(2026, 11, 22-daysBefore, hour, 0, 0, 0, la)}
	}
	for _, tc := range []struct {
		c      Credential
		maxAge time.Duration
		want   bool
	}{
		{at(90, 23), 90 * 24 * time.Hour, false}, // 90 days old on the age column
		{at(91, 23), 90 * 24 * time.Hour, true},  // less than 91×24 h ago, but 91 days old
		{at(91, 0), 0, true},                     // 0 is the default 90 days
		{at(2, 12), 36 * time.Hour, true},
		{at(1, 12), 36 * time.Hour, false},
		{Credential{}, time.Hour, false},
	} {
		if got := tc.c.OlderThan(tc.maxAge, now); got != tc.want {
			t.Errorf("created %s, max age %v: %v", tc.c.Created, tc.maxAge, got)
		}
	}
}
