package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"iamcreds/awsclient"
	"iamcreds/model"
)

// planDelivery settles where step 3 delivers, if anywhere (--deliver, or the
// settings file's rule about the credential), says so, and checks the target
// before step 1: a target that cannot take the secret stops the run with
// nothing done. A run that may deliver skipped the checks of a secret's other
// ways out (rotateFlags.check); with no target after all, they apply now.
func (r *rotateRun) planDelivery(ctx context.Context, cmd *cobra.Command, client *awsclient.Client) error {
	t, from, ok, err := r.f.deliver.resolve(cmd, r.rot.Plan.Old, r.f.secretFile)
	if err != nil {
		return usageError(cmd, err)
	}
	if !ok {
		switch {
		case !r.f.mayDeliver:
		case r.f.deactivateOld || r.f.deleteOld:
			return usageErrorf(cmd, "--deactivate-old and --delete-old need --secret-file or --deliver: no [[deliver]] rule is about %s's %s",
				r.f.user, r.rot.Plan.Old.ServiceInfo().Noun())
		case r.env.isTerminal(r.stdout):
			return usageErrorf(cmd, "refusing to print a secret to a terminal: use --secret-file FILE or --deliver TARGET, or pipe the output to the program that stores it")
		}
		return nil
	}
	r.delivery = newDelivery(t, from, client, r.stderr, "iamcreds rotate")
	if result, err := r.delivery.check(ctx); err != nil {
		return r.end(result, 0, err)
	}
	return nil
}

// deliverStep is step 3 with a target: deliver, read back, and only then go
// on. A delivery that fails takes the new credential back — its secret reached
// nobody — after putting a Secrets Manager secret's AWSCURRENT back where it
// was; the run stops (exit 4), the old credential untouched.
func (r *rotateRun) deliverStep(ctx context.Context) error {
	t := r.delivery.target
	label := r.rot.New.ServiceInfo().SecretLabel()
	what := "a delivery to " + t.String()
	res := model.DeliveryResult{Target: t, Outcome: model.OutcomeNotDone}
	err := r.client.stop.begin(ctx, what)
	if err == nil {
		res, err = r.delivery.run(ctx, r.secret)
		err = r.client.stop.end(ctx, what, r.rot.New.UserName, err)
	}
	r.delivered = &res
	if err != nil {
		r.delivery.withdraw(ctx, res)
		r.takeBack(ctx)
		if r.rot.NewDeleted {
			r.progress(model.StepHandOver, "deleted the new one, %s, again: its %s reached nobody", r.rot.New.ID, label)
		}
		result := model.RotationStopped
		if !r.rot.NewDeleted {
			result = model.RotationFailed
		}
		return r.end(result, model.StepHandOver, fmt.Errorf("delivery to %s failed (%s): %w", t, outcomeWord(res.Outcome), err))
	}
	r.rot.SecretSaved, r.rot.DeliveredTo = true, t.String()
	r.secret = model.Secret{}
	r.progress(model.StepHandOver, "%s delivered: %s", label, res.Detail)
	return nil
}

// outcomeWord is an outcome as a sentence says it.
func outcomeWord(o model.Outcome) string {
	switch o {
	case model.OutcomeDone:
		return "written, not verified"
	case model.OutcomeUnknown:
		return "outcome unknown"
	}
	return "not written"
}
