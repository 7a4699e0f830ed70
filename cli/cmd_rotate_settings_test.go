package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"iamcreds/awsclient/localiam"
)

// rotateNoEndpoint runs rotate against nothing the test names: where it goes
// is the settings file's (or its profile's) doing.
func rotateNoEndpoint(t *testing.T, args ...string) rotateResult {
	t.Helper()
	var out, errOut bytes.Buffer
	return runRotateWith(t, &out, &errOut, false, args...)
}

// read-only = true in the file holds for rotate, and the refusal says where it
// came from; --read-only=false on the command line wins over the file.
func TestRotateHonoursReadOnlyFromTheSettingsFile(t *testing.T) {
	ri := startRotateIAM(t, localiam.Faults{})
	path := writeSettings(t, "read-only = true\n")
	r := ri.rotate(t, false, "--user", "solo", "--service", "git")
	r.must(t, exitUsage, "read-only (from "+path+") refuses every change")
	if n := ri.requests.Load(); n != 0 {
		t.Fatalf("rotate sent %d requests under read-only", n)
	}
	if got := ri.statuses(t, "solo"); len(got) != 1 {
		t.Fatalf("solo holds %v after a refused rotation", got)
	}
	r = ri.rotate(t, false, "--user", "solo", "--service", "git", "--read-only")
	r.must(t, exitUsage, "--read-only refuses every change")
	ri.rotate(t, false, "--user", "solo", "--service", "git", "--read-only=false").must(t, exitOK, "iamcreds rotate: done")
}

// endpoint-url in the file sends rotate where it sends audit.
func TestRotateHonoursEndpointFromTheSettingsFile(t *testing.T) {
	ri := startRotateIAM(t, localiam.Faults{})
	writeSettings(t, "endpoint-url = \""+ri.url+"\"\n")
	rotateNoEndpoint(t, "--user", "solo", "--service", "git").must(t, exitOK, "iamcreds rotate: done")
	if got := ri.statuses(t, "solo"); len(got) != 2 {
		t.Fatalf("solo holds %v: the rotation did not reach the file's endpoint", got)
	}
	if r := runAuditTest(t, false, "--format", "csv"); r.code != exitOK || !strings.Contains(r.stdout, "solo") {
		t.Fatalf("audit with the same file: exit %d\n%s", r.code, r.stderr)
	}
}

// profile in the file chooses rotate's profile: here one whose endpoint_url is
// the local IAM, so the rotation lands there only through the profile.
func TestRotateHonoursProfileFromTheSettingsFile(t *testing.T) {
	ri := startRotateIAM(t, localiam.Faults{})
	profile := "[profile filed]\nendpoint_url = " + ri.url + "\n"
	keys := "[filed]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = test\n"
	if err := os.WriteFile(os.Getenv("AWS_CONFIG_FILE"), []byte(profile), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(os.Getenv("AWS_SHARED_CREDENTIALS_FILE"), []byte(keys), 0o600); err != nil {
		t.Fatal(err)
	}
	writeSettings(t, "profile = \"filed\"\n")
	rotateNoEndpoint(t, "--user", "solo", "--service", "git").must(t, exitOK, "iamcreds rotate: done")
	if got := ri.statuses(t, "solo"); len(got) != 2 {
		t.Fatalf("solo holds %v: the rotation did not go through the file's profile", got)
	}
	// A profile the shared files lack is an error naming it, not a silent default.
	writeSettings(t, "profile = \"nosuch\"\n")
	rotateNoEndpoint(t, "--user", "solo", "--service", "git").must(t, exitFailed, "nosuch")
}

// A broken file stops rotate before anything is contacted, with FILE:LINE.
func TestRotateStopsOnABrokenSettingsFile(t *testing.T) {
	ri := startRotateIAM(t, localiam.Faults{})
	path := writeSettings(t, "profile = \"prod\"\nmax-age = \"soon\"\n")
	r := ri.rotate(t, false, "--user", "solo", "--service", "git")
	r.must(t, exitUsage, "iamcreds rotate: "+path+":2: max-age = \"soon\"", "Run 'iamcreds rotate --help'")
	if n := ri.requests.Load(); n != 0 {
		t.Fatalf("rotate sent %d requests with a broken settings file", n)
	}
}

// rotate --config reads that file instead of the default one.
func TestRotateConfigFlag(t *testing.T) {
	ri := startRotateIAM(t, localiam.Faults{})
	writeSettings(t, "endpoint-url = \"http://127.0.0.1:9\"\n") // the default file: not read
	other := filepath.Join(t.TempDir(), "ci.toml")
	if err := os.WriteFile(other, []byte("endpoint-url = \""+ri.url+"\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	rotateNoEndpoint(t, "--config", other, "--user", "solo", "--service", "git").must(t, exitOK, "iamcreds rotate: done")
	missing := filepath.Join(t.TempDir(), "missing.toml")
	rotateNoEndpoint(t, "--config", missing, "--user", "solo", "--service", "git").must(t, exitUsage, missing+": no such file")
}

// Every command that talks to IAM (has --profile) takes --config, and no
// command hides the root's settings hook behind one of its own: cobra runs
// only the nearest PersistentPreRunE.
func TestEveryIAMCommandReadsTheSettingsFile(t *testing.T) {
	root := testRoot()
	var walk func(*cobra.Command)
	walk = func(cmd *cobra.Command) {
		if cmd != root && (cmd.PersistentPreRunE != nil || cmd.PersistentPreRun != nil) {
			t.Errorf("%s has its own PersistentPreRun: the settings file would not be read", cmd.CommandPath())
		}
		if cmd.Flags().Lookup("profile") != nil && cmd.Flags().Lookup(configFlag) == nil {
			t.Errorf("%s talks to IAM but takes no --config", cmd.CommandPath())
		}
		for _, sub := range cmd.Commands() {
			walk(sub)
		}
	}
	walk(root)
	for _, path := range []string{"iamcreds", "iamcreds audit", "iamcreds rotate"} {
		if cmd, _, err := root.Find(strings.Fields(path)[1:]); err != nil || cmd.Flags().Lookup(configFlag) == nil {
			t.Errorf("%s has no --config (%v)", path, err)
		}
	}
}

// --demo refuses --profile on the command line, but not the settings file's
// profile, which is for the runs against AWS.
func TestDemoRefusesOnlyAProfileOnTheCommandLine(t *testing.T) {
	clearAWSEnv(t)
	writeSettings(t, "profile = \"prod\"\nendpoint-url = \"http://127.0.0.1:9\"\n")
	if got, code, stderr := runTUIFlags(t, "--demo"); code != exitOK || got == nil {
		t.Fatalf("--demo with a settings file naming a profile: exit %d: %s", code, stderr)
	}
	if _, code, stderr := runTUIFlags(t, "--demo", "--profile", "prod"); code != exitUsage || !strings.Contains(stderr, "--profile has nothing to choose") {
		t.Fatalf("--demo --profile prod: exit %d: %s", code, stderr)
	}
}
