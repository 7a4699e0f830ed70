package cli

import (
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"iamcreds/awsclient"
	"iamcreds/model"
)

// Shell completion is cobra's: `iamcreds completion bash|zsh|fish|powershell`
// prints a script that asks the binary itself (`iamcreds __complete …`) what
// comes next, so subcommands and flags cannot drift from the scripts. This file
// holds the completion of flag values and the completion command's usage errors.

// flagCompleters complete a flag's value, by the flag's name, in every command
// that has the flag: a new command's --profile completes with no further code.
func flagCompleters() map[string]cobra.CompletionFunc {
	return map[string]cobra.CompletionFunc{
		"profile":  completeProfiles,
		"profiles": completeProfileList,
		"format":   cobra.FixedCompletions(formatValues(), cobra.ShellCompDirectiveNoFileComp),
		"sort":     cobra.FixedCompletions(sortValues(), cobra.ShellCompDirectiveNoFileComp),
		"service":  cobra.FixedCompletions(serviceValues(), cobra.ShellCompDirectiveNoFileComp),
		"output":   cobra.FixedCompletions([]string{rotateText, rotateJSON}, cobra.ShellCompDirectiveNoFileComp),
		// The secret goes to a new file: the shell may complete directories.
		"secret-file": cobra.FixedCompletions(nil, cobra.ShellCompDirectiveDefault),
		// A seed is a name or a JSON file: names first, files when none matches.
		"seed":   cobra.FixedCompletions([]string{"empty", "demo", "scale:", "org:demo", "org:"}, cobra.ShellCompDirectiveDefault),
		"state":  cobra.FixedCompletions([]string{"json"}, cobra.ShellCompDirectiveFilterFileExt),
		"config": cobra.FixedCompletions([]string{"toml"}, cobra.ShellCompDirectiveFilterFileExt),
	}
}

// registerCompletions gives every flag that takes a value its completer; one
// without a completer completes nothing rather than file names.
func registerCompletions(cmd *cobra.Command) {
	completers := flagCompleters()
	cmd.LocalNonPersistentFlags().VisitAll(func(f *pflag.Flag) {
		if f.Value.Type() == "bool" {
			return
		}
		fn, ok := completers[f.Name]
		if !ok {
			fn = cobra.NoFileCompletions
		}
		_ = cmd.RegisterFlagCompletionFunc(f.Name, fn) // an error means already registered
	})
}

// completeProfiles lists the profile names of the shared AWS config and
// credentials files, never their keys. A shell is waiting: errors complete nothing.
func completeProfiles(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
	names, _ := awsclient.Profiles()
	return names, cobra.ShellCompDirectiveNoFileComp
}

func formatValues() []string {
	var values []string
	for _, f := range model.ExportFormats {
		values = append(values, string(f))
	}
	return values
}

// completeProfileList completes the last name of --profiles a,b,…: the
// profiles not already listed, after what was typed.
func completeProfileList(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	names, _ := awsclient.Profiles()
	cut := strings.LastIndex(toComplete, ",") + 1
	done := strings.Split(toComplete[:cut], ",")
	var out []cobra.Completion
	for _, n := range names {
		if !slices.Contains(done, n) {
			out = append(out, toComplete[:cut]+n)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
}

// sortValues are the sort keys in the order `s` cycles through them across
// accounts (a single account's view skips account).
func sortValues() []string {
	var values []string
	for k := model.SortKey(0); len(values) == 0 || k != 0; k = k.NextAcross() {
		values = append(values, k.String())
	}
	return values
}

// serviceValues are the short names --service takes, with what each is.
func serviceValues() []cobra.Completion {
	var out []cobra.Completion
	seen := map[string]bool{}
	for _, s := range model.Catalog() {
		label, _, _ := strings.Cut(s.Name, ".")
		for _, v := range []string{strings.ToLower(s.Short), label} {
			if !seen[v] {
				seen[v] = true
				out = append(out, cobra.CompletionWithDesc(v, s.Display))
			}
		}
	}
	slices.Sort(out)
	return out
}

// completionShells are the shells cobra writes scripts for.
func completionShells(completion *cobra.Command) []string {
	var shells []string
	for _, c := range completion.Commands() {
		shells = append(shells, c.Name())
	}
	return shells
}

// fixCompletionCmd makes `iamcreds completion` without a shell, or with one
// cobra does not know, a usage error: cobra's own command would print its help
// and exit 0.
func fixCompletionCmd(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	completion, _, err := root.Find([]string{"completion"})
	if err != nil || completion == root {
		return
	}
	completion.Short = "print a shell completion script: " + strings.Join(completionShells(completion), ", ")
	for _, shell := range completion.Commands() {
		shell.Short = "print the completion script for " + shell.Name()
	}
	completion.Example = `  source <(iamcreds completion bash)         # bash (needs bash-completion), this shell only
  iamcreds completion bash > ~/.local/share/bash-completion/completions/iamcreds
  source <(iamcreds completion zsh)          # zsh, after compinit
  iamcreds completion fish | source          # fish, this shell only`
	completion.Args = cobra.ArbitraryArgs
	completion.RunE = func(cmd *cobra.Command, args []string) error {
		shells := strings.Join(completionShells(cmd), ", ")
		if len(args) == 0 {
			return usageErrorf(cmd, "name a shell: %s", shells)
		}
		return usageErrorf(cmd, "unknown shell %q (%s)", args[0], shells)
	}
}
