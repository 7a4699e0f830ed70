package localiam_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"iamcreds/internal/testbin"
	"iamcreds/internal/testenv"
)

// These tests drive the real iamcreds binary with clients nobody here wrote: the
// AWS CLI and boto3. They replay the AWS CLI reference examples (create, list,
// update, reset, delete) and check the same fields and formats.

// requireTool skips when a client is missing locally, and fails on CI.
func requireTool(t *testing.T, name string, check ...string) string {
	t.Helper()
	path, err := checkedTool(name, check...)
	if err == nil {
		return path
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is required on CI: %v", name, err)
	}
	t.Skipf("%s not available: %v", name, err)
	return ""
}

// toolChecks holds each tool's check, run once per test process: a check is a
// Python start (a second of CPU on a loaded machine), and the tests ask twice.
var toolChecks sync.Map // name and check → *toolCheck

type toolCheck struct {
	once sync.Once
	path string
	err  error
}

// checkedTool finds name and runs it with check, once per process.
func checkedTool(name string, check ...string) (string, error) {
	v, _ := toolChecks.LoadOrStore(fmt.Sprintf("%q", append([]string{name}, check...)), &toolCheck{})
	c := v.(*toolCheck)
	c.once.Do(func() {
		c.path, c.err = toolPath(name)
		if c.err == nil && len(check) > 0 {
			c.err = exec.Command(c.path, check...).Run()
		}
	})
	return c.path, c.err
}

// toolPath finds name on PATH. A pyenv shim is a shell script that looks the
// real program up on every run (about a second each under load, times two
// dozen aws commands), so it is resolved once, through pyenv itself.
func toolPath(name string) (string, error) {
	path, err := exec.LookPath(name)
	if err != nil || !strings.Contains(filepath.ToSlash(path), "/.pyenv/shims/") {
		return path, err
	}
	if out, err := exec.Command("pyenv", "which", name).Output(); err == nil {
		if real := strings.TrimSpace(string(out)); real != "" {
			return real, nil
		}
	}
	return path, nil
}

// TestMain keeps the shell's AWS_* variables out of the tests.
func TestMain(m *testing.M) {
	os.Exit(testenv.Main(m))
}

// buildIamcreds is the iamcreds binary, built once for every test process of
// the run that asks for it (internal/testbin).
func buildIamcreds(t *testing.T) string {
	t.Helper()
	bin, err := testbin.Build("")
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// startLocalIAM runs `iamcreds local-iam` on a free port and returns its URL. At
// cleanup it sends SIGTERM and expects a clean exit.
func startLocalIAM(t *testing.T, bin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"local-iam", "--addr", "127.0.0.1:0"}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		lines <- line
	}()
	var line string
	select {
	case line = <-lines:
	case <-time.After(20 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("no listening line")
	}
	m := regexp.MustCompile(`^listening on (http://127\.0\.0\.1:\d+)\n$`).FindStringSubmatch(line)
	if m == nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Fatalf("first line %q; stderr:\n%s", line, stderr.String())
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("local-iam exit after SIGTERM: %v; stderr:\n%s", err, stderr.String())
			}
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
			t.Error("local-iam ignored SIGTERM")
		}
	})
	return m[1]
}

// clientEnv isolates a client from the developer's AWS configuration.
func clientEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	return append(env,
		"AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY=local-iam-dummy-secret",
		"AWS_DEFAULT_REGION=us-east-1", "AWS_CONFIG_FILE="+os.DevNull, "AWS_SHARED_CREDENTIALS_FILE="+os.DevNull,
		"AWS_EC2_METADATA_DISABLED=true", "AWS_PAGER=")
}

var (
	isoTime  = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|\+00:00)$`)
	credID   = regexp.MustCompile(`^ACCA[A-Z2-7]{17}$`)
	password = regexp.MustCompile(`^[A-Za-z0-9+/]{43}=$`)
)

type awsCLI struct {
	t        *testing.T
	cli      *cliSession
	endpoint string
	env      []string // added to clientEnv, overriding it (other keys)
}

// cliSession is one Python process that runs AWS CLI commands through the
// CLI's own driver (testdata/aws_cli_session.py): an `aws` process per command
// spent most of a second importing botocore, two dozen times per test.
type cliSession struct {
	mu  sync.Mutex
	in  *json.Encoder
	out *json.Decoder
}

// startCLI starts the session with the Python that runs the aws on PATH.
func startCLI(t *testing.T) *cliSession {
	t.Helper()
	python := cliPython(t, requireTool(t, "aws", "--version"))
	cmd := exec.Command(python, filepath.Join("testdata", "aws_cli_session.py"))
	cmd.Env = append(clientEnv(), "PYTHONDONTWRITEBYTECODE=1") // no __pycache__ in testdata
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close() // the script ends at the end of its input
		if err := cmd.Wait(); err != nil {
			t.Errorf("aws CLI session: %v", err)
		}
	})
	return &cliSession{in: json.NewEncoder(stdin), out: json.NewDecoder(stdout)}
}

// cliPython is the interpreter named on the aws script's #! line, which has
// the awscli package; found and checked once per process.
func cliPython(t *testing.T, aws string) string {
	t.Helper()
	cliPythonOf.once.Do(func() { cliPythonOf.path, cliPythonOf.err = findCLIPython(aws) })
	if cliPythonOf.err != nil {
		t.Fatal(cliPythonOf.err)
	}
	return cliPythonOf.path
}

var cliPythonOf toolCheck

func findCLIPython(aws string) (string, error) {
	f, err := os.Open(aws)
	if err != nil {
		return "", err
	}
	defer f.Close()
	line, _ := bufio.NewReader(f).ReadString('\n')
	fields := strings.Fields(strings.TrimPrefix(line, "#!"))
	if !strings.HasPrefix(line, "#!") || len(fields) == 0 {
		return "", fmt.Errorf("%s is not a Python script (first line %q)", aws, line)
	}
	python := fields[0]
	if filepath.Base(python) == "env" && len(fields) > 1 { // #!/usr/bin/env python3
		if python, err = exec.LookPath(fields[1]); err != nil {
			return "", err
		}
	}
	if out, err := exec.Command(python, "-c", "import awscli.clidriver").CombinedOutput(); err != nil {
		return "", fmt.Errorf("%s cannot import the AWS CLI: %v\n%s", python, err, out)
	}
	return python, nil
}

// run runs `aws <service> <args>` and returns the decoded JSON (nil when the
// command printed nothing), stderr and the exit code.
func (c awsCLI) run(args ...string) (map[string]any, string, int) {
	c.t.Helper()
	env := map[string]string{}
	for _, kv := range c.env {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	var res struct {
		RC             int
		Stdout, Stderr string
	}
	c.cli.mu.Lock()
	err := c.cli.in.Encode(map[string]any{"args": append([]string{"--endpoint-url", c.endpoint, "--output", "json"}, args...), "env": env})
	if err == nil {
		err = c.cli.out.Decode(&res)
	}
	c.cli.mu.Unlock()
	if err != nil {
		c.t.Fatalf("aws %v: %v", args, err)
	}
	if strings.TrimSpace(res.Stdout) == "" {
		return nil, res.Stderr, res.RC
	}
	var out map[string]any
	if err := json.Unmarshal([]byte(res.Stdout), &out); err != nil {
		c.t.Fatalf("aws %v: %v\n%s", args, err, res.Stdout)
	}
	return out, res.Stderr, res.RC
}

// ok runs a command that must succeed.
func (c awsCLI) ok(args ...string) map[string]any {
	c.t.Helper()
	out, stderr, code := c.run(args...)
	if code != 0 {
		c.t.Fatalf("aws %v: exit %d\n%s", args, code, stderr)
	}
	return out
}

// fails runs a command that must fail with AWS's error code and message.
func (c awsCLI) fails(code, message string, args ...string) {
	c.t.Helper()
	out, stderr, exit := c.run(args...)
	// AWS CLI v1 exits 254 for a service error (255 for other failures in older versions).
	if (exit != 254 && exit != 255) || out != nil || !strings.Contains(stderr, "("+code+")") || !strings.Contains(stderr, message) {
		c.t.Fatalf("aws %v: exit %d, want %s %q; stdout %v\nstderr: %s", args, exit, code, message, out, stderr)
	}
}

func keys(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func wantKeys(t *testing.T, what string, m map[string]any, want ...string) {
	t.Helper()
	slices.Sort(want)
	if got := keys(m); !slices.Equal(got, want) {
		t.Fatalf("%s keys %v, want %v", what, got, want)
	}
}

func cliTime(t *testing.T, v any) time.Time {
	t.Helper()
	s, _ := v.(string)
	if !isoTime.MatchString(s) {
		t.Fatalf("timestamp %q", s)
	}
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func TestConformanceAWSCLI(t *testing.T) {
	t.Parallel() // each is a chain of Python starts: together they take the longest one\'s time
	cli := awsCLI{t: t, cli: startCLI(t), endpoint: startLocalIAM(t, buildIamcreds(t), "--seed", "empty")}

	user := cli.ok("iam", "create-user", "--user-name", "sofia")["User"].(map[string]any)
	if user["UserName"] != "sofia" || user["Arn"] != "arn:aws:iam::123456789012:user/sofia" || user["Path"] != "/" {
		t.Fatalf("create-user: %v", user)
	}
	cliTime(t, user["CreateDate"])

	create := func(service string, extra ...string) map[string]any {
		t.Helper()
		out := cli.ok(append([]string{"iam", "create-service-specific-credential", "--user-name", "sofia", "--service-name", service}, extra...)...)
		wantKeys(t, "create output", out, "ServiceSpecificCredential")
		return out["ServiceSpecificCredential"].(map[string]any)
	}
	// create-service-specific-credential, as in the CLI reference example.
	first, second := create("codecommit.amazonaws.com"), create("codecommit.amazonaws.com")
	for i, c := range []map[string]any{first, second} {
		wantKeys(t, "credential", c, "CreateDate", "ServiceName", "ServiceUserName", "ServicePassword", "ServiceSpecificCredentialId", "UserName", "Status")
		wantName := []string{"sofia-at-123456789012", "sofia+1-at-123456789012"}[i]
		if c["ServiceUserName"] != wantName || c["ServiceName"] != "codecommit.amazonaws.com" || c["UserName"] != "sofia" || c["Status"] != "Active" ||
			!password.MatchString(c["ServicePassword"].(string)) || !credID.MatchString(c["ServiceSpecificCredentialId"].(string)) {
			t.Fatalf("credential %d: %v", i, c)
		}
		cliTime(t, c["CreateDate"])
	}
	cli.fails("LimitExceeded", "CreateServiceSpecificCredential", "iam", "create-service-specific-credential", "--user-name", "sofia", "--service-name", "codecommit.amazonaws.com")

	// list-service-specific-credentials: metadata only.
	list := cli.ok("iam", "list-service-specific-credentials", "--user-name", "sofia", "--service-name", "codecommit.amazonaws.com")
	creds := list["ServiceSpecificCredentials"].([]any)
	if len(creds) != 2 || list["IsTruncated"] != false || list["Marker"] != nil {
		t.Fatalf("list: %v", list)
	}
	for _, v := range creds {
		c := v.(map[string]any)
		wantKeys(t, "listed credential", c, "UserName", "Status", "ServiceUserName", "CreateDate", "ServiceSpecificCredentialId", "ServiceName")
		want := first // same-second credentials are ordered by ID
		if c["ServiceSpecificCredentialId"] == second["ServiceSpecificCredentialId"] {
			want = second
		}
		for _, k := range []string{"ServiceUserName", "ServiceSpecificCredentialId", "Status", "UserName"} {
			if c[k] != want[k] {
				t.Fatalf("listed %s %v, want %v", k, c[k], want[k])
			}
		}
		if !cliTime(t, c["CreateDate"]).Equal(cliTime(t, want["CreateDate"])) {
			t.Fatalf("listed CreateDate %v, created %v", c["CreateDate"], want["CreateDate"])
		}
	}

	// update-service-specific-credential "produces no output".
	id := first["ServiceSpecificCredentialId"].(string)
	if out := cli.ok("iam", "update-service-specific-credential", "--user-name", "sofia", "--service-specific-credential-id", id, "--status", "Inactive"); out != nil {
		t.Fatalf("update printed %v", out)
	}
	// reset-service-specific-credential: same ID and user name, new password, status kept.
	reset := cli.ok("iam", "reset-service-specific-credential", "--user-name", "sofia", "--service-specific-credential-id", id)["ServiceSpecificCredential"].(map[string]any)
	wantKeys(t, "reset", reset, "CreateDate", "ServiceName", "ServiceUserName", "ServicePassword", "ServiceSpecificCredentialId", "UserName", "Status")
	if reset["ServiceSpecificCredentialId"] != id || reset["ServiceUserName"] != "sofia-at-123456789012" || reset["Status"] != "Inactive" ||
		reset["ServicePassword"] == first["ServicePassword"] || !password.MatchString(reset["ServicePassword"].(string)) ||
		!cliTime(t, reset["CreateDate"]).Equal(cliTime(t, first["CreateDate"])) {
		t.Fatalf("reset: %v\nfirst: %v", reset, first)
	}
	if out := cli.ok("iam", "delete-service-specific-credential", "--user-name", "sofia", "--service-specific-credential-id", id); out != nil {
		t.Fatalf("delete printed %v", out)
	}
	if left := cli.ok("iam", "list-service-specific-credentials", "--user-name", "sofia")["ServiceSpecificCredentials"].([]any); len(left) != 1 ||
		left[0].(map[string]any)["ServiceSpecificCredentialId"] != second["ServiceSpecificCredentialId"] {
		t.Fatalf("after delete: %v", left)
	}

	// Bedrock API key with an expiry, then listed for all users.
	key := create("bedrock.amazonaws.com", "--credential-age-days", "30")
	wantKeys(t, "bedrock key", key, "CreateDate", "ExpirationDate", "ServiceName", "ServiceCredentialAlias", "ServiceCredentialSecret", "ServiceSpecificCredentialId", "UserName", "Status")
	if d := cliTime(t, key["ExpirationDate"]).Sub(cliTime(t, key["CreateDate"])); d != 30*24*time.Hour {
		t.Fatalf("expires after %v", d)
	}
	secret, _ := key["ServiceCredentialSecret"].(string)
	payload, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "ABSK"))
	if key["ServiceCredentialAlias"] != "sofia-at-123456789012" || !strings.HasPrefix(secret, "ABSK") || err != nil ||
		!strings.HasPrefix(string(payload), "sofia-at-123456789012:") {
		t.Fatalf("bedrock key: %v (payload %q, %v)", key, payload, err)
	}
	all := cli.ok("iam", "list-service-specific-credentials", "--all-users", "--service-name", "bedrock.amazonaws.com")["ServiceSpecificCredentials"].([]any)
	if len(all) != 1 {
		t.Fatalf("--all-users: %v", all)
	}
	listed := all[0].(map[string]any)
	wantKeys(t, "listed key", listed, "UserName", "Status", "ServiceCredentialAlias", "CreateDate", "ExpirationDate", "ServiceSpecificCredentialId", "ServiceName")
	if listed["ServiceSpecificCredentialId"] != key["ServiceSpecificCredentialId"] || listed["Status"] != "Active" {
		t.Fatalf("listed key: %v", listed)
	}

	// AWS's errors: independent calls, so each in its own parallel subtest.
	for _, e := range []struct {
		code, message string
		args          []string
	}{
		{"ValidationError", "Member must satisfy regular expression pattern: [\\w]+",
			[]string{"iam", "update-service-specific-credential", "--user-name", "sofia", "--service-specific-credential-id", "ACCA-BAD-ID-WITH-HYPHENS", "--status", "Active"}},
		{"NoSuchEntity", "The user with name nobody cannot be found.", []string{"iam", "list-service-specific-credentials", "--user-name", "nobody"}},
		{"NoSuchEntity", "No such service lambda.amazonaws.com is supported for Service Specific Credentials",
			[]string{"iam", "create-service-specific-credential", "--user-name", "sofia", "--service-name", "lambda.amazonaws.com"}},
		{"NoSuchEntity", "No such credential ACCAZZZZZZZZZZZZZZZZZ exists",
			[]string{"iam", "reset-service-specific-credential", "--user-name", "sofia", "--service-specific-credential-id", "ACCAZZZZZZZZZZZZZZZZZ"}},
		{"DeleteConflict", "Cannot delete entity, must remove referenced objects first.", []string{"iam", "delete-user", "--user-name", "sofia"}},
	} {
		t.Run(e.args[1], func(t *testing.T) {
			t.Parallel()
			sub := cli
			sub.t = t
			sub.fails(e.code, e.message, e.args...)
		})
	}

	if id := cli.ok("sts", "get-caller-identity"); id["Account"] != "123456789012" || id["Arn"] != "arn:aws:iam::123456789012:user/iamcreds-demo" {
		t.Fatalf("get-caller-identity: %v", id)
	}
	if info := cli.ok("sts", "get-access-key-info", "--access-key-id", "ASIAY34FZKBOKMUTVV7A"); info["Account"] != "609629065308" {
		t.Fatalf("get-access-key-info: %v", info)
	}
}

func TestConformanceBoto3(t *testing.T) {
	t.Parallel() // each is a chain of Python starts: together they take the longest one\'s time
	runBoto3(t, "conformance_boto3.py", "empty", "boto3 conformance: OK")
}

func TestConformanceBoto3UserItems(t *testing.T) {
	t.Parallel()
	runBoto3(t, "conformance_boto3_users.py", "demo", "boto3 user conformance: OK")
}

// TestConformanceBoto3Keys: STS GetAccessKeyInfo and the API-key secrets'
// forms, as a leaked-key lookup reads them.
func TestConformanceBoto3Keys(t *testing.T) {
	t.Parallel()
	runBoto3(t, "conformance_boto3_keys.py", "demo", "boto3 key conformance: OK")
}

// runBoto3 runs a testdata script against local-iam with a seed and expects its
// OK line.
func runBoto3(t *testing.T, script, seed, okLine string) {
	t.Helper()
	python := requireTool(t, "python3", "-c", "import boto3")
	endpoint := startLocalIAM(t, buildIamcreds(t), "--seed", seed)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, filepath.Join("testdata", script), endpoint)
	cmd.Env = append(clientEnv(), "PYTHONDONTWRITEBYTECODE=1") // no __pycache__ in testdata
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), okLine) {
		t.Fatalf("%s: %v\n%s", script, err, out)
	}
	t.Log(strings.TrimSpace(string(out)))
}
