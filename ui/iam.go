// Package ui is the Bubble Tea program of iamcreds: the root model, its views and
// overlays, the keymap and the styles. ("model" in this project means the data
// model in package model; the Bubble Tea models live here.) It never imports the
// AWS SDK: it talks to IAM through the IAM interface, which *awsclient.Client
// satisfies.
package ui

import (
	"context"

	"iamcreds/model"
)

// IAM is what the UI needs from the IAM client.
type IAM interface {
	Identity(ctx context.Context) (model.Identity, error)
	ListUsers(ctx context.Context) ([]model.User, error)
	ListCredentials(ctx context.Context, user string) ([]model.Credential, error)
	Inventory(ctx context.Context, progress model.ProgressFunc) (model.Inventory, error)
	CreateCredential(ctx context.Context, user, service string, ageDays int) (model.Credential, model.Secret, error)
	SetStatus(ctx context.Context, user, id string, status model.Status) error
	Reset(ctx context.Context, user, id string) (model.Credential, model.Secret, error)
	Delete(ctx context.Context, user, id string) error
}
