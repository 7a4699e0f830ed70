package cli

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// The detached clearer is this very program: the secret modal starts
// `iamcreds __clipboard-clear` with a job on stdin. It must run from the
// command line, say nothing (nobody reads a detached process's output), and
// stay out of help and completion.
func TestClipboardClearCommand(t *testing.T) {
	bin, env := iamcredsOnPath(t)
	sum := sha256.Sum256([]byte("not on any clipboard"))
	job := fmt.Sprintf(`{"deadline":%q,"sha256":%q,"size":20,"system":false}`,
		time.Now().Add(-time.Second).Format(time.RFC3339Nano), hex.EncodeToString(sum[:]))
	for _, tc := range []struct {
		name, stdin string
		code        int
	}{
		{"a job whose deadline has passed", job, 0},
		{"garbage on stdin", "not json", exitFailed},
		{"a bad digest", `{"deadline":"2026-01-01T00:00:00Z","sha256":"xyz"}`, exitFailed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(bin, "__clipboard-clear")
			cmd.Env = env
			cmd.Stdin = strings.NewReader(tc.stdin)
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			err := cmd.Run()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tc.code || out.Len() > 0 {
				t.Fatalf("exit %d (want %d), output %q (want none)", code, tc.code, out.String())
			}
		})
	}
	if r := runCLI("--help"); strings.Contains(r.stdout, "__clipboard-clear") {
		t.Errorf("--help lists the hidden clearer:\n%s", r.stdout)
	}
	if r := runCLI("__complete", ""); strings.Contains(r.stdout, "__clipboard-clear") {
		t.Errorf("completion offers the hidden clearer:\n%s", r.stdout)
	}
}
