package model

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// What a leaked key tells without asking AWS. Every fact carries its source:
//
//   - [BKS] BeyondTrust bedrock-keys-security, core/decoder.py and
//     core/decoder_claude_platform.py (third party, with tests).
//   - [TokGen] AWS's aws-bedrock-token-generator-python token_generator.py
//     (the -js and -java libraries do the same): the short-term key.
//   - [Docs] AWS Bedrock user guide "API keys", "Handle compromised … keys",
//     "Control permissions …"; IAM policy condition keys reference.
//   - [Contract] docs/iam-contract §4.2-4.3 (CLI examples, real CLI output).
//
// A long-term Bedrock key (ServiceCredentialSecret of a bedrock.amazonaws.com
// credential) is "ABSK" + base64("<alias>:<secret>") [BKS; Contract, 3P scanner
// regex ABSK[A-Za-z0-9+/]{109,269}={0,2}]. AWS documents none of it.
//
// A Claude Platform key (aws-external-anthropic.amazonaws.com) is base64 of the
// three bytes 00 40 00 followed by "<alias>:<secret>"; the three bytes encode as
// "AEAA", so it reads "AEAA" + base64("<alias>:<secret>") [BKS].
//
// The alias is the credential's ServiceCredentialAlias, "<user>-at-<account>"
// for a user's first key and "<user>+1-at-<account>" for the second [Contract:
// CLI example ServiceUserName developer+1-at-123456789012; BKS tests]. UNCERTAIN:
// the +1 form is not confirmed for API keys on a real account, and the IAM model
// now says the alias "includes the IAM user name and a suffix containing version
// and creation information" — so a lookup matches the listed alias first and
// says when it matched by user alone (KeyMatch.ByUserOnly).
//
// A short-term Bedrock key is "bedrock-api-key-" + base64 of a SigV4 presigned
// URL without its scheme: "bedrock.amazonaws.com/?Action=CallWithBearerToken&
// X-Amz-Algorithm=…&X-Amz-Credential=AKID/DATE/REGION/bedrock/aws4_request&
// X-Amz-Date=…&X-Amz-Expires=43200&…&X-Amz-Signature=…&Version=1", with
// X-Amz-Security-Token when the signer held temporary credentials [TokGen;
// BKS]. It lasts "as long as your session (and no longer than 12 hours)"
// [Docs]. Claude Platform's short-term key is the same with the prefix
// "aws-external-anthropic-api-key-" and host aws-external-anthropic.amazonaws.com
// [BKS only].
//
// An access key ID is AKIA (long-term, an IAM user or the root user) or ASIA
// (temporary, from STS) and 16 more characters; STS GetAccessKeyInfo names its
// account [Docs STS API reference].

// KeyKind is what kind of key a string is.
type KeyKind string

const (
	KeyBedrockLong    KeyKind = "bedrock-long-term"  // ABSK + base64("<alias>:<secret>")
	KeyClaudePlatform KeyKind = "claude-platform"    // AEAA..., same scheme
	KeyBedrockShort   KeyKind = "bedrock-short-term" // bedrock-api-key- + base64(presigned URL)
	KeyAccessKeyID    KeyKind = "access-key-id"      // AKIA/ASIA...
	// KeyClaudePlatformShort is Claude Platform's short-term key: like
	// KeyBedrockShort, with its own prefix [BKS only].
	KeyClaudePlatformShort KeyKind = "claude-platform-short-term"
)

// Key prefixes, as they begin the strings.
const (
	prefixBedrockLong   = "ABSK"
	prefixClaudeLong    = "AEAA"
	prefixBedrockShort  = "bedrock-api-key-"
	prefixClaudeShort   = "aws-external-anthropic-api-key-"
	prefixAccessKeyLong = "AKIA"
	prefixAccessKeyTemp = "ASIA"
)

// maxKeyLen bounds what is taken for a key: the longest real ones (a
// short-term key with a session token) are a few kilobytes.
const maxKeyLen = 8192

// maxShortTermLifetime is the longest a short-term key lasts [Docs: "no longer
// than 12 hours"; TokGen TOKEN_DURATION 43200].
const maxShortTermLifetime = 12 * time.Hour

// DecodedKey is what a key says about itself, offline. It never holds the key
// or its secret part: the fingerprint stands for the key.
type DecodedKey struct {
	Kind        KeyKind
	Service     string        // IAM service name when the kind says it ("" otherwise)
	Alias       string        // decoded ServiceCredentialAlias, e.g. alice-at-123456789012, alice+1-at-...
	User        string        // from the alias
	Account     string        // from the alias, or from STS for an access key id (filled by awsclient)
	Slot        int           // 1 = user's first key, 2 = "+1" second key, 0 unknown
	AccessKeyID string        // short-term: the key that signed it; access-key-id kind: itself
	Region      string        // short-term
	Signed      time.Time     // short-term X-Amz-Date
	Lifetime    time.Duration // short-term X-Amz-Expires
	Notes       []string      // hedges: facts not confirmed on a real account
	fingerprint string
}

// ErrNotAKey wraps every reason DecodeKey gives for a string that is no key.
var ErrNotAKey = errors.New("not a key")

func notAKey(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrNotAKey}, args...)...)
}

// DecodeKey decodes a key offline. Surrounding spaces and quotes are ignored.
// The error says why s is not a key; it never contains s.
func DecodeKey(s string) (DecodedKey, error) {
	s = trimKey(s)
	if s == "" {
		return DecodedKey{}, notAKey("empty")
	}
	if len(s) > maxKeyLen {
		return DecodedKey{}, notAKey("longer than %d characters", maxKeyLen)
	}
	var d DecodedKey
	var err error
	switch {
	case strings.HasPrefix(s, prefixBedrockShort):
		d, err = decodeShortTerm(s[len(prefixBedrockShort):], KeyBedrockShort, Bedrock)
	case strings.HasPrefix(s, prefixClaudeShort):
		d, err = decodeShortTerm(s[len(prefixClaudeShort):], KeyClaudePlatformShort, ClaudePlatform)
	case strings.HasPrefix(s, prefixBedrockLong):
		d, err = decodeLongTerm(s[len(prefixBedrockLong):], KeyBedrockLong, Bedrock)
	case strings.HasPrefix(s, prefixClaudeLong):
		d, err = decodeLongTerm(s[len(prefixClaudeLong):], KeyClaudePlatform, ClaudePlatform)
	case strings.HasPrefix(s, prefixAccessKeyLong), strings.HasPrefix(s, prefixAccessKeyTemp):
		d, err = decodeAccessKeyID(s)
	default:
		return DecodedKey{}, notAKey("no known prefix (ABSK, AEAA, bedrock-api-key-, aws-external-anthropic-api-key-, AKIA, ASIA)")
	}
	if err != nil {
		return DecodedKey{}, err
	}
	d.fingerprint = fingerprint(d.Kind, s)
	return d, nil
}

// trimKey drops spaces and one pair of quotes around s.
func trimKey(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	return s
}

// decodeBase64 decodes standard base64 with or without its padding.
func decodeBase64(s string) ([]byte, error) {
	s = strings.TrimRight(s, "=")
	if s == "" {
		return nil, notAKey("nothing after the prefix")
	}
	b, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil {
		return nil, notAKey("the part after the prefix is not base64")
	}
	return b, nil
}

// decodeLongTerm decodes the base64 of "<alias>:<secret>".
func decodeLongTerm(enc string, kind KeyKind, service string) (DecodedKey, error) {
	raw, err := decodeBase64(enc)
	if err != nil {
		return DecodedKey{}, err
	}
	if !utf8.Valid(raw) {
		return DecodedKey{}, notAKey("the decoded part is not text")
	}
	alias, secret, ok := strings.Cut(string(raw), ":")
	if !ok || secret == "" {
		return DecodedKey{}, notAKey("the decoded part is not <alias>:<secret>")
	}
	if alias == "" || len(alias) > 200 || !isAliasText(alias) {
		// ServiceCredentialAlias: 0-200, [\w+=,.@-]+ [Model, Contract §4.3].
		return DecodedKey{}, notAKey("the decoded alias is not an IAM alias")
	}
	d := DecodedKey{Kind: kind, Service: service, Alias: alias}
	d.User, d.Account, d.Slot = parseAlias(alias)
	if d.Account == "" {
		d.Notes = append(d.Notes, "the alias is not in the <user>-at-<account> form: it is matched as listed, the account is unknown offline")
	} else if d.Slot == 2 {
		d.Notes = append(d.Notes, `"+1" taken as the user's second key: the form is documented for CodeCommit user names, not confirmed for API keys`)
	}
	return d, nil
}

// isAliasText reports whether s uses only [\w+=,.@-].
func isAliasText(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isAlnum(c) || strings.IndexByte("_+=,.@-", c) >= 0) {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// parseAlias splits "<user>[+N]-at-<account>" [Contract §4.2]. The account is
// what follows the last "-at-" when it is 12 digits; "+N" at the end of the
// name is slot N+1. A user literally named "bob+1" reads the same as bob's
// second key: MatchKey tries both.
func parseAlias(alias string) (user, account string, slot int) {
	i := strings.LastIndex(alias, "-at-")
	if i <= 0 {
		return "", "", 0
	}
	acct := alias[i+len("-at-"):]
	if !isAccountID(acct) {
		return "", "", 0
	}
	name := alias[:i]
	if j := strings.LastIndexByte(name, '+'); j > 0 {
		if n, err := strconv.Atoi(name[j+1:]); err == nil && n >= 1 && n < 100 && name[j+1] != '0' {
			return name[:j], acct, n + 1
		}
	}
	return name, acct, 1
}

// aliasName is the alias without "-at-<account>": the user, with "+N" if any.
func (d DecodedKey) aliasName() string {
	if d.Account == "" {
		return ""
	}
	return strings.TrimSuffix(d.Alias, "-at-"+d.Account)
}

// decodeAccessKeyID checks the AKIA/ASIA + 16 shape ([A-Z0-9]: AWS's own IDs
// use base32 [A-Z2-7], its documentation examples do not).
func decodeAccessKeyID(s string) (DecodedKey, error) {
	if len(s) != 20 {
		return DecodedKey{}, notAKey("an access key ID is 20 characters")
	}
	for i := 4; i < len(s); i++ {
		if c := s[i]; !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return DecodedKey{}, notAKey("an access key ID is upper-case letters and digits")
		}
	}
	d := DecodedKey{Kind: KeyAccessKeyID, AccessKeyID: s}
	if strings.HasPrefix(s, prefixAccessKeyTemp) {
		d.Notes = append(d.Notes, "ASIA: temporary credentials from STS; IAM lists no owner for them (CloudTrail's STS events do)")
	}
	return d, nil
}

// Fingerprint names the key without showing it: its kind, its first characters
// (the prefix and a few more that encode the alias or the host, not the secret)
// and the first 8 hex digits of its SHA-256. 32 bits of a hash do not help
// anyone guess a key.
func (d DecodedKey) Fingerprint() string { return d.fingerprint }

func fingerprint(kind KeyKind, key string) string {
	head := key
	switch {
	case kind == KeyBedrockShort || kind == KeyClaudePlatformShort:
		// The characters after the long prefix encode the host: keep the prefix.
		head = strings.TrimSuffix(key[:strings.Index(key, "-key-")+len("-key-")], "-")
	case len(head) > 8:
		head = head[:8]
	}
	sum := sha256.Sum256([]byte(key))
	return string(kind) + ":" + head + "…" + hex.EncodeToString(sum[:4])
}

// String is the key's safe description: kind, fingerprint and what it decodes
// to, never the secret.
func (d DecodedKey) String() string {
	if d.Kind == "" {
		return "not a key"
	}
	parts := []string{d.fingerprint}
	switch d.Kind {
	case KeyBedrockLong, KeyClaudePlatform:
		parts = append(parts, "alias "+SafeText(d.Alias))
		if d.Account != "" {
			parts = append(parts, fmt.Sprintf("user %s, account %s, key %s", SafeText(d.User), d.Account, d.SlotText()))
		}
	case KeyBedrockShort, KeyClaudePlatformShort:
		parts = append(parts, fmt.Sprintf("signed by %s in %s at %s for %s",
			SafeText(d.AccessKeyID), SafeText(d.Region), d.Signed.UTC().Format(time.RFC3339), d.Lifetime))
	case KeyAccessKeyID:
		if d.Account != "" {
			parts = append(parts, "account "+d.Account)
		}
	}
	return strings.Join(parts, ", ")
}

// SlotText says which of the user's keys the alias names.
func (d DecodedKey) SlotText() string {
	switch d.Slot {
	case 1:
		return "first"
	case 2:
		return "second (+1)"
	case 0:
		return "unknown"
	}
	return fmt.Sprintf("+%d", d.Slot-1)
}

// Expires is when a short-term key stops working at the latest (zero for
// other kinds). The session that signed it may end sooner [Docs].
func (d DecodedKey) Expires() time.Time {
	if d.Signed.IsZero() {
		return time.Time{}
	}
	return d.Signed.Add(d.Lifetime)
}

// Temporary reports whether the signing or named access key is an STS one (ASIA).
func (d DecodedKey) Temporary() bool { return strings.HasPrefix(d.AccessKeyID, prefixAccessKeyTemp) }
