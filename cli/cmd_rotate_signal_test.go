//go:build unix

package cli

import (
	"bytes"
	"context"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/awsclient/localiam"
)

// lockedBuffer is a process's stderr, read while it runs.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// waitFor polls s until it holds want.
func waitFor(t *testing.T, what string, s func() string, want string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if strings.Contains(s(), want) {
			return
		}
	}
	t.Fatalf("%s never said %q:\n%s", what, want, s())
}

// holdCreate holds every CreateServiceSpecificCredential at the endpoint until
// release is called (also at the test's end); arrived is told of each.
func holdCreate(t *testing.T, ri *rotateIAM) (arrived chan struct{}, release func()) {
	arrived, held := make(chan struct{}, 4), make(chan struct{})
	var once sync.Once
	release = func() { once.Do(func() { close(held) }) }
	t.Cleanup(release) // before the server closes: it waits for its handlers
	ri.mu.Lock()
	ri.before = func(action string, _ url.Values) {
		if action == "CreateServiceSpecificCredential" {
			arrived <- struct{}{}
			<-held
		}
	}
	ri.mu.Unlock()
	return arrived, release
}

// startRotate starts rotate as a real process against ri.
func startRotate(t *testing.T, ri *rotateIAM, args ...string) (*exec.Cmd, *lockedBuffer) {
	t.Helper()
	bin, env := iamcredsOnPath(t)
	cmd := exec.Command(bin, append([]string{"rotate", "--endpoint-url", ri.url}, args...)...)
	stderr := &lockedBuffer{}
	cmd.Env, cmd.Stdout, cmd.Stderr = env, &bytes.Buffer{}, stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	return cmd, stderr
}

func waitArrived(t *testing.T, arrived chan struct{}) {
	t.Helper()
	select {
	case <-arrived:
	case <-time.After(10 * time.Second):
		t.Fatal("the create never reached the endpoint")
	}
}

// SIGTERM or SIGHUP while the create is in flight: the create is let finish,
// its secret reaches the file, and no later step starts; stderr says so.
func TestRotateStopSignalLetsTheCreateFinish(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGHUP} {
		t.Run(signalName(sig), func(t *testing.T) {
			ri := startRotateIAM(t, localiam.Faults{})
			arrived, release := holdCreate(t, ri)
			file := filepath.Join(t.TempDir(), "solo.csv")
			cmd, stderr := startRotate(t, ri, "--user", "solo", "--service", "git", "--secret-file", file, "--deactivate-old")
			waitArrived(t, arrived)
			if _, err := os.Lstat(file); !os.IsNotExist(err) {
				t.Fatalf("the secret file exists before the secret: %v", err)
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "rotate", stderr.String, signalName(sig)+": a create of a CodeCommit credential for solo is in flight: waiting up to 5s")
			release()
			_ = cmd.Wait()
			if code := cmd.ProcessState.ExitCode(); code != exitFailed {
				t.Fatalf("exit %d, want 3\n%s", code, stderr)
			}
			// Step 4 re-reads before it deactivates: neither starts after the signal.
			for _, want := range []string{"step 3: password written to " + file, "failed at step 4 (deactivate the old credential)",
				"before changing it failed: rotate was stopped by " + signalName(sig) + "; nothing was changed"} {
				if !strings.Contains(stderr.String(), want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr)
				}
			}
			rec := secretRecord(t, readFile(t, file))
			want := []string{"ACCASOLOGIT000000OLD1 Active", rec["credential_id"] + " Active"}
			slices.Sort(want)
			if got := ri.statuses(t, "solo"); !slices.Equal(got, want) {
				t.Fatalf("IAM holds %q, want %q (the file's and the old one, untouched)", got, want)
			}
		})
	}
}

// A second signal stops the wait: the create is reported as in flight, with
// what to check; no secret file, empty or not, is left; a rerun naming the same
// file is not blocked.
func TestRotateSecondSignalReportsTheCreateInFlight(t *testing.T) {
	ri := startRotateIAM(t, localiam.Faults{})
	arrived, release := holdCreate(t, ri)
	dir := t.TempDir()
	file := filepath.Join(dir, "secret.csv")
	cmd, stderr := startRotate(t, ri, "--user", "solo", "--service", "git", "--secret-file", file)
	waitArrived(t, arrived)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "rotate", stderr.String, "is in flight: waiting")
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != exitFailed {
		t.Fatalf("exit %d, want 3\n%s", code, stderr)
	}
	for _, want := range []string{
		"SIGTERM: no longer waiting for a create of a CodeCommit credential for solo",
		"a create of a CodeCommit credential for solo was in flight when SIGTERM stopped it: check solo's credentials",
	} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("the stopped run left %v in the secret file's directory", entries)
	}
	release() // IAM creates the held one now: the orphan the report named
	ri.mu.Lock()
	ri.before = nil
	ri.mu.Unlock()
	ri.rotate(t, false, "--user", "keyuser", "--service", "bedrock", "--secret-file", file).must(t, exitOK, "written to "+file)
}

// The grace ends a write that does not finish: the run's context is canceled,
// the write is named with what to check, and no other write starts.
func TestRotateStopGraceEndsAWriteThatHangs(t *testing.T) {
	var stderr lockedBuffer
	ctx, s, unwatch := watchStop(context.Background(), &stderr, 50*time.Millisecond)
	defer unwatch()
	if err := s.begin(ctx, "a create for u"); err != nil {
		t.Fatal(err)
	}
	s.got(syscall.SIGTERM)
	if ctx.Err() != nil {
		t.Fatal("the first signal canceled the write in flight at once")
	}
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the grace never ended")
	}
	err := s.end(ctx, "a create for u", "u's credentials", ctx.Err())
	if err == nil || !strings.Contains(err.Error(), "(stopped by SIGTERM)") ||
		!strings.Contains(stderr.String(), "a create for u was in flight when SIGTERM stopped it: check u's credentials") {
		t.Fatalf("err %v, stderr:\n%s", err, stderr.String())
	}
	if err := s.begin(ctx, "a delete of X"); err == nil || !strings.Contains(err.Error(), "was not started: rotate was stopped by SIGTERM") {
		t.Fatalf("a write after the signal: %v", err)
	}
	// Taking back a credential whose secret reached nobody still runs.
	if err := s.begin(context.WithoutCancel(ctx), "a delete of Y"); err != nil {
		t.Fatalf("the take-back was refused: %v", err)
	}
}

// With nothing in flight, a signal stops the run at once.
func TestRotateStopSignalBetweenWritesCancelsAtOnce(t *testing.T) {
	ctx, s, unwatch := watchStop(context.Background(), io.Discard, time.Hour)
	defer unwatch()
	s.got(syscall.SIGHUP)
	if ctx.Err() == nil {
		t.Fatal("a signal between writes did not stop the run")
	}
	if err := s.stopped(ctx.Err()); err == nil || !strings.HasPrefix(err.Error(), "stopped by SIGHUP: ") {
		t.Fatalf("a read it cut short: %v", err)
	}
}

// sendRecorder is a program that records what is sent to it.
type sendRecorder chan tea.Msg

func (r sendRecorder) Send(m tea.Msg) { r <- m }

// A hangup quits the terminal UI as SIGTERM does, so that writes still in
// flight are named on stderr, instead of killing it.
func TestTUIQuitsOnHangup(t *testing.T) {
	got := make(sendRecorder, 1)
	stop := quitOnHangup(got)
	defer stop()
	// Notified for SIGHUP, so it goes to the UI, not to the test process.
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	select {
	case m := <-got:
		if _, ok := m.(tea.QuitMsg); !ok {
			t.Fatalf("sent %T, want tea.QuitMsg", m)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no quit after SIGHUP")
	}
}
