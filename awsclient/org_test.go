package awsclient

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"iamcreds/awsclient/localiam"
	"iamcreds/model"
)

// stsLog records the STS Query requests an endpoint receives.
type stsLog struct {
	mu       sync.Mutex
	assumes  []url.Values
	inFlight atomic.Int32
	maxAtMax atomic.Int32 // the most AssumeRole calls in flight at once
}

func (l *stsLog) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		form, _ := url.ParseQuery(string(body))
		if form.Get("Action") == "AssumeRole" {
			l.mu.Lock()
			l.assumes = append(l.assumes, form)
			l.mu.Unlock()
			n := l.inFlight.Add(1)
			defer l.inFlight.Add(-1)
			for m := l.maxAtMax.Load(); n > m && !l.maxAtMax.CompareAndSwap(m, n); m = l.maxAtMax.Load() {
			}
		}
		h.ServeHTTP(w, r)
	})
}

func (l *stsLog) assumed() []url.Values {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.assumes)
}

// newOrgClient serves an organization and returns a client signed with keys
// the endpoint takes for the management account's.
func newOrgClient(t *testing.T, lc localiam.Config, tweak ...func(*Config)) (*Client, *localiam.Server, *stsLog) {
	t.Helper()
	log := &stsLog{}
	srv, url := serveLocalIAM(t, lc, log.wrap)
	return connectTest(t, url, tweak...), srv, log
}

func byID(results []AccountScan) map[string]AccountScan {
	m := map[string]AccountScan{}
	for _, r := range results {
		m[r.Account.ID] = r
	}
	return m
}

func TestOrgAccountsPaginates(t *testing.T) {
	c, srv, _ := newOrgClient(t, localiam.Config{Seed: "org:45x0"})
	accounts, err := c.Org(OrgOptions{}).Accounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := srv.Accounts()
	if len(accounts) != 45 {
		t.Fatalf("%d accounts over the pages of 20, want 45", len(accounts))
	}
	var suspended int
	for i, a := range accounts {
		w := want[i]
		if a.ID != w.ID || a.Name != w.Name || a.Email != w.Email || string(a.Status) != w.Status ||
			!strings.HasPrefix(a.ARN, "arn:aws:organizations::123456789012:account/o-") || !strings.HasSuffix(a.ARN, "/"+a.ID) ||
			(a.JoinedMethod != "CREATED" && a.JoinedMethod != "INVITED") || a.Joined.IsZero() || a.Joined.After(time.Now()) {
			t.Fatalf("account %d: %+v, want %+v", i, a, w)
		}
		if !a.Active() {
			suspended++
		}
	}
	if suspended != 3 { // members 20, 40 and the last, 44
		t.Fatalf("%d suspended accounts", suspended)
	}
}

func TestOrgAccountsRefused(t *testing.T) {
	ctx := context.Background()
	single, _ := newTestClient(t, localiam.Config{Seed: "demo"})
	_, err := single.Org(OrgOptions{}).Accounts(ctx)
	var me *model.Error
	if !errors.As(err, &me) || me.Kind != model.KindNotFound || me.Code != "AWSOrganizationsNotInUseException" || !strings.Contains(me.Message, "not in an organization") {
		t.Fatalf("standalone account: %#v", err)
	}

	// Org seeds are deterministic: the member's key is the same in every server of the seed.
	seeded, err := localiam.New(localiam.Config{Seed: "org:3x1"})
	if err != nil {
		t.Fatal(err)
	}
	member := seeded.Accounts()[1]
	mc, _, _ := newOrgClient(t, localiam.Config{Seed: "org:3x1"}, func(cfg *Config) {
		cfg.StaticCredentials = &aws.Credentials{AccessKeyID: member.AccessKeyID, SecretAccessKey: "x"}
	})
	_, err = mc.Org(OrgOptions{}).Accounts(ctx)
	if !errors.As(err, &me) || me.Kind != model.KindAccessDenied || !strings.Contains(me.Message, "management account") {
		t.Fatalf("member account: %#v", err)
	}
}

func TestOrgScan(t *testing.T) {
	ctx := context.Background()
	c, _, log := newOrgClient(t, localiam.Config{Seed: "org:demo", Faults: localiam.Faults{DenyAssume: []string{"777788889999"}}})
	org := c.Org(OrgOptions{SessionName: "iamcreds-test"})
	accounts, err := org.Accounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var progress []int
	var streamed []string
	results := ScanAccounts(ctx, org.Targets(accounts), ScanOptions{
		Concurrency: 3,
		Progress: func(done, total int) {
			if total != 6 {
				t.Errorf("total %d", total)
			}
			progress = append(progress, done)
		},
		Done: func(r AccountScan) { streamed = append(streamed, r.Account.ID) },
	})
	if len(results) != 6 || !slices.Equal(progress, []int{1, 2, 3, 4, 5, 6}) || len(streamed) != 6 {
		t.Fatalf("%d results, progress %v, streamed %v", len(results), progress, streamed)
	}
	for i, r := range results {
		if r.Account.ID != accounts[i].ID {
			t.Fatalf("result %d is %s, want %s: results keep the targets' order", i, r.Account.ID, accounts[i].ID)
		}
	}
	got := byID(results)

	// The management account is read with the caller's own keys.
	mgmt := got["123456789012"]
	if !mgmt.Read() || mgmt.Client != c || len(mgmt.Inventory.Users) != 20 {
		t.Fatalf("management account: %+v", mgmt.AccountInventory)
	}
	// Members are read through the role, each its own users.
	for _, id := range []string{"111122223333", "444455556666"} {
		r := got[id]
		if !r.Read() || r.Client == nil || r.Client == c || len(r.Inventory.Users) == 0 || len(r.Inventory.Credentials) == 0 {
			t.Fatalf("account %s: %+v", id, r.AccountInventory)
		}
		for _, cr := range r.Inventory.Credentials {
			if !strings.HasSuffix(cr.Login(), "-at-"+id) {
				t.Fatalf("account %s lists %+v", id, cr)
			}
		}
		id2, err := r.Client.Identity(ctx)
		if err != nil || id2.Account != id || id2.ARN != "arn:aws:sts::"+id+":assumed-role/OrganizationAccountAccessRole/iamcreds-test" {
			t.Fatalf("identity in %s: %+v %v", id, id2, err)
		}
	}
	// A missing role and a denied AssumeRole are rows with the reason; a suspended account is skipped.
	for _, id := range []string{"222233334444", "777788889999"} {
		r := got[id]
		var me *model.Error
		if !errors.As(r.Err, &me) || me.Kind != model.KindAccessDenied || me.Op != "AssumeRole" || r.Client != nil ||
			!strings.Contains(me.Message, "account "+r.Account.Name+" ("+id+"): cannot assume arn:aws:iam::"+id+":role/OrganizationAccountAccessRole") ||
			!strings.Contains(me.Message, "may not trust account 123456789012") {
			t.Fatalf("account %s: %#v", id, r.Err)
		}
	}
	if legacy := got["555566667777"]; legacy.Skipped != "account is SUSPENDED" || legacy.Err != nil || legacy.Read() {
		t.Fatalf("suspended account: %+v", legacy.AccountInventory)
	}
	inv := make([]model.AccountInventory, len(results))
	for i, r := range results {
		inv[i] = r.AccountInventory
	}
	if n := model.CountFailed(inv); n != 2 {
		t.Fatalf("%d failed accounts", n)
	}

	// Short sessions named for iamcreds; one AssumeRole per account, reused afterwards.
	assumes := log.assumed()
	for _, f := range assumes {
		if f.Get("DurationSeconds") != "900" || f.Get("RoleSessionName") != "iamcreds-test" {
			t.Fatalf("AssumeRole %v", f)
		}
	}
	if len(assumes) != 4 { // Production, Staging, and the two refused
		t.Fatalf("%d AssumeRole calls", len(assumes))
	}
	again, err := org.Client(ctx, "111122223333")
	if err != nil || again != got["111122223333"].Client {
		t.Fatalf("the account's client is not kept: %v", err)
	}
	if _, err := again.ListUsers(ctx); err != nil || len(log.assumed()) != 4 {
		t.Fatalf("a kept client assumed the role again (%d calls): %v", len(log.assumed()), err)
	}
	// Writes go to the account the client is for.
	users := got["444455556666"].Inventory.Users
	cred, secret, err := again.CreateCredential(ctx, got["111122223333"].Inventory.Users[0].Name, model.CodeCommit, 0)
	if err != nil || secret.Empty() || !strings.HasSuffix(cred.ServiceUserName, "-at-111122223333") {
		t.Fatalf("create in Production: %+v %v", cred, err)
	}
	if _, _, err := again.CreateCredential(ctx, users[0].Name, model.CodeCommit, 0); model.KindOf(err) != model.KindNotFound {
		t.Fatalf("a Staging user found in Production: %v", err)
	}
}

func TestOrgScanBoundsConcurrency(t *testing.T) {
	// Long enough a latency that the workers' first AssumeRole calls overlap even on a busy machine.
	c, _, log := newOrgClient(t, localiam.Config{Seed: "org:12x2", Faults: localiam.Faults{Latency: 40 * time.Millisecond}})
	org := c.Org(OrgOptions{})
	accounts, err := org.Accounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	results := ScanAccounts(context.Background(), org.Targets(accounts), ScanOptions{Concurrency: 3})
	read := 0
	for _, r := range results {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
		if r.Read() {
			read++
		}
	}
	if read != 11 || len(log.assumed()) != 10 { // 12 accounts: the last is suspended, the management account needs no role
		t.Fatalf("%d read, %d AssumeRole", read, len(log.assumed()))
	}
	if m := log.maxAtMax.Load(); m > 3 || m < 2 {
		t.Fatalf("%d AssumeRole calls at once with Concurrency 3", m)
	}
}

func TestOrgScanAccountErrors(t *testing.T) {
	ctx := context.Background()
	// IAM denies ListUsers in every account: each account is a failed row naming it.
	c, _, _ := newOrgClient(t, localiam.Config{Seed: "org:3x2", Faults: localiam.Faults{Deny: []string{"ListUsers"}}})
	org := c.Org(OrgOptions{Role: "NoSuchRole"})
	accounts, err := org.Accounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	results := byID(ScanAccounts(ctx, org.Targets(accounts), ScanOptions{}))
	var me *model.Error
	if r := results["123456789012"]; !errors.As(r.Err, &me) || me.Kind != model.KindAccessDenied ||
		me.Message != "account Management (123456789012): access denied: your policy does not allow iam:ListUsers" {
		t.Fatalf("management: %#v", r.Err)
	}
	if r := results["210000000001"]; !errors.As(r.Err, &me) || !strings.Contains(me.Message, "cannot assume arn:aws:iam::210000000001:role/NoSuchRole") {
		t.Fatalf("member: %#v", r.Err)
	}

	// A canceled scan fails the accounts it did not read.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	for _, r := range ScanAccounts(cctx, org.Targets(accounts[:2]), ScanOptions{}) {
		if model.KindOf(r.Err) != model.KindCanceled {
			t.Fatalf("canceled scan: %+v", r.AccountInventory)
		}
	}
}

func TestProfileScan(t *testing.T) {
	srv, url := serveLocalIAM(t, localiam.Config{Seed: "org:4x3"}, nil)
	accts := srv.Accounts()
	var cfg strings.Builder
	for _, p := range []struct{ name, key string }{
		{"mgmt", accts[0].AccessKeyID}, {"prod", accts[1].AccessKeyID}, {"prod-admin", accts[1].AccessKeyID}, {"staging", accts[2].AccessKeyID},
	} {
		cfg.WriteString("[profile " + p.name + "]\naws_access_key_id = " + p.key + "\naws_secret_access_key = x\nregion = us-east-1\n")
	}
	isolateAWSEnv(t, cfg.String())
	t.Setenv("AWS_ENDPOINT_URL_ORGANIZATIONS", "")

	var progress int
	results := ScanAccounts(context.Background(),
		ProfileTargets(Config{EndpointURL: url, MaxAttempts: 1}, []string{"mgmt", "prod", "prod-admin", "missing", "staging"}),
		ScanOptions{Concurrency: 1, Progress: func(done, total int) { progress = done }})
	if len(results) != 5 || progress != 5 {
		t.Fatalf("%d results, progress %d", len(results), progress)
	}
	for i, want := range []string{accts[0].ID, accts[1].ID, accts[1].ID, "", accts[2].ID} {
		r := results[i]
		if r.Account.ID != want || r.Account.Profile == "" {
			t.Fatalf("result %d: %+v", i, r.Account)
		}
	}
	if !results[0].Read() || !results[1].Read() || !results[4].Read() || len(results[1].Inventory.Users) != 3 {
		t.Fatalf("profiles not read: %+v", results)
	}
	if results[2].Skipped != "same account as profile prod ("+accts[1].ID+")" || results[2].Err != nil {
		t.Fatalf("second profile of one account: %+v", results[2].AccountInventory)
	}
	var me *model.Error
	if !errors.As(results[3].Err, &me) || me.Kind != model.KindAuth || !strings.HasPrefix(me.Message, `account profile missing: profile "missing" not found`) {
		t.Fatalf("missing profile: %#v", results[3].Err)
	}
	if users := results[4].Inventory.Users; users[0].ARN[13:25] != accts[2].ID {
		t.Fatalf("staging users %+v", users)
	}
}

// The local endpoint serves IAM, STS and Organizations; an IAM-only override
// reaches all three, unless another is set for one of them.
func TestOrgEndpointFromIAMOverride(t *testing.T) {
	_, url := serveLocalIAM(t, localiam.Config{Seed: "org:2x1"}, nil)
	isolateAWSEnv(t, "")
	t.Setenv("AWS_ENDPOINT_URL_ORGANIZATIONS", "")
	t.Setenv("AWS_ENDPOINT_URL_IAM", url)
	c, err := New(context.Background(), Config{StaticCredentials: testCreds, MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	accounts, err := c.Org(OrgOptions{}).Accounts(context.Background())
	if err != nil || len(accounts) != 2 {
		t.Fatalf("%d accounts: %v", len(accounts), err)
	}
}

func TestOrgClientsKeepReadOnly(t *testing.T) {
	ctx := context.Background()
	c, _, _ := newOrgClient(t, localiam.Config{Seed: "org:2x1"}, func(cfg *Config) { cfg.ReadOnly = true })
	member, err := c.Org(OrgOptions{}).Open(ctx, model.Account{ID: "210000000001", Name: "Production"})
	if err != nil {
		t.Fatal(err)
	}
	users, err := member.ListUsers(ctx)
	if err != nil || len(users) != 1 {
		t.Fatalf("users %v: %v", users, err)
	}
	if _, _, err := member.CreateCredential(ctx, users[0].Name, model.CodeCommit, 0); model.KindOf(err) != model.KindReadOnly || !member.ReadOnly() {
		t.Fatalf("a write through an account client in read-only mode: %v", err)
	}
}

// Two profiles of one account, the second opened first: the results still give
// the account to the first profile in order.
func TestFirstReadsKeepTargetOrder(t *testing.T) {
	a := model.Account{ID: "111122223333", Profile: "prod"}
	b := model.Account{ID: "111122223333", Profile: "prod-again"}
	inv := model.Inventory{Users: []model.User{{Name: "alice"}}}
	client := &Client{}
	results := []AccountScan{
		{AccountInventory: model.AccountInventory{Account: a, Skipped: "same account as " + b.Label()}},
		{AccountInventory: model.AccountInventory{Account: b, Inventory: inv}, Client: client},
		{AccountInventory: model.AccountInventory{Account: model.Account{Profile: "broken"}, Err: errors.New("no credentials")}},
	}
	firstReads(results)
	first, second := results[0], results[1]
	if !first.Read() || first.Account.Profile != "prod" || first.Client != client || len(first.Inventory.Users) != 1 {
		t.Fatalf("first profile: %+v", first)
	}
	if second.Read() || second.Account.Profile != "prod-again" || second.Client != nil || second.Skipped != "same account as profile prod (111122223333)" {
		t.Fatalf("second profile: %+v", second)
	}
	if results[2].Err == nil {
		t.Fatal("a failed profile stays failed")
	}
}
