package model

import (
	"net/url"
	"strings"
	"testing"
)

// A key inside a URL has its "+", "/" and "=" percent-encoded: the redaction
// must run over them, or the tail after the first %2B — the secret — is
// printed in the message that quotes a bad flag value.
func TestRedactKeysInAURL(t *testing.T) {
	k := longKey("ABSK", "alice-at-123456789012:"+secretPart+"??>>")
	enc := url.QueryEscape(k)
	if !strings.Contains(enc, "%") {
		t.Fatalf("the test key has no character to escape: %s", enc)
	}
	got := RedactKeys(`--format "https://example.com/x?key=` + enc + `&y=1": text or json`)
	if want := `--format "https://example.com/x?key=ABSK…[redacted]&y=1": text or json`; got != want {
		t.Errorf("RedactKeys:\n got %q\nwant %q", got, want)
	}
	tail := enc[strings.Index(enc, "%"):]
	if strings.Contains(got, tail[3:]) {
		t.Errorf("the key's tail is in %q", got)
	}
}
