package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"iamcreds/model"
)

func completionScript(t *testing.T, shell string) string {
	t.Helper()
	r := runCLI("completion", shell)
	if r.code != 0 || r.stderr != "" || r.stdout == "" {
		t.Fatalf("completion %s: exit %d, stderr %q", shell, r.code, r.stderr)
	}
	return r.stdout
}

func TestCompletionScriptsParse(t *testing.T) {
	for _, shell := range completionShells {
		t.Run(shell, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "iamcreds."+shell)
			if err := os.WriteFile(path, []byte(completionScript(t, shell)), 0o600); err != nil {
				t.Fatal(err)
			}
			if out, err := exec.Command(needTool(t, shell), "-n", path).CombinedOutput(); err != nil || len(out) > 0 {
				t.Fatalf("%s -n: %v\n%s", shell, err, out)
			}
		})
	}
}

// helpFlagNames reads the flag names from a command's --help with a pattern of
// its own, so that a flag the generator's parser misses fails this test.
func helpFlagNames(cmd ...string) []string {
	r := runCLI(append(cmd, "--help")...)
	names := []string{"h", "help"} // the flag package always answers these
	for _, m := range regexp.MustCompile(`(?m)^ +--?([A-Za-z0-9][\w-]*)`).FindAllStringSubmatch(r.stdout+r.stderr, -1) {
		names = append(names, m[1])
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// scriptSection is the part of a script that serves one command ("" is the root).
func scriptSection(shell, script, cmd string) string {
	if shell == "fish" {
		var lines []string
		re := regexp.MustCompile(`-n '__iamcreds_in ?([a-z-]*)[';]`)
		for _, l := range strings.Split(script, "\n") {
			if m := re.FindStringSubmatch(l); m != nil && m[1] == cmd {
				lines = append(lines, l)
			}
		}
		return strings.Join(lines, "\n")
	}
	label := cmd
	if label == "" {
		label = "*"
	}
	_, rest, _ := strings.Cut(script, "\n    "+label+")\n")
	section, _, _ := strings.Cut(rest, "\n        ;;\n")
	return section
}

func offersFlag(shell, section, name string) bool {
	dash := "--" + name
	if len(name) == 1 {
		dash = "-" + name
	}
	switch shell {
	case "bash":
		m := regexp.MustCompile(`flags="([^"]*)"`).FindStringSubmatch(section)
		return m != nil && slices.Contains(strings.Fields(m[1]), dash)
	case "zsh":
		return strings.Contains(section, "'"+dash+":")
	}
	if len(name) == 1 {
		return strings.Contains(section, " -s "+name+" ")
	}
	return strings.Contains(section, " -l "+name+" ")
}

func TestCompletionOffersEverySubcommandAndFlag(t *testing.T) {
	cmds := [][]string{{}}
	for _, s := range subcommands {
		cmds = append(cmds, []string{s.name})
	}
	for _, shell := range completionShells {
		script := completionScript(t, shell)
		for _, s := range subcommands {
			if !strings.Contains(scriptSection(shell, script, ""), s.name) {
				t.Errorf("%s: subcommand %s not offered", shell, s.name)
			}
		}
		for _, sh := range completionShells {
			if !strings.Contains(scriptSection(shell, script, "completion"), sh) {
				t.Errorf("%s: completion %s not offered", shell, sh)
			}
		}
		for _, cmd := range cmds {
			section := scriptSection(shell, script, strings.Join(cmd, ""))
			for _, name := range helpFlagNames(cmd...) {
				if !offersFlag(shell, section, name) {
					t.Errorf("%s: iamcreds %s does not offer -%s", shell, strings.Join(cmd, ""), name)
				}
			}
		}
	}
}

// TestCompletionFlagsMatchTheParsers asks the real flag parsers about each flag
// the scripts offer: it must exist, and take an argument exactly when the script
// completes one. "-name=x" is refused as a boolean only by a bool flag; "--help"
// after it keeps any command from starting.
func TestCompletionFlagsMatchTheParsers(t *testing.T) {
	for _, c := range completionCommands() {
		if c.name == "completion" {
			continue // not a FlagSet: only -h and --help
		}
		for _, f := range c.flags {
			if f.name == "h" || f.name == "help" {
				continue
			}
			args := []string{"-" + f.name + "=x", "--help"}
			if c.name != "" {
				args = append([]string{c.name}, args...)
			}
			r := runCLI(args...)
			out := r.stdout + r.stderr
			switch {
			case strings.Contains(out, "not defined"):
				t.Errorf("iamcreds %s: the scripts offer -%s, which does not exist", c.name, f.name)
			case strings.Contains(out, "invalid boolean value") == f.value:
				t.Errorf("iamcreds %s -%s: scripts say value=%v, the parser disagrees: %s", c.name, f.name, f.value, out)
			case r.code != 0 && r.code != 2:
				t.Errorf("%q: exit %d", args, r.code)
			}
		}
	}
}

func TestCompletionValuesAreAccepted(t *testing.T) {
	values, _ := flagValues("format")
	for _, v := range values {
		if _, err := model.ParseExportFormat(v); err != nil {
			t.Errorf("--format %s: %v", v, err)
		}
	}
	if values, _ = flagValues("sort"); len(values) < 2 {
		t.Errorf("--sort values %q", values)
	}
	for _, v := range values {
		if _, err := model.ParseSortKey(v); err != nil {
			t.Errorf("--sort %s: %v", v, err)
		}
	}
	values, _ = flagValues("service")
	for _, s := range model.Catalog() {
		if !slices.ContainsFunc(values, func(v string) bool { n, _ := model.ResolveService(v); return n == s.Name }) {
			t.Errorf("--service offers nothing for %s", s.Name)
		}
	}
	for _, v := range values {
		if _, ok := model.ResolveService(v); !ok {
			t.Errorf("--service %s is refused", v)
		}
	}
}

func subcommandNames() []string {
	var names []string
	for _, s := range subcommands {
		names = append(names, s.name)
	}
	return names
}

// profileFixture writes shared config and credentials files with secrets that
// must never reach a completion, and returns the environment that selects them.
func profileFixture(t *testing.T) []string {
	dir := t.TempDir()
	cfg, cred := filepath.Join(dir, "config"), filepath.Join(dir, "credentials")
	if os.WriteFile(cfg, []byte("[default]\nregion = eu-west-1\n[profile prod]\nrole_arn = arn:aws:iam::1:role/x\n[sso-session corp]\nsso_start_url = https://corp.example\n"), 0o600) != nil ||
		os.WriteFile(cred, []byte("[dev]\naws_access_key_id = AKIDLEAK\naws_secret_access_key = leaksecret\n"), 0o600) != nil {
		t.Fatal("cannot write the fixture")
	}
	return []string{"HOME=" + dir, "AWS_CONFIG_FILE=" + cfg, "AWS_SHARED_CREDENTIALS_FILE=" + cred}
}

func TestCompletionProfilesCommand(t *testing.T) {
	for _, kv := range profileFixture(t) {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	r := runCLI("__profiles")
	if r.code != 0 || r.stdout != "default\ndev\nprod\n" || r.stderr != "" {
		t.Fatalf("__profiles: %+v", r)
	}
}

func TestCompletionBashFunction(t *testing.T) {
	bash := needTool(t, "bash")
	bin := builtBinary(t) // the script runs `iamcreds __profiles` for --profile
	script := filepath.Join(t.TempDir(), "iamcreds.bash")
	if err := os.WriteFile(script, []byte(completionScript(t, "bash")), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		words []string
		want  []string
	}{
		{[]string{"iamcreds", "--pro"}, []string{"--profile"}},
		{[]string{"iamcreds", "completion", ""}, completionShells},
		{[]string{"iamcreds", ""}, subcommandNames()},
		{[]string{"iamcreds", "--profile", ""}, []string{"default", "dev", "prod"}},
		{[]string{"iamcreds", "--profile", "=", "p"}, []string{"prod"}},
		{[]string{"iamcreds", "audit", "--format", ""}, []string{"table", "csv", "json"}},
		{[]string{"iamcreds", "audit", "--fail"}, []string{"--fail-on-flagged"}},
		{[]string{"iamcreds", "completion", "bash", ""}, nil},
		{[]string{"iamcreds", "--concurrency", ""}, nil},
	}
	var sb strings.Builder
	sb.WriteString(`source "$1" || exit 1
t() { COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMPREPLY=(); _iamcreds; echo "${COMPREPLY[*]}"; }
`)
	for _, c := range cases {
		sb.WriteString("t")
		for _, w := range c.words {
			sb.WriteString(" " + shQuote(w))
		}
		sb.WriteString("\n")
	}
	cmd := exec.Command(bash, "--norc", "--noprofile", "-c", sb.String(), "bash", script)
	cmd.Env = append(os.Environ(), append(profileFixture(t), "PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"))...)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("bash: %v\n%s", err, out)
	}
	got := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(got) != len(cases) {
		t.Fatalf("bash printed %d lines for %d cases:\n%s", len(got), len(cases), out)
	}
	for i, c := range cases {
		if want := strings.Join(c.want, " "); got[i] != want {
			t.Errorf("%q<TAB>: got %q, want %q", strings.Join(c.words, " "), got[i], want)
		}
	}
}

func TestCompletionFishFunction(t *testing.T) {
	fish := needTool(t, "fish")
	script := filepath.Join(t.TempDir(), "iamcreds.fish")
	if err := os.WriteFile(script, []byte(completionScript(t, "fish")), 0o600); err != nil {
		t.Fatal(err)
	}
	for line, want := range map[string][]string{
		"iamcreds --pro":            {"--profile"},
		"iamcreds completion ":      {"bash", "fish", "zsh"},
		"iamcreds audit --format ":  {"csv", "json", "table"},
		"iamcreds completion bash ": nil,
	} {
		out, err := exec.Command(fish, "--no-config", "-c", `source $argv[1]; complete -C $argv[2]`, script, line).Output()
		if err != nil {
			t.Fatalf("fish: %v", err)
		}
		var got []string
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if name, _, _ := strings.Cut(l, "\t"); name != "" {
				got = append(got, name)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("fish %q<TAB>: got %q, want %q", line, got, want)
		}
	}
}
