package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"iamcreds/awsclient"
	"iamcreds/internal/deliver"
	"iamcreds/model"
)

// Delivery on the command line: --deliver TARGET on rotate, create and reset,
// or the settings file's [[deliver]] rule about the credential. The order
// that loses no secret: the target is checked before IAM is asked for
// anything; the new secret is delivered and read back before any step touches
// an old credential; a delivery that fails after a create deletes the new
// credential again (its secret reached nobody), and after a reset keeps the
// secret where the person asked (--secret-file, or stdout).

// deliveryFlags are --deliver and --no-deliver.
type deliveryFlags struct {
	target    model.Target // Kind "" when --deliver is not given
	noDeliver bool
}

func (d *deliveryFlags) bind(fs *pflag.FlagSet, verb string) {
	checkedVar(fs, &d.target, "deliver", model.Target{}, "target", model.ParseTarget, model.Target.String,
		"deliver the new secret to secretsmanager:NAME|ARN[?create&kms=KEY], ssm:/PATH[?form=secret|json&kms=KEY], "+
			"exec:COMMAND (the secret on its stdin) or file:PATH, and read it back, before "+verb+
			" (default: config.toml's [[deliver]] rule for the credential, if any)")
	fs.BoolVar(&d.noDeliver, "no-deliver", false, "ignore config.toml's [[deliver]] rules")
}

// given reports whether --deliver names a target.
func (d deliveryFlags) given() bool { return d.target.Kind != "" }

// mayDeliver reports, before the credential is known, whether the run may
// deliver: --deliver, or a rule about user (any service) in the settings file.
// A secret then need not go to stdout or a file.
func (d deliveryFlags) mayDeliver(cmd *cobra.Command, user string, secretFile string) bool {
	if d.given() {
		return true
	}
	if d.noDeliver || secretFile != "" {
		return false
	}
	rules, _, err := deliveryRules(cmd)
	if err != nil {
		return false
	}
	for _, r := range rules {
		if r.User == "*" || r.User == user {
			return true
		}
	}
	return false
}

// resolve picks the target for c: --deliver, else the first rule about c
// (unless --no-deliver, or --secret-file asks for a file instead). from says
// where it came from, for the plan: "--deliver" or the rule's file.
func (d deliveryFlags) resolve(cmd *cobra.Command, c model.Credential, secretFile string) (t model.Target, from string, ok bool, err error) {
	if d.given() {
		return d.target, "--deliver", true, nil
	}
	if d.noDeliver || secretFile != "" {
		return model.Target{}, "", false, nil
	}
	rules, path, err := deliveryRules(cmd)
	if err != nil {
		return model.Target{}, "", false, err
	}
	t, ok = model.MatchDelivery(rules, c)
	return t, "the [[deliver]] rule of " + path, ok, nil
}

// delivery is one run's delivery: where to, and with what.
type delivery struct {
	target    model.Target
	from      string // "--deliver" or "the [[deliver]] rule of FILE"
	deliverer deliver.Deliverer
	client    *awsclient.Client
	stderr    io.Writer
	name      string // the command, for stderr: "iamcreds rotate"
}

func newDelivery(t model.Target, from string, client *awsclient.Client, stderr io.Writer, name string) *delivery {
	return &delivery{target: t, from: from, deliverer: deliver.Deliverer{Stores: client}, client: client, stderr: stderr, name: name}
}

// check checks the target before IAM is asked for anything: an error ends
// the run with nothing done. Stopped (exit 4) when the target is not there or
// cannot be used; failed (exit 3) when it could not be asked.
func (d *delivery) check(ctx context.Context) (model.RotationResult, error) {
	fmt.Fprintf(d.stderr, "%s: the new secret goes to %s (%s)\n", d.name, d.target, model.SafeText(d.from))
	err := d.deliverer.CheckTarget(ctx, d.target)
	if err == nil {
		fmt.Fprintf(d.stderr, "%s: %s checked: %s\n", d.name, d.target, checkedNote(d.target))
		return model.RotationDone, nil
	}
	err = fmt.Errorf("the delivery target %s: %w", d.target, err)
	switch model.KindOf(err) {
	case model.KindNotFound, model.KindInvalid, model.KindAccessDenied:
		return model.RotationStopped, err
	}
	return model.RotationFailed, err
}

// checkedNote says what the check proved, and what only the write will tell.
func checkedNote(t model.Target) string {
	switch t.Kind {
	case model.TargetSecretsManager:
		if t.CreateSecret {
			return "it exists or may be created (whether the put is allowed, only the put tells)"
		}
		return "it exists (whether the put is allowed, only the put tells)"
	case model.TargetSSM:
		return "readable or new (whether the put is allowed, only the put tells)"
	case model.TargetExec:
		return "the command is found"
	}
	return "a new file can be written there"
}

// deliverTimeout bounds a delivery's reads and writes after a stop signal
// canceled the run's context: a delivery under way is let finish.
const deliverTimeout = 2 * time.Minute

// run delivers s: an error unless it is delivered and verified (a command:
// exit status 0).
func (d *delivery) run(ctx context.Context, s model.Secret) (model.DeliveryResult, error) {
	res, err := d.deliverer.Deliver(ctx, d.target, s)
	if err == nil && !res.Delivered() {
		err = model.Errorf(model.KindOther, "%s: not verified", d.target)
	}
	return res, err
}

// withdraw undoes what a failed delivery may have left in a Secrets Manager
// secret whose credential is deleted again: AWSCURRENT back on the version
// before. Other targets are said as they stand.
func (d *delivery) withdraw(ctx context.Context, res model.DeliveryResult) {
	if res.Outcome == model.OutcomeNotDone {
		return
	}
	if d.target.Kind != model.TargetSecretsManager || res.Version == "" || d.client == nil {
		fmt.Fprintf(d.stderr, "%s: %s may hold the deleted credential's secret (%s): put the old one back there if its readers need it\n",
			d.name, d.target, res.Outcome)
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), deliverTimeout)
	defer cancel()
	said, err := d.client.WithdrawSecret(ctx, d.target, res.Version)
	if err != nil {
		fmt.Fprintf(d.stderr, "%s: %s still has the deleted credential's secret as AWSCURRENT (version %s): %s\n",
			d.name, d.target, model.SafeText(res.Version), model.SafeText(err.Error()))
		return
	}
	fmt.Fprintf(d.stderr, "%s: %s\n", d.name, model.SafeText(said))
}
