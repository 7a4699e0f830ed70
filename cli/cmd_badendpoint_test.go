package cli

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"iamcreds/ui/uitest"
)

// The command line against endpoints that misbehave: --timeout, local-iam's
// lost-reply faults, and audit against replies no IAM sends.

func TestTimeoutFlagSetsTheClientLimits(t *testing.T) {
	for _, c := range []struct {
		args             []string
		connect, replies time.Duration
	}{
		{nil, 10 * time.Second, 30 * time.Second},
		{[]string{"--timeout", "45s"}, 10 * time.Second, 45 * time.Second},
		{[]string{"--timeout", "2s"}, 2 * time.Second, 2 * time.Second},
	} {
		var got *tuiFlags
		root := newTUICmd(func(_ context.Context, o tuiFlags) error { got = &o; return nil })
		finishTree(root)
		root.SetArgs(append([]string{}, c.args...))
		if err := root.Execute(); err != nil || got == nil {
			t.Fatalf("%v: %v, ran: %v", c.args, err, got != nil)
		}
		cfg := got.tuiConfig()
		if cfg.ConnectTimeout != c.connect || cfg.ReplyTimeout != c.replies {
			t.Errorf("%v: connect %v, reply %v; want %v, %v", c.args, cfg.ConnectTimeout, cfg.ReplyTimeout, c.connect, c.replies)
		}
	}
}

// Every command that talks to IAM takes --timeout, and a bad value is a usage
// error before anything is contacted.
func TestEveryIAMCommandTakesTimeout(t *testing.T) {
	for path, cmd := range ourCommands() {
		if cmd.Flags().Lookup("endpoint-url") == nil {
			continue
		}
		if cmd.Flags().Lookup("timeout") == nil {
			t.Errorf("%s has --endpoint-url but no --timeout", path)
			continue
		}
		sub := strings.Fields(strings.TrimPrefix(path, "iamcreds"))
		for _, bad := range []string{"0", "-1s", "soon", "2h"} {
			r := runCLI(append(sub, "--timeout", bad, "--endpoint-url", "http://127.0.0.1:1")...)
			if r.code != exitUsage || !strings.Contains(r.stderr, `--timeout "`+bad+`"`) {
				t.Errorf("%s --timeout %s: exit %d, stderr %q", path, bad, r.code, r.stderr)
			}
		}
	}
}

func TestLocalIAMDropReplyFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--drop-reply", "Nope"},
		{"--drop-reply", "CreateServiceSpecificCredential:0"},
		{"--drop-reply", "CreateServiceSpecificCredential,CreateServiceSpecificCredential:2"},
		{"--drop-rate", "1.5"},
		{"--drop-rate", "x"},
	} {
		r := runCLI(append([]string{"local-iam", "--addr", "127.0.0.1:0"}, args...)...)
		if r.code != exitUsage || !strings.Contains(r.stderr, "drop") || strings.Count(r.stderr, "\n") != 2 {
			t.Errorf("%v: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	endpoint, exit, _ := startLocalIAM(t, localIAM(ctx), "--addr", "127.0.0.1:0", "--seed", "demo",
		"--drop-reply", "iam:CreateServiceSpecificCredential:1")
	create := url.Values{"Action": {"CreateServiceSpecificCredential"}, "UserName": {"ana"},
		"ServiceName": {"cassandra.amazonaws.com"}, "Version": {"2010-05-08"}}
	if resp, err := http.PostForm(endpoint, create); err == nil {
		resp.Body.Close()
		t.Fatalf("the first create was answered: %s", resp.Status)
	}
	// The second is answered; the first was committed all the same.
	if code, body := post(t, endpoint, create); code != http.StatusOK {
		t.Fatalf("second create: %d %s", code, body)
	}
	_, body := post(t, endpoint, url.Values{"Action": {"ListServiceSpecificCredentials"}, "UserName": {"ana"},
		"ServiceName": {"cassandra.amazonaws.com"}, "Version": {"2010-05-08"}})
	if n := strings.Count(body, "<ServiceSpecificCredentialId>"); n != 2 {
		t.Errorf("ana holds %d Keyspaces credentials after a lost and an answered create, want 2:\n%s", n, body)
	}
	cancel()
	if code := waitExit(t, exit); code != exitOK {
		t.Errorf("exit %d", code)
	}
}

// An endpoint answering every call with an empty 200 is no IAM: the audit
// fails (exit 3) saying so, and a CI gate on --fail-on-flagged does not pass.
func TestAuditEmpty200Exits3(t *testing.T) {
	auditAWSEnv(t)
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusOK)
	}))
	defer hs.Close()
	r := runAuditTest(t, false, "--endpoint-url", hs.URL, "--fail-on-flagged", "--format", "csv")
	if r.code != exitFailed || r.stdout != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, "empty") || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("stderr does not say the reply was empty, on one line: %q", r.stderr)
	}
}

// blackHole is an endpoint that accepts and never answers.
func blackHole(t *testing.T) string {
	t.Helper()
	b, err := uitest.NewBlackHole()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return b.URL
}

// A black hole is reported once --timeout has run out (twice: one more try),
// not after the minutes the SDK's retries would take, and the message says
// what happened.
func TestAuditBlackHoleWithShortTimeout(t *testing.T) {
	auditAWSEnv(t)
	endpoint := blackHole(t)
	start := time.Now()
	r := runAuditTest(t, false, "--endpoint-url", endpoint, "--timeout", "300ms", "--fail-on-flagged")
	took := time.Since(start)
	if r.code != exitFailed || r.stdout != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, endpoint+" did not answer within 300ms") || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("stderr does not say the endpoint did not answer: %q", r.stderr)
	}
	// Two attempts of 300ms and the judging of nothing: far below the bound,
	// which only catches a run that ignored --timeout (the default is 30 s).
	if took > 15*time.Second {
		t.Errorf("the audit took %v to give up on a black hole with --timeout 300ms", took)
	}
	t.Logf("black hole with --timeout 300ms reported in %v: %s", took.Round(time.Millisecond), strings.TrimSpace(r.stderr))
}
