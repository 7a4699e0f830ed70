package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"iamcreds/awsclient"
	"iamcreds/model"
)

// whoisFlags are whois' command line.
type whoisFlags struct {
	awsFlags
	accounts   accountsFlags
	demo       bool
	format     string // text or json
	deactivate bool
	delete     bool
	yes        bool
	readOnly   bool
}

const (
	whoisText = "text"
	whoisJSON = "json"
)

// newWhoisCmd is `iamcreds whois`: whose is this leaked key, and stop it.
func newWhoisCmd(env cliEnv) *cobra.Command {
	var f whoisFlags
	cmd := &cobra.Command{
		Use:   "whois",
		Short: "name the exact credential a leaked key belongs to, and stop it (keys on stdin, never as arguments)",
		Long: `iamcreds whois — a leaked key, and the exact credential it is.

Keys come on stdin, one a line, or from a hidden prompt when stdin is a
terminal (an empty line ends). Never as arguments: they would stay in the
shell's history and show in ps; a key-shaped argument is refused (exit 2).
A line with something around the key (export VAR=ABSK…) is fine.

For each key: its kind, what it says without asking AWS, then the credential
in the account (or across --org, --profiles): id, user, service, status,
created, expires — or "not found (deleted, or another account)". The key
itself is never printed; its fingerprint (kind, first characters, a short
hash) names it.

  ABSK…              long-term Bedrock API key: alias, user, account, which of
                     the user's two keys
  AEAA…              Claude Platform on AWS API key: the same
  bedrock-api-key-…  short-term Bedrock key: the access key that signed it,
                     region, signing time, lifetime (12 h at most). IAM cannot
                     revoke it: the deny policy that stops its issuer is
                     printed, not applied
  AKIA…, ASIA…       access key ID: its account, from STS GetAccessKeyInfo

--deactivate sets each matched credential Inactive (undo: the command is
printed); --delete deletes it, after reading it again (asks on a terminal;
scripts add --yes). --read-only, or read-only = true in the settings file,
refuses both. A match by user only (the alias AWS lists differs from the
key's) is deactivated but never deleted.

Needs iam:ListServiceSpecificCredentials and sts:GetAccessKeyInfo;
iam:UpdateServiceSpecificCredential for --deactivate,
iam:DeleteServiceSpecificCredential for --delete.

Exit status: 0 nothing live matched (or all of it was stopped), 1 a live
credential matched and still works, 2 usage, 3 AWS failed for some key.
` + exitStatusHelp(),
		Example: `  iamcreds whois < leaked.txt
  pbpaste | iamcreds whois --format json
  iamcreds whois --deactivate < leaked.txt
  iamcreds whois --org --delete --yes < leaked.txt
  iamcreds whois --demo < docs/demo/leaked-keys.txt`,
		Args:    whoisArgs,
		PreRunE: func(cmd *cobra.Command, _ []string) error { return f.check(cmd, env) },
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runWhois(cmd.Context(), f, cmd.OutOrStdout(), cmd.ErrOrStderr(), env)
		},
	}
	fs := cmd.Flags()
	f.bind(fs)
	// Lookups list one user each: the per-user fallback's concurrency is not
	// whois' concern (it stays for the settings file).
	_ = fs.MarkHidden("concurrency")
	fs.BoolVar(&f.demo, "demo", false, "against the built-in demo account, whose leaked keys are in docs/demo/leaked-keys.txt (no AWS needed)")
	checkedVar(fs, &f.format, "format", whoisText, "string", parseWhoisFormat, func(s string) string { return s }, "output format: text or json")
	fs.BoolVar(&f.deactivate, "deactivate", false, "set each matched credential Inactive (undoable: the undo command is printed)")
	fs.BoolVar(&f.delete, "delete", false, "delete each matched credential, after reading it again (asks on a terminal; scripts add --yes)")
	fs.BoolVar(&f.yes, "yes", false, "with --delete: do not ask")
	fs.BoolVar(&f.readOnly, "read-only", false, "refuse --deactivate and --delete (for scripts that pass it to every command)")
	f.accounts.bind(fs)
	// Before finishTree's completers: --format is audit's formats elsewhere.
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{whoisText, whoisJSON}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func parseWhoisFormat(s string) (string, error) {
	if s != whoisText && s != whoisJSON {
		return "", errors.New("text or json")
	}
	return s, nil
}

// whoisArgs refuses every argument, a key-shaped one with the reason.
func whoisArgs(cmd *cobra.Command, args []string) error {
	for _, a := range args {
		if model.LooksLikeKey(a) {
			return usageErrorf(cmd, "refused: a key as an argument stays in the shell's history and shows in ps; "+
				"pipe it on stdin (iamcreds whois < file) or run whois alone and paste it at the hidden prompt")
		}
	}
	if len(args) > 0 {
		return usageErrorf(cmd, "unexpected argument %q: keys come on stdin, one a line", args[0])
	}
	return nil
}

// check refuses what cannot run, before any key is read.
func (f *whoisFlags) check(cmd *cobra.Command, env cliEnv) error {
	var keyFlag string
	cmd.Flags().Visit(func(fl *pflag.Flag) {
		if fl.Value.Type() != "bool" && model.LooksLikeKey(fl.Value.String()) {
			keyFlag = fl.Name
		}
	})
	_, terminal := env.inputTerminal()
	switch {
	case keyFlag != "":
		return usageErrorf(cmd, "refused: --%s holds something key-shaped; keys come on stdin, never on the command line", keyFlag)
	case f.deactivate && f.delete:
		return usageErrorf(cmd, "--deactivate and --delete: choose one")
	case f.yes && !f.delete:
		return usageErrorf(cmd, "--yes goes with --delete")
	case f.readOnly && (f.deactivate || f.delete):
		flag := "--delete"
		if f.deactivate {
			flag = "--deactivate"
		}
		return usageErrorf(cmd, "%s refuses every change, and %s would change IAM: nothing was done", settingSource(cmd, "read-only"), flag)
	case f.delete && !f.yes && !terminal:
		return usageErrorf(cmd, "--delete with keys on stdin cannot ask: add --yes to delete without asking")
	}
	return f.accounts.check(cmd, f.profile, f.demo)
}

// whoisConfig is the client configuration: the shared flags and settings, the
// demo's endpoint with --demo, read-only unless a change was asked for.
func (f *whoisFlags) whoisConfig(stderr io.Writer) (awsclient.Config, func(), error) {
	cfg, done, err := f.clientConfig(f.accounts.demoSeed(f.demo))
	cfg.ProcessStderr = stderr
	cfg.ReadOnly = !f.deactivate && !f.delete
	return cfg, done, err
}

func runWhois(ctx context.Context, f whoisFlags, stdout, stderr io.Writer, env cliEnv) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	defer stop()
	keys, err := readWhoisKeys(env, stderr)
	if err != nil {
		return err
	}
	if len(keys) == 0 {
		return &exitError{code: exitUsage, err: errors.New("no key read: give keys on stdin, one a line")}
	}
	cfg, done, err := f.whoisConfig(stderr)
	if err != nil {
		return failed(err)
	}
	defer done()
	accts, err := newKeyAccounts(ctx, cfg, f.accounts)
	if err != nil {
		return failed(err)
	}
	found := accts.lookup(ctx, keys)
	reports := make([]whoisReport, len(found))
	for i, r := range found {
		reports[i] = newWhoisReport(r, env.now())
	}
	if f.deactivate || f.delete {
		act := whoisActor{f: f, env: env, stderr: stderr}
		for i := range reports {
			act.apply(ctx, &reports[i], found[i].Client)
		}
	}
	if err := writeWhois(stdout, f.format, reports); err != nil {
		return failed(fmt.Errorf("writing the report: %w", err))
	}
	return whoisExit(reports)
}

// whoisExit: 3 when AWS failed for a key (the answer has a hole), else 1 when
// a live credential matched and still works, else 0.
func whoisExit(reports []whoisReport) error {
	live := 0
	for _, r := range reports {
		if r.err != nil || r.Action != nil && r.Action.Outcome == model.OutcomeUnknown {
			return exitSilently(exitFailed)
		}
		if r.Live {
			live++
		}
	}
	if live > 0 {
		return exitSilently(exitFlagged)
	}
	return nil
}
