package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"iamcreds/awsclient"
	"iamcreds/internal/safefile"
	"iamcreds/model"
)

// issueRun is one run of create or reset.
type issueRun struct {
	f              issueFlags
	env            cliEnv
	stdout, stderr io.Writer
	client         stoppableClient
	cred           model.Credential // reset: the credential; create: once created
	issued         bool             // IAM created or reset it
	secret         model.Secret     // until it is saved, delivered or dropped
	delivery       *delivery
	delivered      *model.DeliveryResult // the delivery's result, once tried
	saved          string                // where the secret went: "", a file's path, "stdout"
	deletedAgain   bool                  // create: the new credential was deleted again
	deleteUnknown  bool                  // that delete may or may not have happened
	reported       bool                  // the JSON document is on stdout
}

func runIssue(ctx context.Context, f issueFlags, cmd *cobra.Command, env cliEnv) error {
	r := &issueRun{f: f, env: env, stdout: cmd.OutOrStdout(), stderr: cmd.ErrOrStderr()}
	if f.secretFile != "" {
		if err := checkSecretFile(f.secretFile); err != nil {
			return usageError(cmd, fmt.Errorf("--secret-file: %w", err))
		}
	}
	pipe := make(chan os.Signal, 1) // a reader leaving the pipe is a write error, not death
	signal.Notify(pipe, syscall.SIGPIPE)
	defer signal.Stop(pipe)
	ctx, stop, unwatch := watchStop(ctx, r.stderr, stopGrace(f.timeout))
	defer unwatch()
	stop.name = f.kind.name()

	debugLog, err := f.openDebugLog()
	if err != nil {
		return failed(err)
	}
	defer debugLog.Close()
	cfg := f.config()
	cfg.ProcessStderr = r.stderr
	client, err := awsclient.New(ctx, cfg)
	if err != nil {
		return r.end(model.RotationFailed, err)
	}
	r.client = stoppableClient{Client: client, stop: stop}
	held, err := r.client.ListCredentials(ctx, f.user)
	if err != nil {
		return r.end(model.RotationFailed, err)
	}
	if err := r.pick(held); err != nil {
		return r.end(model.RotationStopped, err)
	}
	if err := r.planDelivery(ctx, cmd, client); err != nil {
		return err
	}
	if err := r.issue(ctx); err != nil {
		return err
	}
	return r.handOver(ctx)
}

// pick settles the credential: reset's, by --id or the user's only one of
// --service; create's user and service, with room for one more.
func (r *issueRun) pick(held []model.Credential) error {
	if r.f.kind == issueCreate {
		r.cred = model.Credential{UserName: r.f.user, Service: r.f.service}
		_, err := model.CheckCanCreate(r.f.user, r.f.service, held, 0)
		return err
	}
	var of []model.Credential
	for _, c := range held {
		if c.ID == r.f.id || r.f.id == "" && c.Service == r.f.service {
			of = append(of, c)
		}
	}
	switch {
	case len(of) == 1:
		r.cred = of[0]
		return nil
	case r.f.id != "":
		return model.Errorf(model.KindNotFound, "%s has no credential %s", r.f.user, r.f.id)
	case len(of) == 0:
		return model.Errorf(model.KindNotFound, "%s has no %s", r.f.user, model.LookupService(r.f.service).Noun())
	}
	return model.Errorf(model.KindInvalid, "%s has %d %ss (%s and %s): name one with --id",
		r.f.user, len(of), model.LookupService(r.f.service).Noun(), of[0].ID, of[1].ID)
}

// planDelivery settles and checks the target before IAM is asked (see rotate's).
func (r *issueRun) planDelivery(ctx context.Context, cmd *cobra.Command, client *awsclient.Client) error {
	t, from, ok, err := r.f.deliver.resolve(cmd, r.cred, r.f.secretFile)
	if err != nil {
		return usageError(cmd, err)
	}
	if !ok {
		if r.f.mayDeliver && r.f.secretFile == "" && r.env.isTerminal(r.stdout) {
			return usageErrorf(cmd, "refusing to print a secret to a terminal: no [[deliver]] rule is about %s's %s; use --secret-file FILE or --deliver TARGET",
				r.f.user, r.cred.ServiceInfo().Noun())
		}
		return nil
	}
	r.delivery = newDelivery(t, from, client, r.stderr, r.f.kind.name())
	if result, err := r.delivery.check(ctx); err != nil {
		return r.end(result, err)
	}
	return nil
}

// issue asks IAM for the new secret.
func (r *issueRun) issue(ctx context.Context) error {
	var (
		cred   model.Credential
		secret model.Secret
		err    error
	)
	if r.f.kind == issueCreate {
		cred, secret, err = r.client.CreateCredential(ctx, r.f.user, r.f.service, r.f.lifetime.days)
	} else {
		cred, secret, err = r.client.Reset(ctx, r.f.user, r.cred.ID)
	}
	if err != nil {
		if r.f.kind == issueCreate && model.KindOf(err) == model.KindSecretLost {
			var me *model.Error
			if errors.As(err, &me) && me.ID != "" {
				r.cred, r.issued = model.Credential{ID: me.ID, UserName: r.f.user, Service: r.f.service}, true
				r.takeBack(ctx)
			}
		}
		return r.end(model.RotationFailed, err)
	}
	r.cred, r.secret, r.issued = cred, secret, true
	r.progress("%s %s (%s)", r.f.kind.past(), cred.ID, cred.Status)
	if secret.Empty() {
		return r.end(model.RotationFailed, fmt.Errorf("IAM returned no %s for %s", cred.ServiceInfo().SecretLabel(), cred.ID))
	}
	return nil
}

// handOver delivers the secret or saves it; a failed delivery takes a new
// credential back, or keeps a reset's secret where the person asked.
func (r *issueRun) handOver(ctx context.Context) error {
	if r.delivery == nil {
		if err := r.save(model.RotationDone, nil); err != nil {
			if r.f.kind == issueCreate {
				r.takeBack(ctx)
			}
			return r.end(model.RotationFailed, err)
		}
		return r.end(model.RotationDone, nil)
	}
	what := "a delivery to " + r.delivery.target.String()
	res := model.DeliveryResult{Target: r.delivery.target, Outcome: model.OutcomeNotDone}
	err := r.client.stop.begin(ctx, what)
	if err == nil {
		res, err = r.delivery.run(ctx, r.secret)
		err = r.client.stop.end(ctx, what, r.f.user, err)
	}
	r.delivered = &res
	if err == nil {
		r.secret = model.Secret{}
		r.progress("%s delivered: %s", r.cred.ServiceInfo().SecretLabel(), res.Detail)
		return r.end(model.RotationDone, nil)
	}
	err = fmt.Errorf("delivery to %s failed (%s): %w", r.delivery.target, outcomeWord(res.Outcome), err)
	if r.f.kind == issueCreate {
		r.delivery.withdraw(ctx, res)
		r.takeBack(ctx)
		if !r.deletedAgain {
			return r.end(model.RotationFailed, err)
		}
		return r.end(model.RotationStopped, err)
	}
	if serr := r.save(model.RotationStopped, err); serr != nil { // the reset cannot be undone: keep its secret
		return r.end(model.RotationFailed, fmt.Errorf("%w; keeping the secret failed too: %w", err, serr))
	}
	return r.end(model.RotationStopped, err)
}

// save writes the secret to --secret-file or stdout (CSV, or the JSON
// document, which then says result and cause: the run ends with it).
func (r *issueRun) save(result model.RotationResult, cause error) error {
	label := r.cred.ServiceInfo().SecretLabel()
	secret := r.secret
	switch {
	case r.f.secretFile != "":
		err := safefile.Create(r.f.secretFile, func(w io.Writer) error { return model.WriteSecretCSV(w, secret) })
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s appeared after the check: not replaced", r.f.secretFile)
		}
		if err != nil {
			return fmt.Errorf("writing %s: %w", r.f.secretFile, err)
		}
		r.saved = r.f.secretFile
		r.progress("%s written to %s (mode 0600)", label, r.f.secretFile)
	case r.f.output == rotateJSON:
		r.saved = "stdout"
		msg := ""
		if cause != nil {
			msg = cause.Error()
		}
		if err := r.report(result, msg, secret); err != nil {
			r.saved = ""
			return fmt.Errorf("writing the %s to stdout: %w", label, err)
		}
		r.progress("%s written to stdout in the JSON document", label)
	default:
		w := bufio.NewWriter(r.stdout)
		err := model.WriteSecretCSV(w, secret)
		if err == nil {
			err = w.Flush()
		}
		if err != nil {
			return fmt.Errorf("writing the %s to stdout: %w", label, err)
		}
		r.saved = "stdout"
		r.progress("%s written to stdout", label)
	}
	r.secret = model.Secret{}
	return nil
}

// takeBack deletes a new credential whose secret reached nobody (see rotate's).
func (r *issueRun) takeBack(ctx context.Context) {
	r.secret = model.Secret{}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := r.client.Delete(ctx, r.cred.UserName, r.cred.ID); err != nil {
		fmt.Fprintf(r.stderr, "%s: could not delete %s again: %s\n", r.f.kind.name(), r.cred.ID, model.SafeText(err.Error()))
		r.deleteUnknown = model.OutcomeOf(err) == model.OutcomeUnknown
		return
	}
	r.deletedAgain = true
	r.progress("deleted %s again: its %s reached nobody", r.cred.ID, r.cred.ServiceInfo().SecretLabel())
}

func (r *issueRun) progress(format string, args ...any) {
	fmt.Fprintf(r.stderr, "%s: %s\n", r.f.kind.name(), model.SafeText(fmt.Sprintf(format, args...)))
}
