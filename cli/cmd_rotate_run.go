package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"iamcreds/awsclient"
	"iamcreds/model"
)

// rotateRun is one run of rotate: the rotation so far and where its secret goes.
type rotateRun struct {
	f              rotateFlags
	env            cliEnv
	stdout, stderr io.Writer
	client         stoppableClient // writes marked in flight for the stop signals
	rot            model.Rotation
	secret         model.Secret          // the new secret, until it is saved
	reported       bool                  // the JSON document is on stdout
	delivery       *delivery             // step 3 delivers, when not nil
	delivered      *model.DeliveryResult // its result, once tried
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
	if err := r.planDelivery(ctx, cmd, client); err != nil {
		return err
	}
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

	if r.delivery != nil {
		if err := r.deliverStep(ctx); err != nil {
			return err
		}
	} else if err := r.saveSecret(); err != nil {
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
		Result: result, Step: step, Message: msg, Secret: secret, SecretFile: r.f.secretFile, Delivery: r.delivered,
	})
	if err == nil {
		err = w.Flush()
	}
	return err
}
