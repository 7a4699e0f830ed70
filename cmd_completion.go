package main

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"

	"iamcreds/awsclient"
	"iamcreds/model"
)

// completionShells are the shells `iamcreds completion` writes scripts for.
var completionShells = []string{"bash", "zsh", "fish"}

// subcommands are what run() dispatches on as the first argument; main_test
// checks this list against run() and against the root usage.
var subcommands = []struct{ name, about string }{
	{"audit", "print every credential with its risk flags, for scripts"},
	{"local-iam", "run the local IAM-compatible endpoint on its own"},
	{"completion", "print a shell completion script: bash, zsh or fish"},
}

// compFlag is one flag as the scripts need it.
type compFlag struct {
	name, usage string
	value       bool     // takes an argument
	values      []string // known arguments; nil when there is no fixed set
	files       bool     // the argument is a file name
	profiles    bool     // the argument is a profile name, from `iamcreds __profiles`
}

// dash is how the scripts offer the flag: Go accepts both, -h and --name read best.
func (f compFlag) dash() string {
	if len(f.name) == 1 {
		return "-" + f.name
	}
	return "--" + f.name
}

// compCommand is the root ("" name) or a subcommand.
type compCommand struct {
	name  string
	flags []compFlag
	args  []compArg // what the first positional argument may be
}

type compArg struct{ name, about string }

// completionCommands reads each command's flags from its own --help, which
// prints the real flag.FlagSet's defaults, so the scripts cannot drift from it.
func completionCommands() []compCommand {
	root := compCommand{flags: helpFlags()}
	for _, s := range subcommands {
		root.args = append(root.args, compArg{s.name, s.about})
	}
	cmds := []compCommand{root}
	for _, s := range subcommands {
		c := compCommand{name: s.name, flags: helpFlags(s.name)}
		if s.name == "completion" {
			for _, sh := range completionShells {
				c.args = append(c.args, compArg{sh, sh + " completion script"})
			}
		}
		cmds = append(cmds, c)
	}
	return cmds
}

// helpFlags runs `iamcreds [cmd] --help` and parses the flag.PrintDefaults part.
func helpFlags(cmd ...string) []compFlag {
	var out bytes.Buffer
	run(append(cmd, "--help"), &out, &out) // local-iam prints its help on stderr
	flags := parseFlagDefaults(out.String())
	// The flag package answers -h and -help even when a FlagSet does not declare them.
	for _, h := range []string{"help", "h"} {
		if !slices.ContainsFunc(flags, func(f compFlag) bool { return f.name == h }) {
			flags = append(flags, compFlag{name: h, usage: "show this help"})
		}
	}
	slices.SortFunc(flags, func(a, b compFlag) int { return strings.Compare(a.name, b.name) })
	return flags
}

// parseFlagDefaults reads flag.PrintDefaults output: "  -name [type]" then the
// usage after a tab on the same line or on the next line, indented "    \t".
func parseFlagDefaults(help string) []compFlag {
	var flags []compFlag
	lines := strings.Split(help, "\n")
	for i, line := range lines {
		rest, ok := strings.CutPrefix(line, "  -")
		if !ok || rest == "" || rest[0] == ' ' || rest[0] == '-' {
			continue
		}
		head, usage, sameLine := strings.Cut(rest, "\t")
		if !sameLine && i+1 < len(lines) {
			usage, _ = strings.CutPrefix(lines[i+1], "    \t")
		}
		name, typ, _ := strings.Cut(head, " ")
		f := compFlag{name: name, usage: strings.TrimSpace(usage), value: typ != "", files: typ == "file"}
		f.values, f.profiles = flagValues(name)
		flags = append(flags, f)
	}
	return flags
}

// flagValues are the known arguments of a flag, taken from the code that parses them.
func flagValues(name string) (values []string, profiles bool) {
	switch name {
	case "profile":
		return nil, true
	case "format":
		return []string{string(model.FormatTable), string(model.FormatCSV), string(model.FormatJSON)}, false
	case "sort":
		for k := model.SortKey(0); len(values) == 0 || k != 0; k = k.Next() {
			values = append(values, k.String())
		}
		return values, false
	case "service":
		for _, s := range model.Catalog() {
			label, _, _ := strings.Cut(s.Name, ".")
			values = append(values, strings.ToLower(s.Short), label)
		}
		slices.Sort(values)
		return slices.Compact(values), false
	case "seed":
		return []string{"empty", "demo", "scale:"}, false
	}
	return nil, false
}

// runCompletion is `iamcreds completion bash|zsh|fish`.
func runCompletion(args []string, stdout, stderr io.Writer) int {
	if len(args) == 1 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
		completionUsage(stdout)
		return 0
	}
	if len(args) != 1 || !slices.Contains(completionShells, args[0]) {
		if len(args) == 0 {
			fmt.Fprintln(stderr, "iamcreds completion: name a shell")
		} else {
			fmt.Fprintf(stderr, "iamcreds completion: unknown shell %q\n", strings.Join(args, " "))
		}
		fmt.Fprintln(stderr)
		completionUsage(stderr)
		return 2
	}
	if err := writeCompletion(stdout, args[0], completionCommands()); err != nil {
		fmt.Fprintf(stderr, "iamcreds completion: %v\n", err)
		return 1
	}
	return 0
}

func completionUsage(w io.Writer) {
	fmt.Fprint(w, `iamcreds completion — print a shell completion script for iamcreds: subcommands,
flags, and the values of --profile (from your AWS config files), --format,
--sort, --service and --seed.

Usage:
  iamcreds completion bash|zsh|fish

Examples:
  source <(iamcreds completion bash)                     # bash, this shell only
  iamcreds completion bash > ~/.local/share/bash-completion/completions/iamcreds
  source <(iamcreds completion zsh)                      # zsh, after compinit
  iamcreds completion zsh > "${fpath[1]}/_iamcreds"
  iamcreds completion fish | source                      # fish, this shell only
  iamcreds completion fish > ~/.config/fish/completions/iamcreds.fish
`)
}

// runProfiles is the hidden `iamcreds __profiles` the scripts call: profile
// names, one a line. It never fails loudly, since a shell is waiting on it.
func runProfiles(stdout, stderr io.Writer) int {
	names, err := awsclient.Profiles()
	for _, n := range names {
		fmt.Fprintln(stdout, n)
	}
	if err != nil {
		fmt.Fprintf(stderr, "iamcreds __profiles: %v\n", err)
		return 1
	}
	return 0
}
