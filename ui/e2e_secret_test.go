package ui

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// End to end, the secret in a real terminal: tmux's clipboard with its own
// defaults, the --debug log, and a panic. Same rules as e2e_test.go.

// option is a global tmux option's value.
func (tm *term) option(name string) string {
	tm.t.Helper()
	return strings.TrimSpace(tm.tmux("show-options", "-gv", name))
}

// buffersHolding counts the tmux buffers that hold text. A buffer deleted
// between the listing and its reading (the clearer at work) holds nothing.
func (tm *term) buffersHolding(text string) int {
	tm.t.Helper()
	n := 0
	for _, name := range strings.Fields(tm.tmux("list-buffers", "-F", "#{buffer_name}")) {
		out, err := exec.Command("tmux", "-L", tm.sock, "-f", tm.conf, "show-buffer", "-b", name).Output()
		if err == nil && strings.Contains(string(out), text) {
			n++
		}
	}
	return n
}

// waitNoBuffer polls until no tmux buffer holds text; the server must still be
// running (an exited server holds no buffer, which would prove nothing).
func (tm *term) waitNoBuffer(text string, timeout time.Duration) {
	tm.t.Helper()
	deadline := time.Now().Add(timeout)
	for tm.buffersHolding(text) > 0 {
		if time.Now().After(deadline) {
			tm.t.Fatalf("after %s, %d tmux buffers still hold the secret", timeout, tm.buffersHolding(text))
		}
		time.Sleep(100 * time.Millisecond)
	}
	tm.tmux("has-session", "-t", tm.name)
}

// createFor filters the users to user and creates a credential for it
// (create).
func (tm *term) createFor(user string, down int, title string) {
	tm.t.Helper()
	tm.filterTo(user)
	tm.create(user, down, title)
}

// filterTo filters the users to user, whose credentials then show.
func (tm *term) filterTo(user string) {
	tm.t.Helper()
	tm.keys("/")
	tm.typeText(user)
	tm.keys("Enter")
	tm.wait("Credentials of "+user, 10*time.Second)
}

// create creates a credential for the highlighted user: the catalog's down-th
// service, an API key's default expiry; it waits for the modal's title.
func (tm *term) create(user string, down int, title string) {
	tm.t.Helper()
	tm.startCreate(user, down)
	tm.wait(title, 10*time.Second)
}

// startCreate asks for the create of create, and returns with it in flight.
func (tm *term) startCreate(user string, down int) {
	tm.t.Helper()
	tm.keys("n")
	tm.wait("New credential for "+user, 5*time.Second)
	for range down {
		tm.keys("Down")
	}
	tm.keys("Enter")
	if down >= 2 { // an API key: its expiry
		tm.wait("Expires after", 5*time.Second)
		tm.keys("Enter")
	}
	tm.wait("[▸Create◂]", 5*time.Second)
	tm.keys("Enter")
}

// In tmux with its default set-clipboard (external, which ignores an
// application's OSC 52) and with on: c puts the exact secret in tmux's buffer
// and says it was checked; after --clipboard-clear no buffer holds it; and a
// key and its export line copied just before quitting are gone from every
// buffer once the timeout has passed, though the program has exited.
func TestE2ETmuxClipboard(t *testing.T) {
	t.Parallel()
	for mode, user := range map[string]string{"external": "ana", "on": "lucia"} {
		t.Run(mode, func(t *testing.T) {
			// An endpoint each: one's create must not change what the other reads.
			bin, url := e2e(t)
			tmuxClipboard(t, bin, url, mode, user)
		})
	}
}

func tmuxClipboard(t *testing.T, bin, url, mode, user string) {
	tm := startTermWith(t, true, awsEnv, bin, "--endpoint-url", url, "--clipboard-clear", "2s")
	if mode != "external" {
		tm.tmux("set", "-g", "set-clipboard", mode)
	}
	if got := tm.option("set-clipboard"); got != mode {
		t.Fatalf("set-clipboard is %q, want %q", got, mode)
	}
	tm.wait("20 users, 22 credentials, read", 20*time.Second)

	// A Git password: copied, checked, shown the same; cleared after 2s.
	tm.createFor(user, 0, "New Git password for "+user)
	secret := tm.copyChecked()
	tm.keys("Enter") // a checked copy: closes without a question
	tm.wait("Clipboard cleared", 15*time.Second)
	tm.waitNoBuffer(secret, 5*time.Second)

	// A Bedrock key and its export line, then quit before the timeout.
	tm.keys("Escape")
	tm.createFor(user, 2, "New Bedrock API key for "+user)
	tm.keys("c")
	tm.wait("✓ API key copied to tmux's paste buffer (checked)", 5*time.Second)
	key := tm.buffer()
	tm.keys("e")
	tm.wait("✓ Export line copied to tmux's paste buffer (checked)", 5*time.Second)
	if export := tm.buffer(); !strings.HasPrefix(key, "ABSK") || export != "export AWS_BEARER_TOKEN_BEDROCK="+key {
		t.Fatalf("buffers: key %q, export line %q", key, export)
	}
	if n := tm.buffersHolding(key); n != 2 {
		t.Fatalf("%d buffers hold the key, want 2 (the key, the export line)", n)
	}
	tm.keys("Enter", "q")
	tm.waitExit(5 * time.Second)
	// The detached clearer: 2s after the copy, plus its grace.
	tm.waitNoBuffer(key, 15*time.Second)
}

// A run with --debug: create, reset, copy, and a refused toggle. The log holds
// every action and the refusal, no secret, and only its owner can read it; the
// program writes nothing to stderr (the SDK's logger included).
func TestE2EDebugLog(t *testing.T) {
	bin, url := e2e(t, "--deny", "UpdateServiceSpecificCredential")
	dir := t.TempDir()
	logPath, errPath := filepath.Join(dir, "debug.log"), filepath.Join(dir, "stderr")
	sh := `exec "$@" 2>'` + errPath + `'`
	tm := startTerm(t, awsEnv, "sh", "-c", sh, "sh", bin, "--endpoint-url", url, "--debug", logPath, "--clipboard-clear", "0")
	tm.wait("20 users, 22 credentials, read", 20*time.Second)

	tm.createFor("jane", 0, "New Git password for jane+test")
	tm.keys("c")
	tm.wait("Password copied to tmux's paste buffer (checked)", 5*time.Second)
	password := tm.buffer()
	tm.keys("Enter", "Enter", "r")
	tm.wait("Reset this password?", 5*time.Second)
	tm.keys("Tab", "Enter")
	tm.wait("Reset: new Git password for jane+test", 10*time.Second)
	tm.keys("c")
	tm.wait("Password copied to tmux's paste buffer (checked)", 5*time.Second)
	reset := tm.buffer()
	tm.keys("Enter")
	tm.create("jane+test", 2, "New Bedrock API key for jane+test")
	tm.keys("c")
	tm.wait("API key copied to tmux's paste buffer (checked)", 5*time.Second)
	apiKey := tm.buffer()
	tm.keys("Enter", "t")
	tm.wait("Could not make", 10*time.Second)
	tm.keys("q")
	tm.waitExit(5 * time.Second)

	if password == "" || reset == "" || apiKey == "" || password == reset {
		t.Fatalf("secrets read from tmux: %q %q %q", password, reset, apiKey)
	}
	st, err := os.Stat(logPath)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("the log's mode is %v, want 0600", st.Mode().Perm())
	}
	log, _ := os.ReadFile(logPath)
	for _, want := range []string{"Action=CreateServiceSpecificCredential", "Action=ResetServiceSpecificCredential",
		"Action=UpdateServiceSpecificCredential", "AccessDenied", "Action=ListUsers"} {
		if !strings.Contains(string(log), want) {
			t.Errorf("the log lacks %q", want)
		}
	}
	for name, secret := range map[string]string{"password": password, "reset password": reset, "API key": apiKey} {
		if strings.Contains(string(log), secret) {
			t.Errorf("the log holds the %s", name)
		}
	}
	if b, err := os.ReadFile(errPath); err != nil || len(b) != 0 {
		t.Errorf("the program wrote to stderr (%v): %q", err, b)
	}
}

// A panic inside Update, with a secret on screen: the terminal is restored
// (the alternate screen left, the cursor shown), the shell has the screen, and
// the secret is nowhere in the pane or its scrollback.
// startInShell runs the program with args in tmux under a shell that says
// "shell again, exit status N" when it ends, and stays.
func startInShell(t *testing.T, bin string, args ...string) *term {
	t.Helper()
	sh := `"$@"; echo "shell again, exit status $?"; exec sleep 600`
	return startTermWith(t, true, awsEnv, append([]string{"sh", "-c", sh, "sh", bin}, args...)...)
}

func TestE2EPanicRestoresTerminal(t *testing.T) {
	_, url := e2e(t)
	bin := panicBuild.get(t)
	tm := startInShell(t, bin, "--endpoint-url", url, "--clipboard-clear", "0")
	tm.wait("20 users, 22 credentials, read", 20*time.Second)
	tm.createFor("lucia", 0, "New Git password for lucia")
	tm.keys("s")
	secret := tm.shownSecret()
	if got := tm.tmux("display", "-p", "-t", tm.name, "#{alternate_on}"); strings.TrimSpace(got) != "1" {
		t.Fatalf("the program does not run on the alternate screen (alternate_on=%s)", got)
	}
	tm.keys("C-t")
	tm.wait("shell again, exit status", 10*time.Second)
	state := strings.Fields(tm.tmux("display", "-p", "-t", tm.name, "#{alternate_on} #{cursor_flag}"))
	if len(state) != 2 || state[0] != "0" || state[1] != "1" {
		t.Fatalf("after the panic: alternate_on, cursor_flag = %v; want 0 1", state)
	}
	all := tm.tmux("capture-pane", "-p", "-J", "-S", "-", "-E", "-", "-t", tm.name)
	if !strings.Contains(all, "Caught panic") {
		t.Fatalf("no panic report on the restored screen:\n%s", all)
	}
	if strings.Contains(all, secret) {
		t.Fatalf("the secret reached the pane or its scrollback:\n%s", all)
	}
}

// selectOnScreen selects text on the screen, once it is drawn, as a mouse drag
// from its first character to its last would, in tmux's copy mode, and returns
// what tmux copied.
func (tm *term) selectOnScreen(text string) string {
	tm.t.Helper()
	row, col := -1, -1
	for deadline := time.Now().Add(5 * time.Second); row < 0; time.Sleep(50 * time.Millisecond) {
		screen := tm.screen()
		for i, l := range strings.Split(screen, "\n") {
			if c := strings.Index(l, text); c >= 0 {
				row, col = i, len([]rune(l[:c]))
				break
			}
		}
		if row < 0 && time.Now().After(deadline) {
			tm.t.Fatalf("%q is not on one row of the screen after 5s:\n%s", text, screen)
		}
	}
	x := func(n int, cmd string) {
		if n > 0 {
			tm.tmux("send-keys", "-t", tm.name, "-X", "-N", fmt.Sprint(n), cmd)
		}
	}
	tm.tmux("set", "-g", "mode-keys", "vi") // a selection holds the cursor's cell (emacs keys leave it out)
	tm.tmux("copy-mode", "-t", tm.name)
	tm.tmux("send-keys", "-t", tm.name, "-X", "top-line")
	x(row, "cursor-down")
	tm.tmux("send-keys", "-t", tm.name, "-X", "start-of-line")
	x(col, "cursor-right")
	tm.tmux("send-keys", "-t", tm.name, "-X", "begin-selection")
	x(len([]rune(text))-1, "cursor-right")
	tm.tmux("send-keys", "-t", tm.name, "-X", "copy-selection-and-cancel")
	return tm.buffer()
}

// s shows the secret on a row of its own: selecting it from its first
// character to its last, as with a mouse, gives the secret and nothing else —
// a Git password inside the box's width, and a Bedrock key wider than the box.
func TestE2ESelectShownSecret(t *testing.T) {
	bin, url := e2e(t)
	tm := startTerm(t, awsEnv, bin, "--endpoint-url", url, "--clipboard-clear", "0")
	tm.wait("20 users, 22 credentials, read", 20*time.Second)
	tm.createFor("kenji", 0, "New Git password for kenji")
	password := tm.copyChecked()
	if got := tm.selectOnScreen(password); got != password {
		t.Fatalf("selecting the shown password gave %q, want %q", got, password)
	}
	tm.keys("Enter")
	tm.create("kenji", 2, "New Bedrock API key for kenji")
	tm.keys("c")
	tm.wait("✓ API key copied to tmux's paste buffer (checked)", 5*time.Second)
	key := tm.buffer()
	tm.keys("s")
	if len(key) <= 76 {
		t.Fatalf("the key %q is no wider than the box: this checks nothing", key)
	}
	if got := tm.selectOnScreen(key); got != key {
		t.Fatalf("selecting the shown key gave %q, want %q", got, key)
	}
	tm.keys("Enter", "q")
	tm.waitExit(5 * time.Second)
}

// Quitting with a create in flight: once the terminal is back from the
// alternate screen, the program names the write on stderr, with no secret,
// and exits 0 (the person chose to leave).
func TestE2EQuitNamesAWriteInFlight(t *testing.T) {
	bin, url := e2e(t, "--latency", "1500ms")
	tm := startInShell(t, bin, "--endpoint-url", url)
	tm.wait("20 users, 22 credentials, read", 30*time.Second)
	tm.filterTo("ana")
	tm.startCreate("ana", 0)
	tm.wait("creating", 5*time.Second)
	tm.keys("q")
	tm.wait("Quit now?", 5*time.Second)
	tm.keys("C-c")
	tm.wait("shell again, exit status 0", 10*time.Second)
	if got := strings.TrimSpace(tm.tmux("display", "-p", "-t", tm.name, "#{alternate_on}")); got != "0" {
		t.Fatalf("alternate_on=%s after the program left", got)
	}
	all := tm.tmux("capture-pane", "-p", "-J", "-S", "-", "-E", "-", "-t", tm.name)
	if !strings.Contains(all, "iamcreds: a create of a Git credential for ana was in flight: check ana's credentials\nshell again") {
		t.Fatalf("the write in flight is not named after the program left:\n%s", all)
	}
}
