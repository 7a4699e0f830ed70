package awsclient

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
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
	srv, err := localiam.New(localiam.Config{})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { hs.Close(); srv.Close() })
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
