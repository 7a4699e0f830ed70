package localiam

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// Organization seeds, Config.Seed "org:…":
//
//	org:demo             the demo account as management account, plus four members:
//	                     three readable, one without the member role (an invited
//	                     account nobody set up), one SUSPENDED
//	org:ACCOUNTSxUSERS   ACCOUNTS accounts in all (the management account is the
//	                     first), each with USERS users made like scale:USERS;
//	                     e.g. org:20x500
//
// In org:ACCOUNTSxUSERS the member accounts are 210000000001, 210000000002, …;
// member k is SUSPENDED when k is a multiple of 20, and so is the last member
// when there are three accounts or more, so that filtering on ACTIVE matters.
// Every member has the member role (Config.MemberRole); the management account
// has none, as on AWS. Everything depends only on the seed and the clock.
const (
	maxOrgAccounts = 1000
	firstMemberID  = 210000000000
)

// orgAccountSpec is one account of an organization seed before it is built.
type orgAccountSpec struct {
	id, name, joinedMethod, status string
	joinedDaysAgo                  int
	noRole                         bool // an invited account whose member role was never created
	users                          func(now time.Time) *fileState
	origin                         string // seeds the IDs; default: the seed and the account
}

// buildOrganization builds the accounts of "org:"+spec.
func (s *Server) buildOrganization(spec string, cfg Config, now time.Time) (*organization, error) {
	mgmt := cfg.AccountID
	if mgmt == "" {
		mgmt = defaultAccountID
	}
	var specs []orgAccountSpec
	if spec == "demo" {
		specs = demoOrgSpecs(mgmt)
	} else {
		var err error
		if specs, err = scaleOrgSpecs(spec, mgmt); err != nil {
			return nil, err
		}
	}
	org := &organization{
		id:    derivedOrgID(mgmt),
		byID:  map[string]*account{},
		byKey: map[string]*account{},
	}
	rng := rand.New(rand.NewPCG(uint64(len(specs)), 1128)) // the times of day of joining
	for i, sp := range specs {
		if org.byID[sp.id] != nil {
			return nil, fmt.Errorf("account %s appears twice", sp.id)
		}
		origin := sp.origin
		if origin == "" {
			origin = "seed org:" + spec + " account " + sp.id
		}
		st, err := buildState(sp.users(now), sp.id, now, seededReader(origin))
		if err != nil {
			return nil, fmt.Errorf("account %s: %w", sp.id, err)
		}
		a := &account{
			id: sp.id, srv: s, st: st,
			name: sp.name, email: accountEmail(sp.name), status: sp.status, joinedMethod: sp.joinedMethod,
			joined:    now.Add(-time.Duration(sp.joinedDaysAgo)*24*time.Hour - time.Duration(rng.IntN(86400))*time.Second),
			accessKey: accountAccessKey(sp.id),
		}
		if i > 0 && !sp.noRole {
			a.addRole(cfg.MemberRole)
		}
		org.accounts = append(org.accounts, a)
		org.byID[a.id] = a
		org.byKey[a.accessKey] = a
	}
	return org, nil
}

// scaleOrgSpecs parses "ACCOUNTSxUSERS".
func scaleOrgSpecs(spec, mgmt string) ([]orgAccountSpec, error) {
	as, us, ok := strings.Cut(spec, "x")
	accounts, aerr := strconv.Atoi(as)
	users, uerr := strconv.Atoi(us)
	if !ok || aerr != nil || uerr != nil || accounts < 1 || accounts > maxOrgAccounts || users < 0 || accounts*users > maxScaleUsers {
		return nil, fmt.Errorf("want org:demo or org:ACCOUNTSxUSERS with 1 to %d accounts and at most %d users in all", maxOrgAccounts, maxScaleUsers)
	}
	specs := make([]orgAccountSpec, 0, accounts)
	specs = append(specs, orgAccountSpec{
		id: mgmt, name: "Management", joinedMethod: "INVITED", status: accountActive, joinedDaysAgo: 1500,
		users: func(now time.Time) *fileState { return scaleUsersState(users, 4600, now) },
	})
	next := uint64(firstMemberID)
	for k := 1; k < accounts; k++ {
		next++
		if strconv.FormatUint(next, 10) == mgmt {
			next++
		}
		sp := orgAccountSpec{
			id: strconv.FormatUint(next, 10), name: memberName(k), joinedMethod: "CREATED", status: accountActive,
			joinedDaysAgo: 1400 - k*1300/accounts,
			users:         func(now time.Time) *fileState { return scaleUsersState(users, 4600+uint64(k), now) },
		}
		if k%7 == 3 {
			sp.joinedMethod = "INVITED"
		}
		if k%20 == 0 || (k == accounts-1 && accounts >= 3) {
			sp.status = accountSuspended
		}
		specs = append(specs, sp)
	}
	return specs, nil
}

var memberNames = []string{"Production", "Staging", "Development", "Security tooling", "Log archive",
	"Shared services", "Data platform", "Networking", "Sandbox", "Analytics"}

func memberName(k int) string {
	if k <= len(memberNames) {
		return memberNames[k-1]
	}
	return fmt.Sprintf("Workload %03d", k)
}

// accountEmail is the root email Organizations lists: one mailbox with a tag per account.
func accountEmail(name string) string {
	return "aws+" + strings.ReplaceAll(strings.ToLower(name), " ", "-") + "@example.com"
}

// derivedOrgID is an "o-" ID of 10 lower-case base32 characters.
func derivedOrgID(mgmt string) string {
	return "o-" + strings.ToLower(derivedID("", 10, "organization", mgmt))
}

// The demo organization: the demo account manages it.
var (
	demoProduction = []demoUser{
		{"deploy.bot", "/automation/", 900, []demoCred{{service: codecommit, ageDays: 410}}},
		{"maria", "/", 700, []demoCred{{service: bedrock, ageDays: 200}}}, // never expires
		{"tom", "/engineering/", 650, []demoCred{{service: keyspaces, inactive: true, ageDays: 380}}},
		{"ci-runner@prod", "/automation/", 500, []demoCred{
			{service: codecommit, inactive: true, ageDays: 300},
			{service: codecommit, ageDays: 12},
		}},
		{"analytics", "/data/", 400, []demoCred{{service: logs, ageDays: 88, expDays: 90}}}, // expires in 2 days
		{"yusuf", "/", 60, nil},
	}
	// demoProductionExtra: console-made Claude Platform users, one whose key
	// expired (orphaned), one in use.
	demoProductionExtra = []extraUser{
		{demoUser{"AeaApiKey-p5vj", "/", 120, []demoCred{{service: anthropic, ageDays: 120, expDays: 30}}},
			holdings{policies: []string{"AnthropicLimitedAccess"}}},
		{demoUser{"AeaApiKey-h4rw", "/", 15, []demoCred{{service: anthropic, ageDays: 15, expDays: 90}}},
			holdings{policies: []string{"AnthropicLimitedAccess"}}},
	}
	demoStaging = []demoUser{
		{"qa.lead", "/engineering/", 420, []demoCred{{service: codecommit, ageDays: 20}}},
		{"staging-bot", "/automation/", 300, []demoCred{{service: bedrock, ageDays: 50, expDays: 30}}}, // expired
		{"ivan", "/", 100, []demoCred{{service: keyspaces, ageDays: 45}}},
	}
	demoData = []demoUser{
		{"etl.svc", "/automation/", 800, []demoCred{{service: keyspaces, ageDays: 500}}},
		{"dana", "/data/", 600, []demoCred{{service: bedrock, ageDays: 40, expDays: 365}}},
		{"lee", "/data/", 250, []demoCred{{service: codecommit, inactive: true, ageDays: 200}}},
	}
	demoSandbox = []demoUser{
		{"intern", "/", 30, []demoCred{{service: codecommit, ageDays: 29}}},
	}
	demoLegacy = []demoUser{
		{"old.build", "/automation/", 2000, []demoCred{{service: codecommit, ageDays: 1500}}},
	}
)

func demoOrgSpecs(mgmt string) []orgAccountSpec {
	users := func(list []demoUser, seed uint64) func(time.Time) *fileState {
		return func(now time.Time) *fileState { return demoUsersState(list, seed, now) }
	}
	return []orgAccountSpec{
		// The demo account itself, IDs and all.
		{id: mgmt, name: "Management", joinedMethod: "INVITED", status: accountActive, joinedDaysAgo: 1200, users: demoState, origin: "seed demo"},
		{id: "111122223333", name: "Production", joinedMethod: "CREATED", status: accountActive, joinedDaysAgo: 1100, users: func(now time.Time) *fileState {
			return withExtraUsers(demoUsersState(demoProduction, 1, now), demoProductionExtra, nil, 11, now)
		}},
		{id: "444455556666", name: "Staging", joinedMethod: "CREATED", status: accountActive, joinedDaysAgo: 1000, users: users(demoStaging, 2)},
		{id: "777788889999", name: "Data platform", joinedMethod: "CREATED", status: accountActive, joinedDaysAgo: 700, users: users(demoData, 3)},
		{id: "222233334444", name: "Sandbox", joinedMethod: "INVITED", status: accountActive, joinedDaysAgo: 200, noRole: true, users: users(demoSandbox, 4)},
		{id: "555566667777", name: "Legacy", joinedMethod: "CREATED", status: accountSuspended, joinedDaysAgo: 1150, users: users(demoLegacy, 5)},
	}
}
