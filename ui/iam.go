// Package ui is the Bubble Tea program of iamcreds: the root model, its screens
// and dialogs, the keymap and the styles. ("model" in this project means the data
// model in package model; the Bubble Tea models live here.) It never imports the
// AWS SDK: it talks to IAM through the IAM interface, which *awsclient.Client
// satisfies.
//
// The root (model.go: Update beside View) owns what every screen shows (shared:
// the account on screen with its credential cache, the writes in flight, the
// loads), runs the calls and handles their answers. An account (account.go) is
// never nil: one account is an organization of one (org*.go). A screen
// (screen.go; screen_main*.go, screen_fleet*.go, screen_org.go) draws the
// shared state, pulling by the cache's version, and handles its own keys; the
// keys all screens share are the root's. Dialogs (dialog.go) stack over the
// screen, each in its own dialog_*.go. Screens and dialogs ask the root for
// what they cannot do themselves with intents (intents.go). The small helpers
// at the ground floor (words.go, fit.go, styles.go, keys.go) call nothing else
// of the package.
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
	// InventoryWith loads every credential; the users come from o.Users, the
	// listing the same load runs for the users table.
	InventoryWith(ctx context.Context, o model.InventoryOptions) (model.Inventory, error)
	CreateCredential(ctx context.Context, user, service string, ageDays int) (model.Credential, model.Secret, error)
	SetStatus(ctx context.Context, user, id string, status model.Status) error
	Reset(ctx context.Context, user, id string) (model.Credential, model.Secret, error)
	Delete(ctx context.Context, user, id string) error
	// ConsoleUsersIAM reads and cleans up the users the console made (users.go).
	ConsoleUsersIAM
}
