package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"iamcreds/model"
)

// `iamcreds create` and `iamcreds reset`: a new secret for scripts, with
// rotate's flags, exit codes and ways of saving a secret, and --deliver.

// issueKind is what the command asks IAM for.
type issueKind string

const (
	issueCreate issueKind = "create"
	issueReset  issueKind = "reset"
)

// issueFlags are create's and reset's command line.
type issueFlags struct {
	awsFlags
	kind               issueKind
	user, service, id  string
	secretFile, output string
	lifetime           lifetimeChoice
	readOnly           bool
	deliver            deliveryFlags
	mayDeliver         bool
}

func newCreateCmd(env cliEnv) *cobra.Command {
	return newIssueCmd(env, issueCreate, `iamcreds create — create a service-specific credential for a user, for scripts.

The secret goes where rotate's step 3 puts it: to --secret-file (mode 0600,
never over an existing file, checked before anything is created), or to stdout,
which must not be a terminal (CSV, or inside one JSON document with --output
json), or to a delivery target (--deliver TARGET, or config.toml's [[deliver]]
rule for the credential): checked before the create, written and read back
after it. A create whose secret reaches nobody — the file or the delivery
failed — is deleted again: the run says so and exits 4 (delivery) or 3. An API
key needs --expiry-days (never, or 1-36600 days): a new key never expires only
by choice. A user who already holds 2 for the service stops the run (exit 4).`,
		`  iamcreds create --user mateo --service git --secret-file mateo-git.csv
  iamcreds create --user ci-bot --service bedrock --expiry-days 30 --deliver 'secretsmanager:ci/bedrock?create'
  iamcreds create --user ci-bot --service git --deliver 'exec:gh secret set GIT_PASSWORD'`)
}

func newResetCmd(env cliEnv) *cobra.Command {
	return newIssueCmd(env, issueReset, `iamcreds reset — give a credential a new password or key, for scripts. The old
one stops working at once: whoever uses it needs the new one (rotate replaces a
credential without that break).

The credential is --id, or the user's only one of --service. The secret goes to
--secret-file, stdout (not a terminal), or a delivery target (--deliver, or
config.toml's [[deliver]] rule), as for create. A reset cannot be undone, so a
delivery needs somewhere to keep the secret if it fails: --secret-file or a
pipe. After a failed delivery the secret is written there, so it can be
delivered another way, and the run exits 4.`,
		`  iamcreds reset --user mateo --service git --secret-file mateo-git.csv
  iamcreds reset --user ci-bot --id ACCAEXAMPLE123EXAMPLE --deliver ssm:/ci/git --secret-file fallback.csv`)
}

func newIssueCmd(env cliEnv, kind issueKind, long, examples string) *cobra.Command {
	f := issueFlags{kind: kind}
	use := "create --user NAME --service NAME"
	short := "create a credential and save or deliver its secret, for scripts"
	if kind == issueReset {
		use = "reset --user NAME (--service NAME | --id ID)"
		short = "reset a credential's secret and save or deliver it, for scripts"
	}
	cmd := &cobra.Command{
		Use: use, Short: short, Long: long + "\n\nExit status:\n" + exitStatusHelp(), Example: examples,
		Args:    noArgs,
		PreRunE: func(cmd *cobra.Command, _ []string) error { return f.check(cmd, env) },
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runIssue(cmd.Context(), f, cmd, env)
		},
	}
	fs := cmd.Flags()
	f.bind(fs)
	_ = fs.MarkHidden("concurrency")
	checkedVar(fs, &f.user, "user", "", "name", func(s string) (string, error) { return s, model.ValidateUserName(s) },
		func(s string) string { return s }, "the IAM user (required)")
	checkedVar(fs, &f.service, "service", "", "string", parseService, func(s string) string { return s },
		"the service: an IAM name or git, keyspaces, bedrock, logs, metrics, claude, xray")
	if kind == issueReset {
		checkedVar(fs, &f.id, "id", "", "id", func(s string) (string, error) { return s, model.ValidateCredentialID(s) },
			func(s string) string { return s }, "reset the credential with this ID")
	} else {
		checkedVar(fs, &f.lifetime, "expiry-days", lifetimeChoice{}, "days", parseLifetime, formatLifetime,
			"an API key's lifetime, 1-36600 days or never (required for API keys)")
	}
	fs.StringVar(&f.secretFile, "secret-file", "", "write the secret to this new `file` (mode 0600; never replaces a file)")
	checkedVar(fs, &f.output, "output", rotateText, "format", parseRotateOutput, func(s string) string { return s },
		"stdout: text (the secret as CSV, unless --secret-file or delivered) or json (one document)")
	fs.BoolVar(&f.readOnly, "read-only", false, "refuse to run: "+string(kind)+" changes credentials (for scripts that pass it to every command)")
	f.deliver.bind(fs, "the run ends")
	return cmd
}

// check refuses, before anything is contacted, a command line that cannot run
// safely.
func (f *issueFlags) check(cmd *cobra.Command, env cliEnv) error {
	switch {
	case f.readOnly:
		return usageErrorf(cmd, "%s refuses every change, and %s changes credentials: nothing was done", settingSource(cmd, "read-only"), f.kind)
	case f.user == "":
		return usageErrorf(cmd, "--user is required: the IAM user whose credential to %s", f.kind)
	case f.kind == issueCreate && f.service == "":
		return usageErrorf(cmd, "--service is required: the service to create a credential for")
	case f.kind == issueReset && (f.service == "") == (f.id == ""):
		return usageErrorf(cmd, "name the credential to reset with --service or --id (one of them)")
	case f.kind == issueCreate && f.lifetime.set && !model.LookupService(f.service).SupportsExpiry():
		return usageErrorf(cmd, "--expiry-days: %ss do not expire", model.LookupService(f.service).Noun())
	case f.kind == issueCreate && !f.lifetime.set && model.LookupService(f.service).SupportsExpiry():
		return usageErrorf(cmd, "--expiry-days is required for %ss: a number of days, or never", model.LookupService(f.service).Noun())
	case f.deliver.given() && f.deliver.noDeliver:
		return usageErrorf(cmd, "--deliver and --no-deliver: give one")
	case f.kind == issueCreate && f.deliver.given() && f.secretFile != "":
		return usageErrorf(cmd, "--deliver and --secret-file: give one; a failed delivery deletes the new credential, so no file would be written")
	}
	f.mayDeliver = f.deliver.mayDeliver(cmd, f.user, f.secretFile)
	if f.kind == issueCreate && f.mayDeliver {
		return nil // checked again once the target is known
	}
	if f.secretFile == "" && env.isTerminal(cmd.OutOrStdout()) {
		if f.kind == issueReset && f.mayDeliver {
			return usageErrorf(cmd, "a reset cannot be undone: give --secret-file FILE or a pipe, where the secret is kept if the delivery fails")
		}
		return usageErrorf(cmd, "refusing to print a secret to a terminal: use --secret-file FILE or --deliver TARGET, or pipe the output to the program that stores it")
	}
	return nil
}

// verb is the past tense for messages.
func (k issueKind) past() string {
	if k == issueReset {
		return "reset"
	}
	return "created"
}

func (k issueKind) name() string { return fmt.Sprintf("iamcreds %s", string(k)) }
