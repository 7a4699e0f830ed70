// Package deliver hands a new secret to where it is used: an AWS store
// (Secrets Manager, Parameter Store: awsclient), a command's standard input,
// or a new file. Its Deliverer is what the UI and the command line call; the
// target syntax is model.ParseTarget's.
package deliver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"iamcreds/internal/safefile"
	"iamcreds/model"
)

// Stores delivers to AWS targets: *awsclient.Client.
type Stores interface {
	CheckTarget(ctx context.Context, t model.Target) error
	Deliver(ctx context.Context, t model.Target, s model.Secret) (model.DeliveryResult, error)
}

// Deliverer delivers to every kind of target. The zero value delivers to
// commands and files and refuses AWS targets.
type Deliverer struct {
	// Stores reaches Secrets Manager and Parameter Store; nil refuses them.
	Stores Stores
	// Env is the environment an exec target's command starts with; nil: this
	// process's. Deliver adds the IAMCREDS_* names, never the secret.
	Env []string
}

// CheckTarget says whether t can take a secret, without writing one: the
// store's check (see awsclient.CheckTarget for what it can and cannot know),
// a command that parses and is found, a file that does not exist yet and whose
// directory takes one.
func (d Deliverer) CheckTarget(ctx context.Context, t model.Target) error {
	switch t.Kind {
	case model.TargetSecretsManager, model.TargetSSM:
		if d.Stores == nil {
			return model.Errorf(model.KindInvalid, "%s: no AWS client to deliver with", t)
		}
		return d.Stores.CheckTarget(ctx, t)
	case model.TargetExec:
		_, err := command(t)
		return err
	case model.TargetFile:
		return checkFile(t.Ref)
	}
	return model.Errorf(model.KindInvalid, "%q is not a delivery target", t.String())
}

// Deliver writes s to t. The result says whether t holds it (done, not done,
// unknown) and whether that was read back and compared by hash (Verified: AWS
// stores and files; a command cannot be read back, and its exit status 0 is
// the only proof: see model.DeliveryResult.Delivered).
func (d Deliverer) Deliver(ctx context.Context, t model.Target, s model.Secret) (model.DeliveryResult, error) {
	if s.Empty() {
		return model.DeliveryResult{Target: t, Outcome: model.OutcomeNotDone}, model.Errorf(model.KindInvalid, "nothing to deliver to %s: no secret", t)
	}
	switch t.Kind {
	case model.TargetSecretsManager, model.TargetSSM:
		if d.Stores == nil {
			return model.DeliveryResult{Target: t, Outcome: model.OutcomeNotDone}, model.Errorf(model.KindInvalid, "%s: no AWS client to deliver with", t)
		}
		return d.Stores.Deliver(ctx, t, s)
	case model.TargetExec:
		return d.runCommand(ctx, t, s)
	case model.TargetFile:
		return writeFile(t, s)
	}
	return model.DeliveryResult{Target: t, Outcome: model.OutcomeNotDone}, model.Errorf(model.KindInvalid, "%q is not a delivery target", t.String())
}

// checkFile refuses a path that exists or whose directory takes no new file.
func checkFile(path string) error {
	err := safefile.CheckCreate(path)
	if errors.Is(err, fs.ErrExist) {
		return model.Errorf(model.KindInvalid, "file:%s exists: a delivery never replaces a file; name a new one", model.SafeText(path))
	}
	if err != nil {
		return model.Errorf(model.KindInvalid, "file:%s: %s", model.SafeText(path), model.SafeText(err.Error()))
	}
	return nil
}

// writeFile writes the secret record to a new file (mode 0600, never over
// another) and reads it back.
func writeFile(t model.Target, s model.Secret) (model.DeliveryResult, error) {
	res := model.DeliveryResult{Target: t, Outcome: model.OutcomeNotDone}
	payload := model.DeliveryPayload(t, s)
	err := safefile.Create(t.Ref, func(w io.Writer) error {
		_, err := w.Write(payload)
		return err
	})
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return res, model.Errorf(model.KindInvalid, "file:%s appeared meanwhile: not replaced", model.SafeText(t.Ref))
		}
		return res, model.Errorf(model.KindOther, "writing %s: %s", model.SafeText(t.Ref), model.SafeText(err.Error()))
	}
	res.Outcome = model.OutcomeDone
	got, err := readBack(t.Ref)
	if err != nil {
		res.Detail = fmt.Sprintf("%s written but not read back", t)
		return res, model.Errorf(model.KindOther, "reading %s back: %s", model.SafeText(t.Ref), model.SafeText(err.Error()))
	}
	if res.Verified = model.SameDelivered(payload, got); !res.Verified {
		res.Detail = fmt.Sprintf("%s does not hold what was written", t)
		return res, model.Errorf(model.KindOther, "%s", res.Detail)
	}
	res.Detail = fmt.Sprintf("%s written (mode 0600), read back and verified", t)
	return res, nil
}

// readBack reads what a file target holds now, at most a little more than a
// record can be.
func readBack(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, 1<<20))
}
