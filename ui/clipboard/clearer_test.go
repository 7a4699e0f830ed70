package clipboard

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

func jobFor(t *testing.T, text string, deadline time.Time, system bool, socket string) string {
	t.Helper()
	sum := sha256.Sum256([]byte(text))
	b, err := json.Marshal(clearJob{Deadline: deadline, SHA256: hex.EncodeToString(sum[:]), Size: len(text), System: system, TmuxSocket: socket, TmuxOuter: socket != ""})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// fakeClock sleeps by moving itself forward.
type fakeClock struct{ now time.Time }

func (c *fakeClock) Now() time.Time        { return c.now }
func (c *fakeClock) Sleep(d time.Duration) { c.now = c.now.Add(d) }

func TestRunClearerWaitsThenClearsOnlyWhatHoldsIt(t *testing.T) {
	clock := &fakeClock{now: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}
	deadline := clock.now.Add(30 * time.Second)
	be := &fakeBackend{content: secret}
	tm := &fakeTmux{version: "tmux 3.3a"}
	tm.copyMode("other")
	tm.copyMode(secret)
	err := runClearer(strings.NewReader(jobFor(t, secret, deadline, true, "/tmp/tmux-0/default")), be, tm.run, clock.Now, clock.Sleep)
	if err != nil {
		t.Fatal(err)
	}
	if !clock.now.Equal(deadline) {
		t.Errorf("cleared at %v, want the deadline %v", clock.now, deadline)
	}
	if be.content != "" || len(tm.holding(secret)) != 0 || len(tm.holding("other")) != 1 {
		t.Errorf("system %q, tmux %+v; want the secret gone, the rest kept", be.content, tm.buffers)
	}

	// Someone copied since: the system clipboard is left alone.
	be = &fakeBackend{content: "mine"}
	if err := runClearer(strings.NewReader(jobFor(t, secret, deadline, true, "")), be, tm.run, clock.Now, clock.Sleep); err != nil || be.content != "mine" || len(be.writes) != 0 {
		t.Errorf("err %v, clipboard %q, writes %q", err, be.content, be.writes)
	}
}

func TestRunClearerRefusesBadJobs(t *testing.T) {
	clock := &fakeClock{now: time.Now()}
	be := &fakeBackend{content: secret}
	for name, job := range map[string]string{
		"not json":   "hunter2",
		"bad digest": `{"deadline":"2026-11-30T12:00:00Z","sha256":"zz","system":true}`,
		"far off":    jobFor(t, secret, clock.now.Add(48*time.Hour), true, ""),
	} {
		if err := runClearer(strings.NewReader(job), be, oldTmux(), clock.Now, clock.Sleep); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if be.content != secret {
		t.Errorf("a refused job cleared the clipboard")
	}
}

// A copy's detached clearer is stopped when the same text is copied again (the
// new copy's clearer replaces it) and when the in-process clear runs.
func TestClearerIsReplacedAndStopped(t *testing.T) {
	c := New(Options{Out: &recWriter{}, Getenv: env(nil), Backend: &fakeBackend{}, Clearer: sleepClearer(t)})
	r1 := mustCopy(t, c, secret, System)
	first := c.copies[r1.sum].clearer
	if first == nil || !r1.ClearSurvivesExit {
		t.Fatalf("no clearer started: %+v", r1)
	}
	r2 := mustCopy(t, c, secret, System)
	second := c.copies[r2.sum].clearer
	if second == nil || second == first {
		t.Fatal("the second copy did not get a clearer of its own")
	}
	waitExited(t, first)
	if _, err := c.Clear(r2); err != nil {
		t.Fatal(err)
	}
	waitExited(t, second)
}

// sleepClearer stands in for the clearer: a process that starts and waits.
func sleepClearer(t *testing.T) []string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("uses sleep(1)")
	}
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip("no sleep(1)")
	}
	return []string{sleep, "60"}
}

// waitExited waits for a started command's background Wait to have reaped it.
func waitExited(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if exitedProcess(cmd) {
			return
		}
	}
	t.Fatalf("clearer %d still running", cmd.Process.Pid)
}

func TestClearerThatCannotStart(t *testing.T) {
	c := New(Options{Out: &recWriter{}, Getenv: env(nil), Backend: &fakeBackend{}, Clearer: []string{"/nonexistent/iamcreds"}})
	if r := mustCopy(t, c, secret, System); r.ClearSurvivesExit || !r.Confirmed {
		t.Errorf("Result %+v; the copy stands, but no clear survives the exit", r)
	}
}

// An OSC 52 copy reaches only this program's terminal: no other process can
// clear it, so the Result does not promise that.
func TestOSC52ClearDoesNotSurviveExit(t *testing.T) {
	c := New(Options{Out: &recWriter{}, Getenv: env(map[string]string{"SSH_TTY": "x"}), Backend: &fakeBackend{}, Clearer: sleepClearer(t)})
	r := mustCopy(t, c, secret, Terminal)
	if r.ClearSurvivesExit {
		t.Errorf("Result %+v promises a clear after exit", r)
	}
	c.Clear(r) // stops the stand-in
}

// exitedProcess reports whether cmd's process has ended and been reaped.
func exitedProcess(cmd *exec.Cmd) bool {
	return errors.Is(cmd.Process.Signal(syscall.Signal(0)), os.ErrProcessDone)
}
