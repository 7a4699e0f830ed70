package model

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Delivery hands a new secret straight to where it is used — a Secrets Manager
// secret, a Parameter Store parameter, a command's standard input or a new
// file — instead of a person's clipboard. The target is one string, the same
// in the TUI, in config.toml's [[deliver]] rules and on the command line:
//
//	secretsmanager:NAME            a secret by name, in the profile's account and region
//	secretsmanager:ARN             a secret by ARN: its region; another account's only
//	                               through the secret's resource policy
//	secretsmanager:NAME?create     CreateSecret when the secret does not exist
//	secretsmanager:NAME?kms=KEY    the KMS key (id, ARN, alias/NAME) to encrypt with
//	ssm:/PATH                      a SecureString parameter, overwritten
//	ssm:/PATH?form=secret          the secret alone as its value (default: form=json)
//	ssm:/PATH?kms=KEY              the parameter's KMS key (default: aws/ssm)
//	exec:COMMAND ARGS…             the secret alone on COMMAND's standard input
//	file:PATH                      a new file (mode 0600) with the secret record (CSV)
//
// Options follow a "?" and are joined by "&"; only secretsmanager and ssm take
// them, as neither a secret's nor a parameter's name may hold "?". A command or
// a path is taken whole, "?" and all.

// TargetKind is where a delivery goes.
type TargetKind string

const (
	TargetSecretsManager TargetKind = "secretsmanager"
	TargetSSM            TargetKind = "ssm"
	TargetExec           TargetKind = "exec"
	TargetFile           TargetKind = "file"
)

// The forms of a parameter's value.
const (
	SSMFormSecret = "secret" // the secret alone
	SSMFormJSON   = "json"   // DeliveryDocument
)

// DefaultExecTimeout bounds an exec target's command.
const DefaultExecTimeout = time.Minute

// Target is a parsed delivery target.
type Target struct {
	Kind         TargetKind
	Ref          string        // secret name or ARN; parameter path or ARN; command line; file path
	KMSKey       string        // optional: secretsmanager and ssm
	CreateSecret bool          // secretsmanager: CreateSecret allowed when missing
	SSMForm      string        // ssm: SSMFormSecret or SSMFormJSON (the default)
	Timeout      time.Duration // exec: DefaultExecTimeout
}

var (
	secretNameRE = regexp.MustCompile(`^[A-Za-z0-9/_+=.@-]{1,512}$`)
	secretARNRE  = regexp.MustCompile(`^arn:(aws[a-z-]*):secretsmanager:([a-z0-9-]+):(\d{12}):secret:([A-Za-z0-9/_+=.@-]{1,512})$`)
	paramNameRE  = regexp.MustCompile(`^[A-Za-z0-9_./-]+$`)
	paramARNRE   = regexp.MustCompile(`^arn:(aws[a-z-]*):ssm:([a-z0-9-]+):(\d{12}):parameter/([A-Za-z0-9_./-]+)$`)
	kmsKeyRE     = regexp.MustCompile(`^[A-Za-z0-9:/_+=,.@-]{1,1000}$`)
)

// ParseTarget parses a delivery target (see the syntax above). The error says
// what is wrong, never more than the text it was given.
func ParseTarget(s string) (Target, error) {
	kind, rest, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || rest == "" {
		return Target{}, Errorf(KindInvalid, "delivery target %q: want secretsmanager:NAME, ssm:/PATH, exec:COMMAND or file:PATH", SafeText(s))
	}
	t := Target{Kind: TargetKind(strings.ToLower(kind))}
	switch t.Kind {
	case TargetExec:
		t.Ref, t.Timeout = strings.TrimSpace(rest), DefaultExecTimeout
		if t.Ref == "" {
			return Target{}, Errorf(KindInvalid, "delivery target %q: no command", SafeText(s))
		}
		return t, nil
	case TargetFile:
		t.Ref = rest
		return t, nil
	case TargetSecretsManager, TargetSSM:
	default:
		return Target{}, Errorf(KindInvalid, "delivery target %q: %q is not secretsmanager, ssm, exec or file", SafeText(s), SafeText(kind))
	}
	ref, query, _ := strings.Cut(rest, "?")
	t.Ref = ref
	if t.Kind == TargetSSM {
		t.SSMForm = SSMFormJSON
	}
	if err := t.parseOptions(query); err != nil {
		return Target{}, Errorf(KindInvalid, "delivery target %q: %s", SafeText(s), err)
	}
	if err := t.checkRef(); err != nil {
		return Target{}, Errorf(KindInvalid, "delivery target %q: %s", SafeText(s), err)
	}
	return t, nil
}

// parseOptions reads "create", "kms=KEY" and "form=secret|json".
func (t *Target) parseOptions(query string) error {
	if query == "" {
		return nil
	}
	seen := map[string]bool{}
	for _, opt := range strings.Split(query, "&") {
		k, v, hasValue := strings.Cut(opt, "=")
		if seen[k] {
			return fmt.Errorf("option %q given twice", SafeText(k))
		}
		seen[k] = true
		switch {
		case k == "create" && t.Kind == TargetSecretsManager:
			switch strings.ToLower(v) {
			case "", "1", "true", "yes":
				t.CreateSecret = true
			case "0", "false", "no":
			default:
				return fmt.Errorf("create=%q: want create, create=true or create=false", SafeText(v))
			}
		case k == "kms":
			if !hasValue || !kmsKeyRE.MatchString(v) {
				return fmt.Errorf("kms=%q is not a KMS key id, ARN or alias/NAME", SafeText(v))
			}
			t.KMSKey = v
		case k == "form" && t.Kind == TargetSSM:
			if v != SSMFormSecret && v != SSMFormJSON {
				return fmt.Errorf("form=%q: want form=secret (the secret alone) or form=json (the document)", SafeText(v))
			}
			t.SSMForm = v
		default:
			return fmt.Errorf("unknown option %q for %s (%s)", SafeText(k), t.Kind, t.optionsHelp())
		}
	}
	return nil
}

func (t Target) optionsHelp() string {
	if t.Kind == TargetSSM {
		return "it takes form=secret|json and kms=KEY"
	}
	return "it takes create and kms=KEY"
}

// checkRef validates a secret's or a parameter's name or ARN.
func (t Target) checkRef() error {
	if strings.HasPrefix(t.Ref, "arn:") {
		re := secretARNRE
		if t.Kind == TargetSSM {
			re = paramARNRE
		}
		if !re.MatchString(t.Ref) {
			return fmt.Errorf("%q is not a %s ARN", SafeText(t.Ref), t.Kind)
		}
		if t.Kind == TargetSSM {
			return checkParamName("/" + strings.TrimPrefix(t.Name(), "/"))
		}
		return nil
	}
	if t.Kind == TargetSSM {
		return checkParamName(t.Ref)
	}
	if !secretNameRE.MatchString(t.Ref) {
		return fmt.Errorf("%q is not a secret name (1-512 of letters, digits and /_+=.@-) or ARN", SafeText(t.Ref))
	}
	return nil
}

// checkParamName applies Parameter Store's rules: letters, digits and _.-/;
// a hierarchy of at most 15 levels; no name under aws or ssm.
func checkParamName(name string) error {
	if len(name) > 1011 || !paramNameRE.MatchString(name) {
		return fmt.Errorf("%q is not a parameter name (letters, digits and _.-/, e.g. /ci/git)", SafeText(name))
	}
	first := strings.ToLower(strings.TrimPrefix(name, "/"))
	if strings.HasPrefix(first, "aws") || strings.HasPrefix(first, "ssm") {
		return fmt.Errorf("%q: parameter names may not begin with aws or ssm", name)
	}
	if strings.Count(strings.TrimPrefix(name, "/"), "/") >= 15 {
		return fmt.Errorf("%q: a parameter hierarchy has at most 15 levels", name)
	}
	if strings.Contains(name, "//") || len(name) > 1 && strings.HasSuffix(name, "/") || name == "/" {
		return fmt.Errorf("%q: empty level in the parameter's path", name)
	}
	return nil
}

// String is the target as ParseTarget reads it, safe to show.
func (t Target) String() string {
	if t.Kind == "" {
		return ""
	}
	s := string(t.Kind) + ":" + t.Ref
	var opts []string
	if t.CreateSecret {
		opts = append(opts, "create")
	}
	if t.KMSKey != "" {
		opts = append(opts, "kms="+t.KMSKey)
	}
	if t.Kind == TargetSSM && t.SSMForm == SSMFormSecret {
		opts = append(opts, "form="+SSMFormSecret)
	}
	if len(opts) > 0 {
		s += "?" + strings.Join(opts, "&")
	}
	return SafeText(s)
}

// IsAWS reports whether the target is an AWS store (Secrets Manager or Parameter Store).
func (t Target) IsAWS() bool { return t.Kind == TargetSecretsManager || t.Kind == TargetSSM }

// ARN parts: "" when the target is not given by ARN.
func (t Target) arnPart(i int) string {
	re := secretARNRE
	if t.Kind == TargetSSM {
		re = paramARNRE
	}
	if !t.IsAWS() {
		return ""
	}
	m := re.FindStringSubmatch(t.Ref)
	if m == nil {
		return ""
	}
	return m[i]
}

// Region is the region an ARN names, "" for a name (the profile's region).
func (t Target) Region() string { return t.arnPart(2) }

// Account is the account an ARN names, "" for a name (the profile's account).
func (t Target) Account() string { return t.arnPart(3) }

// Name is the secret's or parameter's name: the ARN's last part, or Ref.
func (t Target) Name() string {
	if n := t.arnPart(4); n != "" {
		if t.Kind == TargetSSM {
			return "/" + strings.TrimPrefix(n, "/")
		}
		return n
	}
	return t.Ref
}

// DeliveryRule is one [[deliver]] rule of config.toml: User's credential of
// Service goes To a target. User and Service may be "*" (any); Service is an
// IAM service name or a catalog short word (git, bedrock, …).
type DeliveryRule struct{ User, Service, To string }

// Validate checks the rule as config.toml gives it.
func (r DeliveryRule) Validate() error {
	if r.User != "*" {
		if err := ValidateUserName(r.User); err != nil {
			return err
		}
	}
	if r.Service != "*" {
		if _, ok := ResolveService(r.Service); !ok {
			return Errorf(KindInvalid, "service %q is not an IAM service name or one of git, keyspaces, bedrock, logs, metrics, claude, xray", SafeText(r.Service))
		}
	}
	_, err := ParseTarget(r.To)
	return err
}

// matches reports whether the rule is about c.
func (r DeliveryRule) matches(c Credential) bool {
	if r.User != "*" && r.User != c.UserName {
		return false
	}
	if r.Service == "*" {
		return true
	}
	name, ok := ResolveService(r.Service)
	return ok && name == c.Service
}

// MatchDelivery is the target of the first rule about c, in the order
// config.toml gives them; false when none is (or its target does not parse).
func MatchDelivery(rules []DeliveryRule, c Credential) (Target, bool) {
	for _, r := range rules {
		if !r.matches(c) {
			continue
		}
		t, err := ParseTarget(r.To)
		return t, err == nil
	}
	return Target{}, false
}

// DeliveryResult is what a delivery did.
type DeliveryResult struct {
	Target   Target
	Outcome  Outcome // done / not done / unknown
	Verified bool    // read back and compared by hash
	Version  string  // secret version id / parameter version
	Detail   string  // safe, no secret
}

// Delivered reports whether the target holds the secret as far as can be
// proved: written and read back by hash (a store, a file), or, for a command,
// which cannot be read back, its exit status 0. A rotation touches the old
// credential only after this.
func (r DeliveryResult) Delivered() bool {
	return r.Outcome == OutcomeDone && (r.Verified || r.Target.Kind == TargetExec)
}

// DeliveryDoc is a DeliveryResult in a command's JSON report: target,
// outcome (done, not_done, unknown), verified, version and detail.
type DeliveryDoc struct {
	Target   string  `json:"target"`
	Outcome  Outcome `json:"outcome"`
	Verified bool    `json:"verified"`
	Version  string  `json:"version"`
	Detail   string  `json:"detail"`
}

// NewDeliveryDoc is r's report, safe to print.
func NewDeliveryDoc(r DeliveryResult) DeliveryDoc {
	return DeliveryDoc{Target: r.Target.String(), Outcome: r.Outcome, Verified: r.Verified, Version: SafeText(r.Version), Detail: SafeText(r.Detail)}
}

// deliveryDocument is DeliveryDocument's object, in its key order.
type deliveryDocument struct {
	User         string  `json:"user"`
	Service      string  `json:"service"`
	CredentialID string  `json:"credential_id"`
	Login        string  `json:"login"`
	Secret       string  `json:"secret"`
	Created      *string `json:"created"`
	Expires      *string `json:"expires"`
}

// DeliveryDocument is the JSON object a Secrets Manager secret (and, by
// default, a parameter) holds: the IAM user, the service, the credential's ID,
// its login — the service user name of a password, the alias of an API key —
// the secret, and its creation and expiry times (RFC 3339, UTC; null when
// unknown or never). One line, no trailing newline.
func DeliveryDocument(s Secret) []byte {
	c := s.Credential
	date := func(t time.Time) *string {
		if t.IsZero() {
			return nil
		}
		v := rfc3339(t)
		return &v
	}
	b, err := json.Marshal(deliveryDocument{
		User: SafeText(c.UserName), Service: SafeText(c.Service), CredentialID: SafeText(c.ID),
		Login: SafeText(c.Login()), Secret: s.Reveal(), Created: date(c.Created), Expires: date(c.Expires),
	})
	if err != nil { // strings and nil pointers always marshal
		return nil
	}
	return escapeJSONControls(b)
}

// DeliveryPayload is what t receives for s: the document for Secrets Manager
// and for a parameter of form json, the secret alone for a parameter of form
// secret and for a command's standard input, the secret record (CSV) for a
// file.
func DeliveryPayload(t Target, s Secret) []byte {
	switch {
	case t.Kind == TargetSecretsManager, t.Kind == TargetSSM && t.SSMForm != SSMFormSecret:
		return DeliveryDocument(s)
	case t.Kind == TargetFile:
		var b strings.Builder
		if WriteSecretCSV(&b, s) != nil {
			return nil
		}
		return []byte(b.String())
	}
	return []byte(s.Reveal())
}

// SameDelivered reports whether what a store returned is what was sent,
// compared by SHA-256 so neither value is held in a comparison's error path.
func SameDelivered(sent, got []byte) bool {
	a, b := sha256.Sum256(sent), sha256.Sum256(got)
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}
