package clipboard

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The tmux test re-runs this test binary inside tmux as a helper program.
const (
	helperEnv       = "IAMCREDS_CLIPBOARD_TMUX_HELPER"
	helperTextEnv   = "IAMCREDS_CLIPBOARD_TMUX_TEXT"
	helperResultEnv = "IAMCREDS_CLIPBOARD_TMUX_RESULT" // file for "ok" or the failure
)

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) == "1" {
		os.Exit(tmuxHelper())
	}
	os.Exit(m.Run())
}

// tmuxHelper copies through the package with the real environment and stdout
// of a tmux pane; the system clipboard is made to fail so OSC 52 is used.
func tmuxHelper() int {
	res := "ok"
	if os.Getenv("TMUX") == "" {
		res = "TMUX not set; not running inside tmux"
	} else {
		c := New(Options{Backend: &fakeBackend{writeErr: errNoClipboard}})
		if m, err := c.Copy(os.Getenv(helperTextEnv)); err != nil || m != OSC52 {
			res = fmt.Sprintf("Copy = %v, %v", m, err)
		} else if res = waitAndClear(c); res != "ok" {
			return report(res)
		}
	}
	return report(res)
}

// waitAndClear reports the copy, waits for the test to have seen it in tmux's
// buffer, then clears and reports that.
func waitAndClear(c *Clipboard) string {
	path := os.Getenv(helperResultEnv)
	if report("copied") != 0 {
		return "cannot write result"
	}
	for i := 0; i < 400; i++ {
		if _, err := os.Stat(path + ".clear"); err == nil {
			if cleared, err := c.ClearIfUnchanged(os.Getenv(helperTextEnv)); err != nil || !cleared {
				return fmt.Sprintf("ClearIfUnchanged = %v, %v", cleared, err)
			}
			return "ok"
		}
		time.Sleep(50 * time.Millisecond)
	}
	return "never told to clear"
}

func report(res string) int {
	// A pane's exit status is not reliably visible in tmux, so report via a
	// file, renamed into place so the test never reads half of it.
	path := os.Getenv(helperResultEnv)
	if err := os.WriteFile(path+".tmp", []byte(res), 0o600); err != nil {
		return 1
	}
	if err := os.Rename(path+".tmp", path); err != nil || (res != "ok" && res != "copied") {
		return 1
	}
	return 0
}

// requireTools skips when a tool is missing, but fails under CI, which must have them.
func requireTools(t *testing.T, names ...string) {
	t.Helper()
	for _, n := range names {
		if _, err := exec.LookPath(n); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s not found; CI must install it", n)
			}
			t.Skipf("%s not found", n)
		}
	}
}

func TestRealXClipboard(t *testing.T) {
	requireTools(t, "xclip", "Xvfb")
	if os.Getenv("WAYLAND_DISPLAY") != "" {
		t.Skip("WAYLAND_DISPLAY set: atotto would use wl-copy, not X")
	}
	t.Setenv("DISPLAY", startXvfb(t)) // xclip, run by atotto, inherits it

	// Real atotto backend; an empty env so a developer's SSH session does not force OSC 52.
	out := &recWriter{}
	c := New(Options{Out: out, Getenv: env(nil)})
	s := fmt.Sprintf("git-pass-%d", time.Now().UnixNano())

	mustCopy(t, c, s, System)
	if got := xclipOut(t); got != s {
		t.Fatalf("X clipboard = %q, want %q", got, s)
	}
	if len(out.writes) != 0 {
		t.Errorf("OSC written %q although the X clipboard worked", out.writes)
	}
	if cleared, err := c.ClearIfUnchanged(s); err != nil || !cleared {
		t.Fatalf("ClearIfUnchanged = %v, %v; want true", cleared, err)
	}
	if got := xclipOut(t); got != "" {
		t.Fatalf("X clipboard = %q after clear, want empty", got)
	}

	// Someone else copies in between: leave their text alone.
	mustCopy(t, c, s, System)
	xclipIn(t, "copied elsewhere")
	if cleared, err := c.ClearIfUnchanged(s); err != nil || cleared {
		t.Fatalf("ClearIfUnchanged = %v, %v; want false", cleared, err)
	}
	if got := xclipOut(t); got != "copied elsewhere" {
		t.Fatalf("X clipboard = %q, want the other app's text", got)
	}
}

// startXvfb starts Xvfb on a display it picks itself (-displayfd) and returns ":N".
func startXvfb(t *testing.T) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	logPath := filepath.Join(t.TempDir(), "xvfb.log")
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-nolisten", "tcp", "-screen", "0", "640x480x24")
	cmd.ExtraFiles = []*os.File{w} // fd 3
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	// Killing Xvfb also ends the xclip processes that serve the selection.
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })

	line := make(chan string, 1)
	go func() { s, _ := bufio.NewReader(r).ReadString('\n'); line <- strings.TrimSpace(s) }()
	select {
	case n := <-line:
		if n == "" {
			log, _ := os.ReadFile(logPath)
			t.Fatalf("Xvfb did not start: %s", log)
		}
		return ":" + n
	case <-time.After(15 * time.Second):
		t.Fatal("Xvfb did not report a display in 15s")
	}
	return ""
}

func xclipOut(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("xclip", "-o", "-selection", "clipboard").Output()
	if err != nil {
		t.Fatalf("xclip -o: %v", err)
	}
	return string(out)
}

func xclipIn(t *testing.T, s string) {
	t.Helper()
	cmd := exec.Command("xclip", "-in", "-selection", "clipboard")
	cmd.Stdin = strings.NewReader(s)
	if err := cmd.Run(); err != nil {
		t.Fatalf("xclip -in: %v", err)
	}
}

func TestRealTmuxOSC52(t *testing.T) {
	requireTools(t, "tmux")
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	conf := filepath.Join(dir, "tmux.conf")
	// remain-on-exit keeps the session (and server) alive after the helper exits.
	if err := os.WriteFile(conf, []byte("set -g set-clipboard on\nset -g remain-on-exit on\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	sock := fmt.Sprintf("iamcreds-clipboard-test-%d-%d", os.Getpid(), time.Now().UnixNano())
	s := fmt.Sprintf("api-key-%d", time.Now().UnixNano())

	// The server starts from the first command, so its panes inherit this env.
	result := filepath.Join(dir, "result")
	baseEnv := append(envWithout("TMUX", "TMUX_PANE"),
		helperEnv+"=1", helperTextEnv+"="+s, helperResultEnv+"="+result)
	tmux := func(args ...string) (string, error) {
		cmd := exec.Command("tmux", append([]string{"-L", sock, "-f", conf}, args...)...)
		cmd.Env = baseEnv
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	t.Cleanup(func() { tmux("kill-server") })

	// Two arguments: tmux execs the helper directly, without a shell.
	if out, err := tmux("new-session", "-d", "-x", "80", "-y", "24", exe, "-test.run=^$"); err != nil {
		t.Fatalf("tmux new-session: %v: %s", err, out)
	}

	// Wait for the helper's verdict, then for tmux to have parsed its output.
	var got string
	deadline := time.Now().Add(20 * time.Second)
	for {
		res, rerr := os.ReadFile(result)
		if rerr == nil && string(res) != "copied" {
			t.Fatalf("helper failed: %s", res)
		}
		got, err = tmux("show-buffer")
		if rerr == nil && err == nil && got == s {
			break
		}
		if time.Now().After(deadline) {
			pane, _ := tmux("capture-pane", "-p")
			t.Fatalf("tmux buffer = %q (%v), helper result %v; want %q\npane:\n%s", got, err, rerr, s, pane)
		}
		time.Sleep(50 * time.Millisecond)
	}
	// Clearing must delete the secret from tmux's paste buffers too.
	if err := os.WriteFile(result+".clear", nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if res, err := os.ReadFile(result); err == nil && string(res) == "ok" {
			break
		} else if err == nil && string(res) != "copied" {
			t.Fatalf("helper failed to clear: %s", res)
		}
		if time.Now().After(deadline) {
			t.Fatal("helper never reported the clear")
		}
	}
	if bufs, _ := tmux("list-buffers", "-F", "#{buffer_sample}"); strings.Contains(bufs, s) {
		t.Fatalf("secret still in tmux buffers after clear:\n%s", bufs)
	}
	// The passthrough copy must be swallowed by tmux, not shown as junk.
	pane, _ := tmux("capture-pane", "-p")
	if strings.Contains(pane, "52;") || strings.Contains(pane, "tmux;") {
		t.Errorf("escape sequence leaked onto the screen:\n%s", pane)
	}
}

func envWithout(keys ...string) []string {
	var out []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		drop := false
		for _, d := range keys {
			drop = drop || k == d
		}
		if !drop {
			out = append(out, kv)
		}
	}
	return out
}
