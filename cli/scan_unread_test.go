package cli

import (
	"bytes"
	"strings"
	"testing"

	"iamcreds/internal/keyscan"
)

// "No key found." is a clean bill; with files or directories unread it is not
// one, and the table says so.
func TestScanNoKeyFoundSaysWhatWasNotRead(t *testing.T) {
	var out bytes.Buffer
	rep := scanReport{Stats: keyscan.Stats{Files: 3, Unreadable: 2}}
	if err := rep.write(&out, "table"); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); strings.HasPrefix(got, "No key found.") || !strings.Contains(got, "2 unreadable") {
		t.Fatalf("got %q", got)
	}
	out.Reset()
	rep.Stats.Unreadable = 0
	if err := rep.write(&out, "table"); err != nil || out.String() != "No key found.\n" {
		t.Fatalf("got %q, %v", out.String(), err)
	}
}
