package ui

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/charmbracelet/x/exp/teatest"

	"iamcreds/awsclient"
	"iamcreds/awsclient/localiam"
	"iamcreds/model"
	"iamcreds/ui/uitest"
)

// The demo organization's accounts (localiam's org:demo).
const (
	orgMgmt       = "123456789012"
	orgProduction = "111122223333"
	orgStaging    = "444455556666"
	orgData       = "777788889999"
	orgSandbox    = "222233334444"
)

// orgAccounts is Accounts over an organization, as iamcreds --org reads it:
// ListAccounts, then the role in each account, two at a time.
type orgAccounts struct{ org *awsclient.Org }

func (o orgAccounts) Scan(ctx context.Context, found func(AccountsFound), done func(AccountResult)) error {
	accounts, err := o.org.Accounts(ctx)
	if err != nil {
		return err
	}
	caller, err := o.org.Caller(ctx)
	if err != nil {
		return err
	}
	found(AccountsFound{Organization: model.OrganizationFromARN(accounts[0].ARN), Caller: caller.Account, Total: len(accounts)})
	awsclient.ScanAccounts(ctx, o.org.Targets(accounts), awsclient.ScanOptions{Concurrency: 2, Done: func(r awsclient.AccountScan) {
		res := AccountResult{AccountInventory: r.AccountInventory}
		if r.Client != nil {
			res.Client = r.Client
		}
		done(res)
	}})
	return nil
}

// orgRun is the UI on the organization view of a local organization.
type orgRun struct {
	*driver
	e    *uitest.Endpoint
	keys map[string]string // account ID → the access key that signs as it
}

type orgSetup struct {
	w, h     int
	faults   localiam.Faults
	readOnly bool
	// before runs once the endpoint serves, before the UI reads it.
	before func(r *orgRun)
	// wrap, when set, wraps the endpoint's handler.
	wrap func(http.Handler) http.Handler
}

func startOrg(t *testing.T, s orgSetup) *orgRun {
	t.Helper()
	if s.w == 0 {
		s.w, s.h = 120, 36
	}
	e, err := uitest.NewEndpoint(uitest.EndpointConfig{Seed: "org:demo", Now: clock, Faults: s.faults, ReadOnly: s.readOnly, Wrap: s.wrap})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	r := &orgRun{e: e, keys: map[string]string{}}
	for _, a := range e.Server.Accounts() {
		r.keys[a.ID] = a.AccessKeyID
	}
	if s.before != nil {
		r.driver = &driver{t: t}
		s.before(r)
	}
	o := testOptions(&endpoint{client: e.Client}, &memClipboard{})
	o.Client, o.ReadOnly, o.Demo = nil, s.readOnly, true
	// A fixed session name: the role session's ARN shows in the header.
	o.Accounts = orgAccounts{org: e.Client.Org(awsclient.OrgOptions{SessionName: "iamcreds-test"})}
	r.driver = newDriver(t, New(o), s.w, s.h)
	r.settle()
	return r
}

// as is a client signed with an account's own key: what the account holds,
// whoever the UI went through.
func (r *orgRun) as(account string) *awsclient.Client {
	r.t.Helper()
	c, err := awsclient.New(context.Background(), awsclient.Config{EndpointURL: r.e.URL, Region: "us-east-1",
		StaticCredentials: &aws.Credentials{AccessKeyID: r.keys[account], SecretAccessKey: "x"}})
	if err != nil {
		r.t.Fatal(err)
	}
	return c
}

// creds are an account's credentials of user, read with the account's own key.
func (r *orgRun) creds(account, user string) []model.Credential {
	r.t.Helper()
	cs, err := r.as(account).ListCredentials(context.Background(), user)
	if err != nil {
		r.t.Fatal(err)
	}
	return cs
}

// post sends an IAM Query call signed (in name) as account.
func (r *orgRun) post(account string, form url.Values) {
	r.t.Helper()
	form.Set("Version", "2010-05-08")
	req, _ := http.NewRequest(http.MethodPost, r.e.URL, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+r.keys[account]+"/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=x")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		r.t.Fatalf("%s in %s: %d %s", form.Get("Action"), account, resp.StatusCode, body)
	}
}

// toRow moves the cursor to the row of user in account.
func (r *orgRun) toRow(account, user string) model.AuditRow {
	r.t.Helper()
	r.keys_("g")
	for range len(r.m.orgView.visible) {
		if row, ok := r.m.orgView.row(); ok && row.AccountID() == account && row.UserName == user {
			return row
		}
		r.keys_("j")
	}
	r.t.Fatalf("no row of %s in %s:\n%s", user, account, screenText(r.m))
	return model.AuditRow{}
}

// keys_ types keys (the field keys holds the accounts' access keys).
func (r *orgRun) keys_(names ...string) { r.driver.keys(names...) }

func TestOrgViewReadsEveryAccount(t *testing.T) {
	t.Parallel()
	r := startOrg(t, orgSetup{})
	var want []string
	for _, id := range []string{orgMgmt, orgProduction, orgStaging, orgData} {
		inv, err := r.as(id).Inventory(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range inv.Credentials {
			want = append(want, id+"/"+c.ID)
		}
	}
	var got []string
	for _, row := range r.m.orgView.all {
		got = append(got, row.AccountID()+"/"+row.ID)
	}
	slices.Sort(want)
	slices.Sort(got)
	if len(want) < 20 || !slices.Equal(got, want) {
		t.Fatalf("rows %v\nthe accounts hold %v", got, want)
	}
	mustContain(t, r.m, "organization o-", "caller 123456789012", "Organization", "36 of 36 credentials", "4 of 6 accounts read",
		"✗ Sandbox (222233334444): cannot assume", "Skipped: Legacy (555566667777): SUSPENDED",
		"Read 4 of 6 accounts; 1 could not be read")
	if r.m.active != screenOrg || r.m.orgView.sortKey != model.SortAccount || r.m.orgView.all[0].Account.Name != "Data platform" {
		t.Fatalf("screen %v, sort %v, first %+v", r.m.active, r.m.orgView.sortKey, r.m.orgView.all[0].Account)
	}
}

// twins gives Production and Staging a user of one name, twin, with a Git
// credential each.
func twins(r *orgRun) {
	for _, id := range []string{orgProduction, orgStaging} {
		r.post(id, url.Values{"Action": {"CreateUser"}, "UserName": {"twin"}})
		r.post(id, url.Values{"Action": {"CreateServiceSpecificCredential"}, "UserName": {"twin"}, "ServiceName": {"codecommit.amazonaws.com"}})
	}
}

// A user of the same name in two accounts: t on Staging's row changes Staging's
// credential, through Staging's role, and Production's stays Active.
func TestOrgToggleGoesToTheRowsAccount(t *testing.T) {
	t.Parallel()
	r := startOrg(t, orgSetup{before: twins})
	row := r.toRow(orgStaging, "twin")
	r.keys_("t")
	if c := r.creds(orgStaging, "twin"); len(c) != 1 || c[0].ID != row.ID || c[0].Status != model.Inactive {
		t.Fatalf("Staging's twin: %+v", c)
	}
	if c := r.creds(orgProduction, "twin"); len(c) != 1 || c[0].Status != model.Active {
		t.Fatalf("Production's twin changed: %+v", c)
	}
	mustContain(t, r.m, "twin's Git credential", "in Staging (444455556666) is now Inactive")
	if got, _ := r.m.orgView.row(); got.ID != row.ID || got.Status != model.Inactive {
		t.Fatalf("the row after the toggle: %+v", got)
	}
	// d: the confirmation names the account; typing the proof deletes in Staging only.
	r.keys_("d")
	mustContain(t, r.m, "Account: Staging (444455556666)")
	r.keys_(strings.Split(row.ID[len(row.ID)-4:], "")...)
	r.keys_("enter")
	if c := r.creds(orgStaging, "twin"); len(c) != 0 {
		t.Fatalf("Staging's twin after delete: %+v", c)
	}
	if c := r.creds(orgProduction, "twin"); len(c) != 1 {
		t.Fatalf("Production's twin after delete: %+v", c)
	}
}

// A bulk deactivate of rows in two accounts reaches each through its own role.
func TestOrgBulkAcrossAccounts(t *testing.T) {
	t.Parallel()
	r := startOrg(t, orgSetup{})
	prod := r.toRow(orgProduction, "deploy.bot")
	r.keys_("space")
	data := r.toRow(orgData, "etl.svc")
	r.keys_("space", "I")
	mustContain(t, r.m, "In 2 accounts: ", "Production (111122223333)", "Data platform (777788889999)")
	r.keys_("tab", "enter")
	for _, x := range []struct{ account, user, id string }{{orgProduction, "deploy.bot", prod.ID}, {orgData, "etl.svc", data.ID}} {
		cs := r.creds(x.account, x.user)
		if i := slices.IndexFunc(cs, func(c model.Credential) bool { return c.ID == x.id }); i < 0 || cs[i].Status != model.Inactive {
			t.Errorf("%s in %s: %+v", x.user, x.account, cs)
		}
	}
	mustContain(t, r.m, "Deactivate: 2 succeeded, 0 failed", "in Production (111122223333)", "in Data platform (777788889999)")
}

// enter opens the row's user in its account: the header names the account, the
// main view lists its users, and a credential created there is the account's.
// O goes back, and the organization view shows the new credential.
func TestOrgEnterOpensTheAccount(t *testing.T) {
	t.Parallel()
	r := startOrg(t, orgSetup{})
	row := r.toRow(orgProduction, "maria")
	r.keys_("enter")
	if r.m.active != screenMain || r.m.acct.info.ID != orgProduction {
		t.Fatalf("screen %v, account %+v", r.m.active, r.m.acct.info)
	}
	// The account opened is the organization view's, its one cache: nothing copied.
	if r.m.acct != r.m.org.byKey[orgProduction] {
		t.Fatal("the open account is not the organization view's Production")
	}
	mustContain(t, r.m, "account Production (111122223333)", "organization o-", "(O)", "Users 8", "O organization view")
	if c, ok := selectedCred(r.m); !ok || c.ID != row.ID {
		t.Fatalf("selected %+v, want maria's %s", c, row.ID)
	}
	if r.m.identity.Account != orgProduction || !strings.Contains(r.m.identity.ARN, ":assumed-role/OrganizationAccountAccessRole/iamcreds-test") {
		t.Fatalf("identity %+v", r.m.identity)
	}
	before := len(r.creds(orgProduction, "maria"))
	r.keys_("n", "enter", "enter") // maria: a second Bedrock key, 30 days
	// The secret modal names the account, which is not the caller's.
	if d, ok := r.m.dialogs.top().(accountWindowDialog); !ok || d.window.(*secretModal).secret.Empty() {
		t.Fatalf("no secret modal naming the account:\n%s", screenText(r.m))
	}
	mustContain(t, r.m, "Account: Production (111122223333)")
	if got := r.creds(orgProduction, "maria"); len(got) != before+1 {
		t.Fatalf("maria in Production: %d credentials, want %d", len(got), before+1)
	}
	if _, err := r.as(orgMgmt).ListCredentials(context.Background(), "maria"); model.KindOf(err) != model.KindNotFound {
		t.Fatalf("the management account has a maria: %v", err)
	}
	r.keys_("esc", "y") // close without saving: yes
	r.keys_("O")
	if r.m.active != screenOrg || r.m.acct != r.m.org.none {
		t.Fatalf("O: screen %v", r.m.active)
	}
	mustContain(t, r.m, "37 of 37 credentials")
	// With no account open, the root's client reaches none.
	if _, err := r.m.acct.client.ListUsers(context.Background()); err == nil {
		t.Fatal("the organization view's client reached an account")
	}
}

func TestOrgReadOnly(t *testing.T) {
	t.Parallel()
	r := startOrg(t, orgSetup{readOnly: true})
	row := r.toRow(orgProduction, "deploy.bot")
	r.keys_("t", "I", "X")
	mustContain(t, r.m, "Read-only mode")
	cs := r.creds(orgProduction, "deploy.bot")
	if len(cs) != 1 || cs[0].ID != row.ID || cs[0].Status != model.Active || !r.m.dialogs.empty() {
		t.Fatalf("read-only changed %+v", cs)
	}
	// In an opened account too.
	r.keys_("enter", "t")
	if cs := r.creds(orgProduction, "deploy.bot"); cs[0].Status != model.Active {
		t.Fatal("read-only toggled in the opened account")
	}
}

// c cycles the account filter, s reaches the account sort, esc clears.
func TestOrgAccountFilterAndSort(t *testing.T) {
	t.Parallel()
	r := startOrg(t, orgSetup{})
	r.keys_("c")
	mustContain(t, r.m, "3 of 36 credentials · 4 of 6 accounts read · 1 flagged · account Data platform · sort account")
	r.keys_("c")
	mustContain(t, r.m, "account Management · sort")
	for _, row := range r.m.orgView.visible {
		if row.AccountID() != orgMgmt {
			t.Fatalf("a row of %s under the Management filter", row.AccountID())
		}
	}
	r.keys_("esc")
	mustContain(t, r.m, "36 of 36 credentials")
	r.keys_("s") // account → age
	if r.m.orgView.sortKey != model.SortAge {
		t.Fatalf("sort %v", r.m.orgView.sortKey)
	}
	r.keys_("/")
	r.keys_(strings.Split("staging", "")...)
	r.keys_("enter")
	mustContain(t, r.m, "3 of 36 credentials")
}

// ctrl+r reads every account again: a credential made elsewhere since shows.
func TestOrgRefresh(t *testing.T) {
	t.Parallel()
	r := startOrg(t, orgSetup{})
	r.post(orgStaging, url.Values{"Action": {"CreateServiceSpecificCredential"}, "UserName": {"ivan"}, "ServiceName": {"codecommit.amazonaws.com"}})
	mustContain(t, r.m, "36 of 36 credentials")
	r.keys_("ctrl+r")
	mustContain(t, r.m, "37 of 37 credentials", "4 of 6 accounts read")
}

func TestGoldenOrgView(t *testing.T) {
	t.Parallel()
	r := startOrg(t, orgSetup{})
	teatest.RequireEqualOutput(t, []byte(r.m.View()))
}

func TestGoldenOrgViewNarrow80(t *testing.T) {
	t.Parallel()
	r := startOrg(t, orgSetup{w: 80, h: 24})
	teatest.RequireEqualOutput(t, []byte(r.m.View()))
}

func TestGoldenOrgAccountOpened(t *testing.T) {
	t.Parallel()
	r := startOrg(t, orgSetup{})
	r.toRow(orgProduction, "deploy.bot")
	r.keys_("enter")
	teatest.RequireEqualOutput(t, []byte(r.m.View()))
}

// r on a row resets in the row's account; the new secret's modal names it on
// the window's first line.
func TestOrgResetNamesTheAccount(t *testing.T) {
	t.Parallel()
	r := startOrg(t, orgSetup{})
	row := r.toRow(orgStaging, "qa.lead")
	r.keys_("r")
	mustContain(t, r.m, "Account: Staging (444455556666)", "Reset this")
	r.keys_("tab", "enter")
	first, _, _ := strings.Cut(screenText(r.m), "\n")
	if !strings.Contains(first, "Account: Staging (444455556666)") {
		t.Fatalf("the secret's first line %q", first)
	}
	if _, ok := r.m.dialogs.top().(accountWindowDialog); !ok {
		t.Fatalf("the secret modal is not named:\n%s", screenText(r.m))
	}
	if cs := r.creds(orgStaging, "qa.lead"); len(cs) != 1 || cs[0].ID != row.ID {
		t.Fatalf("qa.lead in Staging: %+v", cs) // a reset keeps the credential's ID
	}
	r.keys_("esc", "y") // the secret modal's line is its own; the view's says what was done
	mustContain(t, r.m, "Reset qa.lead's Git credential …")
}

// R rotates a row's credential in its account: the new credential is made in
// Staging, never in Production, whose user has the same name.
func TestOrgRotateInTheRowsAccount(t *testing.T) {
	t.Parallel()
	r := startOrg(t, orgSetup{before: twins})
	r.toRow(orgStaging, "twin")
	r.keys_("R")
	mustContain(t, r.m, "Account: Staging (444455556666)")
	r.keys_("enter") // step 2: create the new one beside it
	if cs := r.creds(orgStaging, "twin"); len(cs) != 2 {
		t.Fatalf("Staging's twin: %+v", cs)
	}
	if cs := r.creds(orgProduction, "twin"); len(cs) != 1 {
		t.Fatalf("Production's twin: %+v", cs)
	}
	first, _, _ := strings.Cut(screenText(r.m), "\n")
	if !strings.Contains(first, "Account: Staging (444455556666)") {
		t.Fatalf("the new secret's modal does not name the account: %q", first)
	}
}
