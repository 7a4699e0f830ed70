package cli

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"iamcreds/model"
)

// rotateFlags are rotate's command line.
type rotateFlags struct {
	awsFlags
	user, service, id   string
	deactivateOld       bool
	deleteOld           bool
	deleteInactiveOther bool
	secretFile          string
	output              string // text or json
	lifetime            lifetimeChoice
	readOnly            bool
	deliver             deliveryFlags
	mayDeliver          bool // --deliver, or a [[deliver]] rule about the user
}

// lifetimeChoice is --expiry-days: unset (the old key's lifetime), a number of
// days, or never.
type lifetimeChoice struct {
	set  bool
	days int // 0: never
}

func parseLifetime(s string) (lifetimeChoice, error) {
	if strings.EqualFold(s, "never") {
		return lifetimeChoice{set: true}, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || model.ValidateAgeDays(n) != nil || n == 0 {
		return lifetimeChoice{}, fmt.Errorf("not a number of days from %d to %d, or never", model.MinAgeDays, model.MaxAgeDays)
	}
	return lifetimeChoice{set: true, days: n}, nil
}

func formatLifetime(l lifetimeChoice) string {
	switch {
	case !l.set:
		return ""
	case l.days == 0:
		return "never"
	}
	return strconv.Itoa(l.days)
}

// Output formats of rotate.
const (
	rotateText = "text"
	rotateJSON = "json"
)

func parseRotateOutput(s string) (string, error) {
	switch f := strings.ToLower(s); f {
	case rotateText, rotateJSON:
		return f, nil
	}
	return "", errors.New("not text or json")
}

// newRotateCmd is `iamcreds rotate`: the rotation plan of issue 11, for scripts.
func newRotateCmd(env cliEnv) *cobra.Command {
	var f rotateFlags
	cmd := &cobra.Command{
		Use:   "rotate --user NAME (--service NAME | --id ID)",
		Short: "replace a credential with a new one beside it, for scripts",
		Long: `iamcreds rotate — replace a user's service-specific credential without breaking
whoever uses it, by the plan the terminal UI's rotation (R) follows:

  1. If the user already holds 2 for the service, delete the other one first,
     only if it is Inactive or Expired and only with --delete-inactive-other.
     An Active other stops the rotation: it is probably a rotation in progress.
  2. Create the new one. An API key gets the lifetime the old one was created
     with, or --expiry-days; a key that never expired needs --expiry-days.
  3. Save the new secret: to --secret-file (mode 0600, never over an existing
     file, checked before anything is created and written whole once the
     secret is in hand), or to stdout, which must not be a terminal: the
     user, service, ID, user name or alias, secret and expiry as CSV
     (--output text) or inside one JSON document (--output json).
     Or deliver it (--deliver TARGET, or config.toml's [[deliver]] rule
     for the credential): the target is checked before step 1, and the
     secret is written there and read back; if that fails, the new
     credential is deleted again and rotate stops (exit 4).
  4. --deactivate-old: make the old one Inactive (default: leave it Active).
  5. --delete-old: delete the old one (default: keep it).

The old credential is changed only once the new secret is safe in a file rotate
wrote and synced, or delivered and read back, so --deactivate-old and
--delete-old need --secret-file or a delivery. Steps
1, 4 and 5 list the credentials again first and stop when they changed since the
plan. A create whose reply is lost never takes a credential that appeared for its
own: it may be someone else's. Steps are reported on stderr, each done, not done
or unknown; when rotate stops, it names what exists now and what to do next, and
exits 4 (a rule, or a change since the plan, stopped it) or 3 (IAM or the output
failed, or a step's outcome is unknown).

Exit status:
` + exitStatusHelp(),
		Example: `  iamcreds rotate --user mateo --service git --secret-file mateo-git.csv
  iamcreds rotate --user sofia --service git --secret-file new.csv --deactivate-old --delete-inactive-other
  iamcreds rotate --user ci-bot --service bedrock --output json | vault-store
  iamcreds rotate --user ci-bot --id ACCAEXAMPLE123EXAMPLE --expiry-days 30 --secret-file key.csv --delete-old
  iamcreds rotate --user ci-bot --service git --deliver secretsmanager:ci/git --deactivate-old`,
		Args:    noArgs,
		PreRunE: func(cmd *cobra.Command, _ []string) error { return f.check(cmd, env) },
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runRotate(cmd.Context(), f, cmd, env)
		},
	}
	fs := cmd.Flags()
	f.bind(fs)
	_ = fs.MarkHidden("concurrency") // rotate lists one user: nothing to run in parallel
	checkedVar(fs, &f.user, "user", "", "name", func(s string) (string, error) { return s, model.ValidateUserName(s) },
		func(s string) string { return s }, "the IAM user whose credential to rotate (required)")
	checkedVar(fs, &f.service, "service", "", "string", parseService, func(s string) string { return s },
		"rotate the user's credential of this service (the only one, or the only Active one of two): "+
			"an IAM name or git, keyspaces, bedrock, logs, metrics, claude, xray")
	checkedVar(fs, &f.id, "id", "", "id", func(s string) (string, error) { return s, model.ValidateCredentialID(s) },
		func(s string) string { return s }, "rotate the credential with this ID")
	fs.BoolVar(&f.deleteInactiveOther, "delete-inactive-other", false,
		"step 1: when the user already holds 2, delete the other one first if it is Inactive or Expired (never an Active one)")
	checkedVar(fs, &f.lifetime, "expiry-days", lifetimeChoice{}, "days", parseLifetime, formatLifetime,
		"step 2: the new API key's lifetime, 1-36600 days or never (default: the old key's)")
	fs.StringVar(&f.secretFile, "secret-file", "", "step 3: write the new secret to this new `file` (mode 0600; never replaces a file)")
	checkedVar(fs, &f.output, "output", rotateText, "format", parseRotateOutput, func(s string) string { return s },
		"stdout: text (the secret as CSV, unless --secret-file) or json (one document)")
	fs.BoolVar(&f.deactivateOld, "deactivate-old", false, "step 4: make the old credential Inactive (needs --secret-file)")
	fs.BoolVar(&f.deleteOld, "delete-old", false, "step 5: delete the old credential (needs --secret-file)")
	fs.BoolVar(&f.readOnly, "read-only", false, "refuse to run: rotate changes credentials (for scripts that pass it to every command)")
	f.deliver.bind(fs, "step 4")
	return cmd
}

// check refuses, before anything is contacted or created, a command line that
// cannot run safely.
func (f *rotateFlags) check(cmd *cobra.Command, env cliEnv) error {
	switch {
	case f.readOnly:
		return usageErrorf(cmd, "%s refuses every change, and rotate creates and changes credentials: nothing was done", settingSource(cmd, "read-only"))
	case f.user == "":
		return usageErrorf(cmd, "--user is required: the IAM user whose credential to rotate")
	case (f.service == "") == (f.id == ""):
		return usageErrorf(cmd, "name the credential to rotate with --service or --id (one of them)")
	case f.lifetime.set && f.service != "" && !model.LookupService(f.service).SupportsExpiry():
		return usageErrorf(cmd, "--expiry-days: %s do not expire", model.LookupService(f.service).Noun()+"s")
	case f.deliver.given() && f.secretFile != "":
		return usageErrorf(cmd, "--deliver and --secret-file: give one; a failed delivery deletes the new credential, so no file would be written")
	case f.deliver.given() && f.deliver.noDeliver:
		return usageErrorf(cmd, "--deliver and --no-deliver: give one")
	}
	f.mayDeliver = f.deliver.mayDeliver(cmd, f.user, f.secretFile)
	switch {
	case f.mayDeliver: // checked again once the credential and its target are known
	case f.secretFile == "" && (f.deactivateOld || f.deleteOld):
		return usageErrorf(cmd, "--deactivate-old and --delete-old need --secret-file or --deliver: the old credential is changed only once the new secret is saved in a file or delivered (a pipe's reader may still fail after rotate wrote to it)")
	case f.secretFile == "" && env.isTerminal(cmd.OutOrStdout()):
		return usageErrorf(cmd, "refusing to print a secret to a terminal: use --secret-file FILE, or pipe the output to the program that stores it")
	}
	return nil
}
