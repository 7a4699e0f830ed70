package localiam

import (
	"strings"
	"time"
)

// Users the console's API-key flow leaves in an account: one user per key,
// named by the service's ConsoleUser prefix and four random characters, with
// the service's managed policy attached (contract §4.3, third-party evidence).
// When the key expires or is deleted the user stays ("orphaned"); an access
// key, a console password or a broader policy added later makes it a way in
// far beyond the key ("at risk"). The seeds hold some of each.

const (
	xray      = "xray.amazonaws.com"
	anthropic = "aws-external-anthropic.amazonaws.com"
)

// holdings is what a demo user holds besides service-specific credentials.
type holdings struct {
	keys     []demoKey // access keys
	loginAge int       // days since the console password was set; 0: none
	policies []string  // AWS managed policies, by name
	groups   []string
}

type demoKey struct {
	inactive bool
	ageDays  int
}

// extraUser is a demo user with holdings.
type extraUser struct {
	demoUser
	holdings
}

// demoExtraUsers are added to the demo account after demoUsers, so that the
// IDs and times of those stay as they were: console-made users (one healthy,
// orphaned ones, one at risk) and a user with X-Ray keys. Their names sort
// after amara, so the demo still opens on her; the Claude Platform ones
// (AeaApiKey-…, which would sort first) are in the organization's Production.
var demoExtraUsers = []extraUser{
	{demoUser{"BedrockAPIKey-4f7q", "/", 20, []demoCred{{service: bedrock, ageDays: 20, expDays: 30}}},
		holdings{policies: []string{"AmazonBedrockLimitedAccess"}}},
	{demoUser{"BedrockAPIKey-9mzc", "/", 140, []demoCred{{service: bedrock, ageDays: 140, expDays: 30}}}, // expired 110 days ago
		holdings{policies: []string{"AmazonBedrockLimitedAccess"}}},
	{demoUser{"BedrockAPIKey-k2wd", "/", 230, nil}, // its key was deleted
		holdings{policies: []string{"AmazonBedrockLimitedAccess"}, groups: []string{"api-key-users"}}},
	{demoUser{"BedrockAPIKey-r8tn", "/", 45, []demoCred{{service: bedrock, ageDays: 45, expDays: 90}}}, // at risk
		holdings{policies: []string{"AmazonBedrockLimitedAccess", "AdministratorAccess"}, keys: []demoKey{{ageDays: 12}}}},
	{demoUser{"tracing.bot", "/automation/", 150, []demoCred{
		{service: xray, inactive: true, ageDays: 140, expDays: 365},
		{service: xray, ageDays: 8, expDays: 90},
	}}, holdings{policies: []string{"AWSXRayAPIKeyAccess"}}},
}

// demoGroups are the demo account's groups.
var demoGroups = []fileGroup{{Name: "api-key-users", Created: "-400d"}, {Name: "developers", Path: "/engineering/", Created: "-1000d"}}

// withExtraUsers appends users with holdings to fs, with times drawn from
// their own generator (seed), so that fs's own stay as they were.
func withExtraUsers(fs *fileState, users []extraUser, groups []fileGroup, seed uint64, now time.Time) *fileState {
	plain := make([]demoUser, len(users))
	for i, u := range users {
		plain[i] = u.demoUser
	}
	extra := demoUsersState(plain, seed, now)
	day := 24 * time.Hour
	for i, u := range users {
		fu := &extra.Users[i]
		for _, k := range u.keys {
			fk := fileAccessKey{Created: stamp(now.Add(-time.Duration(k.ageDays) * day))}
			if k.inactive {
				fk.Status = statusInactive
			}
			fu.AccessKeys = append(fu.AccessKeys, fk)
		}
		if u.loginAge > 0 {
			fu.LoginProfile = &fileLoginProfile{Created: stamp(now.Add(-time.Duration(u.loginAge) * day))}
		}
		fu.Attached, fu.Groups = u.policies, u.groups
	}
	fs.Users = append(fs.Users, extra.Users...)
	fs.Groups = append(fs.Groups, groups...)
	return fs
}

// consoleEvery is how often a scale seed's user is console-made: user i when
// i%consoleEvery == consoleAt, 1% of them, so that scale:N below 43 is as it was.
const (
	consoleEvery = 100
	consoleAt    = 42
	xrayAt       = 77 // and user i when i%consoleEvery == xrayAt gains an X-Ray key
)

// consoleUser turns the scale seed's user i into one the console made, in
// turn healthy, orphaned by expiry, orphaned by deletion, healthy (Claude
// Platform) and at risk. It draws nothing from the seed's generator.
func consoleUser(fu *fileUser, i int, now time.Time) {
	n := i / consoleEvery
	svc := bedrock
	if n%5 >= 3 {
		svc = anthropic
	}
	s, _ := lookupService(svc)
	fu.Name, fu.Path = s.ConsoleUser+consoleSuffix(n), "/"
	fu.Attached = []string{s.Policy}
	created, _ := parseWhen(fu.Created, now)
	fc := fileCred{Service: svc, Created: fu.Created}
	fu.Credentials = []fileCred{fc}
	switch n % 5 {
	case 1: // orphaned: the key expired a month after it was made, long ago or soon
		fu.Credentials[0].Expires = stamp(created.Add(30 * 24 * time.Hour))
	case 2: // orphaned: the key was deleted
		fu.Credentials = nil
	case 4: // at risk: an access key beside the API key
		fu.AccessKeys = []fileAccessKey{{Created: fu.Created}}
	}
}

// consoleSuffix is four lower-case characters, different for each n below
// 36^4 (7919 is prime to 36^4, so n → 7919n+1234 mod 36^4 is one-to-one).
func consoleSuffix(n int) string {
	const alphabet, size = "0123456789abcdefghijklmnopqrstuvwxyz", 36 * 36 * 36 * 36
	x := (n*7919 + 1234) % size
	var b strings.Builder
	for range 4 {
		b.WriteByte(alphabet[x%36])
		x /= 36
	}
	return b.String()
}
