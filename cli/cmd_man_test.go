package cli

import (
	"strings"
	"testing"
)

// The man page's title line names the manual, not the whole description; each
// option has its value's name and its default, as the README writes them; the
// keys section lists every binding of the UI's keymap.
func TestManPageOptionsAndKeys(t *testing.T) {
	r := runCLI("man")
	if r.code != 0 {
		t.Fatalf("man: exit %d: %s", r.code, r.stderr)
	}
	title, _, _ := strings.Cut(r.stdout, "\n")
	if !strings.HasSuffix(title, `"iamcreds" "User Commands"`) {
		t.Errorf("title line %q", title)
	}
	for _, want := range []string{
		`\fB--profile NAME\fP`, `\fB--endpoint-url URL\fP`, `\fB--timeout DURATION\fP`, `\fB--max-age AGE\fP`,
		`\fB--seed SEED\fP`, `\fB--addr HOST:PORT\fP`, `\fB--secret-file FILE\fP`, `\fB--demo\fP`,
		"(default 30s)", "(default 90d)", "(default 127\\&.0\\&.0\\&.1:4599)",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the man page lacks %s", want)
		}
	}
	if strings.Contains(r.stdout, "(default false)") || strings.Contains(r.stdout, "(default )") {
		t.Error("the man page states an empty default")
	}
	if n := strings.Count(r.stdout, `\fB--concurrency INT\fP`); n != 3 {
		t.Errorf("--concurrency is listed %d times: rotate hides it, the UI, audit and cleanup-users have it", n)
	}
	_, keys, ok := strings.Cut(r.stdout, ".SH KEYS")
	if !ok {
		t.Fatal("the man page has no KEYS section")
	}
	rows := keymapRows()
	if len(rows) < 30 {
		t.Fatalf("the keymap has %d bindings", len(rows))
	}
	for _, k := range rows {
		if !strings.Contains(keys, `\fB`+escapeRoffForTest(k[0])+`\fP`) {
			t.Errorf("KEYS lacks %q (%s)", k[0], k[1])
		}
	}
}

// escapeRoffForTest escapes as roff's Text does the characters keys use.
func escapeRoffForTest(s string) string {
	s = strings.ReplaceAll(s, `\`, `\e`)
	s = strings.ReplaceAll(s, ".", `\&.`)
	return s
}
