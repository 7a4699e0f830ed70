package cli

import (
	"context"
	"fmt"
	"strings"

	"iamcreds/model"
)

// Step 2 of rotate when the create's reply is lost or incomplete. Only a reply
// ties a credential to the create: when it named the new one but lacked its
// secret, the credential is this rotation's, of no use to anyone, and is taken
// back (deleted). A credential that merely appeared in the listing after a lost
// reply may be another client's: it is named and left alone.

// createFailed ends step 2.
func (r *rotateRun) createFailed(ctx context.Context, err error) error {
	r.rot.Failed(model.StepCreate, err)
	label := r.rot.Plan.Old.ServiceInfo().SecretLabel()
	switch {
	case r.rot.SecretLost:
		r.progress(model.StepCreate, "IAM created %s, but its reply lacked the %s", r.rot.New.ID, label)
		r.takeBack(ctx)
		if r.rot.NewDeleted {
			r.progress(model.StepCreate, "deleted %s again: nobody holds its %s", r.rot.New.ID, label)
			err = fmt.Errorf("IAM created %s, but its reply lacked the %s; rotate deleted it again", r.rot.New.ID, label)
		}
	case len(r.rot.Appeared) > 0:
		ids := make([]string, len(r.rot.Appeared))
		for i, c := range r.rot.Appeared {
			ids[i] = c.ID
		}
		r.progress(model.StepCreate, "the create's reply was lost; %s appeared for %s meanwhile: it may be this rotation's or someone else's, and is left alone",
			strings.Join(ids, " and "), r.rot.Plan.Old.UserName)
	}
	return r.end(model.RotationFailed, model.StepCreate, err)
}
