package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"iamcreds/awsclient"
	"iamcreds/model"
)

// whoisReport is one key's answer, as --format json writes it; text is the
// same facts in lines. Nothing in it is the key or its secret: the
// fingerprint names the key. Text from IAM goes through model.SafeText.
type whoisReport struct {
	Fingerprint string       `json:"fingerprint"`
	Kind        string       `json:"kind"`
	Decoded     whoisDecoded `json:"decoded"`
	Notes       []string     `json:"notes,omitempty"`
	// Lookup: found, found_by_user (the listed alias differs), ambiguous
	// (several of the user's credentials could be it), not_found, error, or
	// not_a_credential (short-term keys, access key IDs).
	Lookup     string            `json:"lookup"`
	Account    string            `json:"account,omitempty"`
	Searched   []string          `json:"searched_accounts,omitempty"`
	Error      string            `json:"error,omitempty"`
	Credential *whoisCredential  `json:"credential,omitempty"`
	Candidates []whoisCredential `json:"candidates,omitempty"`
	// Live: the matched credential works now (Active, not expired), after
	// any action; ambiguous: one of the candidates does. Short-term keys are
	// never "live credentials" (see decoded.expired).
	Live bool `json:"live"`
	// AccessKey is the IAM user's access key the key is, or that signed it
	// (AKIA only), when its account was searched; AccessKeyNote says why not.
	AccessKey        *whoisAccessKey `json:"access_key,omitempty"`
	AccessKeyNote    string          `json:"access_key_note,omitempty"`
	Action           *whoisAction    `json:"action,omitempty"`
	DenyPolicy       json.RawMessage `json:"deny_policy,omitempty"`
	DenyPolicyTarget string          `json:"deny_policy_target,omitempty"`

	match model.KeyMatch
	err   error
}

type whoisDecoded struct {
	Service         string     `json:"service,omitempty"`
	Alias           string     `json:"alias,omitempty"`
	User            string     `json:"user,omitempty"`
	Account         string     `json:"account,omitempty"`
	Slot            int        `json:"slot,omitempty"`
	AccessKeyID     string     `json:"access_key_id,omitempty"`
	Temporary       bool       `json:"temporary,omitempty"`
	Region          string     `json:"region,omitempty"`
	Signed          *time.Time `json:"signed,omitempty"`
	Expires         *time.Time `json:"expires,omitempty"`
	LifetimeSeconds int        `json:"lifetime_seconds,omitempty"`
	Expired         bool       `json:"expired,omitempty"`
}

type whoisCredential struct {
	ID      string     `json:"id"`
	User    string     `json:"user"`
	Service string     `json:"service"`
	Status  string     `json:"status"`
	Created time.Time  `json:"created"`
	Expires *time.Time `json:"expires,omitempty"`
}

type whoisAccessKey struct {
	ID      string    `json:"id"`
	User    string    `json:"user"`
	Status  string    `json:"status"`
	Created time.Time `json:"created"`
}

// whoisAction is what --deactivate or --delete did to the matched credential.
type whoisAction struct {
	Requested string        `json:"requested"` // deactivate or delete
	Outcome   model.Outcome `json:"outcome"`
	Detail    string        `json:"detail"`
	Undo      string        `json:"undo,omitempty"`
}

func newWhoisReport(r awsclient.KeyLookup, now time.Time) whoisReport {
	m, d := r.Match, r.Match.Key
	rep := whoisReport{Fingerprint: d.Fingerprint(), Kind: string(d.Kind), Notes: d.Notes, Account: m.Account,
		Searched: r.Searched, match: m, err: m.Err}
	rep.Decoded = whoisDecoded{Service: d.Service, Alias: d.Alias, User: d.User, Account: d.Account, Slot: d.Slot,
		AccessKeyID: d.AccessKeyID, Region: d.Region, LifetimeSeconds: int(d.Lifetime / time.Second)}
	if d.AccessKeyID != "" {
		rep.Decoded.Temporary = d.Temporary()
	}
	if !d.Signed.IsZero() {
		signed, expires := d.Signed.UTC(), d.Expires().UTC()
		rep.Decoded.Signed, rep.Decoded.Expires, rep.Decoded.Expired = &signed, &expires, !now.Before(expires)
	}
	if p, err := model.DenyPolicyFor(d); err == nil {
		rep.DenyPolicy, rep.DenyPolicyTarget = json.RawMessage(p), model.DenyPolicyTarget(d)
	}
	switch {
	case r.Signer != nil:
		k := r.Signer.Key
		rep.AccessKey = &whoisAccessKey{ID: model.SafeText(k.ID), User: model.SafeText(r.Signer.User), Status: model.SafeText(string(k.Status)), Created: k.Created.UTC()}
		if rep.DenyPolicy != nil {
			rep.DenyPolicyTarget = "attach it to IAM user " + rep.AccessKey.User + "; better, deactivate access key " + rep.AccessKey.ID +
				", which stops exactly what it signed: " + accessKeyOffCommand(*rep.AccessKey, m.Account)
		}
	case r.SignerErr != nil:
		rep.AccessKeyNote = "its IAM user could not be told: " + model.RedactKeys(r.SignerErr.Error())
	case len(r.Searched) > 0 && (d.Kind == model.KeyAccessKeyID || d.Kind == model.KeyBedrockShort || d.Kind == model.KeyClaudePlatformShort):
		rep.AccessKeyNote = "held by no IAM user of account " + m.Account + ": the root user's key, or deleted"
	}
	switch {
	case m.Err != nil:
		rep.Lookup, rep.Error = "error", model.RedactKeys(m.Err.Error())
	case d.Kind != model.KeyBedrockLong && d.Kind != model.KeyClaudePlatform:
		rep.Lookup = "not_a_credential"
	case m.Found:
		rep.Lookup = "found"
		if m.ByUserOnly {
			rep.Lookup = "found_by_user"
		}
		rep.Credential = whoisCred(m.Credential)
		rep.Live = m.Live(now)
	case len(m.Candidates) > 0:
		rep.Lookup = "ambiguous"
		for _, c := range m.Candidates {
			rep.Candidates = append(rep.Candidates, *whoisCred(c))
			// One of them may be the key: live until a person tells which.
			rep.Live = rep.Live || c.Status == model.Active && !c.IsExpired(now)
		}
	default:
		rep.Lookup = "not_found"
	}
	return rep
}

func whoisCred(c model.Credential) *whoisCredential {
	w := &whoisCredential{ID: model.SafeText(c.ID), User: model.SafeText(c.UserName), Service: model.SafeText(c.Service),
		Status: model.SafeText(string(c.Status)), Created: c.Created.UTC()}
	if !c.Expires.IsZero() {
		e := c.Expires.UTC()
		w.Expires = &e
	}
	return w
}

func writeWhois(w io.Writer, format string, reports []whoisReport) error {
	if format == whoisJSON {
		if reports == nil {
			reports = []whoisReport{}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Keys []whoisReport `json:"keys"`
		}{reports})
	}
	lw := &lineWriter{w: w}
	for i, r := range reports {
		if i > 0 {
			lw.printf("\n")
		}
		r.writeText(lw)
	}
	return lw.err
}

func (r whoisReport) writeText(w *lineWriter) {
	d := r.match.Key
	w.printf("%s\n", r.Fingerprint)
	w.printf("  decodes to   %s\n", decodedText(d, r))
	for _, n := range r.Notes {
		w.printf("  note         %s\n", n)
	}
	switch r.Lookup {
	case "error":
		w.printf("  credential   unknown: %s\n", model.SafeText(r.Error))
	case "not_a_credential":
		if d.Kind == model.KeyAccessKeyID {
			w.printf("  credential   an IAM access key, not a service-specific credential: aws iam list-access-keys in account %s finds its user\n", r.Account)
		} else {
			w.printf("  credential   none: IAM cannot revoke a short-term key\n")
		}
	case "found", "found_by_user":
		w.printf("  credential   %s%s\n", credText(*r.Credential), inAccountText(r.Account))
		if r.Lookup == "found_by_user" {
			w.printf("  matched      by user only: the alias IAM lists is not the key's, and %s holds no other %s credential\n",
				r.Credential.User, r.Credential.Service)
		}
	case "ambiguous":
		w.printf("  credential   one of these (the alias IAM lists is not the key's; matched by user only):\n")
		for _, c := range r.Candidates {
			w.printf("               %s\n", credText(c))
		}
		if r.Live {
			w.printf("  live         maybe: one of them works now; nothing is changed until you tell which (aws iam update-service-specific-credential)\n")
		}
	default:
		w.printf("  credential   not found (deleted, or another account)%s\n", searchedText(r))
	}
	if r.Credential != nil {
		switch {
		case r.Live && r.Action == nil:
			w.printf("  live         yes: it works now; --deactivate stops it (undoable), --delete removes it\n")
		case r.Live:
			w.printf("  live         yes: it still works\n")
		default:
			w.printf("  live         no (%s)\n", r.Credential.Status)
		}
	}
	switch {
	case r.AccessKey != nil:
		w.printf("  access key   %s of user %s, %s, created %s: %s stops it (and all it signs)\n", r.AccessKey.ID, r.AccessKey.User,
			r.AccessKey.Status, r.AccessKey.Created.Format(time.RFC3339), accessKeyOffCommand(*r.AccessKey, r.Account))
	case r.AccessKeyNote != "":
		w.printf("  access key   %s\n", r.AccessKeyNote)
	}
	if a := r.Action; a != nil {
		w.printf("  %-12s %s: %s\n", a.Requested, a.Outcome, a.Detail)
		if a.Undo != "" {
			w.printf("  undo         %s\n", a.Undo)
		}
	}
	if r.DenyPolicy != nil && r.Decoded.Expired {
		w.printf("  deny policy  not needed: the key expired at %s\n", r.Decoded.Expires.Format(time.RFC3339))
	} else if r.DenyPolicy != nil {
		w.printf("  deny policy  printed, not applied; %s\n", r.DenyPolicyTarget)
		for _, l := range strings.Split(string(r.DenyPolicy), "\n") {
			w.printf("    %s\n", l)
		}
	}
}

func decodedText(d model.DecodedKey, r whoisReport) string {
	svc := model.LookupService(d.Service)
	switch d.Kind {
	case model.KeyBedrockLong, model.KeyClaudePlatform:
		if d.Account == "" {
			return fmt.Sprintf("%s, alias %s (not in the <user>-at-<account> form)", svc.Noun(), d.Alias)
		}
		return fmt.Sprintf("%s of user %s in account %s, the user's %s key (alias %s)", svc.Noun(), d.User, d.Account, d.SlotText(), d.Alias)
	case model.KeyBedrockShort, model.KeyClaudePlatformShort:
		state := "still valid"
		if r.Decoded.Expired {
			state = "expired"
		}
		acct := "account unknown"
		if r.Account != "" {
			acct = "account " + r.Account + " per STS"
		}
		return fmt.Sprintf("short-term %s key signed by %s (%s) in %s at %s, for %s: until %s, %s",
			svc.Short, d.AccessKeyID, acct, d.Region, d.Signed.UTC().Format(time.RFC3339), d.Lifetime,
			d.Expires().UTC().Format(time.RFC3339), state)
	}
	kind := "long-term (AKIA)"
	if d.Temporary() {
		kind = "temporary (ASIA)"
	}
	if r.Account != "" {
		return fmt.Sprintf("access key ID %s, %s, of account %s per STS", d.AccessKeyID, kind, r.Account)
	}
	return fmt.Sprintf("access key ID %s, %s", d.AccessKeyID, kind)
}

func credText(c whoisCredential) string {
	exp := "never expires"
	if c.Expires != nil {
		exp = "expires " + c.Expires.Format(time.RFC3339)
	}
	return fmt.Sprintf("%s  user %s  %s  %s  created %s  %s", c.ID, c.User, c.Service, c.Status, c.Created.Format(time.RFC3339), exp)
}

func searchedText(r whoisReport) string {
	switch {
	case len(r.Searched) == 0 && r.Decoded.Account != "":
		return fmt.Sprintf(": the key names account %s, which was not searched", r.Decoded.Account)
	case len(r.Searched) == 1:
		return ": searched account " + r.Searched[0]
	case len(r.Searched) > 1:
		return fmt.Sprintf(": searched %d accounts", len(r.Searched))
	}
	return ""
}

// accessKeyOffCommand is the AWS CLI command that deactivates an access key.
func accessKeyOffCommand(k whoisAccessKey, account string) string {
	return fmt.Sprintf("aws iam update-access-key --user-name %s --access-key-id %s --status Inactive%s",
		shellWord(k.User), k.ID, inAccountText(account))
}
