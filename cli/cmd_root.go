package cli

import (
	"context"
	"strings"

	"github.com/spf13/cobra"
)

// execute runs one command line and returns the process's exit code.
func execute(ctx context.Context, args []string, env cliEnv) int {
	root := newRootCmd(env)
	root.SetArgs(append([]string{}, args...)) // never nil: cobra would read os.Args
	cmd, err := root.ExecuteContextC(ctx)
	return report(env.stderr, cmd, err)
}

// newRootCmd is the whole command tree. A new subcommand is one cmd_*.go file
// with a newXxxCmd function, added to the list here.
func newRootCmd(env cliEnv) *cobra.Command {
	root := newTUICmd(func(ctx context.Context, o tuiFlags) error { return runTUI(ctx, o, env.stderr) })
	// Before finishTree: cobra's completion commands keep the writer they find.
	root.SetOut(env.stdout)
	root.SetErr(env.stderr)
	root.AddCommand(
		newAuditCmd(env),
		newRotateCmd(env),
		newCreateCmd(env),
		newResetCmd(env),
		newCleanupUsersCmd(env),
		newWhoisCmd(env),
		newScanCmd(env),
		newLocalIAMCmd(),
		newManCmd(),
		newClipboardClearCmd(),
	)
	finishTree(root)
	return root
}

// finishTree adds cobra's help and completion commands and gives every command
// the same usage errors, --help, flag completion and settings file.
func finishTree(root *cobra.Command) {
	root.SuggestionsMinimumDistance = 2 // "adit" finds audit
	// Every command with --config reads the settings file before it runs.
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error { return applySettings(cmd) }
	root.SetHelpCommand(newHelpCmd())
	root.InitDefaultHelpCmd()
	fixCompletionCmd(root)
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return usageError(cmd, flagError(cmd, err))
	})
	var walk func(*cobra.Command)
	walk = func(cmd *cobra.Command) {
		cmd.InitDefaultHelpFlag()
		if args := cmd.Args; args != nil {
			cmd.Args = func(cmd *cobra.Command, a []string) error {
				if err := args(cmd, a); err != nil {
					return asUsageError(cmd, err)
				}
				return nil
			}
		}
		registerCompletions(cmd)
		for _, sub := range cmd.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// newHelpCmd is `iamcreds help [command]`; cobra's prints the root's whole usage
// and exits 0 for a command that does not exist.
func newHelpCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "help about any command",
		Args:  cobra.ArbitraryArgs,
		ValidArgsFunction: func(cmd *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var names []cobra.Completion
			for _, c := range cmd.Root().Commands() {
				if c.IsAvailableCommand() {
					names = append(names, cobra.CompletionWithDesc(c.Name(), c.Short))
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			target, rest, err := cmd.Root().Find(args)
			if err != nil || len(rest) > 0 {
				return usageErrorf(cmd.Root(), "no help for %q: not a command", strings.Join(args, " "))
			}
			return target.Help()
		},
	}
}
