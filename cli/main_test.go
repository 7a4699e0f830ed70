package cli

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/shlex"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"iamcreds/internal/testbin"
	"iamcreds/internal/testenv"
)

// cliRun is one in-process run of the command line.
type cliRun struct {
	code           int
	stdout, stderr string
}

func runCLI(args ...string) cliRun {
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return cliRun{code, out.String(), errOut.String()}
}

// needTool skips a test whose outside tool is missing, except under CI, where
// a missing install step must not pass silently.
func needTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		needFile(t, name, err)
	}
	return path
}

// needFile is needTool for a file a tool needs, such as bash-completion's script.
func needFile(t *testing.T, what string, err error) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is needed (install it in .ci/run): %v", what, err)
	}
	t.Skipf("%s not installed", what)
}

// asIAMCreds makes this test binary run as iamcreds: TestMain hands its
// arguments to run, so shells and exit-status checks need no go build.
const asIAMCreds = "IAMCREDS_TEST_AS_BINARY"

func TestMain(m *testing.M) {
	if os.Getenv(asIAMCreds) == "1" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(testenv.Main(m)) // the admin's AWS_* variables stay out of the tests
}

// iamcredsOnPath puts this test binary on PATH as "iamcreds" and returns its
// path and the environment for a process that runs it.
func iamcredsOnPath(t *testing.T) (bin string, env []string) {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bin = filepath.Join(dir, "iamcreds")
	if err := os.Symlink(self, bin); err != nil {
		t.Fatal(err)
	}
	return bin, append(os.Environ(), asIAMCreds+"=1", "PATH="+dir+string(os.PathListSeparator)+os.Getenv("PATH"))
}

// builtBinary is iamcreds built once for the run (internal/testbin), from this
// git repo with VCS stamping on: the environment may set GOFLAGS=-buildvcs=false,
// and testbin's -buildvcs=true overrides it.
func builtBinary(t *testing.T) string {
	t.Helper()
	needTool(t, "go")
	bin, err := testbin.Build("")
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

func git(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command("git", args...).Output()
	if err != nil {
		t.Fatalf("git %v: %v", args, err)
	}
	return strings.TrimSpace(string(out))
}

func TestVersionReportsCommitOfHEAD(t *testing.T) {
	needTool(t, "git")
	if exec.Command("git", "rev-parse", "--git-dir").Run() != nil {
		t.Skip("not in a git checkout")
	}
	// go build looks for a .git directory; a worktree's .git is a file, and the
	// binary then carries no commit at all.
	if fi, err := os.Stat(filepath.Join(git(t, "rev-parse", "--show-toplevel"), ".git")); err != nil || !fi.IsDir() {
		t.Skip("a git worktree: go build records no VCS information here")
	}
	before := git(t, "rev-parse", "HEAD")
	bin := builtBinary(t)
	after := git(t, "rev-parse", "HEAD") // someone may commit while it builds
	dirty := git(t, "status", "--porcelain") != ""

	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		t.Fatalf("--version: %v", err)
	}
	got := strings.TrimSpace(string(out))
	if !strings.Contains(got, "(commit "+before[:12]) && !strings.Contains(got, "(commit "+after[:12]) {
		t.Fatalf("--version %q does not name HEAD %s", got, after[:12])
	}
	if strings.Contains(got, "modified") != dirty {
		t.Fatalf("--version %q, but the tree is dirty=%v", got, dirty)
	}
}

// The exit status and the output of a real process, through main and os.Exit.
func TestExitStatusThroughMain(t *testing.T) {
	bin, env := iamcredsOnPath(t)
	for _, tc := range []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{[]string{"--version"}, 0, versionString() + "\n", ""},
		{[]string{"--no-such-flag"}, 2, "", "iamcreds: unknown flag: --no-such-flag\nRun 'iamcreds --help' for usage.\n"},
		{[]string{"audit", "--format", "xml"}, 2, "", "iamcreds audit: --format \"xml\": unknown format \"xml\" (table, csv, json, jsonl or markdown)\nRun 'iamcreds audit --help' for usage.\n"},
	} {
		cmd := exec.Command(bin, tc.args...)
		cmd.Env = env
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		_ = cmd.Run()
		if code := cmd.ProcessState.ExitCode(); code != tc.code || stdout.String() != tc.stdout || stderr.String() != tc.stderr {
			t.Errorf("iamcreds %q: exit %d, stdout %q, stderr %q; want %d, %q, %q",
				tc.args, code, stdout.String(), stderr.String(), tc.code, tc.stdout, tc.stderr)
		}
	}
}

func TestVersionFromBuildInfo(t *testing.T) {
	vcs := func(rev, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}}
	}
	const rev = "0123456789abcdef0123456789abcdef01234567"
	for _, tc := range []struct {
		bi   *debug.BuildInfo
		ok   bool
		want string
	}{
		{nil, false, "iamcreds (devel)"},
		{&debug.BuildInfo{}, true, "iamcreds (devel)"},
		{&debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}}, true, "iamcreds v1.2.3"},
		{&debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}, Settings: vcs(rev, "false")}, true, "iamcreds v1.2.3 (commit 0123456789ab)"},
		{&debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs(rev, "true")}, true, "iamcreds (devel) (commit 0123456789ab, modified)"},
		{&debug.BuildInfo{Settings: vcs("abc123", "true")}, true, "iamcreds (devel) (commit abc123, modified)"},
	} {
		if got := formatVersion(tc.bi, tc.ok); got != tc.want {
			t.Errorf("formatVersion = %q, want %q", got, tc.want)
		}
	}
	if r := runCLI("--version"); r.code != 0 || strings.TrimSpace(r.stdout) != versionString() || r.stderr != "" {
		t.Fatalf("--version: %+v", r)
	}
}

// testRoot is the command tree as run builds it, for tests that read it.
func testRoot() *cobra.Command { return newRootCmd(defaultEnv(io.Discard, io.Discard)) }

// ourCommands are the commands this package writes (not cobra's help and the
// completion scripts' own subcommands), by path.
func ourCommands() map[string]*cobra.Command {
	out := map[string]*cobra.Command{}
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		if c.IsAvailableCommand() || !c.HasParent() {
			if c.Name() != "help" && (c.Parent() == nil || c.Parent().Name() != "completion") {
				out[c.CommandPath()] = c
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(testRoot())
	return out
}

func TestHelpListsCommandsFlagsAndExamples(t *testing.T) {
	r := runCLI("--help")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("--help: exit %d, stderr %q", r.code, r.stderr)
	}
	_, examples, _ := strings.Cut(r.stdout, "\nExamples:\n")
	examples, commands, _ := strings.Cut(examples, "\nAvailable Commands:\n")
	commands, flags, ok := strings.Cut(commands, "\nFlags:\n")
	if !ok {
		t.Fatalf("--help lacks Examples, Available Commands or Flags:\n%s", r.stdout)
	}
	for _, sub := range testRoot().Commands() {
		if !sub.IsAvailableCommand() && sub.Name() != "help" {
			continue
		}
		if !strings.Contains(commands, "\n  "+sub.Name()+" ") && !strings.HasPrefix(commands, "  "+sub.Name()+" ") {
			t.Errorf("--help does not list %s", sub.Name())
		}
		if sub.Name() != "help" && !strings.Contains(examples, "iamcreds "+sub.Name()+" ") {
			t.Errorf("--help has no example of %s", sub.Name())
		}
	}
	for _, name := range []string{"--profile", "--endpoint-url", "--demo", "--read-only", "--max-age", "--clipboard-clear", "--version", "--help"} {
		if !strings.Contains(flags, name+" ") {
			t.Errorf("--help lacks %s", name)
		}
	}
	for _, code := range exitStatuses {
		if !strings.Contains(r.stdout, exitStatusHelp()) {
			t.Errorf("--help lacks the exit status %d", code.code)
		}
	}
}

func TestEveryCommandHasExamples(t *testing.T) {
	for path, cmd := range ourCommands() {
		args := append(strings.Fields(path)[1:], "--help")
		r := runCLI(args...)
		_, examples, ok := strings.Cut(r.stdout, "\nExamples:\n")
		examples, _, _ = strings.Cut(examples, "\n\n")
		if r.code != 0 || !ok {
			t.Errorf("%s --help: exit %d, examples %v:\n%s%s", path, r.code, ok, r.stdout, r.stderr)
			continue
		}
		if cmd.Example == "" {
			t.Errorf("%s has no Example", path)
		}
		checkExamples(t, strings.TrimPrefix(path, "iamcreds "), examples)
	}
}

// parseOnly checks a command line as run would, up to the point where the
// command would start: flags, arguments, and PreRunE's checks.
func parseOnly(args ...string) error {
	root := testRoot()
	cmd, rest, err := root.Find(args)
	if err != nil {
		return err
	}
	if err := cmd.ParseFlags(rest); err != nil {
		return cmd.FlagErrorFunc()(cmd, err)
	}
	if err := cmd.ValidateArgs(cmd.Flags().Args()); err != nil {
		return err
	}
	if cmd.PreRunE != nil {
		return cmd.PreRunE(cmd, cmd.Flags().Args())
	}
	return nil
}

// checkExamples parses each "iamcreds …" example, so an example cannot name a
// command, flag or value that does not exist.
func checkExamples(t *testing.T, sub, examples string) {
	t.Helper()
	n := 0
	for _, line := range strings.Split(examples, "\n") {
		line, _, _ = strings.Cut(line, "#")
		i := strings.Index(line, "iamcreds ")
		if i < 0 || (sub != "iamcreds" && !strings.HasPrefix(line[i:], "iamcreds "+sub+" ") && strings.TrimSpace(line[i:]) != "iamcreds "+sub) {
			continue
		}
		cmdline := strings.TrimRight(line[i:], ") ")
		cmdline, _, _ = strings.Cut(cmdline, " >")
		cmdline, _, _ = strings.Cut(cmdline, " <") // the shell's redirections, not arguments
		cmdline, _, _ = strings.Cut(cmdline, " |")
		n++
		words, err := shlex.Split(cmdline) // as the shell the example is typed into splits it
		if err != nil {
			t.Errorf("example %q: %v", strings.TrimSpace(line), err)
			continue
		}
		if err := parseOnly(words[1:]...); err != nil {
			t.Errorf("example %q: %v", strings.TrimSpace(line), err)
		}
	}
	if n == 0 {
		t.Errorf("no example of %s", sub)
	}
}

// Every usage error of every command: exit 2, nothing on stdout, and on stderr
// one line saying what is wrong, then where --help is.
func TestUsageErrorsAreOneLine(t *testing.T) {
	for _, tc := range []struct {
		args []string
		cmd  string // whose --help the hint names
		want string // in the first line
	}{
		{[]string{"--no-such-flag"}, "iamcreds", "unknown flag: --no-such-flag"},
		{[]string{"no-such-command"}, "iamcreds", `unknown command "no-such-command"`},
		{[]string{"adit"}, "iamcreds", `unknown command "adit" (did you mean audit?)`},
		{[]string{"--profile"}, "iamcreds", "flag needs an argument: --profile"},
		{[]string{"-profile", "prod"}, "iamcreds", "long flags take two dashes, --profile"},
		{[]string{"--max-age", "soon"}, "iamcreds", `--max-age "soon": neither days`},
		{[]string{"--max-age", "0d"}, "iamcreds", `--max-age "0d": must be more than zero`},
		{[]string{"--clipboard-clear", "-5s"}, "iamcreds", `--clipboard-clear "-5s": must not be negative`},
		{[]string{"--clipboard-clear", "soon"}, "iamcreds", `--clipboard-clear "soon": not a duration`},
		{[]string{"--concurrency", "0"}, "iamcreds", `--concurrency "0": must be at least 1`},
		{[]string{"--read-only=maybe"}, "iamcreds", `--read-only "maybe": not true or false`},
		{[]string{"--endpoint-url", "127.0.0.1:4566"}, "iamcreds", "did you mean http://127.0.0.1:4566?"},
		{[]string{"--demo", "extra"}, "iamcreds", `unknown command "extra"`},
		{[]string{"help", "bogus"}, "iamcreds", `no help for "bogus"`},

		{[]string{"audit", "--bogus"}, "iamcreds audit", "unknown flag: --bogus"},
		{[]string{"audit", "extra"}, "iamcreds audit", `unexpected argument "extra"`},
		{[]string{"audit", "--format", "xml"}, "iamcreds audit", `--format "xml": unknown format`},
		{[]string{"audit", "--max-age", "soon"}, "iamcreds audit", `--max-age "soon"`},
		{[]string{"audit", "--max-age", "-5h"}, "iamcreds audit", `--max-age "-5h": must be more than zero`},
		{[]string{"audit", "--service", "s3"}, "iamcreds audit", `--service "s3": unknown service`},
		{[]string{"audit", "--sort", "created"}, "iamcreds audit", `--sort "created": unknown sort`},
		{[]string{"audit", "--concurrency", "x"}, "iamcreds audit", `--concurrency "x": not a whole number`},
		{[]string{"audit", "--endpoint-url", "localhost:4599"}, "iamcreds audit", "did you mean http://localhost:4599?"},
		{[]string{"audit", "--endpoint-url", "not a url"}, "iamcreds audit", "not an absolute http(s) URL"},
		{[]string{"audit", "--org", "--profiles", "a,b"}, "iamcreds audit", "--org and --profiles choose the accounts in different ways"},
		{[]string{"audit", "--all-profiles", "--profiles", "a"}, "iamcreds audit", "--all-profiles and --profiles"},
		{[]string{"audit", "--accounts", "111122223333"}, "iamcreds audit", "--accounts needs --org"},
		{[]string{"audit", "--org", "--accounts", "1111,2222"}, "iamcreds audit", `"1111" is not a 12-digit account ID`},
		{[]string{"audit", "--org-role", "Auditor"}, "iamcreds audit", "--org-role needs --org"},
		{[]string{"audit", "--account-concurrency", "4"}, "iamcreds audit", "--account-concurrency needs --org"},
		{[]string{"audit", "--org", "--account-concurrency", "0"}, "iamcreds audit", "must be at least 1"},
		{[]string{"audit", "--profiles", "a,,b"}, "iamcreds audit", "an empty profile name"},
		{[]string{"audit", "--profiles", "a", "--profile", "b"}, "iamcreds audit", "--profile names one profile and --profiles several"},
		{[]string{"audit", "--demo", "--all-profiles"}, "iamcreds audit", "--demo has no profiles"},
		{[]string{"--demo", "--profile", "prod"}, "iamcreds", "--demo runs against a built-in demo account: --profile has nothing to choose"},
		{[]string{"--demo", "--org", "--profile=prod"}, "iamcreds", "--profile has nothing to choose"},
		{[]string{"audit", "--demo", "--profile", "prod"}, "iamcreds audit", "--profile has nothing to choose"},
		{[]string{"audit", "--demo", "--endpoint-url", "http://127.0.0.1:9"}, "iamcreds audit", "--endpoint-url has nothing to choose"},
		{[]string{"--demo", "--region", "eu-west-1"}, "iamcreds", "--region has nothing to choose"},
		{[]string{"--org", "--all-profiles"}, "iamcreds", "--all-profiles and --org"},
		{[]string{"--accounts", "111122223333"}, "iamcreds", "--accounts needs --org"},

		{[]string{"local-iam", "--bogus"}, "iamcreds local-iam", "unknown flag: --bogus"},
		{[]string{"local-iam", "extra"}, "iamcreds local-iam", `unexpected argument "extra"`},
		{[]string{"local-iam", "--throttle-rate", "2"}, "iamcreds local-iam", "throttle rate 2 is not between 0 and 1"},
		{[]string{"local-iam", "--throttle-rate", "lots"}, "iamcreds local-iam", `--throttle-rate "lots": not a number`},
		{[]string{"local-iam", "--deny", "ListRoles"}, "iamcreds local-iam", `unknown action "ListRoles"`},
		{[]string{"local-iam", "--latency", "soon"}, "iamcreds local-iam", `--latency "soon": not a duration`},
		{[]string{"local-iam", "--addr", "nonsense"}, "iamcreds local-iam", "missing port"},
		{[]string{"local-iam", "--addr", "0.0.0.0:0"}, "iamcreds local-iam", "pass --allow-remote"},
		{[]string{"local-iam", "--addr", ":0"}, "iamcreds local-iam", "pass --allow-remote"},
		{[]string{"local-iam", "--addr", "127.0.0.1:0", "--seed", "scale:many"}, "iamcreds local-iam", "want scale:N"},
		{[]string{"local-iam", "--addr", "127.0.0.1:0", "--account-id", "42"}, "iamcreds local-iam", "not 12 digits"},
		{[]string{"local-iam", "--deny-assume", "42"}, "iamcreds local-iam", `"42" is not a 12-digit account ID`},
		{[]string{"local-iam", "--deny-assume", "111122223333"}, "iamcreds local-iam", "--deny-assume needs an organization"},
		{[]string{"local-iam", "--member-role", "Auditor", "--seed", "demo"}, "iamcreds local-iam", "--member-role needs an organization"},
		{[]string{"local-iam", "--addr", "127.0.0.1:0", "--seed", "org:demo", "--deny-assume", "999999999999"}, "iamcreds local-iam", "no account of the organization has this ID"},
		{[]string{"local-iam", "--addr", "127.0.0.1:0", "--seed", "org:3x1", "--member-role", "bad/role"}, "iamcreds local-iam", "member role"},

		{[]string{"completion"}, "iamcreds completion", "name a shell: bash, fish, powershell, zsh"},
		{[]string{"completion", "tcsh"}, "iamcreds completion", `unknown shell "tcsh"`},
		{[]string{"completion", "--bogus"}, "iamcreds completion", "unknown flag: --bogus"},
		{[]string{"completion", "bash", "zsh"}, "iamcreds completion bash", `unknown command "zsh"`},
		{[]string{"man", "extra"}, "iamcreds man", `unexpected argument "extra"`},
	} {
		r := runCLI(tc.args...)
		lines := strings.Split(r.stderr, "\n")
		if r.code != exitUsage || r.stdout != "" || len(lines) != 3 || lines[2] != "" ||
			!strings.HasPrefix(lines[0], tc.cmd+": ") || !strings.Contains(lines[0], tc.want) ||
			lines[1] != "Run '"+tc.cmd+" --help' for usage." {
			t.Errorf("%q: exit %d, stdout %q, stderr:\n%s\nwant exit 2 and %q in one line, then the hint for %s",
				tc.args, r.code, r.stdout, r.stderr, tc.want, tc.cmd)
		}
	}
}

func TestParseEndpointURL(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "http://127.0.0.1:4566": "", "https://iam.amazonaws.com": "", "HTTP://localhost:4599/": "",
		"127.0.0.1:4566":  "did you mean http://127.0.0.1:4566?",
		"localhost:4599":  "did you mean http://localhost:4599?",
		"[::1]:4599":      "did you mean http://[::1]:4599?",
		"iam.example.com": "did you mean https://iam.example.com?",
		"not a url":       "not an absolute http(s) URL such as",
		"ftp://host":      "not an absolute http(s) URL such as",
		"http://":         "not an absolute http(s) URL such as",
		"http:///x":       "not an absolute http(s) URL such as",
		"/just/a/path":    "not an absolute http(s) URL such as",
	} {
		got, err := parseEndpointURL(in)
		switch {
		case want == "" && (err != nil || got != in):
			t.Errorf("%q: %q, %v", in, got, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("%q: error %v, want %q", in, err, want)
		}
	}
}

func TestHelpCommand(t *testing.T) {
	help, direct := runCLI("help", "audit"), runCLI("audit", "--help")
	if help.code != 0 || help.stdout != direct.stdout || !strings.Contains(help.stdout, "Usage:\n  iamcreds audit") {
		t.Fatalf("help audit: exit %d\n%s", help.code, help.stdout)
	}
}

func TestManPage(t *testing.T) {
	r := runCLI("man")
	if r.code != 0 || r.stderr != "" || !strings.HasPrefix(r.stdout, ".TH IAMCREDS 1 ") {
		t.Fatalf("man: exit %d, stderr %q\n%.200s", r.code, r.stderr, r.stdout)
	}
	if strings.Contains(r.stdout, "`") {
		t.Error("the man page shows a flag's backquotes")
	}
	for path, cmd := range ourCommands() {
		if cmd.HasParent() && !strings.Contains(r.stdout, "\n"+cmd.Name()+"\n") && !strings.Contains(r.stdout, " "+cmd.Name()+"\n") {
			t.Errorf("the man page lacks %s", path)
		}
		for _, name := range flagNames(cmd) {
			if !strings.Contains(r.stdout, `\fB--`+name) && !strings.Contains(r.stdout, `--`+name) {
				t.Errorf("the man page lacks %s --%s", path, name)
			}
		}
	}
	if !strings.Contains(r.stdout, ".SH EXIT STATUS") && !strings.Contains(r.stdout, `.SH "EXIT STATUS"`) {
		t.Error("the man page has no exit status")
	}
}

// visibleFlags are the flags --help shows for cmd.
func visibleFlags(cmd *cobra.Command) []*pflag.Flag {
	var out []*pflag.Flag
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if !f.Hidden {
			out = append(out, f)
		}
	})
	return out
}

// flagNames are a command's flags, sorted.
func flagNames(cmd *cobra.Command) []string {
	var names []string
	for _, f := range visibleFlags(cmd) {
		names = append(names, f.Name)
	}
	slices.Sort(names)
	return names
}

// The TUI's flags reach the client's and the UI's configuration.
func TestTUIFlags(t *testing.T) {
	var got *tuiFlags
	root := newTUICmd(func(_ context.Context, o tuiFlags) error { got = &o; return nil })
	finishTree(root)
	root.SetOut(io.Discard)
	root.SetArgs([]string{"--profile", "prod", "--region", "eu-west-1", "--endpoint-url", "http://127.0.0.1:1",
		"--concurrency", "3", "--read-only", "--max-age", "30d", "--clipboard-clear", "0"})
	if err := root.Execute(); err != nil || got == nil {
		t.Fatalf("%v, ran: %v", err, got != nil)
	}
	cfg := got.tuiConfig()
	if cfg.Profile != "prod" || cfg.Region != "eu-west-1" || cfg.EndpointURL != "http://127.0.0.1:1" ||
		cfg.Concurrency != 3 || !cfg.ReadOnly || cfg.MaxAttempts != 4 || got.demo {
		t.Errorf("client configuration %+v", cfg)
	}
	if got.maxAge != 30*24*time.Hour || got.clipboardClear != 0 {
		t.Errorf("--max-age %v, --clipboard-clear %v", got.maxAge, got.clipboardClear)
	}

	got = nil
	root = newTUICmd(func(_ context.Context, o tuiFlags) error { got = &o; return nil })
	finishTree(root)
	root.SetArgs([]string{})
	if err := root.Execute(); err != nil || got == nil {
		t.Fatalf("%v, ran: %v", err, got != nil)
	}
	if got.maxAge != 90*24*time.Hour || got.clipboardClear != 30*time.Second || got.concurrency != 32 || got.readOnly {
		t.Errorf("defaults: %+v", *got)
	}
}
