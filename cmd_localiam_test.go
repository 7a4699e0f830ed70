package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe to read while the server writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var listeningLine = regexp.MustCompile(`^listening on (http://127\.0\.0\.1:[1-9][0-9]*)\n$`)

// startLocalIAM runs run(args) in a goroutine and returns the endpoint from its
// first stdout line, and a channel with its exit code.
func startLocalIAM(t *testing.T, run func(args []string, stdout, stderr io.Writer) int, args ...string) (string, <-chan int, *syncBuffer) {
	t.Helper()
	pr, pw := io.Pipe()
	stderr := &syncBuffer{}
	exit := make(chan int, 1)
	go func() {
		code := run(args, pw, stderr)
		pw.Close()
		exit <- code
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	go io.Copy(io.Discard, pr) // nothing else is expected, but never block the server
	m := listeningLine.FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("first line %q (%v); stderr:\n%s", line, err, stderr.String())
	}
	return m[1], exit, stderr
}

func post(t *testing.T, endpoint string, form url.Values) (int, string) {
	t.Helper()
	resp, err := http.PostForm(endpoint, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func waitExit(t *testing.T, exit <-chan int) int {
	t.Helper()
	select {
	case code := <-exit:
		return code
	case <-time.After(15 * time.Second):
		t.Fatal("local-iam did not stop")
		return -1
	}
}

func TestLocalIAMServesAndStops(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.json")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	run := func(args []string, stdout, stderr io.Writer) int { return serveLocalIAM(ctx, args, stdout, stderr) }
	endpoint, exit, stderr := startLocalIAM(t, run, "--addr", "127.0.0.1:0", "--seed", "demo", "--state", state, "--account-id", "555566667777")

	status, body := post(t, endpoint, url.Values{"Action": {"CreateUser"}, "UserName": {"zed"}, "Version": {"2010-05-08"}})
	if status != 200 || !strings.Contains(body, "<Arn>arn:aws:iam::555566667777:user/zed</Arn>") {
		t.Fatalf("%d %s", status, body)
	}
	if status, body := post(t, endpoint, url.Values{"Action": {"GetUser"}, "UserName": {"sofia"}}); status != 200 {
		t.Fatalf("demo seed not loaded: %d %s", status, body)
	}
	cancel()
	if code := waitExit(t, exit); code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr.String())
	}
	data, err := os.ReadFile(state)
	if err != nil || !strings.Contains(string(data), `"zed"`) || !strings.Contains(string(data), `"sofia"`) {
		t.Fatalf("state file: %v\n%s", err, data)
	}

	// A restart loads the state instead of the seed.
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	run2 := func(args []string, stdout, stderr io.Writer) int { return serveLocalIAM(ctx2, args, stdout, stderr) }
	endpoint, exit, _ = startLocalIAM(t, run2, "--addr", "127.0.0.1:0", "--state", state)
	if status, body := post(t, endpoint, url.Values{"Action": {"GetUser"}, "UserName": {"zed"}}); status != 200 {
		t.Fatalf("after restart: %d %s", status, body)
	}
	cancel2()
	if code := waitExit(t, exit); code != 0 {
		t.Fatalf("exit %d", code)
	}
}

func TestLocalIAMSignal(t *testing.T) {
	endpoint, exit, stderr := startLocalIAM(t, runLocalIAM, "--addr", "127.0.0.1:0", "--deny", "ListUsers", "--fail-rate", "0")
	if status, body := post(t, endpoint, url.Values{"Action": {"ListUsers"}}); status != 403 || !strings.Contains(body, "<Code>AccessDenied</Code>") {
		t.Fatalf("--deny: %d %s", status, body)
	}
	// runLocalIAM has registered for the signal, so it goes to it, not to the test process.
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := waitExit(t, exit); code != 0 {
		t.Fatalf("exit %d after SIGTERM; stderr:\n%s", code, stderr.String())
	}
}

func TestLocalIAMUsage(t *testing.T) {
	cases := []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"--bogus"}, 2, "flag provided but not defined: -bogus"},
		{[]string{"--help"}, 0, "Usage: iamcreds local-iam"},
		{[]string{"extra"}, 2, `unexpected argument "extra"`},
		{[]string{"--throttle-rate", "2"}, 2, "throttle rate 2 is not between 0 and 1"},
		{[]string{"--deny", "ListRoles"}, 2, `unknown action "ListRoles"`},
		{[]string{"--latency", "soon"}, 2, "invalid value"},
		{[]string{"--addr", "nonsense"}, 2, "missing port"},
		{[]string{"--addr", "0.0.0.0:0"}, 2, "pass --allow-remote"},
		{[]string{"--addr", ":0"}, 2, "pass --allow-remote"},
		{[]string{"--addr", "127.0.0.1:0", "--seed", "scale:many"}, 1, "want scale:N"},
		{[]string{"--addr", "127.0.0.1:0", "--account-id", "42"}, 1, "not 12 digits"},
	}
	for _, c := range cases {
		var stdout, stderr bytes.Buffer
		code := serveLocalIAM(context.Background(), c.args, &stdout, &stderr)
		if code != c.code || !strings.Contains(stderr.String(), c.stderr) || stdout.Len() != 0 {
			t.Errorf("%v: exit %d, stdout %q, stderr:\n%s", c.args, code, stdout.String(), stderr.String())
		}
	}
}

func TestLocalIAMAllowRemote(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	var stderr syncBuffer
	exit := make(chan int, 1)
	go func() { exit <- serveLocalIAM(ctx, []string{"--addr", "0.0.0.0:0", "--allow-remote"}, pw, &stderr) }()
	line, _ := bufio.NewReader(pr).ReadString('\n')
	go io.Copy(io.Discard, pr)
	if !regexp.MustCompile(`^listening on http://0\.0\.0\.0:[1-9][0-9]*\n$`).MatchString(line) || !strings.Contains(stderr.String(), "WARNING") {
		t.Fatalf("line %q, stderr %q", line, stderr.String())
	}
	cancel()
	if code := waitExit(t, exit); code != 0 {
		t.Fatalf("exit %d", code)
	}
}

func TestIsLoopback(t *testing.T) {
	for host, want := range map[string]bool{
		"127.0.0.1": true, "127.1.2.3": true, "localhost": true, "LOCALHOST": true, "::1": true, "[::1]": true,
		"": false, "0.0.0.0": false, "::": false, "192.168.1.10": false, "example.com": false,
	} {
		if got := isLoopback(host); got != want {
			t.Errorf("isLoopback(%q) = %v", host, got)
		}
	}
}
