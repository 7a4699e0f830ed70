package model

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// hostile holds what a lying endpoint can put in legal XML: C1 CSI, OSC and ST,
// CR, DEL, bidi overrides and isolates. (ESC is rejected by Go's XML decoder, but
// is here too: SafeText must not depend on that.)
const hostile = "a\u009b2J\u009d52;c;aGk=\u009cb\rc\x7fd\u202eevil\u2066x\u2069\x1b[31m\t\n"

func TestSafeText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"alice", "alice"},
		{"élodie-日本-👩‍💻", "élodie-日本-👩‍💻"},
		{"a\x1b[2Jb", "a␛[2Jb"},
		{"line\r\nnext\ttab", "line␍␊next␉tab"},
		{"\x00\x7f", "␀␡"},
		{"csi\u009b2J", "csi\ufffd2J"},
		{"osc\u009d52;c;x\u009c", "osc\ufffd52;c;x\ufffd"},
		{"\u0080\u009f", "\ufffd\ufffd"},
		{"txt.exe\u202egnp", "txt.exe\ufffdgnp"},
		{"\u202a\u202b\u202c\u202d", "\ufffd\ufffd\ufffd\ufffd"},
		{"\u2066\u2067\u2068\u2069", "\ufffd\ufffd\ufffd\ufffd"},
		{"\u200e\u200f\u061c", "\ufffd\ufffd\ufffd"},
		{"bad\x9bbyte\xff", "bad\ufffdbyte\ufffd"}, // raw 0x9b is CSI to an 8-bit terminal
		// Neighbours of the ranges stay: U+00A0, U+2029, U+202F, U+2065, U+206A.
		{"\u00a0\u2029\u202f\u2065\u206a", "\u00a0\u2029\u202f\u2065\u206a"},
	} {
		if got := SafeText(tc.in); got != tc.want {
			t.Errorf("SafeText(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if IsSafeText(tc.in) != (tc.in == tc.want) {
			t.Errorf("IsSafeText(%q) = %v", tc.in, IsSafeText(tc.in))
		}
	}
}

func TestSafeTextFastPathDoesNotAllocate(t *testing.T) {
	for _, s := range []string{"alice-at-123456789012", "ACCAEXAMPLEGIT000001", "élodie 日本"} {
		if n := testing.AllocsPerRun(100, func() { _ = SafeText(s) }); n != 0 {
			t.Errorf("SafeText(%q): %v allocations, want 0", s, n)
		}
	}
}

// assertNoControls fails if s holds a character SafeText replaces.
func assertNoControls(t *testing.T, what, s string) {
	t.Helper()
	if i := firstUnsafe(s); i >= 0 {
		t.Errorf("%s: control or bidi character at byte %d: %q", what, i, s)
	}
}

func FuzzSafeText(f *testing.F) {
	for _, s := range []string{"", "alice", hostile, "\xc2", "\xe2\x80\xae", "日本\u009b", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := SafeText(s)
		if !utf8.ValidString(out) {
			t.Fatalf("SafeText(%q) = %q: invalid UTF-8", s, out)
		}
		for _, r := range out {
			if unsafeRune(r) {
				t.Fatalf("SafeText(%q) = %q keeps %U", s, out, r)
			}
		}
		if IsSafeText(s) && out != s {
			t.Fatalf("safe text changed: %q -> %q", s, out)
		}
		if SafeText(out) != out {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, out, SafeText(out))
		}
		if utf8.RuneCountInString(out) != len([]rune(s)) { // one placeholder per rune or bad byte
			t.Fatalf("SafeText(%q) = %q: %d runes, want %d", s, out, utf8.RuneCountInString(out), len([]rune(s)))
		}
	})
}

func TestErrorStringsAreSafe(t *testing.T) {
	e := &Error{Kind: KindOther, Message: "ListUsers failed: " + hostile, Op: "ListUsers",
		Code: "Bad\u009bCode", RequestID: "req\u202e-1"}
	assertNoControls(t, "Error()", e.Error())
	assertNoControls(t, "Details()", e.Details())
	if !strings.HasPrefix(e.Error(), "ListUsers failed: a") || !strings.Contains(e.Details(), "action ListUsers") {
		t.Errorf("Error() = %q, Details() = %q: lost the readable text", e.Error(), e.Details())
	}
	if LimitError("x\rname", CodeCommit).Error() != LimitError("x␍name", CodeCommit).Error() {
		t.Error("a user name in a built message is not made safe")
	}
}

func hostileRows() []AuditRow {
	c := Credential{ID: "ACCA\u009b2J", UserName: "u" + hostile, Service: CodeCommit, Status: Active,
		Created: daysAgo(3), ServiceUserName: "u\u202e-at-1"}
	return []AuditRow{NewAuditRow(c, auditNow, 0)}
}

func TestExportsCarryNoControls(t *testing.T) {
	meta := AuditMeta{Account: "1\u009b" + hostile, GeneratedAt: auditNow, Filter: AuditFilter{Text: hostile}}
	for _, f := range ExportFormats {
		var b bytes.Buffer
		if err := WriteAuditReport(&b, hostileRows(), f, meta); err != nil {
			t.Fatal(err)
		}
		// Line breaks and tabs of the format itself are fine; any other control is not.
		out := strings.NewReplacer("\n", "", "\t", "").Replace(b.String())
		assertNoControls(t, string(f), out)
	}
}

func TestCSVShowsPlaceholders(t *testing.T) {
	recs := csvRecords(t, hostileRows())
	if got, want := recs[1][0], SafeText("u"+hostile); got != want {
		t.Errorf("user cell = %q, want %q", got, want)
	}
}

// encoding/json leaves DEL, C1 and bidi controls raw; the JSON report must
// escape them and still decode to the exact values IAM returned.
func TestJSONEscapesControlsAndKeepsValues(t *testing.T) {
	raw, err := json.Marshal("\u009b\u202e\x7f")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("encoding/json writes %q", raw) // why escapeJSONControls exists

	var b bytes.Buffer
	if err := WriteAuditReport(&b, hostileRows(), FormatJSON, AuditMeta{GeneratedAt: auditNow}); err != nil {
		t.Fatal(err)
	}
	for _, esc := range []string{`\u009b`, `\u009d`, `\u009c`, `\u007f`, `\u202e`, `\u2066`, `\u2069`, `\r`} {
		if !strings.Contains(b.String(), esc) {
			t.Errorf("JSON lacks the escape %s:\n%s", esc, b.String())
		}
	}
	var doc struct {
		Credentials []auditRecord `json:"credentials"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("escaped JSON does not parse: %v", err)
	}
	r := hostileRows()[0]
	got := doc.Credentials[0]
	if got.User != r.UserName || got.CredentialID != r.ID || got.Login != r.Login() {
		t.Errorf("values changed: %+v, want user %q id %q login %q", got, r.UserName, r.ID, r.Login())
	}
}

func TestEscapeJSONControlsLeavesCleanOutputAlone(t *testing.T) {
	b := []byte("{\n  \"user\": \"élodie\"\n}")
	if got := escapeJSONControls(b); &got[0] != &b[0] {
		t.Error("clean JSON was copied")
	}
}

func BenchmarkSafeTextClean(b *testing.B) {
	s := "alice-at-123456789012"
	for b.Loop() {
		_ = SafeText(s)
	}
}

func BenchmarkSafeTextHostile(b *testing.B) {
	for b.Loop() {
		_ = SafeText(hostile)
	}
}
