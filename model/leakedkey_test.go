package model

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"
)

func longKey(prefix, payload string) string {
	return prefix + base64.StdEncoding.EncodeToString([]byte(payload))
}

// shortKey builds a short-term key as aws-bedrock-token-generator does: the
// presigned URL without its scheme, "&Version=1" appended, base64.
func shortKey(prefix, host, akid, region, service, date string, expires int, token string) string {
	q := url.Values{}
	q.Set("Action", "CallWithBearerToken")
	q.Set("X-Amz-Algorithm", "AWS4-HMAC-SHA256")
	q.Set("X-Amz-Credential", akid+"/"+date[:8]+"/"+region+"/"+service+"/aws4_request")
	q.Set("X-Amz-Date", date)
	q.Set("X-Amz-Expires", itoa(expires))
	q.Set("X-Amz-SignedHeaders", "host")
	if token != "" {
		q.Set("X-Amz-Security-Token", token)
	}
	q.Set("X-Amz-Signature", strings.Repeat("ab12", 16))
	return prefix + base64.StdEncoding.EncodeToString([]byte(host+"/?"+q.Encode()+"&Version=1"))
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

const secretPart = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldC1zZWNyZXQ="

func TestDecodeKeyTable(t *testing.T) {
	signed := time.Date(2026, 5, 11, 18, 47, 6, 0, time.UTC)
	tests := []struct {
		name string
		key  string
		want DecodedKey
	}{
		{"bedrock first", longKey("ABSK", "alice-at-123456789012:"+secretPart),
			DecodedKey{Kind: KeyBedrockLong, Service: Bedrock, Alias: "alice-at-123456789012", User: "alice", Account: "123456789012", Slot: 1}},
		{"bedrock second", longKey("ABSK", "BedrockAPIKey-x7q2+1-at-210987654321:"+secretPart),
			DecodedKey{Kind: KeyBedrockLong, Service: Bedrock, Alias: "BedrockAPIKey-x7q2+1-at-210987654321", User: "BedrockAPIKey-x7q2", Account: "210987654321", Slot: 2}},
		{"bedrock user with -at- and dots", longKey("ABSK", "a.b-at-c@d-at-123456789012:"+secretPart),
			DecodedKey{Kind: KeyBedrockLong, Service: Bedrock, Alias: "a.b-at-c@d-at-123456789012", User: "a.b-at-c@d", Account: "123456789012", Slot: 1}},
		{"bedrock unknown alias form", longKey("ABSK", "alice-v2-20260101:"+secretPart),
			DecodedKey{Kind: KeyBedrockLong, Service: Bedrock, Alias: "alice-v2-20260101"}},
		{"claude platform", "AEAA" + base64.StdEncoding.EncodeToString([]byte("AeaApiKey-h42z-at-123456789012:"+secretPart)),
			DecodedKey{Kind: KeyClaudePlatform, Service: ClaudePlatform, Alias: "AeaApiKey-h42z-at-123456789012", User: "AeaApiKey-h42z", Account: "123456789012", Slot: 1}},
		{"claude platform framed (bks)", base64.StdEncoding.EncodeToString(append([]byte{0, 0x40, 0}, "AeaApiKey-h42z+1-at-123456789012:s3cr3t"...)),
			DecodedKey{Kind: KeyClaudePlatform, Service: ClaudePlatform, Alias: "AeaApiKey-h42z+1-at-123456789012", User: "AeaApiKey-h42z", Account: "123456789012", Slot: 2}},
		{"short-term by user key", shortKey("bedrock-api-key-", "bedrock.amazonaws.com", "AKIAZZZZZZZZZZZZZZZZ", "eu-west-1", "bedrock", "20260511T184706Z", 43200, ""),
			DecodedKey{Kind: KeyBedrockShort, Service: Bedrock, AccessKeyID: "AKIAZZZZZZZZZZZZZZZZ", Region: "eu-west-1", Signed: signed, Lifetime: 12 * time.Hour}},
		{"short-term by session", shortKey("bedrock-api-key-", "bedrock.amazonaws.com", "ASIAZZZZZZZZZZZZZZZZ", "us-east-1", "bedrock", "20260511T184706Z", 900, "FwoGZXIvYXdzE//token+/="),
			DecodedKey{Kind: KeyBedrockShort, Service: Bedrock, AccessKeyID: "ASIAZZZZZZZZZZZZZZZZ", Region: "us-east-1", Signed: signed, Lifetime: 15 * time.Minute}},
		{"claude short-term", shortKey("aws-external-anthropic-api-key-", "aws-external-anthropic.amazonaws.com", "ASIATESTEXAMPLE", "us-east-1", "aws-external-anthropic", "20260511T184706Z", 43200, "x"),
			DecodedKey{Kind: KeyClaudePlatformShort, Service: ClaudePlatform, AccessKeyID: "ASIATESTEXAMPLE", Region: "us-east-1", Signed: signed, Lifetime: 12 * time.Hour}},
		{"access key id", "AKIAIOSFODNN7EXAMPLE", DecodedKey{Kind: KeyAccessKeyID, AccessKeyID: "AKIAIOSFODNN7EXAMPLE"}},
		{"quoted with spaces", "  \"AKIAIOSFODNN7EXAMPLE\"\n", DecodedKey{Kind: KeyAccessKeyID, AccessKeyID: "AKIAIOSFODNN7EXAMPLE"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := DecodeKey(tt.key)
			if err != nil {
				t.Fatalf("DecodeKey: %v", err)
			}
			got := d
			got.Notes, got.fingerprint = nil, ""
			if got.Kind != tt.want.Kind || got.Service != tt.want.Service || got.Alias != tt.want.Alias || got.User != tt.want.User ||
				got.Account != tt.want.Account || got.Slot != tt.want.Slot || got.AccessKeyID != tt.want.AccessKeyID ||
				got.Region != tt.want.Region || !got.Signed.Equal(tt.want.Signed) || got.Lifetime != tt.want.Lifetime {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
			assertNoSecret(t, tt.key, d.Fingerprint(), d.String(), strings.Join(d.Notes, "\n"))
			if !strings.HasPrefix(d.Fingerprint(), string(d.Kind)+":") {
				t.Errorf("fingerprint %q does not start with the kind", d.Fingerprint())
			}
		})
	}
}

// assertNoSecret fails when any of outs holds the key or its secret part.
func assertNoSecret(t *testing.T, key string, outs ...string) {
	t.Helper()
	key = trimKey(key)
	for _, o := range outs {
		if strings.Contains(o, key) || strings.Contains(o, secretPart) || (len(key) > 40 && strings.Contains(o, key[len(key)/2:len(key)/2+16])) {
			t.Errorf("output shows the key: %q", o)
		}
	}
}

func TestDecodeKeyRefuses(t *testing.T) {
	for _, s := range []string{
		"", "hello", "ABSK", "ABSK!!!!", "ABSK" + base64.StdEncoding.EncodeToString([]byte("no colon here")),
		"ABSK" + base64.StdEncoding.EncodeToString([]byte("bad alias!:secret")),
		"ABSK" + base64.StdEncoding.EncodeToString([]byte{0xff, 0xfe, ':', 'x'}),
		"bedrock-api-key-" + base64.StdEncoding.EncodeToString([]byte("bedrock.amazonaws.com/?Action=CallWithBearerToken")),
		"bedrock-api-key-" + base64.StdEncoding.EncodeToString([]byte("not a url")),
		"AKIA123", "AKIAiosfodnn7example", "ASIAIOSFODNN7EXAMPLEX",
	} {
		_, err := DecodeKey(s)
		if !errors.Is(err, ErrNotAKey) {
			t.Errorf("DecodeKey(%q) = %v, want ErrNotAKey", s, err)
			continue
		}
		if len(s) > 8 && strings.Contains(err.Error(), s) {
			t.Errorf("error repeats the input: %v", err)
		}
	}
}

func TestFingerprintStableAndDistinct(t *testing.T) {
	a := longKey("ABSK", "alice-at-123456789012:"+secretPart)
	b := longKey("ABSK", "alice-at-123456789012:"+secretPart+"x")
	da, _ := DecodeKey(a)
	da2, _ := DecodeKey(" " + a + " ")
	db, _ := DecodeKey(b)
	if da.Fingerprint() != da2.Fingerprint() {
		t.Errorf("fingerprint changes with spaces: %q %q", da.Fingerprint(), da2.Fingerprint())
	}
	if da.Fingerprint() == db.Fingerprint() {
		t.Errorf("two keys share fingerprint %q", da.Fingerprint())
	}
	if got := da.Fingerprint(); !strings.HasPrefix(got, "bedrock-long-term:"+a[:8]+"…") || len(got) != len("bedrock-long-term:")+8+len("…")+8 {
		t.Errorf("fingerprint %q", got)
	}
	s := shortKey("bedrock-api-key-", "bedrock.amazonaws.com", "AKIAZZZZZZZZZZZZZZZZ", "eu-west-1", "bedrock", "20260511T184706Z", 43200, "")
	ds, _ := DecodeKey(s)
	if !strings.HasPrefix(ds.Fingerprint(), "bedrock-short-term:bedrock-api-key…") {
		t.Errorf("short fingerprint %q", ds.Fingerprint())
	}
}

func TestFindKeys(t *testing.T) {
	k1 := longKey("ABSK", "alice-at-123456789012:"+secretPart)
	k2 := shortKey("bedrock-api-key-", "bedrock.amazonaws.com", "ASIAZZZZZZZZZZZZZZZZ", "us-east-1", "bedrock", "20260511T184706Z", 900, "tok")
	k3 := "AKIAIOSFODNN7EXAMPLE"
	k4 := "AEAA" + base64.StdEncoding.EncodeToString([]byte("AeaApiKey-h42z-at-123456789012:"+secretPart))
	text := "export AWS_BEARER_TOKEN_BEDROCK=" + k1 + "\n" +
		`{"token": "` + k2 + `", "id": "` + k3 + `"}` + "\n" +
		"key: '" + k4 + "'\n" +
		"not keys: xABSK" + secretPart + " ABSKnotbase64butlongenoughtopassthelengthcheck AKIAIOSFODNN7EXAMPLEX MYAKIAIOSFODNN7EXAMPLE\n" +
		"ABSK" + base64.StdEncoding.EncodeToString([]byte("no-colon-in-this-payload-at-all-really")) + "\n"
	spans := FindKeys([]byte(text))
	var got []string
	for _, s := range spans {
		got = append(got, text[s[0]:s[1]])
	}
	want := []string{k1, k2, k3, k4}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("FindKeys found\n%q\nwant\n%q", got, want)
	}
}

// FindKeys' two passes name the patterns by position: they must be the ones meant.
func TestFindKeysPatternTable(t *testing.T) {
	for _, p := range []string{"ABSK", "AEAA", "AKIA", "ASIA"} {
		if got := aPattern(p[1], p[2], p[3]); got == nil || string(got.prefix) != p {
			t.Errorf("aPattern(%s) = %v", p, got)
		}
	}
	for _, p := range shortPatterns {
		if !strings.HasSuffix(string(p.prefix), apiKeySep) || p.kind == KeyAccessKeyID {
			t.Errorf("short pattern %q", p.prefix)
		}
	}
}

func TestLooksLikeKey(t *testing.T) {
	for s, want := range map[string]bool{
		"--deactivate":         false,
		"alice":                false,
		"ABSK":                 false,
		"ABSKQmVkcm9ja0FQSUtl": true,
		longKey("ABSK", "alice-at-123456789012:"+secretPart): true,
		"--key=AKIAIOSFODNN7EXAMPLE":                         true,
		"bedrock-api-key-YmVkcm9jay5hbWF6b25h":               true,
	} {
		if got := LooksLikeKey(s); got != want {
			t.Errorf("LooksLikeKey(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestRedactKeys(t *testing.T) {
	k := longKey("ABSK", "alice-at-123456789012:"+secretPart)
	got := RedactKeys("unknown flag: --" + k + " and AKIAIOSFODNN7EXAMPLE, fine: ABSK and --delete")
	if strings.Contains(got, k[4:]) || strings.Contains(got, "IOSFODNN7EXAMPLE") ||
		got != "unknown flag: --ABSK…[redacted] and AKIA…[redacted], fine: ABSK and --delete" {
		t.Errorf("RedactKeys: %q", got)
	}
	if s := "nothing here"; RedactKeys(s) != s {
		t.Error("RedactKeys changed plain text")
	}
}

func TestMatchKey(t *testing.T) {
	first := Credential{ID: "ACCA1", UserName: "alice", Service: Bedrock, Status: Active, Alias: "alice-at-123456789012"}
	second := Credential{ID: "ACCA2", UserName: "alice", Service: Bedrock, Status: Inactive, Alias: "alice+1-at-123456789012"}
	git := Credential{ID: "ACCA3", UserName: "alice", Service: CodeCommit, Status: Active, ServiceUserName: "alice-at-123456789012"}
	creds := []Credential{git, first, second}
	d2, _ := DecodeKey(longKey("ABSK", "alice+1-at-123456789012:"+secretPart))
	if m := MatchKey(d2, "123456789012", creds); !m.Found || m.ByUserOnly || m.Credential.ID != "ACCA2" {
		t.Errorf("exact second key: %+v", m)
	}
	if m := MatchKey(d2, "999999999999", creds); m.Found || m.Account != "999999999999" {
		t.Errorf("other account matched: %+v", m)
	}
	// The alias AWS lists differs from the decoded one: match by user, ambiguous.
	other := []Credential{
		{ID: "ACCA4", UserName: "alice", Service: Bedrock, Alias: "alice-v2-x"},
		{ID: "ACCA5", UserName: "alice", Service: Bedrock, Alias: "alice-v2-y"},
	}
	if m := MatchKey(d2, "123456789012", other); m.Found || !m.ByUserOnly || len(m.Candidates) != 2 {
		t.Errorf("ambiguous: %+v", m)
	}
	if m := MatchKey(d2, "123456789012", other[:1]); !m.Found || !m.ByUserOnly || m.Credential.ID != "ACCA4" {
		t.Errorf("by user only: %+v", m)
	}
	// A user literally named "alice+1".
	plus := []Credential{{ID: "ACCA6", UserName: "alice+1", Service: Bedrock, Alias: "alice+1-at-x"}}
	if m := MatchKey(d2, "123456789012", plus); !m.Found || m.Credential.ID != "ACCA6" {
		t.Errorf("user named alice+1: %+v", m)
	}
	// The second key deleted, the first listed in the same alias form: gone, not the first.
	if m := MatchKey(d2, "123456789012", []Credential{git, first}); m.Found || m.ByUserOnly {
		t.Errorf("a deleted second key matched the first: %+v", m)
	}
	if m := MatchKey(d2, "123456789012", nil); m.Found || m.ByUserOnly {
		t.Errorf("empty listing: %+v", m)
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	d1, _ := DecodeKey(longKey("ABSK", "alice-at-123456789012:"+secretPart))
	if m := MatchKey(d1, "123456789012", creds); !m.Live(now) || m.Credential.ID != "ACCA1" {
		t.Errorf("first key not live: %+v", m)
	}
	ak, _ := DecodeKey("AKIAIOSFODNN7EXAMPLE")
	if m := MatchKey(ak, "123456789012", creds); m.Found {
		t.Errorf("access key id matched a credential: %+v", m)
	}
}

func TestDenyPolicyFor(t *testing.T) {
	sess, _ := DecodeKey(shortKey("bedrock-api-key-", "bedrock.amazonaws.com", "ASIAZZZZZZZZZZZZZZZZ", "us-east-1", "bedrock", "20260511T184706Z", 900, "tok"))
	p, err := DenyPolicyFor(sess)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Statement []struct {
			Effect, Action, Resource string
			Condition                map[string]map[string]string
		}
	}
	if err := json.Unmarshal([]byte(p), &doc); err != nil {
		t.Fatalf("policy is not JSON: %v\n%s", err, p)
	}
	st := doc.Statement[0]
	if st.Effect != "Deny" || st.Action != "bedrock:CallWithBearerToken" || st.Condition["DateLessThan"]["aws:TokenIssueTime"] != "2026-05-11T18:52:06Z" {
		t.Errorf("session policy:\n%s", p)
	}
	user, _ := DecodeKey(shortKey("bedrock-api-key-", "bedrock.amazonaws.com", "AKIAZZZZZZZZZZZZZZZZ", "us-east-1", "bedrock", "20260511T184706Z", 900, ""))
	p, _ = DenyPolicyFor(user)
	if !strings.Contains(p, `"bedrock:bearerTokenType": "SHORT_TERM"`) || strings.Contains(p, "TokenIssueTime") {
		t.Errorf("user-key policy:\n%s", p)
	}
	if DenyPolicyTarget(user) == "" || DenyPolicyTarget(sess) == "" {
		t.Error("no target sentence")
	}
	long, _ := DecodeKey(longKey("ABSK", "alice-at-123456789012:"+secretPart))
	if _, err := DenyPolicyFor(long); !errors.Is(err, ErrNoDenyPolicy) {
		t.Errorf("long-term key: %v", err)
	}
}

func FuzzDecodeKey(f *testing.F) {
	f.Add(longKey("ABSK", "alice-at-123456789012:"+secretPart))
	f.Add(shortKey("bedrock-api-key-", "bedrock.amazonaws.com", "ASIAZZZZZZZZZZZZZZZZ", "us-east-1", "bedrock", "20260511T184706Z", 900, "tok"))
	f.Add("AKIAIOSFODNN7EXAMPLE")
	f.Add("xx ABSK" + secretPart + secretPart + " AEAA====")
	f.Fuzz(func(t *testing.T, s string) {
		d, err := DecodeKey(s)
		if err == nil {
			_ = d.String()
			_, _ = DenyPolicyFor(d)
			_ = MatchKey(d, "123456789012", []Credential{{UserName: d.User, Service: d.Service, Alias: d.Alias}})
			if d.Fingerprint() == "" {
				t.Fatal("decoded key without fingerprint")
			}
		}
		b := []byte(s)
		prev := 0
		for _, sp := range FindKeys(b) {
			if sp[0] < prev || sp[1] <= sp[0] || sp[1] > len(b) {
				t.Fatalf("bad span %v (prev end %d, len %d)", sp, prev, len(b))
			}
			prev = sp[1]
		}
		_ = LooksLikeKey(s)
	})
}

// benchCorpus is text like a source tree's: words, identifiers, base64 blobs,
// with a key every 64 KiB.
func benchCorpus(size int) []byte {
	key := longKey("ABSK", "alice-at-123456789012:"+secretPart)
	line := "func (c *Client) LookupKey(ctx context.Context, account string) error { // AKIA ABSK notes Bearer QUJTSw==\n"
	var b bytes.Buffer
	for b.Len() < size {
		for i := 0; i < 64*1024/len(line); i++ {
			b.WriteString(line)
		}
		b.WriteString("AWS_BEARER_TOKEN_BEDROCK=" + key + "\n")
	}
	return b.Bytes()[:size]
}

func BenchmarkFindKeys(b *testing.B) {
	data := benchCorpus(64 << 20)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		if len(FindKeys(data)) == 0 {
			b.Fatal("no key found")
		}
	}
}
