package clipboard

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Tests against the real tools: tmux, and Xvfb with xclip. The copies that must
// outlive the program are made by this test binary re-run as a helper process,
// which exits at once; the detached clearer it starts is this test binary too,
// run with ClearerSubcommand, exactly as the program runs itself.

const (
	helperEnv      = "IAMCREDS_CLIPBOARD_HELPER"    // copy-and-exit | osc-in-pane
	helperClearEnv = "IAMCREDS_CLIPBOARD_CLEAR"     // clearAfter for copy-and-exit
	helperResult   = "IAMCREDS_CLIPBOARD_RESULT"    // osc-in-pane: file for the verdict
	helperTextEnv  = "IAMCREDS_CLIPBOARD_TEST_TEXT" // osc-in-pane only: not a real secret
)

func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == ClearerSubcommand {
		if err := RunClearer(os.Stdin); err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
	switch os.Getenv(helperEnv) {
	case "copy-and-exit":
		os.Exit(copyAndExit())
	case "osc-in-pane":
		os.Exit(oscInPane())
	}
	os.Exit(m.Run())
}

// helperCopy is what copy-and-exit reports of each copy.
type helperCopy struct {
	Result     Result
	ClearerPID int
	Err        string
}

// copyAndExit copies each line of stdin with CopySecret, prints the results as
// JSON and exits without clearing: "the program quit before the timer".
func copyAndExit() int {
	after, err := time.ParseDuration(os.Getenv(helperClearEnv))
	if err != nil {
		fmt.Println(err)
		return 1
	}
	exe, err := os.Executable()
	if err != nil {
		return 1
	}
	c := New(Options{Clearer: []string{exe, ClearerSubcommand}, ClearerGrace: 300 * time.Millisecond})
	var out []helperCopy
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		r, err := c.CopySecret(sc.Text(), after)
		h := helperCopy{Result: r}
		if err != nil {
			h.Err = err.Error()
		} else if rec := c.copies[r.sum]; rec.clearer != nil {
			h.ClearerPID = rec.clearer.Process.Pid
		}
		out = append(out, h)
	}
	if json.NewEncoder(os.Stdout).Encode(out) != nil {
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

// runHelper runs copy-and-exit with env added to a clean environment and the
// texts on stdin, and returns what it reported.
// exitClearAfter is the helper's --clipboard-clear: long enough that the checks
// "right after the copy" still come first on a loaded CI machine, where a
// second was seen to be too short.
const exitClearAfter = 3 * time.Second

func runHelper(t *testing.T, env []string, clearAfter time.Duration, texts ...string) []helperCopy {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(envWithout("TMUX", "TMUX_PANE", "STY", "SSH_TTY", "SSH_CONNECTION", "DISPLAY", "WAYLAND_DISPLAY"),
		append(env, helperEnv+"=copy-and-exit", helperClearEnv+"="+clearAfter.String())...)
	cmd.Stdin = strings.NewReader(strings.Join(texts, "\n") + "\n")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("helper: %v\n%s", err, out)
	}
	var res []helperCopy
	if err := json.Unmarshal(out, &res); err != nil || len(res) != len(texts) {
		t.Fatalf("helper said %q (%v)", out, err)
	}
	for i, h := range res {
		if h.Err != "" || h.ClearerPID == 0 {
			t.Fatalf("copy %d: %+v; want a copy with a detached clearer", i, h)
		}
	}
	return res
}

// checkClearerHoldsNoSecret reads a running clearer's arguments and environment.
func checkClearerHoldsNoSecret(t *testing.T, pid int, secrets ...string) {
	t.Helper()
	for _, f := range []string{"cmdline", "environ"} {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/%s", pid, f))
		if err != nil {
			t.Logf("cannot read the clearer's %s: %v", f, err) // no /proc, or it has finished
			continue
		}
		if !strings.Contains(string(b), ClearerSubcommand) && f == "cmdline" {
			t.Errorf("pid %d is not the clearer: %q", pid, b)
		}
		for _, s := range secrets {
			if strings.Contains(string(b), s) {
				t.Errorf("the clearer's %s holds a secret", f)
			}
		}
	}
}

// waitGone waits until a process has exited (or is a zombie nobody reaped).
func waitGone(t *testing.T, pid int, timeout time.Duration) {
	t.Helper()
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			return
		}
		if _, rest, ok := strings.Cut(string(b), ") "); ok && strings.HasPrefix(rest, "Z") {
			return
		}
	}
	t.Fatalf("clearer %d still running after %s", pid, timeout)
}

// tmuxServer is a private tmux server (its own socket, no config file).
type tmuxServer struct {
	t      *testing.T
	name   string
	socket string
}

func startTmux(t *testing.T, setClipboard string) *tmuxServer {
	t.Helper()
	requireTools(t, "tmux")
	s := &tmuxServer{t: t, name: fmt.Sprintf("iamcreds-clip-%d-%d", os.Getpid(), time.Now().UnixNano())}
	t.Cleanup(func() { exec.Command("tmux", "-L", s.name, "kill-server").Run() })
	s.run("-f", "/dev/null", "new-session", "-d", "-x", "80", "-y", "24", ";", "set", "-g", "set-clipboard", setClipboard)
	s.socket = strings.TrimSpace(s.run("display", "-p", "#{socket_path}"))
	if got := strings.TrimSpace(s.run("show", "-gv", "set-clipboard")); got != setClipboard {
		t.Fatalf("set-clipboard is %q, want %q", got, setClipboard)
	}
	return s
}

func (s *tmuxServer) run(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", s.name}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// holding lists the buffers whose content contains s. A buffer deleted between
// the listing and its reading (a clearer at work) holds nothing.
func (s *tmuxServer) holding(text string) []string {
	s.t.Helper()
	var names []string
	for _, name := range strings.Fields(s.run("list-buffers", "-F", "#{buffer_name}")) {
		out, err := exec.Command("tmux", "-L", s.name, "show-buffer", "-b", name).Output()
		if err == nil && strings.Contains(string(out), text) {
			names = append(names, name)
		}
	}
	return names
}

func (s *tmuxServer) env() string { return "TMUX=" + s.socket + ",1,0" }

func testSecrets() (secret, export string) {
	secret = fmt.Sprintf("ABSKQmVkcm9ja0FQSUtleS%d", time.Now().UnixNano())
	return secret, "export AWS_BEARER_TOKEN_BEDROCK=" + secret
}

func TestRealTmux(t *testing.T) {
	t.Parallel() // each case has a tmux server of its own
	for _, mode := range []string{"external", "on"} {
		t.Run("set-clipboard "+mode, func(t *testing.T) {
			t.Parallel()
			t.Run("copy then clear", func(t *testing.T) { tmuxCopyThenClear(t, mode) })
			t.Run("exit before the clear", func(t *testing.T) { tmuxExitBeforeClear(t, mode) })
		})
	}
}

// tmuxCopyThenClear: the secret and the export line land in tmux, read back;
// the clears remove every buffer holding either, and no other.
func tmuxCopyThenClear(t *testing.T, mode string) {
	srv := startTmux(t, mode)
	secret, export := testSecrets()
	srv.run("set-buffer", "-b", "notes", "the person's own notes")
	c := New(Options{Getenv: env(map[string]string{"TMUX": srv.socket + ",1,0"}), Out: &recWriter{}, Backend: &fakeBackend{writeErr: errNoClipboard}})

	rs, err := c.CopySecret(secret, time.Hour)
	if err != nil || rs.Where != Tmux || !rs.Confirmed {
		t.Fatalf("CopySecret = %+v, %v; want a confirmed tmux copy", rs, err)
	}
	if got := srv.run("show-buffer", "-b", rs.Buffer); got != secret {
		t.Fatalf("tmux buffer %s = %q, want the exact secret", rs.Buffer, got)
	}
	if got := srv.run("show-buffer"); got != secret { // what prefix+] pastes
		t.Fatalf("newest tmux buffer = %q, want the secret", got)
	}
	re, err := c.CopySecret(export, time.Hour)
	if err != nil || re.Where != Tmux || !re.Confirmed {
		t.Fatalf("CopySecret(export) = %+v, %v", re, err)
	}

	cs, err := c.Clear(rs)
	if err != nil || cs.Tmux != 1 {
		t.Errorf("Clear(secret) = %+v, %v; want 1 buffer deleted", cs, err)
	}
	ce, err := c.Clear(re)
	if err != nil || ce.Tmux != 1 || !ce.Terminal {
		t.Errorf("Clear(export) = %+v, %v; want 1 buffer deleted and the terminal overwritten", ce, err)
	}
	if got := srv.holding(secret); len(got) != 0 {
		t.Errorf("buffers still holding the secret or the export line: %v", got)
	}
	if got := srv.run("list-buffers", "-F", "#{buffer_name}"); got != "notes\n" {
		t.Errorf("buffers left: %q; want only the person's own", got)
	}
}

// tmuxExitBeforeClear: the program copies and exits; the detached clearer,
// holding no secret, removes every buffer with the secret or the export line.
func tmuxExitBeforeClear(t *testing.T, mode string) {
	srv := startTmux(t, mode)
	secret, export := testSecrets()
	res := runHelper(t, []string{srv.env()}, exitClearAfter, secret, export)
	for _, h := range res {
		if h.Result.Where != Tmux || !h.Result.Confirmed || !h.Result.ClearSurvivesExit {
			t.Fatalf("copy %+v; want a confirmed tmux copy whose clear survives the exit", h.Result)
		}
		checkClearerHoldsNoSecret(t, h.ClearerPID, secret)
	}
	if got := srv.holding(secret); len(got) != 2 {
		t.Fatalf("right after the copies, buffers holding the secret: %v; want 2 (the helper exited before its clear)", got)
	}
	for _, h := range res {
		waitGone(t, h.ClearerPID, 20*time.Second)
	}
	if got := srv.holding(secret); len(got) != 0 {
		t.Fatalf("after the clearers ran, buffers still holding the secret or the export line: %v", got)
	}
}

func TestRealXClipboard(t *testing.T) {
	requireTools(t, "xclip", "Xvfb")
	display := startXvfb(t)
	t.Setenv("DISPLAY", display) // xclip, run by atotto, inherits it
	t.Setenv("WAYLAND_DISPLAY", "")

	t.Run("copy then clear", func(t *testing.T) {
		// Real atotto backend; an empty env so a developer's SSH session does not force OSC 52.
		out := &recWriter{}
		c := New(Options{Out: out, Getenv: env(nil)})
		s, _ := testSecrets()
		r, err := c.CopySecret(s, time.Hour)
		if err != nil || r.Where != System || !r.Confirmed {
			t.Fatalf("CopySecret = %+v, %v; want a confirmed system copy", r, err)
		}
		if got := xclipOut(t, display); got != s {
			t.Fatalf("X clipboard = %q, want %q", got, s)
		}
		if len(out.writes) != 0 {
			t.Errorf("OSC written %q although the X clipboard worked", out.writes)
		}
		if cleared, err := c.Clear(r); err != nil || !cleared.System {
			t.Fatalf("Clear = %+v, %v; want the system clipboard emptied", cleared, err)
		}
		if got := xclipOut(t, display); got != "" {
			t.Fatalf("X clipboard = %q after clear, want empty", got)
		}

		// Someone else copies in between: leave their text alone.
		r = mustCopy(t, c, s, System)
		xclipIn(t, display, "copied elsewhere")
		if cleared, err := c.Clear(r); err != nil || cleared.Any() || !cleared.Changed {
			t.Fatalf("Clear = %+v, %v; want nothing cleared", cleared, err)
		}
		if got := xclipOut(t, display); got != "copied elsewhere" {
			t.Fatalf("X clipboard = %q, want the other app's text", got)
		}
	})
}

// The clear of a program that exits first, by its detached clearer, on an X
// display of each case's own: the cases wait out exitClearAfter side by side,
// and beside the other tests that do (the helper is told the display; nothing
// here sets the test's own environment).
func TestRealXClipboardAfterExit(t *testing.T) {
	t.Parallel()
	requireTools(t, "xclip", "Xvfb")

	t.Run("exit before the clear", func(t *testing.T) {
		t.Parallel()
		display := startXvfb(t)
		s, _ := testSecrets()
		h := runHelper(t, []string{"DISPLAY=" + display}, exitClearAfter, s)[0]
		if h.Result.Where != System || !h.Result.Confirmed || !h.Result.ClearSurvivesExit {
			t.Fatalf("copy %+v; want a confirmed system copy whose clear survives the exit", h.Result)
		}
		checkClearerHoldsNoSecret(t, h.ClearerPID, s)
		if got := xclipOut(t, display); got != s {
			t.Fatalf("right after the copy, X clipboard = %q, want the secret", got)
		}
		waitGone(t, h.ClearerPID, 20*time.Second)
		if got := xclipOut(t, display); got != "" {
			t.Fatalf("after the clearer ran, X clipboard = %q, want empty", got)
		}
	})

	t.Run("exit, then someone else copies", func(t *testing.T) {
		t.Parallel()
		display := startXvfb(t)
		s, _ := testSecrets()
		h := runHelper(t, []string{"DISPLAY=" + display}, exitClearAfter, s)[0]
		xclipIn(t, display, "copied elsewhere")
		waitGone(t, h.ClearerPID, 20*time.Second)
		if got := xclipOut(t, display); got != "copied elsewhere" {
			t.Fatalf("X clipboard = %q; the clearer must leave another app's text alone", got)
		}
	})
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

// xclip runs xclip on display.
func xclip(display string, args ...string) *exec.Cmd {
	cmd := exec.Command("xclip", args...)
	cmd.Env = append(envWithout("DISPLAY", "WAYLAND_DISPLAY"), "DISPLAY="+display)
	return cmd
}

func xclipOut(t *testing.T, display string) string {
	t.Helper()
	out, err := xclip(display, "-o", "-selection", "clipboard").Output()
	if err != nil {
		t.Fatalf("xclip -o: %v", err)
	}
	return string(out)
}

func xclipIn(t *testing.T, display, s string) {
	t.Helper()
	cmd := xclip(display, "-in", "-selection", "clipboard")
	cmd.Stdin = strings.NewReader(s)
	if err := cmd.Run(); err != nil {
		t.Fatalf("xclip -in: %v", err)
	}
}

// oscInPane copies through the OSC 52 path from inside a tmux pane (tmux is made
// to look older than 3.2), waits to be told, then clears.
func oscInPane() int {
	text := os.Getenv(helperTextEnv)
	real := TmuxFunc(runTmux)
	old := func(socket, stdin string, args ...string) (string, error) {
		if len(args) > 0 && args[0] == "-V" {
			return "tmux 3.1c\n", nil
		}
		return real(socket, stdin, args...)
	}
	c := New(Options{Backend: &fakeBackend{writeErr: errNoClipboard}, Tmux: old})
	r, err := c.CopySecret(text, time.Hour)
	if err != nil || r.Where != Terminal || r.Via != "tmux" || r.Confirmed {
		return report(fmt.Sprintf("Copy = %+v, %v", r, err))
	}
	report("copied")
	path := os.Getenv(helperResult)
	for i := 0; i < 400; i++ {
		if _, err := os.Stat(path + ".clear"); err == nil {
			if cleared, err := c.Clear(r); err != nil || cleared.Tmux == 0 {
				return report(fmt.Sprintf("Clear = %+v, %v", cleared, err))
			}
			return report("ok")
		}
		time.Sleep(50 * time.Millisecond)
	}
	return report("never told to clear")
}

func report(res string) int {
	// A pane's exit status is not reliably visible in tmux, so report via a
	// file, renamed into place so the test never reads half of it.
	path := os.Getenv(helperResult)
	if err := os.WriteFile(path+".tmp", []byte(res), 0o600); err != nil {
		return 1
	}
	if err := os.Rename(path+".tmp", path); err != nil || (res != "ok" && res != "copied") {
		return 1
	}
	return 0
}

// With `set-clipboard on` an OSC 52 copy lands in a tmux buffer (the path for
// tmux older than 3.2); the clear deletes that buffer by content.
func TestRealTmuxOSC52Fallback(t *testing.T) {
	t.Parallel()
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
		helperEnv+"=osc-in-pane", helperTextEnv+"="+s, helperResult+"="+result)
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
