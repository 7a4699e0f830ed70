package model

import (
	"encoding/json"
	"errors"
	"strings"
	"time"
)

// KeyMatch is where a decoded key was looked for and what was found.
type KeyMatch struct {
	Key        DecodedKey
	Account    string
	Credential Credential // zero when not found
	Found      bool
	ByUserOnly bool         // matched by user (and service) only, not the exact alias/slot
	Candidates []Credential // when ByUserOnly and ambiguous
	// Err is why the lookup could not tell (the account could not be read, IAM
	// denied the listing); Found is then false and says nothing.
	Err error
}

// Live reports whether the match is a credential that still works: found,
// Active and not past its expiration date.
func (m KeyMatch) Live(now time.Time) bool {
	return m.Found && m.Credential.Status == Active && !m.Credential.IsExpired(now)
}

// MatchKey finds the credential a decoded key belongs to among creds (one account's listing).
//
// The listed alias decides first: a credential of the key's service whose
// ServiceCredentialAlias (or ServiceUserName) is the decoded alias is the key's,
// exactly. Failing that, when the user's listed aliases are not in the
// <user>-at-<account> form at all (AWS may have changed it, see leakedkey.go),
// the user decides: one credential of the service held by the decoded user is
// a match by user only (ByUserOnly); several are Candidates and no match.
// A key whose alias names another account matches nothing here. Short-term
// keys and access key IDs are not service-specific credentials: no match.
func MatchKey(d DecodedKey, account string, creds []Credential) KeyMatch {
	m := KeyMatch{Key: d, Account: account}
	if d.Kind != KeyBedrockLong && d.Kind != KeyClaudePlatform {
		return m
	}
	if d.Account != "" && account != "" && d.Account != account {
		return m
	}
	for _, c := range creds {
		if c.Service == d.Service && d.Alias != "" && (c.Alias == d.Alias || c.ServiceUserName == d.Alias) {
			m.Credential, m.Found = c, true
			return m
		}
	}
	if d.User == "" {
		return m
	}
	// The decoded user, or the whole name before "-at-" for a user literally
	// named "bob+1" (the alias cannot tell the two apart).
	var byUser []Credential
	for _, c := range creds {
		if c.Service == d.Service && (c.UserName == d.User || c.UserName == d.aliasName()) {
			if _, acct, _ := parseAlias(c.Alias); acct != "" {
				// IAM lists this user's aliases in the key's form, and not the
				// key's: the key's credential is gone, not listed otherwise.
				return m
			}
			byUser = append(byUser, c)
		}
	}
	switch len(byUser) {
	case 0:
		return m
	case 1:
		m.Credential, m.Found, m.ByUserOnly = byUser[0], true, true
	default:
		m.ByUserOnly, m.Candidates = true, byUser
	}
	return m
}

// AliasUsers are the IAM users the alias may belong to: the decoded user, and
// the whole name before "-at-" when it differs (a user literally named
// "bob+1" reads like bob's second key). None when the alias is not in the
// <user>-at-<account> form.
func (d DecodedKey) AliasUsers() []string {
	if d.User == "" {
		return nil
	}
	if n := d.aliasName(); n != d.User && n != "" {
		return []string{d.User, n}
	}
	return []string{d.User}
}

// ErrNoDenyPolicy: the key is not a short-term one; IAM can stop it directly.
var ErrNoDenyPolicy = errors.New("only a short-term key needs a deny policy: a long-term key is deactivated or deleted in IAM")

// tokenIssueSlack is added to a short-term key's signing time in its deny
// policy: X-Amz-Date is the signer's clock, aws:TokenIssueTime is AWS's, and
// SigV4 tolerates 5 minutes between them. Sessions of the issuer started in
// those minutes are denied too; the issuer starts a new one.
const tokenIssueSlack = 5 * time.Minute

type policyDoc struct {
	Version   string            `json:"Version"`
	Statement []policyStatement `json:"Statement"`
}

type policyStatement struct {
	Sid       string                       `json:"Sid"`
	Effect    string                       `json:"Effect"`
	Action    string                       `json:"Action"`
	Resource  string                       `json:"Resource"`
	Condition map[string]map[string]string `json:"Condition"`
}

// DenyPolicyFor returns the IAM deny policy JSON that stops a short-term key's issuer
// (aws:TokenIssueTime), for printing, never applied.
//
// IAM cannot revoke a short-term key; a policy on the identity that signed it
// can [Docs "Handle compromised … keys", "Control permissions …": deny
// bedrock:CallWithBearerToken]. Which identity, the key tells only in part:
//   - signed by an ASIA key (a role session, or a user's session token): deny
//     CallWithBearerToken to sessions issued before the key was signed (plus
//     tokenIssueSlack), attached to the role (or user) behind the session —
//     which one, only CloudTrail tells, not the key.
//   - signed by an AKIA key: aws:TokenIssueTime is absent from requests signed
//     with long-term keys, so a TokenIssueTime deny would never apply. The
//     policy denies the user's short-term keys (bedrock:bearerTokenType
//     SHORT_TERM) until it is removed; deactivating that access key stops
//     exactly what it signed.
//
// The action for Claude Platform (aws-external-anthropic:CallWithBearerToken)
// is UNCERTAIN: named by analogy with Bedrock.
func DenyPolicyFor(d DecodedKey) (string, error) {
	if d.Kind != KeyBedrockShort && d.Kind != KeyClaudePlatformShort {
		return "", ErrNoDenyPolicy
	}
	prefix, _, _ := strings.Cut(d.Service, ".")
	st := policyStatement{Effect: "Deny", Action: prefix + ":CallWithBearerToken", Resource: "*"}
	if d.Temporary() {
		st.Sid = "DenyKeysOfSessionsIssuedBefore" + d.Signed.UTC().Add(tokenIssueSlack).Format("20060102T150405Z")
		st.Condition = map[string]map[string]string{"DateLessThan": {
			"aws:TokenIssueTime": d.Signed.UTC().Add(tokenIssueSlack).Format(time.RFC3339),
		}}
	} else {
		st.Sid = "DenyShortTermKeys"
		st.Condition = map[string]map[string]string{"StringEquals": {
			prefix + ":bearerTokenType": "SHORT_TERM",
		}}
	}
	b, err := json.MarshalIndent(policyDoc{Version: "2012-10-17", Statement: []policyStatement{st}}, "", "  ")
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// DenyPolicyTarget says where the deny policy goes, in a sentence.
func DenyPolicyTarget(d DecodedKey) string {
	switch {
	case d.Kind != KeyBedrockShort && d.Kind != KeyClaudePlatformShort:
		return ""
	case d.Temporary():
		return "attach it to the role (or user) whose session signed the key: " + SafeText(d.AccessKeyID) +
			" is temporary; CloudTrail's STS events name the role. It also denies that identity's other sessions issued before then."
	default:
		return "attach it to the IAM user that owns access key " + SafeText(d.AccessKeyID) +
			"; better, deactivate that access key (aws iam update-access-key --status Inactive), which stops exactly what it signed."
	}
}
