package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"iamcreds/awsclient"
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
  4. --deactivate-old: make the old one Inactive (default: leave it Active).
  5. --delete-old: delete the old one (default: keep it).

The old credential is changed only once the new secret is safe in a file rotate
wrote and synced, so --deactivate-old and --delete-old need --secret-file. Steps
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
  iamcreds rotate --user ci-bot --id ACCAEXAMPLE123EXAMPLE --expiry-days 30 --secret-file key.csv --delete-old`,
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
	case f.secretFile == "" && (f.deactivateOld || f.deleteOld):
		return usageErrorf(cmd, "--deactivate-old and --delete-old need --secret-file: the old credential is changed only once the new secret is saved in a file (a pipe's reader may still fail after rotate wrote to it)")
	case f.secretFile == "" && env.isTerminal(cmd.OutOrStdout()):
		return usageErrorf(cmd, "refusing to print a secret to a terminal: use --secret-file FILE, or pipe the output to the program that stores it")
	}
	return nil
}

// rotateRun is one run of rotate: the rotation so far and where its secret goes.
type rotateRun struct {
	f              rotateFlags
	env            cliEnv
	stdout, stderr io.Writer
	client         stoppableClient // writes marked in flight for the stop signals
	rot            model.Rotation
	secret         model.Secret // the new secret, until it is saved
	reported       bool         // the JSON document is on stdout
}

// runRotate runs the plan step by step; every way out reports the state.
func runRotate(ctx context.Context, f rotateFlags, cmd *cobra.Command, env cliEnv) error {
	r := &rotateRun{f: f, env: env, stdout: cmd.OutOrStdout(), stderr: cmd.ErrOrStderr()}
	if f.secretFile != "" {
		if err := checkSecretFile(f.secretFile); err != nil {
			return usageError(cmd, fmt.Errorf("--secret-file: %w", err))
		}
	}
	// A reader that leaves the pipe must give a write error, not kill the process
	// between the create and the rollback.
	pipe := make(chan os.Signal, 1)
	signal.Notify(pipe, syscall.SIGPIPE)
	defer signal.Stop(pipe)
	ctx, stop, unwatch := watchStop(ctx, r.stderr, stopGrace(f.timeout))
	defer unwatch()

	debugLog, err := f.openDebugLog()
	if err != nil {
		return failed(err)
	}
	defer debugLog.Close()
	cfg := f.config()
	cfg.ProcessStderr = r.stderr // a credential_process's prompt, as the AWS CLI shows it
	client, err := awsclient.New(ctx, cfg)
	if err != nil {
		return r.end(model.RotationFailed, 0, err)
	}
	r.client = stoppableClient{Client: client, stop: stop}
	held, err := r.client.ListCredentials(ctx, f.user)
	if err != nil {
		return r.end(model.RotationFailed, 0, err)
	}
	plan, err := r.plan(held)
	if err != nil {
		var usage *exitError
		if errors.As(err, &usage) {
			return usageError(cmd, usage.err)
		}
		step := model.RotationStep(0) // before any step: nothing to rotate
		if model.KindOf(err) == model.KindLimit {
			step = model.StepDeleteOther // no room, and the other may not go
		}
		return r.end(model.RotationStopped, step, err)
	}
	r.rot = plan.Start()
	return r.steps(ctx, plan)
}

// plan picks the credential, plans its rotation and settles the new lifetime.
// An --expiry-days the credential cannot take is an *exitError (usage).
func (r *rotateRun) plan(held []model.Credential) (model.RotationPlan, error) {
	now := r.env.now()
	var old model.Credential
	if r.f.id != "" {
		i := indexOfID(held, r.f.id)
		if i < 0 {
			return model.RotationPlan{}, model.Errorf(model.KindNotFound, "%s has no credential %s", r.f.user, r.f.id)
		}
		old = held[i]
	} else {
		var err error
		if old, err = model.PickRotationTarget(r.f.user, r.f.service, held, now); err != nil {
			return model.RotationPlan{}, err
		}
	}
	plan, err := model.PlanRotation(old, held, now)
	if err != nil {
		return plan, err
	}
	if r.f.lifetime.set {
		if plan, err = plan.WithLifetime(r.f.lifetime.days); err != nil {
			return plan, &exitError{code: exitUsage, err: fmt.Errorf("--expiry-days: %w", err)}
		}
	}
	return plan, nil
}

func indexOfID(cs []model.Credential, id string) int {
	for i, c := range cs {
		if c.ID == id {
			return i
		}
	}
	return -1
}

// steps runs steps 1 to 5 of plan. Each step that deletes or deactivates
// lists the user's credentials again first and stops, saying why, when they
// are no longer what the plan says (recheck).
func (r *rotateRun) steps(ctx context.Context, plan model.RotationPlan) error {
	user := plan.Old.UserName
	ageDays, err := plan.CreateAgeDays()
	if err != nil {
		return r.end(model.RotationStopped, model.StepCreate, fmt.Errorf("%w: pass --expiry-days", err))
	}
	if plan.DeleteOther {
		if !r.f.deleteInactiveOther {
			return r.end(model.RotationStopped, model.StepDeleteOther, fmt.Errorf(
				"%s already holds %d %ss; the other, %s, is %s: pass --delete-inactive-other to delete it first",
				user, model.MaxPerService, plan.Old.ServiceInfo().Noun(), plan.Other.ID, plan.OtherStatus))
		}
		if err := r.recheck(ctx, model.StepDeleteOther, plan.Other.ID); err != nil {
			return err
		}
		if err := r.client.Delete(ctx, user, plan.Other.ID); err != nil {
			return r.failed(model.StepDeleteOther, err)
		}
		r.rot.OtherDeleted = true
		r.progress(model.StepDeleteOther, "deleted the other %s, %s (%s)", plan.Old.ServiceInfo().Noun(), plan.Other.ID, plan.OtherStatus)
	}

	created, secret, err := r.client.CreateCredential(ctx, user, plan.Old.Service, ageDays)
	if err != nil {
		return r.createFailed(ctx, err)
	}
	r.rot.New, r.secret = created, secret
	r.progress(model.StepCreate, "created %s (%s%s)", created.ID, created.Status, r.expiresNote(created))

	if err := r.saveSecret(); err != nil {
		r.takeBack(ctx)
		return r.end(model.RotationFailed, model.StepHandOver, err)
	}

	switch {
	case !r.f.deactivateOld:
	case r.rot.OldStatus != model.Active:
		r.progress(model.StepDeactivateOld, "nothing to do: %s is %s", plan.Old.ID, r.rot.OldStatus)
	default:
		if err := r.recheck(ctx, model.StepDeactivateOld, plan.Old.ID); err != nil {
			return err
		}
		if err := r.client.SetStatus(ctx, user, plan.Old.ID, model.Inactive); err != nil {
			return r.failed(model.StepDeactivateOld, err)
		}
		r.rot.OldStatus = model.Inactive
		r.progress(model.StepDeactivateOld, "deactivated the old one, %s", plan.Old.ID)
	}
	if r.f.deleteOld {
		if err := r.recheck(ctx, model.StepDeleteOld, plan.Old.ID); err != nil {
			return err
		}
		if err := r.client.Delete(ctx, user, plan.Old.ID); err != nil {
			return r.failed(model.StepDeleteOld, err)
		}
		r.rot.OldDeleted = true
		r.progress(model.StepDeleteOld, "deleted the old one, %s", plan.Old.ID)
	}
	return r.end(model.RotationDone, 0, nil)
}

// recheck lists the user's credentials just before step, which deletes or
// deactivates id, and ends the run when the plan no longer holds: stopped
// (exit 4) when the credentials changed meanwhile, failed when they could not
// be listed. nil: the step may go on.
func (r *rotateRun) recheck(ctx context.Context, step model.RotationStep, id string) error {
	user := r.rot.Plan.Old.UserName
	held, err := r.client.ListCredentials(ctx, user)
	if err != nil {
		return r.end(model.RotationFailed, step, model.RecheckFailed(user, id, err))
	}
	if err := r.rot.Recheck(step, held, r.env.now()); err != nil {
		r.rot.Failed(step, err)
		return r.end(model.RotationStopped, step, fmt.Errorf("refused: %w", err))
	}
	return nil
}

// failed ends the run at step, whose write failed with err (done, not done or
// unknown, as err says).
func (r *rotateRun) failed(step model.RotationStep, err error) error {
	r.rot.Failed(step, err)
	return r.end(model.RotationFailed, step, err)
}

func (r *rotateRun) expiresNote(c model.Credential) string {
	if c.NeverExpires() {
		return ""
	}
	return ", expires " + model.FormatDate(c.Expires, r.env.now().Location())
}

// progress reports a step done on stderr.
func (r *rotateRun) progress(step model.RotationStep, format string, args ...any) {
	fmt.Fprintf(r.stderr, "iamcreds rotate: step %d: %s\n", int(step), model.SafeText(fmt.Sprintf(format, args...)))
}

// end reports how the run ended, on stderr (with the state and the next step)
// and, for --output json, in the document on stdout unless it is there already;
// it returns the exit code: 0 done, 4 stopped by a rule, 3 failed.
func (r *rotateRun) end(result model.RotationResult, step model.RotationStep, cause error) error {
	msg := ""
	if cause != nil {
		msg = cause.Error()
	}
	var head string
	switch result {
	case model.RotationDone:
		head = "done"
	case model.RotationStopped:
		at := "before step 1"
		if step != 0 {
			at = fmt.Sprintf("at step %d (%s)", int(step), step)
		}
		head = "stopped " + at + ": " + msg
	default:
		head = "failed: " + msg
		if step != 0 {
			head = fmt.Sprintf("failed at step %d (%s): %s", int(step), step, msg)
		}
	}
	lines := append([]string{"iamcreds rotate: " + head}, r.rot.State()...)
	lines = append(lines, "next: "+r.rot.Next())
	for i, line := range lines {
		if i > 0 {
			line = "  " + line
		}
		fmt.Fprintln(r.stderr, model.SafeText(line)) // IDs and messages may quote IAM
	}
	if r.f.output == rotateJSON && !r.reported {
		if err := r.report(result, step, msg, model.Secret{}); err != nil && result == model.RotationDone {
			result = model.RotationFailed
			fmt.Fprintf(r.stderr, "iamcreds rotate: writing the report: %s\n", model.SafeText(err.Error()))
		}
	}
	switch result {
	case model.RotationDone:
		return nil
	case model.RotationStopped:
		return exitSilently(exitStopped)
	}
	return exitSilently(exitFailed)
}

// report writes the JSON document to stdout, once.
func (r *rotateRun) report(result model.RotationResult, step model.RotationStep, msg string, secret model.Secret) error {
	r.reported = true
	w := bufio.NewWriter(r.stdout)
	err := model.WriteRotationJSON(w, model.RotationReport{
		Rotation: r.rot, User: r.f.user, Service: r.f.service,
		Result: result, Step: step, Message: msg, Secret: secret, SecretFile: r.f.secretFile,
	})
	if err == nil {
		err = w.Flush()
	}
	return err
}
