package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"iamcreds/awsclient"
	"iamcreds/awsclient/localiam"
)

// The demo organization: the management account, three members the role
// reads, Sandbox without the role, Legacy SUSPENDED.
const (
	demoMgmt       = "123456789012"
	demoProduction = "111122223333"
	demoStaging    = "444455556666"
	demoData       = "777788889999"
	demoSandbox    = "222233334444"
	demoLegacy     = "555566667777"
)

// startOrgIAM serves an organization seed on the fixed clock.
func startOrgIAM(t testing.TB, seed string, faults localiam.Faults) (string, *localiam.Server) {
	t.Helper()
	return serveAuditIAM(t, localiam.Config{Seed: seed, Faults: faults})
}

// accountCredentialIDs lists an account's credential IDs through the SDK,
// signed with that account's own key: what the report must hold for it.
func accountCredentialIDs(t *testing.T, url string, srv *localiam.Server, id string) []string {
	t.Helper()
	var key string
	for _, a := range srv.Accounts() {
		if a.ID == id {
			key = a.AccessKeyID
		}
	}
	c, err := awsclient.New(context.Background(), awsclient.Config{EndpointURL: url, Region: "us-east-1",
		StaticCredentials: &aws.Credentials{AccessKeyID: key, SecretAccessKey: "x"}})
	if err != nil {
		t.Fatal(err)
	}
	inv, err := c.Inventory(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, cr := range inv.Credentials {
		ids = append(ids, cr.ID)
	}
	slices.Sort(ids)
	return ids
}

// byAccount groups a CSV report's credential IDs by account, and its rows
// with an error by account.
func byAccount(t *testing.T, stdout string) (ids map[string][]string, errs map[string]string) {
	t.Helper()
	recs := csvRecords(t, stdout)
	if strings.Join(recs[0], ",") != "account,account_name,user,service,service_name,credential_id,login,status,created,age_days,expires,expires_in_days,flags,error" {
		t.Fatalf("CSV header %v", recs[0])
	}
	ids, errs = map[string][]string{}, map[string]string{}
	for _, rec := range recs[1:] {
		if e := rec[len(rec)-1]; e != "" {
			errs[rec[0]] = e
			continue
		}
		ids[rec[0]] = append(ids[rec[0]], rec[5])
	}
	for _, list := range ids {
		slices.Sort(list)
	}
	return ids, errs
}

// audit --org reads every ACTIVE account with the member role; one whose role is
// missing and one denied by --deny-assume are rows with the reason; exit 5.
func TestAuditOrg(t *testing.T) {
	auditAWSEnv(t)
	url, srv := startOrgIAM(t, "org:demo", localiam.Faults{DenyAssume: []string{demoStaging}})
	r := runAuditTest(t, false, "--org", "--endpoint-url", url, "--format", "csv")
	if r.code != exitAccounts || !strings.Contains(r.stderr, "2 of 6 accounts could not be read") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	comment, _, _ := strings.Cut(r.stdout, "\n")
	if !strings.HasPrefix(comment, "# iamcreds audit; organization o-") ||
		!strings.Contains(comment, "; caller 123456789012; accounts 6 (read 3 failed 2 skipped 1); generated 2026-11-22T12:00:00Z") {
		t.Errorf("comment %q", comment)
	}
	ids, errs := byAccount(t, r.stdout)
	for _, id := range []string{demoMgmt, demoProduction, demoData} {
		want := accountCredentialIDs(t, url, srv, id)
		if len(want) == 0 || !slices.Equal(ids[id], want) {
			t.Errorf("account %s: report %v, the account holds %v", id, ids[id], want)
		}
	}
	if len(ids) != 3 || len(errs) != 2 {
		t.Errorf("accounts read %d, failed %d: %v", len(ids), len(errs), errs)
	}
	for _, id := range []string{demoSandbox, demoStaging} {
		if !strings.Contains(errs[id], "cannot assume arn:aws:iam::"+id+":role/OrganizationAccountAccessRole: access denied") {
			t.Errorf("account %s: error %q", id, errs[id])
		}
	}
	// Sorted by account (the default across accounts): Data platform, Management, Production.
	recs := csvRecords(t, r.stdout)
	if recs[1][1] != "Data platform" || recs[len(recs)-3][1] != "Production" {
		t.Errorf("not sorted by account name: first %v, last read %v", recs[1], recs[len(recs)-3])
	}
}

// Every format has the account of each row, and the failed account.
func TestAuditOrgFormats(t *testing.T) {
	auditAWSEnv(t)
	url, _ := startOrgIAM(t, "org:demo", localiam.Faults{})
	for _, format := range []string{"table", "markdown"} {
		r := runAuditTest(t, false, "--org", "--endpoint-url", url, "--format", format)
		for _, want := range []string{"Production (111122223333)", "Management (123456789012)", "Sandbox (222233334444)", "NOT READ",
			"access denied", "Skipped Legacy (555566667777): account is SUSPENDED", "in 4 accounts"} {
			if r.code != exitAccounts || !strings.Contains(r.stdout, want) {
				t.Errorf("%s: exit %d, no %q in\n%s", format, r.code, want, r.stdout)
			}
		}
	}
	if r := runAuditTest(t, false, "--org", "--endpoint-url", url, "--format", "table"); !strings.Contains(r.stdout, "\nACCOUNT   ") {
		t.Errorf("table header:\n%s", r.stdout)
	}
	if r := runAuditTest(t, false, "--org", "--endpoint-url", url, "--format", "markdown"); !strings.Contains(r.stdout, "\n| Account | User |") {
		t.Errorf("markdown header:\n%s", r.stdout)
	}

	r := runAuditTest(t, false, "--org", "--endpoint-url", url, "--format", "json")
	var doc struct {
		Organization string
		Caller       string
		Accounts     []map[string]any
		Credentials  []map[string]any
		Users        []map[string]any
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || r.code != exitAccounts {
		t.Fatalf("JSON: exit %d, %v\n%s", r.code, err, r.stdout)
	}
	results := map[string]string{}
	for _, a := range doc.Accounts {
		results[fmt.Sprint(a["id"])] = fmt.Sprint(a["result"])
		if a["result"] == "failed" && !strings.Contains(fmt.Sprint(a["error"]), "access denied") {
			t.Errorf("failed account without its reason: %v", a)
		}
	}
	want := map[string]string{demoMgmt: "read", demoProduction: "read", demoStaging: "read", demoData: "read", demoSandbox: "failed", demoLegacy: "skipped"}
	if fmt.Sprint(results) != fmt.Sprint(want) || doc.Caller != demoMgmt || !strings.HasPrefix(doc.Organization, "o-") {
		t.Errorf("JSON accounts %v, caller %q, organization %q", results, doc.Caller, doc.Organization)
	}
	for _, c := range doc.Credentials {
		if results[fmt.Sprint(c["account"])] != "read" || c["account_name"] == nil || c["user"] == nil {
			t.Errorf("JSON credential %v", c)
		}
	}

	// The console-made users of every account read: the management account's
	// four and Production's two (AeaApiKey-p5vj's key has expired).
	verdicts := map[string]string{}
	for _, u := range doc.Users {
		if results[fmt.Sprint(u["account"])] != "read" {
			t.Errorf("JSON user of an account not read: %v", u)
		}
		verdicts[fmt.Sprint(u["account"], "/", u["user"])] = fmt.Sprint(u["verdicts"])
	}
	wantUsers := map[string]string{
		demoMgmt + "/BedrockAPIKey-4f7q": "[ok]", demoMgmt + "/BedrockAPIKey-9mzc": "[orphaned]",
		demoMgmt + "/BedrockAPIKey-k2wd": "[orphaned]", demoMgmt + "/BedrockAPIKey-r8tn": "[at-risk]",
		demoProduction + "/AeaApiKey-h4rw": "[ok]", demoProduction + "/AeaApiKey-p5vj": "[orphaned]",
	}
	if fmt.Sprint(verdicts) != fmt.Sprint(wantUsers) {
		t.Errorf("JSON users\n%v\nwant\n%v", verdicts, wantUsers)
	}

	r = runAuditTest(t, false, "--org", "--endpoint-url", url, "--format", "jsonl")
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) != len(doc.Credentials)+len(doc.Users)+2 {
		t.Fatalf("%d JSON Lines for %d credentials, %d users and 2 accounts not read", len(lines), len(doc.Credentials), len(doc.Users))
	}
	var errLines int
	for _, l := range lines {
		var rec map[string]any
		if err := json.Unmarshal([]byte(l), &rec); err != nil || rec["account"] == nil {
			t.Fatalf("line %q: %v", l, err)
		}
		if rec["error"] != nil {
			errLines++
		}
	}
	if errLines != 1 {
		t.Errorf("%d JSON Lines with an error, want Sandbox's", errLines)
	}
}

// --accounts narrows the organization; an ID it does not have is a row.
func TestAuditOrgAccounts(t *testing.T) {
	auditAWSEnv(t)
	url, srv := startOrgIAM(t, "org:demo", localiam.Faults{})
	r := runAuditTest(t, false, "--org", "--endpoint-url", url, "--format", "csv", "--accounts", demoProduction)
	ids, errs := byAccount(t, r.stdout)
	if r.code != exitOK || len(ids) != 1 || len(errs) != 0 || !slices.Equal(ids[demoProduction], accountCredentialIDs(t, url, srv, demoProduction)) {
		t.Fatalf("exit %d, accounts %v, errors %v\n%s", r.code, ids, errs, r.stderr)
	}
	if !strings.Contains(r.stdout, "accounts 1 (read 1)") {
		t.Errorf("comment: %.200s", r.stdout)
	}

	r = runAuditTest(t, false, "--org", "--endpoint-url", url, "--format", "csv", "--accounts", "999999999999,"+demoData)
	ids, errs = byAccount(t, r.stdout)
	if r.code != exitAccounts || len(ids) != 1 || len(ids[demoData]) == 0 || errs["999999999999"] != "not an account of the organization" {
		t.Fatalf("exit %d, accounts %v, errors %v", r.code, ids, errs)
	}
}

// Exit 5 wins over 1; without failures, --fail-on-flagged exits 1 as for one
// account; an endpoint outside an organization fails the audit (exit 3).
func TestAuditOrgExitStatus(t *testing.T) {
	auditAWSEnv(t)
	url, _ := startOrgIAM(t, "org:demo", localiam.Faults{})
	// Production has a stale credential (deploy.bot, 410 days).
	if r := runAuditTest(t, false, "--org", "--endpoint-url", url, "--accounts", demoProduction, "--fail-on-flagged"); r.code != exitFlagged {
		t.Errorf("flagged, every account read: exit %d", r.code)
	}
	if r := runAuditTest(t, false, "--org", "--endpoint-url", url, "--accounts", demoProduction+","+demoSandbox, "--fail-on-flagged"); r.code != exitAccounts {
		t.Errorf("flagged and an account not read: exit %d", r.code)
	}
	if r := runAuditTest(t, false, "--org", "--endpoint-url", url, "--accounts", demoStaging, "--service", "git", "--fail-on-flagged"); r.code != exitOK {
		t.Errorf("nothing flagged, every account read: exit %d\n%s", r.code, r.stdout)
	}
	single := startAuditIAM(t, "demo", localiam.Faults{})
	r := runAuditTest(t, false, "--org", "--endpoint-url", single)
	if r.code != exitFailed || r.stdout != "" || !strings.Contains(r.stderr, "not in an organization") {
		t.Errorf("no organization: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	denied, _ := startOrgIAM(t, "org:demo", localiam.Faults{Deny: []string{"organizations:ListAccounts"}})
	if r := runAuditTest(t, false, "--org", "--endpoint-url", denied); r.code != exitFailed || !strings.Contains(r.stderr, "ListAccounts") {
		t.Errorf("ListAccounts denied: exit %d, stderr %q", r.code, r.stderr)
	}
}

// --org-role names the role; with a member role of another name, the default fails.
func TestAuditOrgRole(t *testing.T) {
	auditAWSEnv(t)
	url, _ := serveAuditIAM(t, localiam.Config{Seed: "org:3x2", MemberRole: "Auditor"})
	// org:3x2: the management account and a member read; the last member SUSPENDED.
	if r := runAuditTest(t, false, "--org", "--endpoint-url", url, "--org-role", "Auditor", "--account-concurrency", "1"); r.code != exitOK {
		t.Errorf("--org-role Auditor: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := runAuditTest(t, false, "--org", "--endpoint-url", url); r.code != exitAccounts || !strings.Contains(r.stdout, "role/OrganizationAccountAccessRole: access denied") {
		t.Errorf("default role: exit %d\n%s", r.code, r.stdout)
	}
}

// --profiles reads one account per profile, signed with its own keys; a
// profile that cannot sign in is a row. --all-profiles reads every one.
func TestAuditProfiles(t *testing.T) {
	auditAWSEnv(t)
	url, srv := startOrgIAM(t, "org:demo", localiam.Faults{})
	keys := map[string]string{}
	for _, a := range srv.Accounts() {
		keys[a.ID] = a.AccessKeyID
	}
	creds := filepath.Join(t.TempDir(), "credentials")
	file := fmt.Sprintf("[prod]\naws_access_key_id = %s\naws_secret_access_key = x\n\n[data]\naws_access_key_id = %s\naws_secret_access_key = x\n\n[prod-again]\naws_access_key_id = %s\naws_secret_access_key = x\n",
		keys[demoProduction], keys[demoData], keys[demoProduction])
	if err := os.WriteFile(creds, []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", creds)

	r := runAuditTest(t, false, "--profiles", "prod,data,nosuch", "--endpoint-url", url, "--format", "csv")
	ids, errs := byAccount(t, r.stdout)
	if r.code != exitAccounts || len(ids) != 2 || len(errs) != 1 || !strings.Contains(r.stdout, "# iamcreds audit; profiles; accounts 3 (read 2 failed 1)") {
		t.Fatalf("exit %d, accounts %v, errors %v\n%s", r.code, ids, errs, r.stdout)
	}
	for _, id := range []string{demoProduction, demoData} {
		if !slices.Equal(ids[id], accountCredentialIDs(t, url, srv, id)) {
			t.Errorf("profile of %s: %v", id, ids[id])
		}
	}
	if e := errs[""]; !strings.Contains(e, "nosuch") {
		t.Errorf("a profile that does not exist: %q", e)
	}
	recs := csvRecords(t, r.stdout)
	if recs[1][1] != "data" {
		t.Errorf("account_name of a profile's account: %v", recs[1])
	}

	// Two profiles of one account read it once: the second is skipped, not failed.
	r = runAuditTest(t, false, "--all-profiles", "--endpoint-url", url, "--format", "json")
	var doc struct{ Accounts []map[string]any }
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || r.code != exitOK || len(doc.Accounts) != 3 {
		t.Fatalf("--all-profiles: exit %d, %v\n%s", r.code, err, r.stdout)
	}
	if s := doc.Accounts[2]; s["profile"] != "prod-again" || s["result"] != "skipped" || !strings.Contains(fmt.Sprint(s["skipped"]), "same account as profile prod") {
		t.Errorf("the second profile of one account: %v", doc.Accounts)
	}
}

// On a terminal, stderr counts the accounts read; stdout is the report alone.
func TestAuditOrgProgress(t *testing.T) {
	auditAWSEnv(t)
	url, _ := startOrgIAM(t, "org:demo", localiam.Faults{})
	r := runAuditTest(t, true, "--org", "--endpoint-url", url, "--format", "csv", "--account-concurrency", "1")
	// The line is cleared before the next message.
	if !strings.HasPrefix(r.stderr, "\r\x1b[Kiamcreds audit: accounts read: 1 of 6") ||
		!strings.HasSuffix(r.stderr, "\r\x1b[Kiamcreds audit: 1 of 6 accounts could not be read: the report has a row for each, with the reason\n") {
		t.Errorf("progress %q", r.stderr)
	}
	if strings.Contains(r.stdout, "accounts read:") {
		t.Error("progress on stdout")
	}
}

// --demo --org audits the built-in demo organization.
func TestAuditDemoOrg(t *testing.T) {
	auditAWSEnv(t)
	r := runAuditTest(t, false, "--demo", "--org", "--format", "csv")
	ids, errs := byAccount(t, r.stdout)
	if r.code != exitAccounts || len(ids) != 4 || len(errs) != 1 || len(ids[demoProduction]) == 0 {
		t.Fatalf("exit %d, accounts %v, errors %v", r.code, ids, errs)
	}
}
