package cli

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
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

// localIAM runs `iamcreds local-iam args` until ctx ends.
func localIAM(ctx context.Context) func(args []string, stdout, stderr io.Writer) int {
	return func(args []string, stdout, stderr io.Writer) int {
		return execute(ctx, append([]string{"local-iam"}, args...), defaultEnv(stdout, stderr))
	}
}

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
	endpoint, exit, stderr := startLocalIAM(t, localIAM(ctx), "--addr", "127.0.0.1:0", "--seed", "demo", "--state", state, "--account-id", "555566667777")

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
	endpoint, exit, _ = startLocalIAM(t, localIAM(ctx2), "--addr", "127.0.0.1:0", "--state", state)
	if status, body := post(t, endpoint, url.Values{"Action": {"GetUser"}, "UserName": {"zed"}}); status != 200 {
		t.Fatalf("after restart: %d %s", status, body)
	}
	cancel2()
	if code := waitExit(t, exit); code != 0 {
		t.Fatalf("exit %d", code)
	}
}

// Usage errors are in main_test's TestUsageErrorsAreOneLine; a port in use is a failure.
func TestLocalIAMPortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var stdout, stderr bytes.Buffer
	code := localIAM(context.Background())([]string{"--addr", ln.Addr().String()}, &stdout, &stderr)
	if code != exitFailed || stdout.Len() != 0 || !strings.HasPrefix(stderr.String(), "iamcreds local-iam: ") || strings.Contains(stderr.String(), "--help") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
	}
}

func TestLocalIAMAllowRemote(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	var stderr syncBuffer
	exit := make(chan int, 1)
	go func() { exit <- localIAM(ctx)([]string{"--addr", "0.0.0.0:0", "--allow-remote"}, pw, &stderr) }()
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

// An organization seed prints, after the "listening on" line, each account's
// access key ID; signing with one acts as that account, and --deny-assume
// refuses the role in the accounts it names.
func TestLocalIAMOrgAccountsAndDenyAssume(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	stderr := &syncBuffer{}
	exit := make(chan int, 1)
	go func() {
		exit <- localIAM(ctx)([]string{"--addr", "127.0.0.1:0", "--seed", "org:demo", "--deny-assume", "111122223333", "--member-role", "Auditor"}, pw, stderr)
		pw.Close()
	}()
	out := bufio.NewReader(pr)
	first, _ := out.ReadString('\n')
	m := listeningLine.FindStringSubmatch(first)
	if m == nil {
		t.Fatalf("first line %q; stderr %s", first, stderr.String())
	}
	endpoint := m[1]
	head, _ := out.ReadString('\n')
	if head != "organization of 6 accounts; each access key ID signs as its account, with any secret key:\n" {
		t.Fatalf("second line %q", head)
	}
	keys := map[string]string{}
	for range 7 { // the column heads, then six accounts
		line, err := out.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		f := strings.Fields(line)
		if len(f) < 5 {
			t.Fatalf("account line %q", line)
		}
		keys[f[0]] = f[1]
		if f[0] == "111122223333" && (f[2] != "ACTIVE" || f[3] != "Auditor" || f[4] != "Production") {
			t.Errorf("Production's line %q", line)
		}
		if f[0] == "123456789012" && !strings.Contains(line, "Management (management account)") {
			t.Errorf("the management account's line %q", line)
		}
	}
	go io.Copy(io.Discard, out)

	// Production's key signs as Production.
	req, _ := http.NewRequest(http.MethodPost, endpoint, strings.NewReader("Action=GetCallerIdentity&Version=2011-06-15"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+keys["111122223333"]+"/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=x")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "<Account>111122223333</Account>") {
		t.Fatalf("signed with Production's key: %s", body)
	}
	// The management account may assume the member role, but not into the denied account.
	assume := func(account, role string) (int, string) {
		return post(t, endpoint, url.Values{"Action": {"AssumeRole"}, "Version": {"2011-06-15"},
			"RoleArn": {"arn:aws:iam::" + account + ":role/" + role}, "RoleSessionName": {"test"}})
	}
	if status, body := assume("444455556666", "Auditor"); status != 200 {
		t.Errorf("assume Auditor in Staging: %d %s", status, body)
	}
	if status, body := assume("444455556666", "OrganizationAccountAccessRole"); status != 403 {
		t.Errorf("the default role after --member-role Auditor: %d %s", status, body)
	}
	if status, body := assume("111122223333", "Auditor"); status != 403 || !strings.Contains(body, "AccessDenied") {
		t.Errorf("--deny-assume 111122223333: %d %s", status, body)
	}
	cancel()
	if code := waitExit(t, exit); code != 0 {
		t.Fatalf("exit %d", code)
	}
}

// One account prints the "listening on" line alone, as before.
func TestLocalIAMOneAccountPrintsOneLine(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	exit := make(chan int, 1)
	go func() { exit <- localIAM(ctx)([]string{"--addr", "127.0.0.1:0", "--seed", "demo"}, out, io.Discard) }()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "\n") && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	if code := waitExit(t, exit); code != 0 || !listeningLine.MatchString(out.String()) {
		t.Fatalf("exit %d, stdout %q", code, out.String())
	}
}

func TestParseRate(t *testing.T) {
	for in, want := range map[string]float64{"400/s": 400, "400": 400, "6000/m": 100, "0.5/s": 0.5, "0": 0} {
		if got, err := parseRate(in); err != nil || got != want {
			t.Errorf("parseRate(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "fast", "-1/s", "10/h", "NaN"} {
		if _, err := parseRate(in); err == nil {
			t.Errorf("parseRate(%q) accepted", in)
		}
	}
}

// --drop-request is read as --drop-reply is, and refused the same way.
func TestLocalIAMDropRequestFlag(t *testing.T) {
	r := runCLI("local-iam", "--drop-request", "NoSuchAction:1")
	if r.code != exitUsage || !strings.Contains(r.stderr, `--drop-request "NoSuchAction:1": unknown action "NoSuchAction"`) {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	r = runCLI("local-iam", "--drop-request", "CreateServiceSpecificCredential:0")
	if r.code != exitUsage || !strings.Contains(r.stderr, "must be a whole number of calls, at least 1") {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
}

// --deny, --drop-reply and --drop-request given twice add up, as a list flag
// does: the second did replace the first, so a test that denied two actions
// that way denied only the last one and passed for the wrong reason.
func TestLocalIAMFaultFlagsRepeatAddUp(t *testing.T) {
	for _, flag := range []string{"--deny", "--drop-reply", "--drop-request"} {
		// --member-role without an organization stops the run after the faults
		// are read, so nothing listens either way.
		r := runCLI("local-iam", flag, "NoSuchAction", flag, "CreateServiceSpecificCredential", "--member-role", "X")
		if r.code != exitUsage || !strings.Contains(r.stderr, `unknown action "NoSuchAction"`) {
			t.Errorf("%s twice: exit %d, stderr:\n%s", flag, r.code, r.stderr)
		}
	}
}
