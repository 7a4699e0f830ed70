package model

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

// hostile holds what a lying endpoint can put in legal XML: C1 CSI, OSC and ST,
// CR, DEL, bidi overrides and isolates. (ESC is rejected by Go's XML decoder, but
// is here too: SafeText must not depend on that.)
const hostile = "a\u009b2J\u009d52;c;aGk=\u009cb\rc\x7fd\u202eevil\u2066x\u2069\x1b[31m\t\n"

// invisibles are characters that draw nothing, with which "al\u200bice" looks
// like alice: soft hyphen, zero-width space, non-joiner and joiner, word
// joiner, the line and paragraph separators, BOM, a tag character, a Hangul
// filler and a variation selector.
const invisibles = "\u00ad\u200b\u200c\u200d\u2060\u2028\u2029\ufeff\U000e0041\u3164\ufe0f"

func TestSafeText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"alice", "alice"},
		{"élodie-日本-👩💻", "élodie-日本-👩💻"},
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
		// What draws nothing shows as its code point.
		{"al\u00adice", "al<U+00AD>ice"}, // soft hyphen
		{"al\u200bice", "al<U+200B>ice"}, // zero-width space
		{"\u200c\u200d\u2060\u2061\u2064", "<U+200C><U+200D><U+2060><U+2061><U+2064>"},
		{"👩\u200d💻", "👩<U+200D>💻"}, // a ZWJ sequence too: IAM's names are ASCII
		{"a\u2028b\u2029c", "a<U+2028>b<U+2029>c"},
		{"\ufeffbom", "<U+FEFF>bom"},
		{"\U000e0041\U000e007f\U000e0001", "<U+E0041><U+E007F><U+E0001>"},   // tag characters
		{"\u115f\u1160\u3164\uffa0", "<U+115F><U+1160><U+3164><U+FFA0>"},    // Hangul fillers
		{"\u2764\ufe0f\U000e0100\u180b", "\u2764<U+FE0F><U+E0100><U+180B>"}, // variation selectors
		{"\u034f\u180e\u0600\ufff9\U0001d173", "<U+034F><U+180E><U+0600><U+FFF9><U+1D173>"},
		{"\u2065\u206a\u206f\U000e0fff", "<U+2065><U+206A><U+206F><U+E0FFF>"},
		// Neighbours of the ranges stay.
		{"\u00a0\u00ac\u00ae\u2027\u202f\u2070\ufefc\ufffc\U000e1000", "\u00a0\u00ac\u00ae\u2027\u202f\u2070\ufefc\ufffc\U000e1000"},
		// A placeholder is text: SafeText leaves it alone.
		{"<U+200B>", "<U+200B>"},
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
	for _, s := range []string{"", "alice", hostile, invisibles, "\xc2", "\xe2\x80\xae", "日本\u009b", "\xff\xfe", "\U000e0041"} {
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
		for _, r := range out {
			if invisibleRune(r) {
				t.Fatalf("SafeText(%q) = %q keeps the invisible %U", s, out, r)
			}
		}
		want := 0 // one placeholder per rune or bad byte: a control's is one rune, an invisible's its code point
		for _, r := range s {
			if invisibleRune(r) && !unsafeRune(r) {
				want += len(SafeText(string(r)))
			} else {
				want++
			}
		}
		if utf8.RuneCountInString(out) != want {
			t.Fatalf("SafeText(%q) = %q: %d runes, want %d", s, out, utf8.RuneCountInString(out), want)
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

// A name with a character that draws nothing never looks like the name
// without it: not in any report format, nor across accounts, nor in the
// rotation's JSON. JSON keeps the exact value and shows the character as an
// escape.
func TestLookAlikesDifferInEveryReport(t *testing.T) {
	for _, inv := range []rune(invisibles) {
		twin := "al" + string(inv) + "ice"
		mk := func(user string) []AuditRow {
			c := Credential{ID: "ACCAEXAMPLE0000000001", UserName: user, Service: CodeCommit, Status: Active,
				Created: daysAgo(3), ServiceUserName: user + "-at-123456789012"}
			return []AuditRow{NewAuditRow(c, auditNow, 0)}
		}
		meta := AuditMeta{GeneratedAt: auditNow}
		for _, f := range ExportFormats {
			plain, hidden := writeReport(t, mk("alice"), f, meta), writeReport(t, mk(twin), f, meta)
			if bytes.Equal(plain, hidden) {
				t.Errorf("%s: %U: alice and its look-alike give the same report", f, inv)
			}
			assertNoControls(t, fmt.Sprintf("%s with %U", f, inv), strings.NewReplacer("\n", "", "\t", "").Replace(string(hidden)))
			if f == FormatJSON || f == FormatJSONL {
				continue
			}
			if want := SafeText(twin); !strings.Contains(string(hidden), want) {
				t.Errorf("%s: %U: no %q in\n%s", f, inv, want, hidden)
			}
		}
		// JSON: the exact name back, and the character as an escape in the text.
		var doc struct {
			Credentials []struct{ User string }
		}
		out := writeReport(t, mk(twin), FormatJSON, meta)
		if err := json.Unmarshal(out, &doc); err != nil || len(doc.Credentials) != 1 || doc.Credentials[0].User != twin {
			t.Errorf("JSON with %U: %v, %+v: want the user %q back", inv, err, doc, twin)
		}
		if want := jsonEscapeOf(inv); !strings.Contains(string(out), `"al`+want+`ice"`) {
			t.Errorf("JSON with %U lacks %s:\n%s", inv, want, out)
		}
		// The rotation's JSON too.
		var b bytes.Buffer
		c := mk(twin)[0].Credential
		if err := WriteRotationJSON(&b, RotationReport{User: twin, Service: CodeCommit, Result: RotationFailed,
			Message: "refused for " + twin, Rotation: Rotation{Plan: RotationPlan{Old: c}}}); err != nil {
			t.Fatal(err)
		}
		assertNoControls(t, fmt.Sprintf("rotation JSON with %U", inv), strings.ReplaceAll(b.String(), "\n", ""))
		if !strings.Contains(b.String(), "al"+jsonEscapeOf(inv)+"ice") {
			t.Errorf("rotation JSON with %U shows no escape:\n%s", inv, b.String())
		}
	}
}

// jsonEscapeOf is r as the JSON reports write it: \uXXXX, or a UTF-16 pair.
func jsonEscapeOf(r rune) string {
	if r > 0xffff {
		hi, lo := utf16.EncodeRune(r)
		return fmt.Sprintf(`\u%04x\u%04x`, hi, lo)
	}
	return fmt.Sprintf(`\u%04x`, r)
}
