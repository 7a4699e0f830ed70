package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"iamcreds/model"
)

var scriptShells = []string{"bash", "zsh", "fish", "powershell"}

func completionScript(t *testing.T, shell string) string {
	t.Helper()
	r := runCLI("completion", shell)
	if r.code != 0 || r.stderr != "" || !strings.Contains(r.stdout, "__iamcreds_") {
		t.Fatalf("completion %s: exit %d, stderr %q", shell, r.code, r.stderr)
	}
	return r.stdout
}

func writeScript(t *testing.T, shell string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "iamcreds."+shell)
	if err := os.WriteFile(path, []byte(completionScript(t, shell)), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCompletionScriptsParse(t *testing.T) {
	for _, shell := range scriptShells {
		t.Run(shell, func(t *testing.T) {
			if shell == "powershell" {
				if !strings.Contains(completionScript(t, shell), "Register-ArgumentCompleter") {
					t.Fatal("no Register-ArgumentCompleter")
				}
				return
			}
			path := writeScript(t, shell)
			if out, err := exec.Command(needTool(t, shell), "-n", path).CombinedOutput(); err != nil || len(out) > 0 {
				t.Fatalf("%s -n: %v\n%s", shell, err, out)
			}
		})
	}
}

// complete asks iamcreds what completes the last of args, as the scripts do.
func complete(t *testing.T, args ...string) (names []string, directive cobra.ShellCompDirective) {
	t.Helper()
	r := runCLI(append([]string{"__complete"}, args...)...)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	last := lines[len(lines)-1]
	d, err := strconv.Atoi(strings.TrimPrefix(last, ":"))
	if r.code != 0 || !strings.HasPrefix(last, ":") || err != nil {
		t.Fatalf("__complete %q: exit %d, stdout %q", args, r.code, r.stdout)
	}
	for _, l := range lines[:len(lines)-1] {
		name, _, _ := strings.Cut(l, "\t")
		names = append(names, name)
	}
	return names, cobra.ShellCompDirective(d)
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

func setEnv(t *testing.T, env []string) {
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
}

// commandNames are the names iamcreds offers as its first argument.
func commandNames() []string {
	var names []string
	for _, c := range testRoot().Commands() {
		if c.IsAvailableCommand() || c.Name() == "help" {
			names = append(names, c.Name())
		}
	}
	return names
}

const (
	noFiles  = cobra.ShellCompDirectiveNoFileComp
	anyFiles = cobra.ShellCompDirectiveDefault
)

func TestCompleteProtocol(t *testing.T) {
	setEnv(t, profileFixture(t))
	for _, tc := range []struct {
		args      []string
		want      []string
		directive cobra.ShellCompDirective
	}{
		{[]string{""}, commandNames(), noFiles},
		{[]string{"--pro"}, []string{"--profile", "--profiles"}, noFiles},
		{[]string{"--profile", ""}, []string{"default", "dev", "prod"}, noFiles},
		{[]string{"--profile=p"}, []string{"default", "dev", "prod"}, noFiles}, // the shell filters
		{[]string{"audit", "--profile", ""}, []string{"default", "dev", "prod"}, noFiles},
		{[]string{"audit", "--profiles", "dev,"}, []string{"dev,default", "dev,prod"}, noFiles | cobra.ShellCompDirectiveNoSpace},
		{[]string{"--profiles", ""}, []string{"default", "dev", "prod"}, noFiles | cobra.ShellCompDirectiveNoSpace},
		{[]string{"audit", "--format", ""}, formatValues(), noFiles},
		{[]string{"audit", "--sort", ""}, sortValues(), noFiles},
		{[]string{"audit", "--fail"}, []string{"--fail-on-flagged"}, noFiles},
		{[]string{"--concurrency", ""}, nil, noFiles},
		{[]string{"--endpoint-url", ""}, nil, noFiles},
		{[]string{"rotate", "--output", ""}, []string{"text", "json"}, noFiles},
		{[]string{"rotate", "--secret-file", ""}, nil, anyFiles},
		{[]string{"rotate", "--user", ""}, nil, noFiles},
		{[]string{"local-iam", "--seed", ""}, []string{"empty", "demo", "scale:", "org:demo", "org:"}, anyFiles},
		{[]string{"local-iam", "--state", ""}, []string{"json"}, cobra.ShellCompDirectiveFilterFileExt},
		{[]string{"completion", ""}, []string{"bash", "fish", "powershell", "zsh"}, noFiles},
		{[]string{"completion", "bash", ""}, nil, noFiles},
		{[]string{"help", ""}, slices.DeleteFunc(commandNames(), func(n string) bool { return n == "help" }), noFiles},
	} {
		got, directive := complete(t, tc.args...)
		if !slices.Equal(got, tc.want) || directive != tc.directive {
			t.Errorf("iamcreds %s<TAB>: %q %v, want %q %v", strings.Join(tc.args, " "), got, directive, tc.want, tc.directive)
		}
	}
	r := runCLI("__complete", "--profile", "")
	if strings.Contains(r.stdout+r.stderr, "leak") || strings.Contains(r.stdout, "corp") {
		t.Fatalf("profile completion shows more than names: %q", r.stdout)
	}
}

// Every flag that takes a value completes something or, on purpose, nothing;
// none falls back to file names unless it names a file.
func TestEveryValueFlagHasACompleter(t *testing.T) {
	var walk func(*cobra.Command)
	walk = func(cmd *cobra.Command) {
		cmd.Flags().VisitAll(func(f *pflag.Flag) {
			if _, ok := cmd.GetFlagCompletionFunc(f.Name); !ok && f.Value.Type() != "bool" {
				t.Errorf("%s --%s has no completer", cmd.CommandPath(), f.Name)
			}
		})
		for _, sub := range cmd.Commands() {
			walk(sub)
		}
	}
	walk(testRoot())
}

// What the completers offer, the flags accept.
func TestCompletionValuesAreAccepted(t *testing.T) {
	for flag, values := range map[string][]string{"format": formatValues(), "sort": sortValues(), "service": serviceValues()} {
		for _, v := range values {
			v, _, _ = strings.Cut(v, "\t")
			if err := parseOnly("audit", "--"+flag, v); err != nil {
				t.Errorf("--%s %s: %v", flag, v, err)
			}
		}
	}
	for _, s := range model.Catalog() {
		if !slices.ContainsFunc(serviceValues(), func(v string) bool {
			n, _ := model.ResolveService(strings.Split(v, "\t")[0])
			return n == s.Name
		}) {
			t.Errorf("--service offers nothing for %s", s.Name)
		}
	}
	if len(sortValues()) < 2 {
		t.Errorf("--sort values %q", sortValues())
	}
}

// bashCompletionScript is bash-completion's main script, which cobra's bash
// script needs (_get_comp_words_by_ref); CI installs the bash-completion package.
func bashCompletionScript(t *testing.T) string {
	for _, p := range []string{"/usr/share/bash-completion/bash_completion", "/usr/local/share/bash-completion/bash_completion", "/opt/homebrew/share/bash-completion/bash_completion"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	needFile(t, "bash-completion", os.ErrNotExist)
	return ""
}

// completionCase is a command line and the words the shell offers at its end.
type completionCase struct {
	line string // as typed; a trailing space starts a new word
	want []string
}

// shellCases drive each shell's script through its plumbing: a command, a flag
// name, a profile name filtered by what is typed, and nothing at all (not file
// names). Each case starts iamcreds once; TestCompleteProtocol checks the
// answers themselves in-process.
var shellCases = []completionCase{
	{"iamcreds ", nil}, // filled in with commandNames()
	{"iamcreds audit --fail", []string{"--fail-on-flagged"}},
	{"iamcreds audit --profile p", []string{"prod"}},
	{"iamcreds --concurrency ", nil},
}

func sortedCases() []completionCase {
	cases := slices.Clone(shellCases)
	for i := range cases {
		if cases[i].want == nil && cases[i].line == "iamcreds " {
			cases[i].want = commandNames()
		}
		cases[i].want = slices.Sorted(slices.Values(cases[i].want))
	}
	return cases
}

// runShell runs script in shell with this test binary as iamcreds and the
// profile fixture, and returns the completions of each case: one a line, the
// cases separated by "~~" lines, each completion's first field only.
func runShell(t *testing.T, shell string, args ...string) [][]string {
	t.Helper()
	cmd := exec.Command(shell, args...)
	_, env := iamcredsOnPath(t)
	cmd.Env = append(env, append(profileFixture(t), "COLUMNS=200", "BASH_COMP_DEBUG_FILE=")...)
	out, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("%s: %v\n%s%s", shell, err, out, stderr)
	}
	var cases [][]string
	cur := []string{}
	for _, l := range strings.Split(string(out), "\n") {
		switch f := strings.Fields(l); {
		case l == "~~":
			slices.Sort(cur)
			cases = append(cases, cur)
			cur = []string{}
		case len(f) > 0:
			cur = append(cur, f[0])
		}
	}
	return cases
}

func checkShellCases(t *testing.T, shell string, got [][]string) {
	t.Helper()
	cases := sortedCases()
	if len(got) != len(cases) {
		t.Fatalf("%s answered %d cases of %d: %q", shell, len(got), len(cases), got)
	}
	for i, c := range cases {
		if !slices.Equal(got[i], c.want) && !(len(got[i]) == 0 && len(c.want) == 0) {
			t.Errorf("%s: %q<TAB>: got %q, want %q", shell, c.line, got[i], c.want)
		}
	}
}

// shQuote quotes s for bash, zsh and fish alike.
func shQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func TestCompletionBash(t *testing.T) {
	t.Parallel()
	bash := needTool(t, "bash")
	var sb strings.Builder
	sb.WriteString(`source "$1" || exit 1
source "$2" || exit 1
compopt() { :; }  # only allowed inside a real completion
t() {
  COMP_LINE=$1; COMP_POINT=${#COMP_LINE}
  read -ra COMP_WORDS <<<"$COMP_LINE"
  [[ $COMP_LINE == *" " ]] && COMP_WORDS+=("")
  COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
  COMPREPLY=()
  __start_iamcreds iamcreds "${COMP_WORDS[-1]}" "${COMP_WORDS[-2]}"
  printf '%s\n' "${COMPREPLY[@]}"; echo '~~'
}
`)
	for _, c := range shellCases {
		sb.WriteString("t " + shQuote(c.line) + "\n")
	}
	got := runShell(t, bash, "--norc", "--noprofile", "-c", sb.String(), "bash", bashCompletionScript(t), writeScript(t, "bash"))
	checkShellCases(t, "bash", got)
}

// zsh completes only inside its line editor, so this stands in for the two
// functions cobra's script ends in: _describe (the words offered, "name:about")
// and _arguments (file completion), and sets words and CURRENT as zsh would.
func TestCompletionZsh(t *testing.T) {
	t.Parallel()
	zsh := needTool(t, "zsh")
	var sb strings.Builder
	sb.WriteString(`compdef() { :; }
_describe() {  # compadd would keep the words that start with the current one
  local c; for c in "${completions[@]%%:*}"; do [[ $c == ${words[-1]}* ]] && print -r -- $c; done
}
_arguments() { print -r -- "_arguments $*"; }
source "$1" || exit 1
t() {
  words=(${(z)1})
  [[ $1 == *" " ]] && words+=("")
  CURRENT=${#words}
  _iamcreds; echo '~~'
}
`)
	for _, c := range shellCases {
		sb.WriteString("t " + shQuote(c.line) + "\n")
	}
	got := runShell(t, zsh, "-f", "-c", sb.String(), "zsh", writeScript(t, "zsh"))
	checkShellCases(t, "zsh", got)
}

func TestCompletionFish(t *testing.T) {
	t.Parallel()
	fish := needTool(t, "fish")
	var sb strings.Builder
	sb.WriteString("source $argv[1]; or exit 1\n")
	for _, c := range shellCases {
		sb.WriteString("complete -C " + shQuote(c.line) + "; echo '~~'\n")
	}
	got := runShell(t, fish, "--no-config", "-c", sb.String(), writeScript(t, "fish"))
	checkShellCases(t, "fish", got)
}
