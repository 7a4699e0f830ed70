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

// A second SIGTERM while the delivery hangs stops it: the run names the
// delivery's target as what to check (not the user's credentials, which the
// delivery did not touch), and takes the new credential back.
func TestRotateSecondStopSignalNamesTheTarget(t *testing.T) {
	ri := startRotateIAM(t, localiam.Faults{})
	got := filepath.Join(t.TempDir(), "got")
	target := `exec:sh -c 'cat > "$1"; exec sleep 60' sh ` + got
	cmd, stderr := startRotate(t, ri, "--user", "solo", "--service", "git", "--deliver", target)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if b, _ := os.ReadFile(got); len(b) == 44 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the command never got the secret:\n%s", stderr)
		}
	}
	for _, wait := range []string{"SIGTERM: a delivery to exec:", "SIGTERM: no longer waiting"} {
		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "rotate", stderr.String, wait)
	}
	_ = cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != exitStopped {
		t.Fatalf("exit %d, want 4\n%s", code, stderr)
	}
	want := "was in flight when SIGTERM stopped it: check exec:sh -c"
	if !strings.Contains(stderr.String(), want) || strings.Contains(stderr.String(), "check solo's credentials") {
		t.Fatalf("stderr lacks %q:\n%s", want, stderr)
	}
	if held := ri.statuses(t, "solo"); len(held) != 1 || held[0] != "ACCASOLOGIT000000OLD1 Active" {
		t.Fatalf("IAM holds %q, want the old one alone", held)
	}
}
