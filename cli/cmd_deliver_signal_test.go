//go:build unix

package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"iamcreds/awsclient/localiam"
)

// SIGTERM while the delivery is in flight: it is let finish, the delivered
// credential is kept (its secret reached the target), and no later step
// touches the old one.
func TestRotateStopSignalLetsTheDeliveryFinish(t *testing.T) {
	ri := startRotateIAM(t, localiam.Faults{})
	dir := t.TempDir()
	got, proceed := filepath.Join(dir, "got"), filepath.Join(dir, "go")
	// The command stores the secret, then waits for the test.
	target := `exec:sh -c 'cat > "$1"; while [ ! -e "$2" ]; do sleep 0.02; done' sh ` + got + " " + proceed
	cmd, stderr := startRotate(t, ri, "--user", "solo", "--service", "git", "--deliver", target, "--deactivate-old")
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if b, _ := os.ReadFile(got); len(b) == 44 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the command never got the secret:\n%s", stderr)
		}
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "rotate", stderr.String, "SIGTERM: a delivery to exec:")
	if err := os.WriteFile(proceed, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != exitFailed {
		t.Fatalf("exit %d, want 3\n%s", code, stderr)
	}
	for _, want := range []string{"step 3: password delivered", "failed at step 4 (deactivate the old credential)"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	secret, _ := os.ReadFile(got)
	if strings.Contains(stderr.String(), string(secret)) {
		t.Fatal("the secret is on stderr")
	}
	held := ri.statuses(t, "solo")
	if len(held) != 2 || !slices.Contains(held, "ACCASOLOGIT000000OLD1 Active") {
		t.Fatalf("IAM holds %q, want the delivered one and the old one, untouched", held)
	}
}
