package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// cliEnv is what the commands take from their surroundings, so tests can fix it.
type cliEnv struct {
	stdout, stderr io.Writer
	now            func() time.Time
	isTerminal     func(w io.Writer) bool
	// width is how many columns a table written to w may take; 0 (or a nil
	// func) is no limit.
	width func(w io.Writer) int
}

func defaultEnv(stdout, stderr io.Writer) cliEnv {
	return cliEnv{stdout: stdout, stderr: stderr, now: time.Now, isTerminal: writerIsTerminal, width: terminalWidth}
}

func writerIsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

// terminalWidth is the width of the terminal w is, else $COLUMNS when w is a
// terminal whose size cannot be read; 0 (no limit) when w is no terminal, so
// a pipe or a file gets every column.
func terminalWidth(w io.Writer) int {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) {
		return 0
	}
	if cols, _, err := term.GetSize(f.Fd()); err == nil && cols > 0 {
		return cols
	}
	if cols, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && cols > 0 {
		return cols
	}
	return 0
}

// tableWidth is env's width for w, 0 when env has none.
func (env cliEnv) tableWidth(w io.Writer) int {
	if env.width == nil {
		return 0
	}
	return env.width(w)
}

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
		newLocalIAMCmd(),
		newManCmd(),
		newClipboardClearCmd(),
	)
	finishTree(root)
	return root
}

// tuiFlags are the terminal UI's: the AWS ones and its own.
type tuiFlags struct {
	awsFlags
	accounts               accountsFlags
	demo, readOnly         bool
	readOnlyFrom           string // the settings file read-only came from, if it did
	clipboardClear, maxAge time.Duration
}

// tuiAbout opens `iamcreds --help` and the man page.
const tuiAbout = `iamcreds — manage AWS IAM service-specific credentials (CodeCommit Git credentials,
Amazon Keyspaces, Bedrock and CloudWatch Logs API keys) in your terminal.

Without a command it runs the terminal UI against AWS (or, with --demo, against a
built-in demo account). With --org (or --profiles a,b,c, --all-profiles) it opens
the organization view: every credential of every account, acted on through each
account's own client; enter opens one account's users.`

// newTUICmd is the root command: `iamcreds` runs the terminal UI, through tui.
func newTUICmd(tui func(context.Context, tuiFlags) error) *cobra.Command {
	var o tuiFlags
	cmd := &cobra.Command{
		Use:   "iamcreds",
		Short: "manage AWS IAM service-specific credentials in your terminal",
		Long:  tuiAbout + "\n\n" + settingsHelp() + "\nExit status, the same for every command:\n" + exitStatusHelp(),
		Example: `  iamcreds --profile prod
  iamcreds --demo
  iamcreds --read-only --profile audit
  iamcreds --org --read-only
  iamcreds --demo --org
  iamcreds audit --profile prod --format csv > audit.csv
  iamcreds rotate --user alice --service git --secret-file alice-git.csv
  iamcreds local-iam --seed demo --addr 127.0.0.1:4599
  iamcreds --endpoint-url http://127.0.0.1:4599
  source <(iamcreds completion bash)
  iamcreds man | man -l -`,
		Version:       versionString(),
		Args:          noArgs,
		SilenceErrors: true, // report() says it, in one line
		SilenceUsage:  true,
		PreRunE:       func(cmd *cobra.Command, _ []string) error { return o.accounts.check(cmd, o.profile, o.demo) },
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.readOnlyFrom = settingFile(cmd, "read-only")
			if err := tui(cmd.Context(), o); err != nil {
				return failed(err)
			}
			return nil
		},
	}
	cmd.SetVersionTemplate("{{.Version}}\n")
	fs := cmd.Flags()
	o.bind(fs)
	fs.BoolVar(&o.demo, "demo", false, "run against a built-in local IAM endpoint with a demo account (no AWS needed)")
	fs.BoolVar(&o.readOnly, "read-only", false, "refuse every change: no create, toggle, reset or delete")
	durationVar(fs, &o.clipboardClear, "clipboard-clear", 30*time.Second, "clear a copied secret from the clipboard after this long if it is still there (0 = never)")
	maxAgeVar(fs, &o.maxAge, "in the fleet view (a), flag Active credentials older than this: days (90d) or a duration (720h)")
	o.accounts.bind(fs)
	fs.Bool("version", false, "print the version and exit") // read by cobra, through Version
	return cmd
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

// asUsageError makes err, from cobra's argument checks, a usage error of cmd.
func asUsageError(cmd *cobra.Command, err error) error {
	var e *exitError
	if errors.As(err, &e) {
		return err
	}
	return usageError(cmd, err)
}

// noArgs refuses positional arguments; where subcommands exist, the argument is
// an unknown command, with the nearest name if one is close.
func noArgs(cmd *cobra.Command, args []string) error {
	switch {
	case len(args) == 0:
		return nil
	case !cmd.HasAvailableSubCommands():
		return usageErrorf(cmd, "unexpected argument %q", args[0])
	}
	if near := cmd.SuggestionsFor(args[0]); len(near) > 0 {
		return usageErrorf(cmd, "unknown command %q (did you mean %s?)", args[0], near[0])
	}
	return usageErrorf(cmd, "unknown command %q", args[0])
}

// flagError says what pflag refused in a person's words: the flag, the value,
// and what is wrong with it; and "-profile" (Go's flag package took one dash)
// is told it needs two.
func flagError(cmd *cobra.Command, err error) error {
	var unknown *pflag.NotExistError
	if errors.As(err, &unknown) {
		long, _, _ := strings.Cut(unknown.GetSpecifiedShortnames(), "=")
		if len(long) > 1 && cmd.Flags().Lookup(long) != nil {
			return fmt.Errorf("unknown flag -%s: long flags take two dashes, --%s", long, long)
		}
		return err
	}
	var bad *pflag.InvalidValueError
	if !errors.As(err, &bad) {
		return err
	}
	cause := bad.Unwrap()
	var num *strconv.NumError
	if errors.As(cause, &num) {
		cause = errors.New("not a number")
		if bad.GetFlag().Value.Type() == "bool" {
			cause = errors.New("not true or false")
		}
	}
	return fmt.Errorf("--%s %q: %w", bad.GetFlag().Name, bad.GetValue(), cause)
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
