package deliver

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"iamcreds/internal/testenv"
	"iamcreds/model"
)

// The test binary is also the command an exec target runs: with
// DELIVER_HELPER_OUT set it writes what it was given — its arguments and
// environment as the kernel holds them (/proc/self/cmdline and environ on
// Linux) and its standard input — to that file, then exits with
// DELIVER_HELPER_EXIT, or sleeps when that is "hang".
func TestMain(m *testing.M) {
	if out := os.Getenv("DELIVER_HELPER_OUT"); out != "" {
		os.Exit(helper(out))
	}
	os.Exit(testenv.Main(m))
}

type captured struct {
	Args, Env []string
	Cmdline   string // /proc/self/cmdline, "" elsewhere
	Environ   string // /proc/self/environ
	Stdin     string
}

func helper(out string) int {
	stdin, _ := io.ReadAll(os.Stdin)
	c := captured{Args: os.Args, Env: os.Environ(), Stdin: string(stdin)}
	if b, err := os.ReadFile("/proc/self/cmdline"); err == nil {
		c.Cmdline = string(b)
	}
	if b, err := os.ReadFile("/proc/self/environ"); err == nil {
		c.Environ = string(b)
	}
	b, _ := json.Marshal(c)
	_ = os.WriteFile(out, b, 0o600)
	os.Stderr.WriteString("helper read: " + string(stdin) + "\n\x1b[31mdone\n")
	switch os.Getenv("DELIVER_HELPER_EXIT") {
	case "hang":
		time.Sleep(time.Minute)
	case "":
		return 0
	}
	return 7
}

var testCred = model.Credential{ID: "ACCAEXAMPLE123EXAMPLE", UserName: "ci-bot", Service: model.CodeCommit, ServiceUserName: "ci-bot-at-111122223333"}

const testSecretValue = "s3cr3t-Pa55word+/=EXAMPLE"

// helperTarget is an exec target that runs this test binary as the helper,
// with args after it.
func helperTarget(t *testing.T, args string) (model.Target, Deliverer, string) {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "captured.json")
	tg, err := model.ParseTarget("exec:'" + self + "' " + args)
	if err != nil {
		t.Fatal(err)
	}
	d := Deliverer{Env: []string{"DELIVER_HELPER_OUT=" + out, "PATH=" + os.Getenv("PATH"), "IAMCREDS_LOGIN=stale"}}
	return tg, d, out
}

func readCaptured(t *testing.T, path string) captured {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the command did not run: %v", err)
	}
	var c captured
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestExecSecretOnStdinOnly(t *testing.T) {
	tg, d, out := helperTarget(t, `"two words" --flag='x y'`)
	s := model.NewSecret(testCred, testSecretValue)
	if err := d.CheckTarget(context.Background(), tg); err != nil {
		t.Fatal(err)
	}
	res, err := d.Deliver(context.Background(), tg, s)
	if err != nil || res.Outcome != model.OutcomeDone || res.Verified || !res.Delivered() {
		t.Fatalf("%+v %v", res, err)
	}
	c := readCaptured(t, out)
	if c.Stdin != testSecretValue {
		t.Fatalf("stdin %q, want the secret alone", c.Stdin)
	}
	if got := c.Args[1:]; len(got) != 2 || got[0] != "two words" || got[1] != "--flag=x y" {
		t.Fatalf("args %q: not split as a shell would", got)
	}
	for what, s := range map[string]string{"args": strings.Join(c.Args, " "), "env": strings.Join(c.Env, " "),
		"/proc/self/cmdline": c.Cmdline, "/proc/self/environ": c.Environ} {
		if strings.Contains(s, testSecretValue) {
			t.Errorf("the secret is in the command's %s", what)
		}
	}
	if runtime.GOOS == "linux" && (c.Cmdline == "" || c.Environ == "") {
		t.Error("/proc/self was not read: the check proves nothing")
	}
	env := strings.Join(c.Env, "\n")
	for _, want := range []string{"IAMCREDS_LOGIN=ci-bot-at-111122223333", "IAMCREDS_USER=ci-bot", "IAMCREDS_CREDENTIAL_ID=ACCAEXAMPLE123EXAMPLE",
		"IAMCREDS_SERVICE=codecommit.amazonaws.com"} {
		if !strings.Contains(env, want) {
			t.Errorf("env lacks %s", want)
		}
	}
	if strings.Contains(env, "IAMCREDS_LOGIN=stale") {
		t.Error("a stale IAMCREDS_LOGIN was passed on")
	}
}

func TestExecFailureSaysWhatTheCommandSaid(t *testing.T) {
	tg, d, _ := helperTarget(t, "")
	d.Env = append(d.Env, "DELIVER_HELPER_EXIT=7")
	res, err := d.Deliver(context.Background(), tg, model.NewSecret(testCred, testSecretValue))
	if err == nil || res.Outcome != model.OutcomeNotDone || res.Delivered() {
		t.Fatalf("%+v %v", res, err)
	}
	msg := err.Error()
	if !strings.Contains(msg, "exit status 7") || !strings.Contains(msg, "helper read: [secret redacted]") {
		t.Fatalf("error %q", msg)
	}
	if strings.Contains(msg, testSecretValue) || strings.Contains(msg, "\x1b") {
		t.Fatalf("error %q holds the secret or a raw escape", msg)
	}
}

func TestExecTimeoutIsUnknown(t *testing.T) {
	tg, d, _ := helperTarget(t, "")
	d.Env = append(d.Env, "DELIVER_HELPER_EXIT=hang")
	tg.Timeout = 200 * time.Millisecond
	res, err := d.Deliver(context.Background(), tg, model.NewSecret(testCred, testSecretValue))
	if err == nil || res.Outcome != model.OutcomeUnknown || !strings.Contains(err.Error(), "killed after") {
		t.Fatalf("%+v %v", res, err)
	}
}

func TestExecShellStyleCommand(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("sh")
	}
	out := filepath.Join(t.TempDir(), "got")
	tg, err := model.ParseTarget(`exec:sh -c 'cat > "$1"' sh ` + "'" + out + "'")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (Deliverer{}).Deliver(context.Background(), tg, model.NewSecret(testCred, testSecretValue)); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(out); string(b) != testSecretValue {
		t.Fatalf("file holds %q", b)
	}
}

func TestExecRefusals(t *testing.T) {
	for in, want := range map[string]string{
		"exec:'unbalanced":              "quote",
		"exec:no-such-command-iamcreds": "not found",
	} {
		tg, err := model.ParseTarget(in)
		if err != nil {
			t.Fatal(err)
		}
		if err := (Deliverer{}).CheckTarget(context.Background(), tg); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v; want %q", in, err, want)
		}
	}
}

func TestFileTarget(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.csv")
	tg, _ := model.ParseTarget("file:" + path)
	var d Deliverer
	if err := d.CheckTarget(context.Background(), tg); err != nil {
		t.Fatal(err)
	}
	s := model.NewSecret(testCred, testSecretValue)
	res, err := d.Deliver(context.Background(), tg, s)
	if err != nil || !res.Verified || !res.Delivered() {
		t.Fatalf("%+v %v", res, err)
	}
	info, _ := os.Stat(path)
	if b, _ := os.ReadFile(path); string(b) != string(model.DeliveryPayload(tg, s)) || runtime.GOOS != "windows" && info.Mode().Perm() != 0o600 {
		t.Fatalf("file %q mode %v", b, info.Mode())
	}
	if err := d.CheckTarget(context.Background(), tg); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Fatalf("check of an existing file: %v", err)
	}
	if res, err := d.Deliver(context.Background(), tg, s); err == nil || res.Outcome != model.OutcomeNotDone {
		t.Fatalf("second write over the file: %+v %v", res, err)
	}
}

func TestAWSTargetsNeedStores(t *testing.T) {
	tg, _ := model.ParseTarget("secretsmanager:ci/git")
	var d Deliverer
	if err := d.CheckTarget(context.Background(), tg); model.KindOf(err) != model.KindInvalid {
		t.Fatal(err)
	}
	stores := &fakeStores{}
	d.Stores = stores
	if _, err := d.Deliver(context.Background(), tg, model.NewSecret(testCred, "x")); !errors.Is(err, errFake) || stores.delivered != 1 {
		t.Fatalf("%v; delivered %d", err, stores.delivered)
	}
}

// fakeStores only proves the routing; the stores are tested against the
// local endpoint in awsclient and cli.
type fakeStores struct{ delivered int }

var errFake = errors.New("fake")

func (f *fakeStores) CheckTarget(context.Context, model.Target) error { return nil }
func (f *fakeStores) Deliver(_ context.Context, t model.Target, _ model.Secret) (model.DeliveryResult, error) {
	f.delivered++
	return model.DeliveryResult{Target: t}, errFake
}
