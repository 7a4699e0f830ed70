package ui

import (
	"context"

	"iamcreds/model"
)

// Deliverer is what the UI needs to deliver a secret (cli wires the
// implementation: Secrets Manager and Parameter Store through awsclient, exec
// and file targets locally).
type Deliverer interface {
	// CheckTarget says whether t can take a secret now (the secret exists or
	// may be created, the parameter can be written), without writing one.
	CheckTarget(ctx context.Context, t model.Target) error
	// Deliver writes s to t and reads it back; the result says done, not done
	// or unknown, and whether the read-back matched.
	Deliver(ctx context.Context, t model.Target, s model.Secret) (model.DeliveryResult, error)
}
