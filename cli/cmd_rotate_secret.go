package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"time"

	"iamcreds/internal/safefile"
	"iamcreds/model"
)

// Step 3 of rotate: the new secret goes to --secret-file, written whole by
// safefile once the secret is in hand (the file was only checked before the
// create), or to stdout; a secret that reached nobody takes its credential back.

// checkSecretFile refuses, before anything exists in IAM, a --secret-file that
// exists or whose directory takes no new file: a secret that could not be
// written must not be created. Nothing is left there: a run stopped before its
// secret arrives leaves no empty file to block the next.
func checkSecretFile(path string) error {
	err := safefile.CheckCreate(path)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s exists: rotate never replaces a file; name a new one", path)
	}
	return err
}

// saveSecret is step 3: a new file, mode 0600, written whole; or stdout, as
// CSV or inside the JSON document (then the document is final: no step follows).
func (r *rotateRun) saveSecret() error {
	label := r.rot.New.ServiceInfo().SecretLabel()
	if r.secret.Empty() {
		return fmt.Errorf("IAM returned no %s for %s", label, r.rot.New.ID)
	}
	switch {
	case r.f.secretFile != "":
		secret := r.secret
		err := safefile.Create(r.f.secretFile, func(w io.Writer) error { return model.WriteSecretCSV(w, secret) })
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s appeared after rotate checked it: not replaced", r.f.secretFile)
		}
		if err != nil {
			return fmt.Errorf("writing %s: %w", r.f.secretFile, err)
		}
		r.progress(model.StepHandOver, "%s written to %s (mode 0600)", label, r.f.secretFile)
	case r.f.output == rotateJSON:
		r.rot.SecretSaved = true // as far as rotate can tell, once the document is out
		if err := r.report(model.RotationDone, 0, "", r.secret); err != nil {
			r.rot.SecretSaved = false
			return fmt.Errorf("writing the %s to stdout: %w", label, err)
		}
		r.progress(model.StepHandOver, "%s written to stdout in the JSON document", label)
	default:
		w := bufio.NewWriter(r.stdout)
		err := model.WriteSecretCSV(w, r.secret)
		if err == nil {
			err = w.Flush()
		}
		if err != nil {
			return fmt.Errorf("writing the %s to stdout: %w", label, err)
		}
		r.progress(model.StepHandOver, "%s written to stdout", label)
	}
	r.rot.SecretSaved = true
	r.secret = model.Secret{}
	return nil
}

// takeBack deletes a new credential whose secret reached nobody: without it the
// credential is of no use, and it would take the user's second slot. It runs
// even when the person pressed ctrl+c. It needs no re-read: IAM's reply named
// the credential as this rotation's, and whatever its status it goes.
func (r *rotateRun) takeBack(ctx context.Context) {
	r.secret = model.Secret{}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := r.client.Delete(ctx, r.rot.New.UserName, r.rot.New.ID); err != nil {
		fmt.Fprintf(r.stderr, "iamcreds rotate: could not delete %s again: %s\n", r.rot.New.ID, model.SafeText(err.Error()))
		r.rot.NewDeleteUnknown = model.OutcomeOf(err) == model.OutcomeUnknown
		return
	}
	r.rot.NewDeleted = true
}
