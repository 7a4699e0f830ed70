package awsclient

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"iamcreds/awsclient/localiam"
	"iamcreds/model"
)

// The logs below are plain buffers: the debug log writes under its own lock, in
// the goroutine that makes the call, and the tests read them after the calls.

func TestDebugLogHoldsActionsAndNoSecret(t *testing.T) {
	ctx := context.Background()
	keys := &aws.Credentials{AccessKeyID: "ASIADEBUGTEST", SecretAccessKey: "wJalrXUtnFEMI-debug-secret-access-key",
		SessionToken: "FwoGZXIvYXdzEJr-debug-session-token"}
	var log bytes.Buffer
	c, _ := newTestClient(t, localiam.Config{}, func(cfg *Config) {
		cfg.StaticCredentials, cfg.DebugLog, cfg.MaxAttempts = keys, &log, 1
	})
	createUsers(t, c, "dana")

	git, gitSecret, err := c.CreateCredential(ctx, "dana", model.CodeCommit, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, keySecret, err := c.CreateCredential(ctx, "dana", model.Bedrock, 30)
	if err != nil {
		t.Fatal(err)
	}
	_, resetSecret, err := c.Reset(ctx, "dana", git.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Delete(ctx, "dana", "ACCANOSUCHCREDENTIAL1"); err == nil {
		t.Fatal("deleting a credential that does not exist succeeded")
	}
	got := log.String()

	for _, want := range []string{
		"Action=CreateServiceSpecificCredential", "Action=ResetServiceSpecificCredential",
		"Action=DeleteServiceSpecificCredential", "NoSuchEntity", "response #", " 404 ",
		"<ServicePassword>[redacted]</ServicePassword>", "<ServiceCredentialSecret>[redacted]</ServiceCredentialSecret>",
		"Authorization: [redacted]", "X-Amz-Security-Token: [redacted]", "UserName=dana",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("log lacks %q", want)
		}
	}
	for what, secret := range map[string]string{
		"password": gitSecret.Reveal(), "API key secret": keySecret.Reveal(), "reset password": resetSecret.Reveal(),
		"secret access key": keys.SecretAccessKey, "session token": keys.SessionToken, "signature": "Signature=",
	} {
		if secret == "" {
			t.Fatalf("%s is empty: the check would prove nothing", what)
		}
		if strings.Contains(got, secret) {
			t.Errorf("log holds the %s", what)
		}
	}
	if t.Failed() {
		t.Logf("log:\n%s", got)
	}
}

func TestRedactBody(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"<A><ServicePassword>p+w/d=</ServicePassword><B>x</B></A>", "<A><ServicePassword>[redacted]</ServicePassword><B>x</B></A>"},
		{`<ServiceCredentialSecret xml:space="keep">s</ServiceCredentialSecret>`, `<ServiceCredentialSecret xml:space="keep">[redacted]</ServiceCredentialSecret>`},
		{"<x:SecretAccessKey><![CDATA[k<1>]]><!-- c -->k2</x:SecretAccessKey>", "<x:SecretAccessKey>[redacted]</x:SecretAccessKey>"},
		{"<SessionToken>cut off", "<SessionToken>[redacted]"},
		{"<ServicePassword/><UserName>u</UserName>", "<ServicePassword/><UserName>u</UserName>"},
		{`{"roleCredentials":{"accessKeyId":"ASIA","secretAccessKey":"s\"q","sessionToken":"t"}}`,
			`{"roleCredentials":{"accessKeyId":"ASIA","secretAccessKey":"[redacted]","sessionToken":"[redacted]"}}`},
		{`{"Code":"Success","SecretAccessKey" : "k","Token":"t","Expiration":"2030"}`,
			`{"Code":"Success","SecretAccessKey" : "[redacted]","Token":"[redacted]","Expiration":"2030"}`},
		// A reply cut off inside a value (the connection dropped): redacted to the end, like XML.
		{`{"Name":"ci/git","SecretString":"{\"secret\":\"cut-off-secret`, `{"Name":"ci/git","SecretString":"[redacted]`},
		{`{"Parameter":{"Name":"/p","Value":"cut\"off\`, `{"Parameter":{"Name":"/p","Value":"[redacted]`},
		{`{"Name":"/p","Value":"`, `{"Name":"/p","Value":"[redacted]`},
	} {
		if got := redactBody(tc.in); got != tc.want {
			t.Errorf("redactBody(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
	if got := redactForm("Action=X&ServicePassword=p&UserName=u&X-Amz-Signature=abc"); got != "Action=X&ServicePassword=[redacted]&UserName=u&X-Amz-Signature=[redacted]" {
		t.Errorf("redactForm: %q", got)
	}
	if got := redactURL("https://h/?X-Amz-Security-Token=t&a=b"); got != "https://h/?X-Amz-Security-Token=[redacted]&a=b" {
		t.Errorf("redactURL: %q", got)
	}
}

// The debug log is read in a terminal: the endpoint's text is made safe there too.
func TestDebugLogIsSafeToPrint(t *testing.T) {
	hostile := "<ErrorResponse><Error><Code>Bad\u009b2J</Code><Message>m\u202e\r</Message></Error><RequestId>r\x1b]52;c;x\a</RequestId></ErrorResponse>"
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Evil", "v\u009d")
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, hostile)
	}))
	defer hs.Close()
	var log bytes.Buffer
	c, err := New(context.Background(), Config{EndpointURL: hs.URL, StaticCredentials: testCreds, MaxAttempts: 1, DebugLog: &log})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ListUsers(context.Background())
	if err == nil {
		t.Fatal("want an error")
	}
	for _, line := range strings.Split(log.String(), "\n") {
		if !model.IsSafeText(line) {
			t.Errorf("unsafe log line %q", line)
		}
	}
	if !model.IsSafeText(err.Error()) {
		t.Errorf("unsafe error %q", err.Error())
	}
	if !strings.Contains(log.String(), "Bad\ufffd2J") {
		t.Errorf("the response body is missing from the log:\n%s", log.String())
	}
}

// captureStd swaps os.Stdout and os.Stderr for pipes until the returned
// function is called, which restores them and returns what was written.
func captureStd(t *testing.T) func() string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, stderr := os.Stdout, os.Stderr
	os.Stdout, os.Stderr = w, w
	var out bytes.Buffer
	done := make(chan struct{})
	go func() { io.Copy(&out, r); close(done) }()
	return func() string {
		os.Stdout, os.Stderr = stdout, stderr
		w.Close()
		<-done
		r.Close()
		return out.String()
	}
}

// sdkWarningEndpoints makes the SDK warn twice: an instance-metadata endpoint
// that refuses IMDSv2 tokens ("falling back to IMDSv1"), and an IAM endpoint whose
// response promises more body than it sends ("failed to discard remaining HTTP
// response body"). Both are loopback servers.
func sdkWarningEndpoints(t *testing.T) (imdsURL, iamURL string) {
	imds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		w.WriteHeader(http.StatusNotFound)
	}))
	t.Cleanup(imds.Close)
	iamSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		body := `<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/x</Arn>` +
			`<UserId>AIDA</UserId><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>`
		fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nx-amzn-RequestId: req-1\r\nContent-Length: %d\r\n\r\n%s", len(body)+100, body)
		buf.Flush()
	}))
	t.Cleanup(iamSrv.Close)
	return imds.URL, iamSrv.URL
}

func TestSDKWritesNothingToStdoutOrStderr(t *testing.T) {
	imdsURL, iamURL := sdkWarningEndpoints(t)
	isolateAWSEnv(t, "")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "false")
	t.Setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", imdsURL)
	ctx := context.Background()

	for _, debug := range []bool{false, true} {
		t.Run(fmt.Sprintf("debug=%v", debug), func(t *testing.T) {
			var log bytes.Buffer
			cfg := Config{EndpointURL: iamURL, MaxAttempts: 1}
			if debug {
				cfg.DebugLog = &log
			}
			captured := captureStd(t)
			// No credentials anywhere but the metadata endpoint: the chain asks it.
			noCreds, err := New(ctx, cfg)
			if err == nil {
				_, err = noCreds.Identity(ctx)
			}
			if !errors.Is(err, model.ErrAuth) {
				t.Errorf("Identity with no credentials: %v", err)
			}
			cfg.StaticCredentials = testCreds
			truncated, err := New(ctx, cfg)
			if err == nil {
				_, err = truncated.Identity(ctx)
			}
			if out := captured(); out != "" {
				t.Errorf("the SDK wrote to stdout/stderr:\n%s", out)
			}
			if err != nil {
				t.Fatalf("Identity against the truncating endpoint: %v", err)
			}
			if !debug {
				return
			}
			for _, want := range []string{"SDK WARN falling back to IMDSv1", "SDK WARN failed to discard remaining HTTP response body"} {
				if !strings.Contains(log.String(), want) {
					t.Errorf("debug log lacks %q:\n%s", want, log.String())
				}
			}
		})
	}
}
