package ui

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"iamcreds/awsclient"
	"iamcreds/internal/testbin"
	"iamcreds/model"
)

// End to end: the built binary in tmux at 120x36 against `iamcreds local-iam`,
// driven by keys alone; the endpoint's state is checked through the SDK. Each
// test skips when a tool it needs is missing, unless CI=true, where that fails.

// need returns the path of a tool, or skips (fails under CI).
func need(t *testing.T, tool string) string {
	t.Helper()
	p, err := exec.LookPath(tool)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is required under CI: %v", tool, err)
		}
		t.Skipf("%s not installed", tool)
	}
	return p
}

// build is iamcreds built with some build tags, once for every test process of
// the run that asks for it (internal/testbin).
type build struct{ tags string }

var (
	plainBuild = build{}
	// panicBuild panics inside Update on ctrl+t (cli/tui_model_e2epanic.go).
	panicBuild = build{tags: "e2epanic"}
)

// buildBinary is the program as users get it.
func buildBinary(t *testing.T) string { return plainBuild.get(t) }

// get builds the binary the first time a test of the run asks for it.
func (b build) get(t *testing.T) string {
	t.Helper()
	need(t, "go")
	bin, err := testbin.Build(b.tags)
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// startLocalIAM runs `iamcreds local-iam` on a free port, with flags added
// (faults), and returns its URL.
func startLocalIAM(t *testing.T, bin string, flags ...string) string {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"local-iam", "--addr", "127.0.0.1:0", "--seed", "demo"}, flags...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line := make(chan string, 1)
	go func() {
		s := bufio.NewScanner(stdout)
		if s.Scan() {
			line <- s.Text()
		}
		close(line)
	}()
	select {
	case l := <-line:
		url, ok := strings.CutPrefix(l, "listening on ")
		if !ok {
			t.Fatalf("local-iam said %q", l)
		}
		return url
	case <-time.After(15 * time.Second):
		t.Fatal("local-iam did not start in 15s")
	}
	return ""
}

func sdkClient(t *testing.T, url string) *awsclient.Client {
	t.Helper()
	c, err := awsclient.New(context.Background(), awsclient.Config{
		EndpointURL: url, Region: "us-east-1",
		StaticCredentials: &aws.Credentials{AccessKeyID: "AKIDE2E", SecretAccessKey: "e2e"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// term is a private tmux server with one session running the program.
type term struct {
	t    *testing.T
	sock string
	conf string
	name string
	// last and lastAt are the kind and time of the last send (keyGap).
	last   sendKind
	lastAt time.Time
}

// startTerm runs argv in a detached tmux session of 120x36 on its own socket
// and config (set-clipboard on, as tui.sh), with env added to the session.
func startTerm(t *testing.T, env []string, argv ...string) *term {
	t.Helper()
	return startTermWith(t, false, env, argv...)
}

// startTermWith is startTerm; with defaults, the server runs on tmux's own
// defaults (-f /dev/null: set-clipboard external, a history of 2000 lines, a
// session that ends with its program) but for remain-on-exit, set at once so
// that the server outlives the program (a detached clearer still talks to it).
func startTermWith(t *testing.T, defaults bool, env []string, argv ...string) *term {
	t.Helper()
	need(t, "tmux")
	dir := t.TempDir()
	tm := &term{t: t, sock: fmt.Sprintf("iamcreds-e2e-%d-%d", os.Getpid(), time.Now().UnixNano()), conf: filepath.Join(dir, "tmux.conf"), name: "e2e"}
	conf := strings.Join([]string{
		`set -g default-terminal "tmux-256color"`, "set -g escape-time 0", "set -g status off",
		"set -g history-limit 0", "set -g set-clipboard on", "setw -g remain-on-exit on", "",
	}, "\n")
	if defaults {
		tm.conf = os.DevNull
	} else if err := os.WriteFile(tm.conf, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"new-session", "-d", "-s", tm.name, "-x", "120", "-y", "36", "-e", "LANG=C.UTF-8", "-e", "COLORTERM=truecolor"}
	for _, e := range env {
		args = append(args, "-e", e)
	}
	// env -u: the tmux server inherits the test's environment; the program
	// must see only what the test means it to (an SSH session or not).
	args = append(args, "env", "-u", "SSH_TTY", "-u", "SSH_CONNECTION", "-u", "DISPLAY", "-u", "WAYLAND_DISPLAY")
	for _, e := range env {
		args = append(args, e)
	}
	args = append(args, argv...)
	tm.tmux(args...)
	if defaults {
		tm.tmux("set", "-g", "remain-on-exit", "on")
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("screen at failure:\n%s", tm.screen())
		}
		_ = exec.Command("tmux", "-L", tm.sock, "-f", tm.conf, "kill-server").Run()
	})
	return tm
}

func (tm *term) tmux(args ...string) string {
	tm.t.Helper()
	full := append([]string{"-L", tm.sock, "-f", tm.conf}, args...)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "tmux", full...).CombinedOutput()
	if err != nil {
		tm.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func (tm *term) screen() string {
	out, _ := exec.Command("tmux", "-L", tm.sock, "-f", tm.conf, "capture-pane", "-p", "-t", tm.name).CombinedOutput()
	return string(out)
}

// keyGap is the time the program gets to read one send before a next one it
// could be read together with. bubbletea reads what has arrived as one input:
// ESC and the byte after it as alt+key, and a run of printable characters
// ("/" then "kenji") as one key. Enter, Tab, arrows, Space and ctrl keys stand
// apart, so most keys need no gap.
const keyGap = 150 * time.Millisecond

// sendKind is what a send ends or starts with, as bubbletea splits input.
type sendKind int

const (
	sendApart   sendKind = iota // a control key, Space or an arrow: read alone
	sendPrinted                 // printable characters: they join the ones next to them
	sendEscape                  // ESC: it joins whatever follows
)

// keyKind is the kind of a tmux key name.
func keyKind(k string) sendKind {
	switch {
	case k == "Escape":
		return sendEscape
	case len([]rune(k)) == 1 && k != " ":
		return sendPrinted
	}
	return sendApart
}

// send runs tmux send-keys, first giving the previous send keyGap to be read
// when the two could be read as one.
func (tm *term) send(first, last sendKind, args ...string) {
	tm.t.Helper()
	if tm.last == sendEscape || (tm.last == sendPrinted && first == sendPrinted) {
		time.Sleep(keyGap - time.Since(tm.lastAt))
	}
	tm.tmux(append([]string{"send-keys", "-t", tm.name}, args...)...)
	tm.last, tm.lastAt = last, time.Now()
}

// keys sends tmux key names one at a time, paced only where bubbletea would
// read two as one (keyGap).
func (tm *term) keys(keys ...string) {
	tm.t.Helper()
	for _, k := range keys {
		tm.send(keyKind(k), keyKind(k), k)
	}
}

// typeText types s, printable characters, literally.
func (tm *term) typeText(s string) {
	tm.t.Helper()
	tm.send(sendPrinted, sendPrinted, "-l", "--", s)
}

// wait polls the screen until it contains text; at most timeout.
func (tm *term) wait(text string, timeout time.Duration) string {
	tm.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		s := tm.screen()
		if strings.Contains(s, text) {
			return s
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("waited %s for %q; screen:\n%s", timeout, text, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (tm *term) waitExit(timeout time.Duration) {
	tm.t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if strings.TrimSpace(tm.tmux("display", "-p", "-t", tm.name, "#{pane_dead}")) == "1" {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	tm.t.Fatalf("the program did not exit in %s", timeout)
}

// buffer is tmux's paste buffer, where an OSC 52 copy lands; "" when none.
func (tm *term) buffer() string {
	out, err := exec.Command("tmux", "-L", tm.sock, "-f", tm.conf, "show-buffer").Output()
	if err != nil {
		return ""
	}
	return string(out)
}

// copyChecked copies the password with c, which tmux takes and iamcreds reads
// back, shows it with s, and checks that tmux's buffer holds what is shown.
func (tm *term) copyChecked() string {
	tm.t.Helper()
	tm.keys("c")
	tm.wait("✓ Password copied to tmux's paste buffer (checked)", 5*time.Second)
	tm.keys("s")
	secret := tm.shownSecret()
	if got := tm.buffer(); got != secret {
		tm.t.Fatalf("tmux buffer %q, shown secret %q", got, secret)
	}
	return secret
}

// shownSecret reads the secret the modal shows after s, once it is drawn: a Git
// password stands alone on its row at 120 columns.
var shownSecretRE = regexp.MustCompile(`(?m)^ *([A-Za-z0-9+/=]{20,}) *$`)

func (tm *term) shownSecret() string {
	tm.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		s := tm.screen()
		if m := shownSecretRE.FindStringSubmatch(s); m != nil {
			return m[1]
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("no password on screen after 5s:\n%s", s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func credsOf(t *testing.T, c *awsclient.Client, user string) []model.Credential {
	t.Helper()
	cs, err := c.ListCredentials(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

var awsEnv = []string{"AWS_ACCESS_KEY_ID=AKIDE2E", "AWS_SECRET_ACCESS_KEY=e2e", "AWS_REGION=us-east-1"}

// e2e readies an end-to-end test that runs the program in tmux against
// local-iam (with flags: faults): it runs in parallel, skips with -short, and
// returns the binary and the endpoint's URL.
func e2e(t *testing.T, localFlags ...string) (bin, url string) {
	t.Helper()
	t.Parallel()
	if testing.Short() {
		t.Skip("end to end")
	}
	need(t, "tmux")
	bin = buildBinary(t)
	return bin, startLocalIAM(t, bin, localFlags...)
}

// TestE2ELifecycleOSC52: create → copy → toggle → reset → delete for kenji, in
// an SSH session (SSH_TTY set) inside tmux, so copies go to tmux's buffer
// (load-buffer, read back), not to the remote machine's clipboard.
func TestE2ELifecycleOSC52(t *testing.T) {
	bin, url := e2e(t)
	sdk := sdkClient(t, url)
	env := append([]string{"SSH_TTY=/dev/pts/e2e"}, awsEnv...)
	tm := startTerm(t, env, bin, "--endpoint-url", url, "--clipboard-clear", "4s")
	tm.wait("20 users, 22 credentials, read", 20*time.Second)

	// Create: filter to kenji, n, CodeCommit, confirm.
	tm.keys("/")
	tm.typeText("kenji")
	tm.keys("Enter")
	tm.wait("Credentials of kenji", 5*time.Second)
	tm.keys("n")
	tm.wait("New credential for kenji", 5*time.Second)
	tm.keys("Enter")
	tm.wait("[▸Create◂]", 5*time.Second)
	tm.keys("Enter")
	tm.wait("New Git password for kenji", 10*time.Second)
	created := credsOf(t, sdk, "kenji")
	if len(created) != 1 || created[0].Service != model.CodeCommit || created[0].Status != model.Active {
		t.Fatalf("endpoint after create: %+v", created)
	}
	id := created[0].ID
	if strings.Contains(tm.screen(), "ACCA") && !strings.Contains(tm.screen(), id) {
		t.Fatalf("the screen shows another credential than %s", id)
	}

	// Copy: c hands the secret to tmux, which keeps it as its buffer; s shows the same.
	secret := tm.copyChecked()
	tm.keys("Enter") // copied: closes without asking
	tm.wait("Clipboard cleared", 15*time.Second)
	if strings.Contains(tm.screen(), secret) {
		t.Fatal("the secret is still on screen after the modal closed")
	}
	if got := tm.buffer(); got == secret {
		t.Fatal("the clipboard still holds the secret after --clipboard-clear")
	}

	// Toggle: into the credentials table, t.
	tm.keys("Enter", "t")
	tm.wait("is now Inactive", 10*time.Second)
	if s := credsOf(t, sdk, "kenji")[0].Status; s != model.Inactive {
		t.Fatalf("endpoint status after t: %s", s)
	}

	// Reset: r, move to Reset, enter; a new secret, copied again.
	tm.keys("r")
	tm.wait("Reset this password?", 5*time.Second)
	tm.keys("Tab", "Enter")
	tm.wait("Reset: new Git password for kenji", 10*time.Second)
	tm.keys("c")
	tm.wait("Password copied to tmux's paste buffer (checked)", 5*time.Second)
	tm.keys("s")
	reset := tm.shownSecret()
	if reset == secret || tm.buffer() != reset {
		t.Fatal("the reset did not hand out and copy a new secret")
	}
	tm.keys("Enter")
	if cs := credsOf(t, sdk, "kenji"); len(cs) != 1 || cs[0].ID != id {
		t.Fatalf("endpoint after reset: %+v", cs)
	}

	// Delete: d, the last 4 of the id, enter.
	tm.keys("d")
	tm.wait("Delete this credential?", 5*time.Second)
	tm.typeText(id[len(id)-4:])
	tm.keys("Enter")
	tm.wait("Deleted kenji's Git credential", 10*time.Second)
	if cs := credsOf(t, sdk, "kenji"); len(cs) != 0 {
		t.Fatalf("endpoint after delete: %+v", cs)
	}
	tm.wait("kenji has no service-specific credentials", 5*time.Second)

	tm.keys("q")
	tm.waitExit(5 * time.Second)
}

// TestE2ECopyXClipboard: outside SSH, with an X display (Xvfb) and xclip, c
// puts the secret on the X clipboard.
func TestE2ECopyXClipboard(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("end to end")
	}
	need(t, "tmux")
	xclip := need(t, "xclip")
	display := startXvfb(t, need(t, "Xvfb"))
	bin := buildBinary(t)
	url := startLocalIAM(t, bin)
	// TMUX= : inside tmux the copy would go to tmux; this test is about X.
	env := append([]string{"DISPLAY=" + display, "TMUX="}, awsEnv...)
	tm := startTerm(t, env, bin, "--endpoint-url", url, "--clipboard-clear", "0")
	tm.wait("20 users, 22 credentials, read", 20*time.Second)
	tm.keys("/")
	tm.typeText("ana")
	tm.keys("Enter", "n", "Enter")
	tm.wait("[▸Create◂]", 5*time.Second)
	tm.keys("Enter")
	tm.wait("New Git password for ana", 10*time.Second)
	tm.keys("c")
	tm.wait("Password copied to the system clipboard", 5*time.Second)
	tm.keys("s")
	secret := tm.shownSecret()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, xclip, "-o", "-selection", "clipboard")
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("xclip -o: %v", err)
	}
	if string(out) != secret {
		t.Fatalf("X clipboard %q, shown secret %q", out, secret)
	}
	tm.keys("Enter", "q")
	tm.waitExit(5 * time.Second)
}

// startXvfb starts an X server on a free display and returns its name.
func startXvfb(t *testing.T, xvfb string) string {
	t.Helper()
	for n := 90 + os.Getpid()%50; n < 400; n++ {
		if _, err := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", n)); err == nil {
			continue
		}
		if _, err := os.Stat(fmt.Sprintf("/tmp/.X%d-lock", n)); err == nil {
			continue
		}
		display := fmt.Sprintf(":%d", n)
		cmd := exec.Command(xvfb, display, "-nolisten", "tcp", "-screen", "0", "640x480x24")
		if err := cmd.Start(); err != nil {
			t.Fatalf("Xvfb: %v", err)
		}
		t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			if _, err := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", n)); err == nil {
				return display
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatalf("Xvfb %s did not start in 10s", display)
	}
	t.Fatal("no free X display")
	return ""
}

// TestE2ERotate: R on mateo's Git credential through every step of the plan,
// the endpoint read through the SDK after each.
func TestE2ERotate(t *testing.T) {
	bin, url := e2e(t)
	sdk := sdkClient(t, url)
	env := append([]string{"SSH_TTY=/dev/pts/e2e"}, awsEnv...) // copies land in tmux's buffer
	tm := startTerm(t, env, bin, "--endpoint-url", url, "--clipboard-clear", "0")
	tm.wait("20 users, 22 credentials, read", 20*time.Second)
	before := credsOf(t, sdk, "mateo")
	if len(before) != 1 {
		t.Fatalf("mateo holds %+v", before)
	}
	old := before[0]

	tm.keys("/")
	tm.typeText("mateo")
	tm.keys("Enter", "Enter", "R")
	tm.wait("Rotate mateo's Git credential", 5*time.Second)
	tm.wait("[▸Create◂]", 5*time.Second)
	if n := len(credsOf(t, sdk, "mateo")); n != 1 {
		t.Fatalf("opening the rotation changed the endpoint: %d credentials", n)
	}

	// Step 2: create; step 3: the secret over the dialog.
	tm.keys("Enter")
	tm.wait("New Git password for mateo", 10*time.Second)
	after := credsOf(t, sdk, "mateo")
	var fresh model.Credential
	for _, c := range after {
		if c.ID != old.ID {
			fresh = c
		}
	}
	if len(after) != 2 || fresh.Status != model.Active {
		t.Fatalf("after step 2: %+v", after)
	}
	tm.copyChecked()
	tm.keys("Enter")

	// Step 4: deactivate the old one.
	tm.wait("Step 4: is the new one in use?", 5*time.Second)
	tm.keys("Tab", "Enter")
	tm.wait("Step 5: delete the old one", 10*time.Second)
	for _, c := range credsOf(t, sdk, "mateo") {
		want := model.Active
		if c.ID == old.ID {
			want = model.Inactive
		}
		if c.Status != want {
			t.Fatalf("after step 4: %s is %s, want %s", c.ID, c.Status, want)
		}
	}

	// Step 5: delete it with its last 4.
	tm.typeText(old.ID[len(old.ID)-4:])
	tm.keys("Enter")
	tm.wait("Rotation complete", 10*time.Second)
	if cs := credsOf(t, sdk, "mateo"); len(cs) != 1 || cs[0].ID != fresh.ID || cs[0].Status != model.Active {
		t.Fatalf("after step 5: %+v", cs)
	}
	tm.keys("Enter")
	tm.wait("Rotated mateo's Git credential", 5*time.Second)
	tm.keys("q")
	tm.waitExit(5 * time.Second)
}
