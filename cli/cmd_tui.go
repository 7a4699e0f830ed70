package cli

import (
	"context"
	"time"

	"iamcreds/model"

	"github.com/spf13/cobra"
)

// The terminal UI's command: iamcreds without a command (tui.go runs it).

// tuiFlags are the terminal UI's: the AWS ones and its own.
type tuiFlags struct {
	awsFlags
	accounts               accountsFlags
	demo, readOnly         bool
	readOnlyFrom           string // the settings file read-only came from, if it did
	clipboardClear, maxAge time.Duration
	deliveryRules          []model.DeliveryRule // the settings file's [[deliver]] rules
}

// tuiAbout opens `iamcreds --help` and the man page.
const tuiAbout = `iamcreds — manage AWS IAM service-specific credentials (CodeCommit Git credentials,
Amazon Keyspaces, and API keys: Bedrock, CloudWatch Logs and Metrics, Claude Platform,
X-Ray) in your terminal.

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
  iamcreds rotate --user mateo --service git --secret-file mateo-git.csv
  iamcreds create --user ci-bot --service git --deliver 'secretsmanager:ci/git?create'
  iamcreds reset --user ci-bot --service git --deliver ssm:/ci/git --secret-file fallback.csv
  iamcreds cleanup-users --orphaned
  iamcreds whois < leaked.txt
  iamcreds scan --git --format sarif > iamcreds.sarif
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
			rules, _, err := deliveryRules(cmd)
			if err != nil {
				return usageError(cmd, err)
			}
			o.deliveryRules = rules
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
