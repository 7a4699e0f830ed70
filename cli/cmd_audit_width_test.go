package cli

import (
	"bytes"
	"context"
	"io"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"iamcreds/awsclient/localiam"
)

// audit's table on a terminal of 80 columns fits it; to a pipe it keeps every
// column whatever $COLUMNS says.
func TestAuditTableFitsTheTerminal(t *testing.T) {
	auditAWSEnv(t)
	url := startAuditIAM(t, "demo", localiam.Faults{})
	run := func(width int) string {
		var out, errOut bytes.Buffer
		env := cliEnv{stdout: &out, stderr: &errOut, now: func() time.Time { return auditTestNow },
			isTerminal: func(io.Writer) bool { return false }, width: func(w io.Writer) int {
				if w == &out {
					return width
				}
				return 0
			}}
		if code := execute(context.Background(), []string{"audit", "--endpoint-url", url}, env); code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut.String())
		}
		return out.String()
	}
	full, narrow := run(0), run(80)
	widest := func(s string) int {
		n := 0
		for _, l := range strings.Split(s, "\n") {
			n = max(n, utf8.RuneCountInString(l))
		}
		return n
	}
	if widest(full) <= 100 || !strings.Contains(full, "USER NAME / ALIAS") {
		t.Fatalf("the full table is %d wide:\n%s", widest(full), full)
	}
	if w := widest(narrow); w > 80 {
		t.Errorf("at 80 columns a line is %d wide:\n%s", w, narrow)
	}
	for _, want := range []string{"USER", "SERVICE", "STATUS", "FLAGS", "stale"} {
		if !strings.Contains(narrow, want) {
			t.Errorf("at 80 columns %q is gone:\n%s", want, narrow)
		}
	}
	t.Setenv("COLUMNS", "50")
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if w := terminalWidth(f); w != 0 {
		t.Errorf("a file is %d columns wide: it must get every column", w)
	}
	if w := terminalWidth(&bytes.Buffer{}); w != 0 {
		t.Errorf("a buffer is %d columns wide", w)
	}
}
