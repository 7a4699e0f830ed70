package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
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
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is needed (install it in .ci/run): %v", name, err)
		}
		t.Skipf("%s not installed", name)
	}
	return path
}

var (
	builtOnce sync.Once
	builtDir  string
	builtErr  error
	builtLog  []byte
)

// builtBinary builds iamcreds once, from this git repo with VCS stamping on:
// the environment may set GOFLAGS=-buildvcs=false, and the flag overrides it.
func builtBinary(t *testing.T) string {
	t.Helper()
	goTool := needTool(t, "go")
	builtOnce.Do(func() {
		if builtDir, builtErr = os.MkdirTemp("", "iamcreds-bin-"); builtErr != nil {
			return
		}
		cmd := exec.Command(goTool, "build", "-buildvcs=true", "-o", filepath.Join(builtDir, "iamcreds"), ".")
		builtLog, builtErr = cmd.CombinedOutput()
	})
	if builtErr != nil {
		t.Fatalf("go build: %v\n%s", builtErr, builtLog)
	}
	return filepath.Join(builtDir, "iamcreds")
}

func TestMain(m *testing.M) {
	code := m.Run()
	if builtDir != "" {
		os.RemoveAll(builtDir)
	}
	os.Exit(code)
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
	// The real binary's exit status for a wrong flag, through main and os.Exit.
	cmd := exec.Command(bin, "--no-such-flag")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); cmd.ProcessState.ExitCode() != 2 || !strings.Contains(stderr.String(), "Usage:") {
		t.Fatalf("--no-such-flag: %v, stderr %q", err, stderr.String())
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

func TestUsageListsSubcommandsFlagsAndExamples(t *testing.T) {
	r := runCLI("--help")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("--help: exit %d, stderr %q", r.code, r.stderr)
	}
	usage, examples, ok := strings.Cut(r.stdout, "\nExamples:\n")
	if !ok {
		t.Fatalf("--help has no examples:\n%s", r.stdout)
	}
	for _, s := range subcommands {
		if !strings.Contains(usage, "\n  iamcreds "+s.name+" ") {
			t.Errorf("--help does not list %s", s.name)
		}
		if !strings.Contains(examples, "iamcreds "+s.name+" ") {
			t.Errorf("--help has no example of %s", s.name)
		}
	}
	if strings.Contains(r.stdout, "__profiles") {
		t.Error("--help shows the hidden __profiles")
	}
	// Every "iamcreds X" the usage lists must be a subcommand this file knows.
	for _, m := range regexp.MustCompile(`(?m)^  iamcreds ([a-z][a-z-]*)`).FindAllStringSubmatch(usage, -1) {
		if !isSubcommand(m[1]) {
			t.Errorf("--help lists %q, which subcommands does not know", m[1])
		}
	}
	checkExamples(t, "", examples)
}

func isSubcommand(name string) bool {
	for _, s := range subcommands {
		if s.name == name {
			return true
		}
	}
	return false
}

func TestUsageOfEachSubcommandHasExamples(t *testing.T) {
	for _, s := range subcommands {
		r := runCLI(s.name, "--help")
		help := r.stdout + r.stderr // local-iam prints its help on stderr
		_, examples, ok := strings.Cut(help, "\nExamples:\n")
		if r.code != 0 || !ok {
			t.Errorf("%s --help: exit %d, examples %v:\n%s", s.name, r.code, ok, help)
			continue
		}
		checkExamples(t, s.name, examples)
	}
}

// checkExamples runs each "iamcreds …" example's arguments through the real
// parsers, so an example cannot name a flag or value that does not exist.
func checkExamples(t *testing.T, sub, examples string) {
	t.Helper()
	n := 0
	for _, line := range strings.Split(examples, "\n") {
		line, _, _ = strings.Cut(line, "#")
		i := strings.Index(line, "iamcreds ")
		if i < 0 || (sub != "" && !strings.HasPrefix(line[i:], "iamcreds "+sub+" ")) {
			continue
		}
		cmdline := strings.TrimRight(line[i:], ") ")
		cmdline, _, _ = strings.Cut(cmdline, " >")
		cmdline, _, _ = strings.Cut(cmdline, " |")
		args := strings.Fields(cmdline)[1:]
		n++
		if args[0] != "completion" {
			args = append(args, "--help") // parse only: do not start the UI or a server
		}
		if r := runCLI(args...); r.code != 0 {
			t.Errorf("example %q: exit %d: %s", strings.TrimSpace(line), r.code, r.stderr)
		}
	}
	if n == 0 {
		t.Errorf("no iamcreds %s example", sub)
	}
}

func TestUsageOnWrongInput(t *testing.T) {
	for _, args := range [][]string{
		{"--no-such-flag"}, {"no-such-command"}, {"--profile"},
		{"completion"}, {"completion", "tcsh"}, {"completion", "bash", "zsh"},
	} {
		r := runCLI(args...)
		if r.code != 2 || r.stdout != "" || !strings.Contains(r.stderr, "Usage:") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", args, r.code, r.stdout, r.stderr)
		}
	}
	// audit and local-iam may point at their --help rather than print it all.
	for _, sub := range []string{"audit", "local-iam"} {
		r := runCLI(sub, "--no-such-flag")
		if r.code != 2 || r.stdout != "" || !strings.Contains(r.stderr, "no-such-flag") ||
			!(strings.Contains(r.stderr, "Usage:") || strings.Contains(r.stderr, "--help")) {
			t.Errorf("%s --no-such-flag: exit %d, stdout %q, stderr %q", sub, r.code, r.stdout, r.stderr)
		}
	}
}
