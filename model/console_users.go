package model

import (
	"sort"
	"strings"
	"time"
)

// Users the console made. The console's API-key flow creates one IAM user per
// key, named by the service's prefix and four random characters, with the
// service's managed policy attached. Nothing removes the user when the key
// expires or is deleted.
//
// The rule chosen: a user is console-made when its name begins with a
// service's console prefix (BedrockAPIKey-, AeaApiKey-). The other rule the
// issue offers — "holds only one service's API keys and its managed policy" —
// was not chosen: it needs the policies of every user holding an API key
// before it can select anyone (the extra calls would grow with the fleet, not
// with the console's users), and it cannot see the users that matter most —
// an orphan holds no key, and an at-risk user holds more than one policy. The
// prefix selects from ListUsers alone, so only the selected users cost calls.
// A person can name a user BedrockAPIKey-x by hand: it is then judged like the
// console's, which is what a reader of the name would expect.

// ConsoleService is what the console's API-key flow does for one service.
type ConsoleService struct {
	Service    string // IAM service name
	UserPrefix string // the user name prefix, e.g. "BedrockAPIKey-"
	Policy     string // the AWS managed policy it attaches, by name
}

// consoleServices are the catalog's services whose console makes a user per
// key (Service.ConsoleUserPrefix), with their managed policy.
var consoleServices = func() []ConsoleService {
	var out []ConsoleService
	for _, s := range catalog {
		if s.ConsoleUserPrefix != "" {
			out = append(out, ConsoleService{Service: s.Name, UserPrefix: s.ConsoleUserPrefix, Policy: s.ManagedPolicy})
		}
	}
	return out
}()

// ConsoleServices returns the services whose console makes a user per key.
func ConsoleServices() []ConsoleService { return append([]ConsoleService(nil), consoleServices...) }

// ConsoleMade reports whether user name is one the console's API-key flow
// makes, and for which service: its name begins with the service's prefix and
// has something after it.
func ConsoleMade(name string) (ConsoleService, bool) {
	for _, s := range consoleServices {
		if len(name) > len(s.UserPrefix) && strings.HasPrefix(name, s.UserPrefix) {
			return s, true
		}
	}
	return ConsoleService{}, false
}

// SelectConsoleMade returns the users ConsoleMade selects, in users' order;
// service, if not "", keeps only that service's.
func SelectConsoleMade(users []User, service string) []User {
	var out []User
	for _, u := range users {
		if s, ok := ConsoleMade(u.Name); ok && (service == "" || s.Service == service) {
			out = append(out, u)
		}
	}
	return out
}

// UserVerdict is the judgement of a console-made user.
type UserVerdict string

const (
	// UserOK: a live credential, nothing beyond the service's policy.
	UserOK UserVerdict = "ok"
	// UserOrphaned: no live service-specific credential left.
	UserOrphaned UserVerdict = "orphaned"
	// UserAtRisk: a way in beyond the API key (Risks names them).
	UserAtRisk UserVerdict = "at-risk"
)

// JudgedUser is a console-made user with what it holds and the judgement.
type JudgedUser struct {
	User     User
	Console  ConsoleService
	Holdings Holdings
	// Credentials are the user's service-specific credentials, every service.
	Credentials []Credential
	// Orphaned: no live credential — none left, or every one past its date
	// (expired counts as none). An Inactive one that has not expired is
	// still live: someone switched it off and can switch it on again, so its
	// user is not left over.
	Orphaned bool
	// Risks name what makes the user a way in beyond the API key: each IAM
	// access key (any status: an Inactive one can be switched on), a console
	// password, each attached policy other than the service's own AWS managed
	// one, each inline policy. Groups are not judged: what a group grants
	// needs more calls per group; they are listed in Holdings and removed by
	// the cleanup.
	Risks []string
	// Account is the user's account in a report across accounts; nil in one
	// account's.
	Account *Account
}

// Verdicts are the judgement's words: "orphaned", "at-risk", both, or "ok".
func (j JudgedUser) Verdicts() []string {
	var out []string
	if j.Orphaned {
		out = append(out, string(UserOrphaned))
	}
	if len(j.Risks) > 0 {
		out = append(out, string(UserAtRisk))
	}
	if out == nil {
		out = []string{string(UserOK)}
	}
	return out
}

// Flagged reports whether the user is orphaned or at risk.
func (j JudgedUser) Flagged() bool { return j.Orphaned || len(j.Risks) > 0 }

// JudgeUser judges one console-made user at now from what it holds and its
// credentials.
func JudgeUser(u User, h Holdings, creds []Credential, now time.Time) JudgedUser {
	s, _ := ConsoleMade(u.Name)
	j := JudgedUser{User: u, Console: s, Holdings: h, Credentials: creds, Orphaned: true}
	for _, c := range creds {
		if !c.IsExpired(now) {
			j.Orphaned = false
		}
	}
	for _, k := range h.AccessKeys {
		j.Risks = append(j.Risks, "access key "+k.ID+" ("+string(k.Status)+")")
	}
	if h.LoginProfile {
		j.Risks = append(j.Risks, "console password")
	}
	for _, p := range h.Attached {
		if !isAWSManaged(p, s.Policy) {
			j.Risks = append(j.Risks, "policy "+p.Name)
		}
	}
	for _, p := range h.Inline {
		j.Risks = append(j.Risks, "inline policy "+p)
	}
	return j
}

// isAWSManaged reports whether p is the AWS managed policy name, in any
// partition: a customer policy of the same name is not the service's.
func isAWSManaged(p AttachedPolicy, name string) bool {
	return name != "" && p.Name == name && strings.HasSuffix(p.ARN, ":iam::aws:policy/"+name) && strings.HasPrefix(p.ARN, "arn:")
}

// JudgeUsers judges each of users whose holdings were read (a user Gone
// meanwhile is left out), with its credentials taken from creds, sorted by
// name.
func JudgeUsers(users []User, holdings []Holdings, creds []Credential, now time.Time) []JudgedUser {
	byUser := map[string][]Credential{}
	want := map[string]bool{}
	for _, u := range users {
		want[u.Name] = true
	}
	for _, c := range creds {
		if want[c.UserName] {
			byUser[c.UserName] = append(byUser[c.UserName], c)
		}
	}
	read := map[string]Holdings{}
	for _, h := range holdings {
		read[h.User] = h
	}
	out := []JudgedUser{}
	for _, u := range users {
		h, ok := read[u.Name]
		if !ok || h.Gone {
			continue
		}
		out = append(out, JudgeUser(u, h, byUser[u.Name], now))
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].User.Name < out[b].User.Name })
	return out
}

// CountFlaggedUsers counts the users judged orphaned or at risk.
func CountFlaggedUsers(users []JudgedUser) int {
	n := 0
	for _, u := range users {
		if u.Flagged() {
			n++
		}
	}
	return n
}
