package model

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
)

// acrossFixture is a scan of four accounts: two read (alice in both, with two
// Active Git credentials only in Production), one that could not be read and
// one left out.
func acrossFixture() []AccountInventory {
	prod := Account{ID: "210000000001", Name: "Production", Status: AccountActive}
	staging := Account{ID: "210000000002", Name: "Staging", Status: AccountActive}
	sandbox := Account{ID: "210000000003", Name: "Sandbox", Status: AccountActive}
	legacy := Account{ID: "210000000004", Name: "Legacy", Status: AccountSuspended}
	return []AccountInventory{
		{Account: prod, Inventory: Inventory{
			Users: []User{{Name: "alice"}, {Name: "bob"}},
			Credentials: []Credential{
				{ID: "ACCAPRODGIT000000001", UserName: "alice", Service: CodeCommit, Status: Active, Created: daysAgo(400), ServiceUserName: "alice-at-210000000001"},
				{ID: "ACCAPRODGIT000000002", UserName: "alice", Service: CodeCommit, Status: Active, Created: daysAgo(10), ServiceUserName: "alice+1-at-210000000001"},
				{ID: "ACCAPRODBEDROCK00001", UserName: "bob", Service: Bedrock, Status: Inactive, Created: daysAgo(30), Alias: "bob-key"},
			}}},
		{Account: staging, Inventory: Inventory{
			Users: []User{{Name: "alice"}},
			Credentials: []Credential{
				{ID: "ACCASTAGINGGIT000001", UserName: "alice", Service: CodeCommit, Status: Active, Created: daysAgo(5), ServiceUserName: "alice-at-210000000002"},
			}}},
		{Account: sandbox, Err: &Error{Kind: KindAccessDenied, Message: "account Sandbox (210000000003): cannot assume arn:aws:iam::210000000003:role/OrganizationAccountAccessRole: access denied"}},
		{Account: legacy, Skipped: "account is SUSPENDED"},
	}
}

func acrossMeta(results []AccountInventory) AuditMeta {
	return AuditMeta{GeneratedAt: auditNow, MaxAge: DefaultMaxAge, Across: &AcrossAccounts{
		Organization: "o-a1b2c3d4e5", Caller: "123456789012", Accounts: SummarizeAccounts(results)}}
}

func TestBuildAccountsAudit(t *testing.T) {
	results := acrossFixture()
	rows := BuildAccountsAudit(results, auditNow, 0)
	if len(rows) != 4 {
		t.Fatalf("%d rows", len(rows))
	}
	got := ""
	for _, r := range rows {
		got += r.AccountID()[9:] + ":" + r.UserName + ":" + r.Flags.String() + " "
	}
	// Tie order: user, service, id, account. Two-active counts within one account.
	if want := "001:alice:stale;two-active 001:alice:two-active 002:alice: 001:bob:no-expiry "; got != want {
		t.Fatalf("rows %q\nwant %q", got, want)
	}
	if rows[0].Account != &results[0].Account {
		t.Fatal("a row must point at its account")
	}
	SortAudit(rows, SortAccount, true)
	if rows[0].Account.Name != "Staging" || rows[1].Account.Name != "Production" || rows[1].UserName != "alice" || rows[3].UserName != "bob" {
		t.Fatalf("sort by account, reversed: %v", ids(rows))
	}
	for _, f := range []struct {
		filter AuditFilter
		want   int
	}{
		{AuditFilter{Account: "210000000002"}, 1},
		{AuditFilter{Text: "staging"}, 1},
		{AuditFilter{Text: "210000000001"}, 3},
		{AuditFilter{Account: "210000000001", Text: "bob"}, 1},
	} {
		if n := len(f.filter.Apply(rows)); n != f.want {
			t.Errorf("%+v kept %d rows, want %d", f.filter, n, f.want)
		}
	}
	if d := (AuditFilter{Account: "210000000002", FlaggedOnly: true}).Describe(); d != "flagged account=210000000002" {
		t.Errorf("Describe %q", d)
	}
}

func TestSummarizeAccounts(t *testing.T) {
	sums := SummarizeAccounts(acrossFixture())
	results := []string{}
	for _, s := range sums {
		results = append(results, s.Result())
	}
	if strings.Join(results, " ") != "read read failed skipped" || sums[0].Users != 2 || sums[0].Credentials != 3 {
		t.Fatalf("summaries %+v", sums)
	}
	if !strings.HasPrefix(sums[2].Err, "cannot assume") {
		t.Errorf("the reason keeps the account's name in front: %q", sums[2].Err)
	}
	meta := acrossMeta(acrossFixture())
	want := "organization o-a1b2c3d4e5; caller 123456789012; accounts 4 (read 2 failed 1 skipped 1); generated 2026-11-22T12:00:00Z; max age 90d"
	if got := meta.Summary(); got != want {
		t.Errorf("Summary() = %s\nwant        %s", got, want)
	}
	meta.Across = &AcrossAccounts{Accounts: sums[:2]}
	if got := meta.Summary(); !strings.HasPrefix(got, "profiles; accounts 2 (read 2); generated") {
		t.Errorf("profiles: %s", got)
	}
}

func TestOrganizationFromARN(t *testing.T) {
	for arn, want := range map[string]string{
		"arn:aws:organizations::123456789012:account/o-a1b2c3d4e5/210000000001": "o-a1b2c3d4e5",
		"arn:aws:organizations::123456789012:account/o-A1,evil/210000000001":    "",
		"arn:aws:iam::123456789012:user/alice":                                  "",
		"":                                                                      "",
	} {
		if got := OrganizationFromARN(arn); got != want {
			t.Errorf("%q: %q, want %q", arn, got, want)
		}
	}
}

func TestWriteAcrossAccountsGolden(t *testing.T) {
	results := acrossFixture()
	rows := BuildAccountsAudit(results, auditNow, 0)
	for format, file := range map[ExportFormat]string{
		FormatCSV: "audit_accounts.csv", FormatJSON: "audit_accounts.json", FormatJSONL: "audit_accounts.jsonl",
		FormatTable: "audit_accounts.txt", FormatMarkdown: "audit_accounts.md",
	} {
		golden(t, file, writeReport(t, rows, format, acrossMeta(results)))
	}
}

// Every format names each row's account, and the account that could not be
// read is a row (a line, an object) with the reason.
func TestAcrossAccountsInEveryFormat(t *testing.T) {
	results := acrossFixture()
	rows := BuildAccountsAudit(results, auditNow, 0)
	meta := acrossMeta(results)

	r := csv.NewReader(bytes.NewReader(writeReport(t, rows, FormatCSV, meta)))
	r.Comment = '#'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != strings.Join(acrossColumns, ",") || len(recs) != 6 {
		t.Fatalf("CSV: header %v, %d records", recs[0], len(recs))
	}
	if recs[1][0] != "210000000001" || recs[1][1] != "Production" || recs[1][2] != "alice" || recs[1][len(acrossColumns)-1] != "" {
		t.Errorf("CSV row %v", recs[1])
	}
	failed := recs[5]
	if failed[0] != "210000000003" || failed[1] != "Sandbox" || failed[2] != "" || !strings.HasPrefix(failed[len(failed)-1], "cannot assume") {
		t.Errorf("CSV failed account %v", failed)
	}

	var doc struct {
		Organization, Caller string
		Accounts             []map[string]any
		Credentials          []map[string]any
	}
	if err := json.Unmarshal(writeReport(t, rows, FormatJSON, meta), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Organization != "o-a1b2c3d4e5" || doc.Caller != "123456789012" || len(doc.Accounts) != 4 || len(doc.Credentials) != 4 {
		t.Fatalf("JSON %+v", doc)
	}
	if a := doc.Accounts[2]; a["id"] != "210000000003" || a["result"] != "failed" || !strings.HasPrefix(a["error"].(string), "cannot assume") || a["users"] != nil {
		t.Errorf("JSON failed account %v", a)
	}
	if a := doc.Accounts[3]; a["result"] != "skipped" || a["skipped"] != "account is SUSPENDED" {
		t.Errorf("JSON skipped account %v", a)
	}
	if a := doc.Accounts[0]; a["result"] != "read" || a["users"] != 2.0 || a["credentials"] != 3.0 {
		t.Errorf("JSON read account %v", a)
	}
	if c := doc.Credentials[2]; c["account"] != "210000000002" || c["account_name"] != "Staging" || c["user"] != "alice" {
		t.Errorf("JSON credential %v", c)
	}

	lines := strings.Split(strings.TrimSuffix(string(writeReport(t, rows, FormatJSONL, meta)), "\n"), "\n")
	if len(lines) != 6 {
		t.Fatalf("%d JSON Lines", len(lines))
	}
	var line map[string]any
	if err := json.Unmarshal([]byte(lines[3]), &line); err != nil || line["account"] != "210000000001" || line["account_name"] != "Production" || line["user"] != "bob" {
		t.Errorf("JSON Lines credential %v (%v)", line, err)
	}
	line = nil
	if err := json.Unmarshal([]byte(lines[4]), &line); err != nil || line["account"] != "210000000003" || line["user"] != nil || !strings.HasPrefix(line["error"].(string), "cannot assume") {
		t.Errorf("JSON Lines failed account %v (%v)", line, err)
	}
	line = nil
	if err := json.Unmarshal([]byte(lines[5]), &line); err != nil || line["skipped"] != "account is SUSPENDED" || line["error"] != nil {
		t.Errorf("JSON Lines skipped account %v (%v)", line, err)
	}

	for _, f := range []ExportFormat{FormatTable, FormatMarkdown} {
		out := string(writeReport(t, rows, f, meta))
		for _, want := range []string{"Production (210000000001)", "Staging (210000000002)", "NOT READ", "cannot assume",
			"4 credentials of 3 users in 2 accounts, 3 flagged. 2 of 4 accounts read, 1 could not be, 1 skipped.",
			"Skipped Legacy (210000000004): account is SUSPENDED"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s lacks %q:\n%s", f, want, out)
			}
		}
	}
}

// Text from AWS in an account's name or reason never reaches a report raw.
func TestAcrossAccountsTextIsSafe(t *testing.T) {
	results := acrossFixture()
	results[0].Account.Name = "Prod\x1b[31m\u202e"
	results[2].Err = Errorf(KindOther, "denied\r\n\x9b2J")
	rows := BuildAccountsAudit(results, auditNow, 0)
	for _, f := range ExportFormats {
		out := string(writeReport(t, rows, f, acrossMeta(results)))
		if !IsSafeText(strings.ReplaceAll(out, "\n", "")) {
			t.Errorf("%s report holds a control character:\n%q", f, out)
		}
	}
}
