package awsclient

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"iamcreds/awsclient/localiam"
	"iamcreds/model"
)

// profileFailuresConfig holds one profile per way a profile commonly fails to load.
const profileFailuresConfig = `[profile sso-none]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = Admin
[profile sso-expired]
sso_session = expired
sso_account_id = 123456789012
sso_role_name = Admin
[profile sso-no-session]
sso_session = nowhere
sso_account_id = 123456789012
sso_role_name = Admin
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
[sso-session expired]
sso_start_url = https://expired.awsapps.com/start
sso_region = us-east-1
[profile mfa]
role_arn = arn:aws:iam::123456789012:role/Admin
source_profile = base
mfa_serial = arn:aws:iam::123456789012:mfa/alice
[profile orphan-role]
role_arn = arn:aws:iam::123456789012:role/Admin
source_profile = gone
[profile keyless-source]
region = us-east-1
[profile role-keyless-source]
role_arn = arn:aws:iam::123456789012:role/Admin
source_profile = keyless-source
`

const profileFailuresCredentials = `[base]
aws_access_key_id = AKIDBASE
aws_secret_access_key = basesecret
`

// localEndpoint serves an empty local IAM over HTTP until the test ends.
func localEndpoint(t *testing.T) *httptest.Server {
	t.Helper()
	srv, err := localiam.New(localiam.Config{})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { hs.Close(); srv.Close() })
	return hs
}

// loadAndCheck does what the UI does on a profile switch: New, then Identity.
func loadAndCheck(t *testing.T, endpoint, profile string) (atNew bool, err error) {
	t.Helper()
	ctx := context.Background()
	c, err := New(ctx, Config{Profile: profile, EndpointURL: endpoint, MaxAttempts: 1})
	if err != nil {
		return true, err
	}
	_, err = c.Identity(ctx)
	return false, err
}

func TestProfilesLoadFailuresSayWhy(t *testing.T) {
	hs := localEndpoint(t)
	isolateAWSEnv(t, profileFailuresConfig)
	home := os.Getenv("HOME")
	if err := os.WriteFile(os.Getenv("AWS_SHARED_CREDENTIALS_FILE"), []byte(profileFailuresCredentials), 0o600); err != nil {
		t.Fatal(err)
	}
	writeExpiredSSOToken(t, home, "expired")

	for _, tc := range []struct {
		profile string
		atNew   bool
		want    []string
	}{
		{"sso-none", false, []string{"aws sso login --profile sso-none"}},
		{"sso-expired", false, []string{"aws sso login --profile sso-expired"}},
		{"sso-no-session", true, []string{`profile "sso-no-session"`, `[sso-session nowhere]`}},
		{"mfa", true, []string{`profile "mfa" needs an MFA code`, "iamcreds cannot prompt", "aws sts get-session-token", "credential_process"}},
		{"orphan-role", true, []string{`profile "orphan-role"`, `source_profile "gone"`, "not found"}},
		{"role-keyless-source", true, []string{`profile "role-keyless-source"`, `source_profile "keyless-source"`, "no credentials"}},
	} {
		t.Run(tc.profile, func(t *testing.T) {
			atNew, err := loadAndCheck(t, hs.URL, tc.profile)
			if err == nil {
				t.Fatal("want a failure")
			}
			t.Log(err)
			if !errors.Is(err, model.ErrAuth) {
				t.Errorf("kind: %v (%T)", err, err)
			}
			if atNew != tc.atNew {
				t.Errorf("failed at New=%v, want %v: %v", atNew, tc.atNew, err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("message %q lacks %q", err.Error(), w)
				}
			}
			if strings.Contains(err.Error(), "basesecret") || strings.Contains(err.Error(), "AKIDBASE") {
				t.Errorf("message leaks keys: %q", err.Error())
			}
		})
	}
}

// writeExpiredSSOToken leaves the token cache `aws sso login` would, expired and
// without a refresh token, so the SDK gives up without calling AWS.
func writeExpiredSSOToken(t *testing.T, home, session string) {
	t.Helper()
	sum := sha1.Sum([]byte(session))
	dir := filepath.Join(home, ".aws", "sso", "cache")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	tok := `{"accessToken":"expired-token","expiresAt":"2020-01-01T00:00:00Z","region":"us-east-1","startUrl":"https://expired.awsapps.com/start"}`
	if err := os.WriteFile(filepath.Join(dir, hex.EncodeToString(sum[:])+".json"), []byte(tok), 0o600); err != nil {
		t.Fatal(err)
	}
}

// The profile, region and endpoint the client reports are what the SDK
// resolved, wherever they were set; and STS goes where IAM goes.
func TestClientReportsWhatTheSDKResolved(t *testing.T) {
	hs := localEndpoint(t)
	isolateAWSEnv(t, `[profile local]
region = eu-west-1
endpoint_url = `+hs.URL+`
aws_access_key_id = AKIDLOCAL
aws_secret_access_key = localsecret
[profile iam-only]
services = local-iam
aws_access_key_id = AKIDLOCAL
aws_secret_access_key = localsecret
[services local-iam]
iam =
  endpoint_url = `+hs.URL+`
`)
	ctx := context.Background()
	for _, tc := range []struct {
		name                      string
		cfg                       Config
		env                       map[string]string
		profile, region, endpoint string
	}{
		{"flag", Config{Profile: "local"}, nil, "local", "eu-west-1", hs.URL},
		{"AWS_PROFILE", Config{}, map[string]string{"AWS_PROFILE": "local"}, "local", "eu-west-1", hs.URL},
		{"flags beat the profile", Config{Profile: "local", Region: "ap-south-1", EndpointURL: hs.URL + "/"}, nil, "local", "ap-south-1", hs.URL + "/"},
		{"services section", Config{Profile: "iam-only"}, nil, "iam-only", "us-east-1", hs.URL},
		{"environment", Config{}, map[string]string{"AWS_ENDPOINT_URL_IAM": hs.URL, "AWS_REGION": "ca-central-1",
			"AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "envsecret"}, "", "ca-central-1", hs.URL},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			c, err := New(ctx, tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if c.Profile() != tc.profile || c.Region() != tc.region || c.Endpoint() != tc.endpoint {
				t.Fatalf("profile %q region %q endpoint %q; want %q %q %q", c.Profile(), c.Region(), c.Endpoint(), tc.profile, tc.region, tc.endpoint)
			}
			if _, err := c.Identity(ctx); err != nil { // STS at the same endpoint, or AWS would be called
				t.Fatalf("identity: %v", err)
			}
		})
	}
	t.Run("no default profile", func(t *testing.T) {
		t.Setenv("AWS_ACCESS_KEY_ID", "AKIDENV")
		t.Setenv("AWS_SECRET_ACCESS_KEY", "envsecret")
		c, err := New(ctx, Config{EndpointURL: hs.URL})
		if err != nil {
			t.Fatal(err)
		}
		if c.Profile() != "" || c.Region() != "us-east-1" {
			t.Fatalf("profile %q region %q", c.Profile(), c.Region())
		}
	})
}

// An auth error says what the credential_process said, and when the SSO
// session expired.
func TestAuthErrorsCarryTheCause(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the credential_process scripts are sh")
	}
	hs := localEndpoint(t)
	dir := t.TempDir()
	script := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body), 0o700); err != nil {
			t.Fatal(err)
		}
		return p
	}
	failing := script("failing", "echo '' >&2\necho 'corp-login: token expired, run corp-login --renew' >&2\necho 'second line' >&2\nexit 3\n")
	leaky := script("leaky", `echo '{"Version": 1, "AccessKeyId": "AKIDLEAK", "SecretAccessKey": "leakedsecret"'`+"\n")
	isolateAWSEnv(t, profileFailuresConfig+`[profile broken]
credential_process = `+failing+`
[profile leaky]
credential_process = `+leaky+`
`)
	writeExpiredSSOToken(t, os.Getenv("HOME"), "expired")

	for _, tc := range []struct {
		profile   string
		want      []string
		forbidden []string
	}{
		{"broken", []string{"for profile broken", "credential_process failed (exit status 3)", "corp-login: token expired, run corp-login --renew"}, []string{"second line"}},
		{"leaky", []string{"for profile leaky", "credential_process printed no usable credentials"}, []string{"leakedsecret", "AKIDLEAK"}},
		{"sso-expired", []string{"the SSO session of profile sso-expired expired at 2020-01-01 00:00 UTC", "aws sso login --profile sso-expired"}, nil},
		{"sso-none", []string{"no SSO login is cached for profile sso-none", "aws sso login --profile sso-none"}, nil},
	} {
		t.Run(tc.profile, func(t *testing.T) {
			_, err := loadAndCheck(t, hs.URL, tc.profile)
			if !errors.Is(err, model.ErrAuth) {
				t.Fatalf("want an auth error, got %v", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q lacks %q", err.Error(), w)
				}
			}
			for _, f := range tc.forbidden {
				if strings.Contains(err.Error(), f) {
					t.Errorf("%q has %q", err.Error(), f)
				}
			}
		})
	}
}
