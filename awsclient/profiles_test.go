package awsclient

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"iamcreds/awsclient/localiam"
)

const profilesConfig = `# comment [profile commented]
[profile zeta]
region = eu-west-1
[default]
region = us-east-1
[ profile  spaced ]   ; trailing comment
sso_session = corp
[profile work] # inline comment
sso_session = corp
sso_account_id = 123456789012
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
[services local]
iam =
  endpoint_url = http://127.0.0.1:4599
[bare-in-config]
region = us-west-2
  [not-a-header
`

const profilesCredentials = `[default]
aws_access_key_id = AKIAVALUESHOULDNOTLEAK
aws_secret_access_key = secretvaluethatmustnotleak
[alpha]
aws_access_key_id = AKIAOTHERVALUE
aws_secret_access_key = anothersecret
[profile ignored-in-credentials]
aws_access_key_id = AKIAIGNORED
[zeta]
aws_session_token = tokenvalue
`

func writeProfileFiles(t *testing.T, config, credentials string) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("HOME", dir)
	t.Setenv("AWS_CONFIG_FILE", "")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "")
	if err := os.MkdirAll(filepath.Join(dir, ".aws"), 0o700); err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{"config": config, "credentials": credentials} {
		if text == "" {
			continue
		}
		if err := os.WriteFile(filepath.Join(dir, ".aws", name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestProfilesFromDefaultFiles(t *testing.T) {
	writeProfileFiles(t, profilesConfig, profilesCredentials)
	got, err := Profiles()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"default", "alpha", "spaced", "work", "zeta"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("profiles %q, want %q", got, want)
	}
	joined := strings.Join(got, " ")
	for _, leak := range []string{"AKIA", "secret", "token", "corp", "local", "eu-west-1", "http"} {
		if strings.Contains(joined, leak) {
			t.Fatalf("profiles %q leak %q", got, leak)
		}
	}
}

func TestProfilesFromEnvironmentFiles(t *testing.T) {
	// The default files hold other names, so reading them instead would fail the test.
	writeProfileFiles(t, "[profile home-only]\n", "[home-cred]\n")
	dir := t.TempDir()
	cfg, cred := filepath.Join(dir, "cfg"), filepath.Join(dir, "cred")
	if os.WriteFile(cfg, []byte("[profile from-env]\n[default]\n"), 0o600) != nil ||
		os.WriteFile(cred, []byte("[cred-env]\n[from-env]\n"), 0o600) != nil {
		t.Fatal("cannot write the test's files")
	}
	t.Setenv("AWS_CONFIG_FILE", cfg)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", cred)
	got, err := Profiles()
	if want := []string{"default", "cred-env", "from-env"}; err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("profiles %q %v, want %q", got, err, want)
	}
}

func TestProfilesMissingFilesAreNotAnError(t *testing.T) {
	writeProfileFiles(t, "", "")
	got, err := Profiles()
	if err != nil || len(got) != 0 {
		t.Fatalf("profiles %q %v", got, err)
	}
	writeProfileFiles(t, "", "[only-cred]\n")
	if got, err := Profiles(); err != nil || !reflect.DeepEqual(got, []string{"only-cred"}) {
		t.Fatalf("profiles %q %v", got, err)
	}
}

func TestProfilesUnreadableFileReported(t *testing.T) {
	dir := writeProfileFiles(t, "", "[kept]\n")
	// A directory where the config file should be cannot be read on any platform or user.
	if err := os.Mkdir(filepath.Join(dir, ".aws", "config"), 0o700); err != nil {
		t.Fatal(err)
	}
	got, err := Profiles()
	if err == nil || !reflect.DeepEqual(got, []string{"kept"}) {
		t.Fatalf("profiles %q %v: want the readable file's names and an error", got, err)
	}
}

// The shell's AWS_PROFILE names a profile that the files lack: the error names
// it, not "".
func TestMissingProfileFromTheEnvironmentIsNamed(t *testing.T) {
	isolateAWSEnv(t, "[default]\nregion = us-east-1\n")
	t.Setenv("AWS_PROFILE", "prod")
	_, err := New(context.Background(), Config{EndpointURL: "http://127.0.0.1:9"})
	if err == nil || !strings.Contains(err.Error(), `profile "prod" not found`) {
		t.Fatalf("got %v, want the missing profile named", err)
	}
}

// A client that reads no shared files (the demo) works in a shell that
// exports AWS_PROFILE, and names no profile.
func TestNoSharedFilesIgnoresTheShellsProfile(t *testing.T) {
	for _, p := range []string{"prod", "default"} {
		t.Run(p, func(t *testing.T) {
			isolateAWSEnv(t, "")
			t.Setenv("AWS_PROFILE", p)
			srv, err := localiam.New(localiam.Config{Seed: "demo"})
			if err != nil {
				t.Fatal(err)
			}
			hs := httptest.NewServer(srv)
			t.Cleanup(hs.Close)
			c, err := New(context.Background(), Config{NoSharedFiles: true, EndpointURL: hs.URL, Region: "us-east-1",
				StaticCredentials: &aws.Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "demo"}})
			if err != nil {
				t.Fatalf("AWS_PROFILE=%s: %v", p, err)
			}
			if c.Profile() != "" {
				t.Errorf("profile %q, want none", c.Profile())
			}
			if _, err := c.Identity(context.Background()); err != nil {
				t.Fatal(err)
			}
		})
	}
}
