package cli

import (
	"context"
	"errors"
	"fmt"

	"iamcreds/model"
)

// Step 2 of rotate when the create's reply is lost: IAM may have created the
// new credential, and its secret, which IAM gives only once, never arrived.

// createFailed ends step 2. When the create's reply was lost after IAM
// created the credential, its secret never arrived: the credential is of no
// use to anyone and takes the user's second slot, so it is taken back
// (deleted), or named to be reset or deleted when that fails too. When
// nobody can tell whether IAM created one, the person is told to check.
func (r *rotateRun) createFailed(ctx context.Context, err error) error {
	var me *model.Error
	errors.As(err, &me)
	switch model.KindOf(err) {
	case model.KindSecretLost:
		r.rot.New, r.rot.SecretLost = orphan(me), true
		r.progress(model.StepCreate, "IAM created %s, but its reply was lost: its %s never arrived", me.ID, r.rot.New.ServiceInfo().SecretLabel())
		r.takeBack(ctx)
		if r.rot.NewDeleted {
			r.progress(model.StepCreate, "deleted %s again: nobody holds its %s", me.ID, r.rot.New.ServiceInfo().SecretLabel())
			err = fmt.Errorf("IAM created %s, but its reply was lost; rotate deleted it again", me.ID)
		}
	case model.KindUnconfirmed:
		r.rot.CreateUnknown = true
	}
	return r.end(model.RotationFailed, model.StepCreate, err)
}

// orphan is the credential a lost create reply left, as the listing after it
// showed it.
func orphan(e *model.Error) model.Credential {
	for _, c := range e.Listed {
		if c.ID == e.ID {
			return c
		}
	}
	return model.Credential{ID: e.ID, UserName: e.User, Service: e.Service, Status: model.Active}
}
