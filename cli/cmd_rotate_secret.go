package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"iamcreds/model"
)

// Step 3 of rotate: the new secret goes to the file reserved before the create,
// or to stdout; a secret that reached nobody takes its credential back.

// saveSecret is step 3: the reserved file, written and synced; or stdout, as
// CSV or inside the JSON document (then the document is final: no step follows).
func (r *rotateRun) saveSecret() error {
	label := r.rot.New.ServiceInfo().SecretLabel()
	if r.secret.Empty() {
		return fmt.Errorf("IAM returned no %s for %s", label, r.rot.New.ID)
	}
	switch {
	case r.secretFile != nil:
		file := r.secretFile
		r.secretFile = nil // written or removed: not to be released
		if err := writeSecretFile(file, r.secret); err != nil {
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

// reserveSecretFile creates path empty and owner-only before anything exists in
// IAM: a secret that could not be written must not be created. O_EXCL never
// replaces a file, nor follows a symbolic link.
func reserveSecretFile(path string) (*os.File, error) {
	file, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("%s exists: rotate never replaces a file; name a new one", path)
	}
	if err != nil {
		return nil, err
	}
	if err := file.Chmod(0o600); err != nil { // the umask may have taken bits; never adds any
		file.Close()
		os.Remove(path)
		return nil, err
	}
	return file, nil
}

// writeSecretFile writes the secret record into the reserved file and syncs it.
func writeSecretFile(file *os.File, s model.Secret) error {
	w := bufio.NewWriter(file)
	err := model.WriteSecretCSV(w, s)
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = file.Sync()
	}
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(file.Name()) // half a secret is no secret
	}
	return err
}

// releaseSecretFile removes the reserved file when no secret was written to it.
func (r *rotateRun) releaseSecretFile() {
	if r.secretFile != nil {
		r.secretFile.Close()
		os.Remove(r.secretFile.Name())
		r.secretFile = nil
	}
}
