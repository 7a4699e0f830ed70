package model

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

var auditNow = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

func daysAgo(n float64) time.Time { return auditNow.Add(-time.Duration(n * 24 * float64(time.Hour))) }

func TestFlags(t *testing.T) {
	in := func(n float64) time.Time { return auditNow.Add(time.Duration(n * 24 * float64(time.Hour))) }
	cases := []struct {
		name   string
		c      Credential
		maxAge time.Duration
		want   Flag
	}{
		{"fresh git", Credential{Service: CodeCommit, Status: Active, Created: daysAgo(10), ServiceUserName: "a-at-1"}, 0, 0},
		{"old active git is stale", Credential{Service: CodeCommit, Status: Active, Created: daysAgo(91)}, 0, FlagStale},
		{"exactly max age is not stale", Credential{Service: CodeCommit, Status: Active, Created: daysAgo(90)}, 0, 0},
		{"old inactive is not stale", Credential{Service: Keyspaces, Status: Inactive, Created: daysAgo(400)}, 0, 0},
		{"custom max age", Credential{Service: CodeCommit, Status: Active, Created: daysAgo(31)}, 30 * 24 * time.Hour, FlagStale},
		{"custom max age in hours", Credential{Service: CodeCommit, Status: Active, Created: daysAgo(1.6)}, 36 * time.Hour, FlagStale},
		{"within a max age in hours", Credential{Service: CodeCommit, Status: Active, Created: daysAgo(1.4)}, 36 * time.Hour, 0},
		// Whole days count by the calendar: created yesterday at 00:00 is 1 day old
		// at noon, not older than 1d; created the day before at 23:00 is 2.
		{"max age 1d, 1 calendar day old", Credential{Service: CodeCommit, Status: Active, Created: daysAgo(1.5)}, 24 * time.Hour, 0},
		{"max age 1d, 2 calendar days old", Credential{Service: CodeCommit, Status: Active, Created: daysAgo(1.55)}, 24 * time.Hour, FlagStale},
		{"bedrock key without expiry", Credential{Service: Bedrock, Status: Active, Created: daysAgo(1), Alias: "k"}, 0, FlagNoExpiry},
		{"inactive key without expiry still flagged", Credential{Service: Logs, Status: Inactive, Created: daysAgo(1)}, 0, FlagNoExpiry},
		{"old key without expiry", Credential{Service: Bedrock, Status: Active, Created: daysAgo(200)}, 0, FlagStale | FlagNoExpiry},
		{"password service never flagged no-expiry", Credential{Service: Keyspaces, Status: Active, Created: daysAgo(1), ServiceUserName: "u"}, 0, 0},
		{"unknown service with alias is an api key", Credential{Service: "comprehend.amazonaws.com", Status: Active, Created: daysAgo(1), Alias: "cw"}, 0, FlagNoExpiry},
		{"unknown service with user name is not", Credential{Service: "x.amazonaws.com", Status: Active, Created: daysAgo(1), ServiceUserName: "u"}, 0, 0},
		{"expires in 3 days", Credential{Service: Bedrock, Status: Active, Created: daysAgo(1), Expires: in(3)}, 0, FlagExpiring},
		{"expires in exactly 7 days", Credential{Service: Bedrock, Status: Active, Created: daysAgo(1), Expires: in(7)}, 0, FlagExpiring},
		{"expires in 8 days", Credential{Service: Bedrock, Status: Active, Created: daysAgo(1), Expires: in(8)}, 0, 0},
		{"past its date", Credential{Service: Bedrock, Status: Active, Created: daysAgo(30), Expires: in(-1)}, 0, FlagExpired},
		{"expired at this very instant", Credential{Service: Bedrock, Status: Active, Created: daysAgo(30), Expires: auditNow}, 0, FlagExpired},
		{"status expired", Credential{Service: Logs, Status: Expired, Created: daysAgo(30), Expires: in(-2)}, 0, FlagExpired},
		{"status expired without date", Credential{Service: Logs, Status: Expired, Created: daysAgo(30)}, 0, FlagExpired},
		{"no created date is not stale", Credential{Service: CodeCommit, Status: Active}, 0, 0},
	}
	for _, tc := range cases {
		if got := Flags(tc.c, auditNow, tc.maxAge); got != tc.want {
			t.Errorf("%s: flags = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestFlagNamesAndLegend(t *testing.T) {
	f := FlagExpired | FlagStale | FlagNoExpiry
	if f.String() != "stale;no-expiry;expired" || Flag(0).String() != "" {
		t.Fatalf("String = %q", f.String())
	}
	if !f.Has(FlagStale|FlagExpired) || f.Has(FlagExpiring) {
		t.Fatal("Has wrong")
	}
	legend := Legend(0)
	for _, want := range []string{"stale", "no-expiry", "expiring", "expired", "older than 90 days", "no last-used date"} {
		if !strings.Contains(legend, want) {
			t.Errorf("legend lacks %q:\n%s", want, legend)
		}
	}
	// Every flag but secret-lost, which no report carries, and the note.
	if n := strings.Count(legend, "\n"); n != len(AllFlags()) || strings.Contains(legend, "secret-lost") {
		t.Errorf("legend has %d lines:\n%s", n, legend)
	}
	if got := FlagStale.Explain(30 * 24 * time.Hour); !strings.Contains(got, "30 days") {
		t.Errorf("explain = %q", got)
	}
	if got := FormatMaxAge(36 * time.Hour); got != "36h0m0s" {
		t.Errorf("FormatMaxAge = %q", got)
	}
}

func TestMarkSecretLost(t *testing.T) {
	rows := []AuditRow{{Credential: Credential{ID: "A"}, Flags: FlagStale}, {Credential: Credential{ID: "B"}, Flags: FlagSecretLost}}
	MarkSecretLost(rows, func(id string) bool { return id == "A" })
	if rows[0].Flags != FlagStale|FlagSecretLost || rows[1].Flags != 0 {
		t.Fatalf("flags %v, %v", rows[0].Flags, rows[1].Flags)
	}
	if rows[0].Flags.String() != "stale;secret-lost" || FlagSecretLost.Explain(0) != SecretLostAdvice {
		t.Errorf("names %q, explain %q", rows[0].Flags.String(), FlagSecretLost.Explain(0))
	}
	if CountFlagged(rows) != 1 {
		t.Errorf("CountFlagged = %d", CountFlagged(rows))
	}
}

func TestExpiryText(t *testing.T) {
	c := Credential{Service: Bedrock}
	for _, tc := range []struct {
		expires time.Time
		status  Status
		want    string
	}{
		{time.Time{}, Active, "never"},
		{auditNow.Add(5 * time.Hour), Active, "today"},
		{auditNow.Add(25 * time.Hour), Active, "in 1 day"},
		{auditNow.Add(30*24*time.Hour + time.Minute), Active, "in 30 days"},
		{auditNow.Add(-time.Second), Active, "expired"},
		{auditNow.Add(time.Hour), Expired, "expired"},
	} {
		c.Expires, c.Status = tc.expires, tc.status
		if got := ExpiryText(c, auditNow); got != tc.want {
			t.Errorf("expires %v %s: %q, want %q", tc.expires, tc.status, got, tc.want)
		}
	}
}

func TestBuildAudit(t *testing.T) {
	inv := Inventory{Credentials: []Credential{
		{ID: "ACCA1", UserName: "bob", Service: Bedrock, Status: Active, Created: daysAgo(100.5), Alias: "bob-key"},
		{ID: "ACCA2", UserName: "amy", Service: CodeCommit, Status: Inactive, Created: daysAgo(3), ServiceUserName: "amy-at-1"},
	}}
	rows := BuildAudit(inv, auditNow, 0)
	if ids(rows) != "ACCA2 ACCA1" {
		t.Fatalf("rows not in user order: %s", ids(rows))
	}
	r := rows[1]
	if r.AgeDays != 100 || r.Flags != FlagStale|FlagNoExpiry || r.Expiry != "never" || r.Info.Short != "Bedrock" {
		t.Fatalf("row = %+v", r)
	}
	if rows[0].Flags != 0 || rows[0].Expiry != "never" || rows[0].AgeDays != 3 {
		t.Fatalf("row = %+v", rows[0])
	}
	if CountFlagged(rows) != 1 {
		t.Fatal("CountFlagged")
	}
}

func TestSortKeyCycleAndParse(t *testing.T) {
	k, seen := SortAge, []string{}
	for range 6 {
		seen = append(seen, k.String())
		k = k.Next()
	}
	if strings.Join(seen, ",") != "age,user,service,status,expiry,age" {
		t.Fatalf("cycle %v", seen)
	}
	k, seen = SortAge, nil
	for range 7 {
		seen = append(seen, k.String())
		k = k.NextAcross()
	}
	if strings.Join(seen, ",") != "age,user,service,status,expiry,account,age" || SortAccount.Next() != SortAge {
		t.Fatalf("cycle across accounts %v", seen)
	}
	for _, n := range []string{"age", "USER", "Service", "status", "expiry", "Account"} {
		if k, err := ParseSortKey(n); err != nil || !strings.EqualFold(k.String(), n) {
			t.Errorf("parse %q = %v, %v", n, k, err)
		}
	}
	if _, err := ParseSortKey("created"); err == nil {
		t.Error("unknown key accepted")
	}
}

// sortFixture has ties on every primary key so that tie-breaks show.
func sortFixture() []AuditRow {
	in := func(d int) time.Time { return auditNow.Add(time.Duration(d) * 24 * time.Hour) }
	cs := []Credential{
		{ID: "ID5", UserName: "carol", Service: Logs, Status: Active, Created: daysAgo(10), Expires: in(5)},
		{ID: "ID1", UserName: "bob", Service: CodeCommit, Status: Inactive, Created: daysAgo(200)},
		{ID: "ID4", UserName: "amy", Service: Bedrock, Status: Expired, Created: daysAgo(50), Expires: in(-3)},
		{ID: "ID2", UserName: "bob", Service: "zeta.amazonaws.com", Status: Active, Created: daysAgo(10)},
		{ID: "ID3", UserName: "amy", Service: CodeCommit, Status: Active, Created: daysAgo(200)},
		{ID: "ID6", UserName: "amy", Service: Bedrock, Status: Active, Created: daysAgo(1), Expires: in(40)},
	}
	rows := make([]AuditRow, len(cs))
	for i, c := range cs {
		rows[i] = NewAuditRow(c, auditNow, 0)
	}
	return rows
}

func credentials(rows []AuditRow) []Credential {
	out := make([]Credential, len(rows))
	for i, r := range rows {
		out[i] = r.Credential
	}
	return out
}

func ids(rows []AuditRow) string {
	var out []string
	for _, r := range rows {
		if r.Account != nil {
			out = append(out, r.Account.ID+"/"+r.ID)
			continue
		}
		out = append(out, r.ID)
	}
	return strings.Join(out, " ")
}

func TestSortAudit(t *testing.T) {
	cases := []struct {
		key     SortKey
		reverse bool
		want    string
	}{
		// age: oldest first; the two 200-day ones tie and fall back to user.
		{SortAge, false, "ID3 ID1 ID4 ID2 ID5 ID6"},
		{SortAge, true, "ID6 ID2 ID5 ID4 ID3 ID1"},
		// user: within a user, service in catalog order (Git, Bedrock), then id.
		{SortUser, false, "ID3 ID4 ID6 ID1 ID2 ID5"},
		{SortUser, true, "ID5 ID1 ID2 ID3 ID4 ID6"},
		// service: Git, Bedrock, Logs, then unknown by name.
		{SortService, false, "ID3 ID1 ID4 ID6 ID5 ID2"},
		{SortService, true, "ID2 ID5 ID4 ID6 ID3 ID1"},
		{SortStatus, false, "ID3 ID6 ID2 ID5 ID1 ID4"},
		// expiry: expired, then soonest, never last (ties by user).
		{SortExpiry, false, "ID4 ID5 ID6 ID3 ID1 ID2"},
		{SortExpiry, true, "ID3 ID1 ID2 ID6 ID5 ID4"},
	}
	for _, tc := range cases {
		// Unordered input takes the string tie-breaks; BuildAudit's order the fast path.
		unordered := sortFixture()
		built := BuildAudit(Inventory{Credentials: credentials(sortFixture())}, auditNow, 0)
		for name, rows := range map[string][]AuditRow{"unordered": unordered, "built": built} {
			SortAudit(rows, tc.key, tc.reverse)
			if got := ids(rows); got != tc.want {
				t.Errorf("%s %s reverse=%v: %s, want %s", name, tc.key, tc.reverse, got, tc.want)
			}
		}
	}
}

func TestSortAuditIsStableForEqualRows(t *testing.T) {
	a := NewAuditRow(Credential{ID: "SAME", UserName: "u", Service: CodeCommit, Created: daysAgo(1)}, auditNow, 0)
	b := a
	b.Expiry = "marker" // identical sort keys; only the prior order can decide
	rows := []AuditRow{b, a}
	SortAudit(rows, SortUser, false)
	if rows[0].Expiry != "marker" {
		t.Fatal("equal rows reordered")
	}
}

func TestAuditFilter(t *testing.T) {
	rows := sortFixture()
	rows[0].Alias = "Deploy-Key"
	rows[0] = NewAuditRow(rows[0].Credential, auditNow, 0)
	cases := []struct {
		f    AuditFilter
		want string
	}{
		{AuditFilter{}, "ID5 ID1 ID4 ID2 ID3 ID6"},
		{AuditFilter{Text: "AMY"}, "ID4 ID3 ID6"},
		{AuditFilter{Text: "  bedrock "}, "ID4 ID6"},      // short and raw name
		{AuditFilter{Text: "git credentials"}, "ID1 ID3"}, // display name
		{AuditFilter{Text: "id2"}, "ID2"},                 // credential id
		{AuditFilter{Text: "deploy-k"}, "ID5"},            // login (alias)
		{AuditFilter{Text: "zeta.amazon"}, "ID2"},         // unknown raw name
		{AuditFilter{Text: "bobcodecommit"}, ""},          // never across fields
		{AuditFilter{Status: Active}, "ID5 ID2 ID3 ID6"},  // status
		{AuditFilter{Service: CodeCommit}, "ID1 ID3"},     // service
		{AuditFilter{FlaggedOnly: true}, "ID5 ID4 ID3"},   // expiring, expired, stale
		{AuditFilter{Text: "amy", FlaggedOnly: true}, "ID4 ID3"},
		{AuditFilter{Status: Inactive, Service: Bedrock}, ""},
	}
	for _, tc := range cases {
		got := ids(tc.f.Apply(rows))
		if got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.f, got, tc.want)
		}
		var viaMatch []AuditRow
		for _, r := range rows {
			if tc.f.Match(r) {
				viaMatch = append(viaMatch, r)
			}
		}
		if ids(viaMatch) != got {
			t.Errorf("%+v: Match and Apply disagree", tc.f)
		}
	}
	// A row built by hand, without NewAuditRow, is still searchable.
	hand := AuditRow{Credential: Credential{UserName: "Zed", Service: Keyspaces}}
	if !(AuditFilter{Text: "keyspaces"}).Match(hand) || !(AuditFilter{Text: "zed"}).Match(hand) {
		t.Error("hand-built row not searchable")
	}
}

func TestAuditServices(t *testing.T) {
	got := AuditServices(sortFixture())
	want := []string{CodeCommit, Bedrock, Logs, "zeta.amazonaws.com"}
	if !slices.Equal(got, want) {
		t.Fatalf("services %v, want %v", got, want)
	}
	if AuditServices(nil) != nil {
		t.Fatal("no rows, no services")
	}
}

func TestResolveService(t *testing.T) {
	for in, want := range map[string]string{
		"git": CodeCommit, "codecommit": CodeCommit, "CodeCommit.amazonaws.com": CodeCommit,
		"keyspaces": Keyspaces, "cassandra": Keyspaces, "bedrock": Bedrock, "Logs": Logs,
		"comprehend.amazonaws.com": "comprehend.amazonaws.com",
	} {
		if got, ok := ResolveService(in); !ok || got != want {
			t.Errorf("%q → %q %v, want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "s3", "comprehend"} {
		if got, ok := ResolveService(bad); ok {
			t.Errorf("%q resolved to %q", bad, got)
		}
	}
}

// fleet builds n credentials spread over users, services, statuses and ages.
func fleet(n int) []AuditRow {
	services := []string{CodeCommit, Keyspaces, Bedrock, Logs, "comprehend.amazonaws.com"}
	statuses := []Status{Active, Active, Active, Inactive, Expired}
	cs := make([]Credential, n)
	for i := range cs {
		c := Credential{
			ID:       fmt.Sprintf("ACCA%016X", uint64(i)*2654435761),
			UserName: fmt.Sprintf("user-%05d", (i*7919)%(n/2+1)),
			Service:  services[i%len(services)],
			Status:   statuses[i%len(statuses)],
			Created:  daysAgo(float64(i % 700)),
		}
		if i%997 == 0 {
			c.Created = time.Time{}
		}
		if i%3 == 0 {
			c.Expires = auditNow.Add(time.Duration(i%60-20) * 24 * time.Hour)
		}
		if i%2 == 0 {
			c.Alias = "key-" + c.UserName
		} else {
			c.ServiceUserName = c.UserName + "-at-123456789012"
		}
		cs[i] = c
	}
	return BuildAudit(Inventory{Credentials: cs}, auditNow, 0)
}

// referenceCompare is SortAudit's order written the slow, obvious way.
func referenceCompare(key SortKey, reverse bool) func(a, b AuditRow) int {
	statusRanks := map[Status]int{Active: 0, Inactive: 1, Expired: 2}
	expiry := func(r AuditRow) (int, time.Time) {
		switch {
		case r.Status == Expired && r.Expires.IsZero():
			return 0, time.Time{}
		case r.Expires.IsZero():
			return 2, time.Time{}
		}
		return 1, r.Expires
	}
	return func(a, b AuditRow) int {
		var c int
		switch key {
		case SortAge: // an unknown creation date counts as the newest
			unknown := func(r AuditRow) int {
				if r.Created.IsZero() {
					return 1
				}
				return 0
			}
			c = cmp.Or(cmp.Compare(unknown(a), unknown(b)),
				cmp.Compare(b.AgeDays, a.AgeDays), a.Created.Compare(b.Created))
		case SortUser:
			c = strings.Compare(a.UserName, b.UserName)
		case SortService:
			c = cmp.Or(cmp.Compare(serviceRank(a.Service), serviceRank(b.Service)), strings.Compare(a.Service, b.Service))
		case SortStatus:
			c = cmp.Compare(statusRanks[a.Status], statusRanks[b.Status])
		case SortExpiry:
			ra, ta := expiry(a)
			rb, tb := expiry(b)
			c = cmp.Or(cmp.Compare(ra, rb), ta.Compare(tb))
		case SortAccount:
			name := func(r AuditRow) string {
				if r.Account == nil {
					return ""
				}
				return strings.ToLower(r.Account.DisplayName())
			}
			c = cmp.Or(strings.Compare(name(a), name(b)), strings.Compare(a.AccountID(), b.AccountID()))
		}
		if reverse {
			c = -c
		}
		return cmp.Or(c, strings.Compare(a.UserName, b.UserName),
			cmp.Compare(serviceRank(a.Service), serviceRank(b.Service)),
			strings.Compare(a.Service, b.Service), strings.Compare(a.ID, b.ID), strings.Compare(a.AccountID(), b.AccountID()))
	}
}

func TestSortAuditMatchesReference(t *testing.T) {
	t.Run("one account", func(t *testing.T) { testSortMatchesReference(t, fleet(3000)) })
	// Across accounts: the same users in three accounts (by name: b, A, c),
	// every credential ID twice, so that the account breaks ties.
	accounts := []*Account{{ID: "210000000002", Name: "b"}, {ID: "210000000001", Name: "A"}, {ID: "210000000003", Profile: "c"}}
	var rows []AuditRow
	for i, r := range fleet(1500) {
		for _, a := range accounts[:2+i%2] {
			r.Account = a
			rows = append(rows, r)
		}
	}
	sortByTie(rows)
	t.Run("across accounts", func(t *testing.T) { testSortMatchesReference(t, rows) })
}

func testSortMatchesReference(t *testing.T, built []AuditRow) {
	for i := 1; i < len(built); i++ {
		if built[i-1].UserName > built[i].UserName {
			t.Fatalf("BuildAudit rows %d,%d not in user order", i-1, i)
		}
	}
	shuffled := slices.Clone(built)
	rand.New(rand.NewPCG(3, 4)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	for key := SortAge; key < numSortKeys; key++ {
		for _, reverse := range []bool{false, true} {
			want := slices.Clone(built)
			slices.SortStableFunc(want, referenceCompare(key, reverse))
			for name, in := range map[string][]AuditRow{"built": built, "shuffled": shuffled} {
				got := slices.Clone(in)
				SortAudit(got, key, reverse)
				if ids(got) != ids(want) {
					t.Errorf("%s %s reverse=%v differs from the reference", name, key, reverse)
				}
			}
		}
	}
}

// BenchmarkAuditSortFilter is one keystroke of the fleet view on 10,000 rows:
// filter BuildAudit's rows, then sort what is left. Target: well under 5 ms.
func BenchmarkAuditSortFilter(b *testing.B) {
	rows := fleet(10000)
	f := AuditFilter{Text: "user-0"} // matches every row: the worst case
	var visible []AuditRow
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		visible = f.AppendMatches(visible[:0], rows)
		SortAudit(visible, SortKey(i%int(numSortKeys)), i%2 == 1)
	}
	if len(visible) != len(rows) {
		b.Fatalf("filter kept %d of %d", len(visible), len(rows))
	}
}

// BenchmarkAuditSortUnordered sorts 10,000 rows in no useful order, so every tie
// takes the string compares: the worst case.
func BenchmarkAuditSortUnordered(b *testing.B) {
	rows := fleet(10000)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	work := make([]AuditRow, len(rows))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		copy(work, rows)
		SortAudit(work, SortKey(i%int(numSortKeys)), false)
	}
}

func TestSortExpiryPutsUndatedExpiredFirst(t *testing.T) {
	rows := sortFixture()
	rows = append(rows, NewAuditRow(Credential{ID: "ID7", UserName: "zoe", Service: Logs, Status: Expired, Created: daysAgo(9)}, auditNow, 0))
	SortAudit(rows, SortExpiry, false)
	if got := ids(rows); got != "ID7 ID4 ID5 ID6 ID3 ID1 ID2" {
		t.Fatalf("expiry order %s", got)
	}
}

// Two Active credentials of one service is a rotation in progress: both rows
// carry two-active until one is deactivated; other services, Inactive and
// expired ones do not count.
func TestTwoActive(t *testing.T) {
	c := func(user, service string, status Status, expires time.Time) Credential {
		return Credential{ID: fmt.Sprintf("ACCA%s%s%016d", user, status, len(user)), UserName: user, Service: service,
			Status: status, Created: daysAgo(10), Expires: expires, ServiceUserName: user + "-at-1"}
	}
	inv := Inventory{Credentials: []Credential{
		c("ann", CodeCommit, Active, time.Time{}), c("ann", CodeCommit, Active, time.Time{}),
		c("ann", Keyspaces, Active, time.Time{}),
		c("bo", CodeCommit, Active, time.Time{}), c("bo", CodeCommit, Inactive, time.Time{}),
		c("cy", CodeCommit, Active, time.Time{}), c("cy", Keyspaces, Active, time.Time{}),
		c("di", Bedrock, Active, daysAgo(1)), c("di", Bedrock, Active, time.Time{}),
	}}
	rows := BuildAudit(inv, auditNow, 0)
	flagged := func() []string {
		var out []string
		for _, r := range rows {
			if r.Flags.Has(FlagTwoActive) {
				out = append(out, r.UserName+" "+r.ServiceInfo().Short)
			}
		}
		return out
	}
	if got := flagged(); !slices.Equal(got, []string{"ann Git", "ann Git"}) {
		t.Fatalf("two-active on %q", got)
	}
	if !strings.Contains(rows[0].Flags.String(), "two-active") || !strings.Contains(Legend(0), "two-active  two Active credentials of one service: rotation in progress") {
		t.Errorf("flag %q; legend:\n%s", rows[0].Flags, Legend(0))
	}
	// Rows in any order are marked alike (a view's rows, rebuilt after a change).
	slices.Reverse(rows)
	MarkTwoActive(rows, auditNow)
	if got := flagged(); !slices.Equal(got, []string{"ann Git", "ann Git"}) {
		t.Fatalf("rows out of order: two-active on %q", got)
	}
	slices.Reverse(rows)
	rows[0].Status = Inactive // ann deactivates the old one
	MarkTwoActive(rows, auditNow)
	if got := flagged(); len(got) != 0 {
		t.Fatalf("after the deactivation: two-active on %q", got)
	}
}

// Reports look flag sets up in tables indexed by allFlagBits: every flag must
// be inside it, or a new flag would vanish from CSV, JSON and the table.
func TestEveryFlagIsReported(t *testing.T) {
	var all Flag
	for _, f := range AllFlags() {
		all |= f
		if f&allFlagBits != f || flagTexts[f] != f.String() || len(flagLists[f]) != 1 {
			t.Errorf("flag %q is outside the report tables (allFlagBits %b)", f.String(), allFlagBits)
		}
	}
	if all != allFlagBits {
		t.Errorf("allFlagBits %b, the flags %b", allFlagBits, all)
	}
}
