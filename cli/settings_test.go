package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"iamcreds/awsclient/localiam"
)

// No test reads the developer's own settings file: the default path points
// into a directory that does not exist, unless a test sets XDG_CONFIG_HOME.
func init() {
	os.Setenv("XDG_CONFIG_HOME", filepath.Join(os.TempDir(), "iamcreds-test-no-config", strings.Repeat("x", 8)))
}

// writeSettings writes text as the default settings file of a fresh config
// home and returns its path.
func writeSettings(t *testing.T, text string) string {
	t.Helper()
	home := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", home)
	path := filepath.Join(home, "iamcreds", "config.toml")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// runTUIFlags runs the root command with args and returns the flags the UI
// would have started with, or the exit code and stderr of a refusal.
func runTUIFlags(t *testing.T, args ...string) (*tuiFlags, int, string) {
	t.Helper()
	var got *tuiFlags
	root := newTUICmd(func(_ context.Context, o tuiFlags) error { got = &o; return nil })
	finishTree(root)
	var stderr strings.Builder
	root.SetOut(io.Discard)
	root.SetArgs(append([]string{}, args...))
	cmd, err := root.ExecuteC()
	return got, report(&stderr, cmd, err), stderr.String()
}

const fullSettings = `# every key
profile = "prod"
region = "eu-west-1"
endpoint-url = "http://127.0.0.1:4599"
concurrency = 16
max-age = "180d"
clipboard-clear = "45s"
read-only = true
`

// clearAWSEnv unsets the AWS variables that beat the file's values.
func clearAWSEnv(t *testing.T) {
	for _, names := range settingEnv {
		for _, name := range names {
			t.Setenv(name, "")
		}
	}
}

func TestSettingsFileSetsDefaults(t *testing.T) {
	clearAWSEnv(t)
	writeSettings(t, fullSettings)
	got, code, stderr := runTUIFlags(t)
	if code != exitOK || got == nil {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got.profile != "prod" || got.region != "eu-west-1" || got.endpoint != "http://127.0.0.1:4599" ||
		got.concurrency != 16 || got.maxAge != 180*24*time.Hour || got.clipboardClear != 45*time.Second || !got.readOnly {
		t.Errorf("the file's values did not arrive: %+v", *got)
	}
}

// A flag on the command line beats the file; the file still fills the rest.
func TestSettingsFlagsWin(t *testing.T) {
	clearAWSEnv(t)
	writeSettings(t, fullSettings)
	got, code, stderr := runTUIFlags(t, "--profile", "dev", "--max-age", "30d", "--read-only=false", "--clipboard-clear", "0", "--concurrency", "2")
	if code != exitOK || got == nil {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got.profile != "dev" || got.maxAge != 30*24*time.Hour || got.readOnly || got.clipboardClear != 0 || got.concurrency != 2 {
		t.Errorf("flags lost to the file: %+v", *got)
	}
	if got.region != "eu-west-1" || got.endpoint != "http://127.0.0.1:4599" {
		t.Errorf("the file's other values are gone: %+v", *got)
	}
}

// The AWS environment beats the file for what it sets: flags, then the
// environment, then the file.
func TestSettingsYieldToTheAWSEnvironment(t *testing.T) {
	writeSettings(t, fullSettings)
	clearAWSEnv(t)
	t.Setenv("AWS_PROFILE", "dev")
	t.Setenv("AWS_DEFAULT_REGION", "us-west-2")
	got, code, stderr := runTUIFlags(t)
	if code != exitOK || got == nil {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got.profile != "" || got.region != "" || got.endpoint != "http://127.0.0.1:4599" || got.concurrency != 16 {
		t.Errorf("profile %q region %q endpoint %q concurrency %d: want the first two left to the environment",
			got.profile, got.region, got.endpoint, got.concurrency)
	}
	t.Setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
	if got, _, _ := runTUIFlags(t, "--profile", "cli"); got == nil || got.endpoint != "" || got.profile != "cli" {
		t.Errorf("with AWS_ENDPOINT_URL and --profile: %+v", got)
	}
}

// --config reads another file instead of the default one.
func TestSettingsConfigFlag(t *testing.T) {
	clearAWSEnv(t)
	writeSettings(t, `profile = "default-file"`)
	other := filepath.Join(t.TempDir(), "ci.toml")
	if err := os.WriteFile(other, []byte(`profile = "ci"`), 0o600); err != nil {
		t.Fatal(err)
	}
	got, code, stderr := runTUIFlags(t, "--config", other)
	if code != exitOK || got == nil || got.profile != "ci" {
		t.Fatalf("exit %d, flags %+v: %s", code, got, stderr)
	}
	_, code, stderr = runTUIFlags(t, "--config", filepath.Join(t.TempDir(), "missing.toml"))
	if code != exitUsage || !strings.Contains(stderr, "missing.toml: no such file") {
		t.Errorf("a missing --config file: exit %d, %q", code, stderr)
	}
	_, code, stderr = runTUIFlags(t, "--config", t.TempDir())
	if code != exitUsage || !strings.Contains(stderr, "is a directory") {
		t.Errorf("--config naming a directory: exit %d, %q", code, stderr)
	}
}

// Without a file, or with an empty one, the built-in defaults hold.
func TestSettingsMissingFileIsFine(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	for _, text := range []string{"", "# nothing yet\n"} {
		if text != "" {
			writeSettings(t, text)
		}
		got, code, stderr := runTUIFlags(t)
		if code != exitOK || got == nil || got.maxAge != 90*24*time.Hour || got.concurrency != 32 || got.profile != "" {
			t.Fatalf("exit %d, %+v: %s", code, got, stderr)
		}
	}
}

// deliverRule is a good [[deliver]] rule, then one of the given values after
// good blank lines before it (pad), so the wrong line is not the first.
func deliverRule(user, service, to string, pad int) string {
	good := "[[deliver]]\nuser = \"ok\"\nservice = \"git\"\nto = \"secretsmanager:ok\"\n"
	if pad == 0 {
		good = ""
	}
	return good + strings.Repeat("\n", max(pad-1, 0)) + fmt.Sprintf("[[deliver]]\nuser = %q\nservice = %q\nto = %q\n", user, service, to)
}

// Each kind of bad file is a usage error naming the file and the line.
func TestSettingsErrorsNameTheLine(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		line       int
		want       string
	}{
		{"syntax", "profile = \"prod\"\n\nmax-age = 90d\n", 3, "expected"},
		{"unterminated string", "profile = \"prod\n", 1, "strings cannot contain newlines"},
		{"unknown key", "profile = \"prod\"\nmaxage = \"90d\"\n", 2, `unknown setting "maxage" (the settings are profile, region, endpoint-url, concurrency, max-age, clipboard-clear, read-only, services, and [[deliver]] tables)`},
		{"bad service name", "services = [\"xray.amazonaws.com\", \"X-Ray\"]\n", 1, `"X-Ray" is not a service name such as xray.amazonaws.com`},
		{"services as a string", "services = \"xray.amazonaws.com\"\n", 1, `want a list of quoted names, such as ["xray.amazonaws.com"]`},
		{"services of numbers", "\nservices = [1]\n", 2, `services = a list: want a list of quoted names`},
		{"a table", "profile = \"prod\"\n[audit]\nformat = \"csv\"\n", 2, `unknown setting "audit"`},
		{"bad age", "\n\nmax-age = \"soon\"\n", 3, `max-age = "soon": neither days (90d) nor a duration (720h)`},
		{"negative duration", "clipboard-clear = \"-5s\"\n", 1, `clipboard-clear = "-5s": must not be negative`},
		{"zero concurrency", "concurrency = 0\n", 1, "concurrency = 0: must be at least 1"},
		{"string for an int", "concurrency = \"8\"\n", 1, `concurrency = "8": want a whole number`},
		{"string for a bool", "read-only = \"yes\"\n", 1, `read-only = "yes": want true or false`},
		{"number for a duration", "# seconds?\nclipboard-clear = 30\n", 2, `clipboard-clear = 30: want a quoted string, such as "30s"`},
		{"bad url", "endpoint-url = \"127.0.0.1:4566\"\n", 1, "did you mean http://127.0.0.1:4566?"},
		{"list", "profile = [\"a\"]\n", 1, "profile = a list: want a quoted string"},
		{"deliver: bad service", deliverRule("ci-bot", "gitt", "ssm:/ci/git", 2), 8, `[[deliver]] service: service "gitt" is not`},
		{"deliver: bad user", deliverRule("ci bot", "git", "ssm:/ci/git", 0), 2, `[[deliver]] user: user name "ci bot"`},
		{"deliver: bad target", deliverRule("ci-bot", "git", "vault:ci/git", 1), 8, `[[deliver]] to: delivery target "vault:ci/git"`},
		{"deliver: bad quoting", deliverRule("ci-bot", "*", "exec:store 'it", 0), 4, `[[deliver]] to: exec:store 'it`},
		{"deliver: unknown key", "[[deliver]]\nuser = \"a\"\nservice = \"git\"\nto = \"ssm:/a\"\nfrom = \"x\"\n", 5, `unknown key "from"`},
		{"deliver: no to", "profile = \"p\"\n[[deliver]]\nuser = \"a\"\nservice = \"git\"\n", 2, `[[deliver]] needs to`},
		{"deliver: a number", "[[deliver]]\nuser = \"a\"\nservice = 1\nto = \"ssm:/a\"\n", 3, `[[deliver]] service: want a quoted string`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeSettings(t, tc.text)
			want := path + ":" + strconv.Itoa(tc.line) + ": "
			got, code, stderr := runTUIFlags(t)
			if code != exitUsage || got != nil || !strings.HasPrefix(stderr, "iamcreds: "+want) || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q\nwant exit 2 and %q … %q", code, stderr, want, tc.want)
			}
			r := runAuditTest(t, false, "--demo")
			if r.code != exitUsage || r.stdout != "" || !strings.HasPrefix(r.stderr, "iamcreds audit: "+want) || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("audit: exit %d, stderr %q", r.code, r.stderr)
			}
		})
	}
}

// Keys the audit has no flag for (read-only, clipboard-clear) are checked but
// change nothing; the ones it has set its defaults, and its flags win.
func TestSettingsReachAudit(t *testing.T) {
	auditAWSEnv(t)
	url := startAuditIAM(t, "demo", localiam.Faults{})
	flagged := func(args ...string) int {
		t.Helper()
		r := runAuditTest(t, false, append([]string{"--endpoint-url", url, "--format", "csv", "--flagged"}, args...)...)
		if r.code != exitOK {
			t.Fatalf("%v: exit %d: %s", args, r.code, r.stderr)
		}
		return len(csvRecords(t, r.stdout)) - 1
	}
	writeSettings(t, "read-only = false\nclipboard-clear = \"1m\"\n")
	def := flagged()
	writeSettings(t, "max-age = \"1000d\"\nread-only = true\n")
	loose := flagged()
	if loose >= def {
		t.Fatalf("max-age 1000d from the file flags %d, the default %d", loose, def)
	}
	if again := flagged("--max-age", "90d"); again != def {
		t.Errorf("--max-age 90d on the command line flags %d, want %d", again, def)
	}
	r := runAuditTest(t, false, "--endpoint-url", url, "--format", "json")
	if !strings.Contains(r.stdout, `"max_age": "1000d"`) {
		t.Errorf("the report does not state the file's max age:\n%.300s", r.stdout)
	}
}

// --help says where the file is read from, here.
func TestHelpNamesTheSettingsFile(t *testing.T) {
	path := writeSettings(t, "")
	r := runCLI("--help")
	if r.code != exitOK || !strings.Contains(r.stdout, "Settings are read from\n  "+path+"\n") {
		t.Errorf("--help does not name %s:\n%s", path, r.stdout)
	}
	if r := runCLI("audit", "--help"); !strings.Contains(r.stdout, "instead of "+path) {
		t.Errorf("audit --help does not name %s:\n%s", path, r.stdout)
	}
}

func TestDefaultSettingsPath(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	if p, err := defaultSettingsPath(); err != nil || p != filepath.Join(dir, "iamcreds", "config.toml") {
		t.Errorf("with XDG_CONFIG_HOME: %s %v", p, err)
	}
	t.Setenv("XDG_CONFIG_HOME", "relative/dir") // left to os.UserConfigDir
	base, err := os.UserConfigDir()
	p, err2 := defaultSettingsPath()
	if (err == nil) != (err2 == nil) || (err == nil && p != filepath.Join(base, "iamcreds", "config.toml")) {
		t.Errorf("with a relative XDG_CONFIG_HOME: %s %v, os.UserConfigDir %s %v", p, err2, base, err)
	}
	if err != nil && !strings.Contains(settingsPathHelp(), "none here: "+err.Error()) {
		t.Errorf("--help does not say why there is no file: %s", settingsPathHelp())
	}
}
