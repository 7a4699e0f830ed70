package ui

import (
	"context"
	"os"
	"time"

	"iamcreds/model"
	"iamcreds/ui/clipboard"
)

// Options configure the UI.
type Options struct {
	Client IAM
	// Where the client talks to, as it resolved it, for the header: the
	// profile, the region, and the endpoint when not AWS itself.
	Profile, Region, Endpoint string
	Demo                      bool // DEMO badge
	ReadOnly                  bool // READ-ONLY badge; n/t/r/d/R disabled (the client refuses too)
	// ReadOnlyFrom is the settings file ReadOnly came from; "" for the command line.
	ReadOnlyFrom string
	// Now is the clock; nil means time.Now (tests inject a fixed one).
	Now func() time.Time
	// ClipboardClear clears the clipboard after this long if it still holds the
	// secret we put there; 0 turns it off.
	ClipboardClear time.Duration
	// MaxAge flags Active credentials older than this in the fleet view; 0 means 90 days.
	MaxAge time.Duration
	// SettleDelay is how long the users cursor rests on a user before the
	// user's credentials are listed; 0 means 150 ms. Tests make it tiny.
	SettleDelay time.Duration
	// WorkDir is where the secret modal's w proposes to write a secret (unless
	// it is in a git work tree: secretDir) and x an export; "" means the
	// working directory.
	WorkDir string
	// HomeDir is where w proposes a secret instead when WorkDir is in a git
	// work tree; "" means os.UserHomeDir.
	HomeDir string
	// Clipboard copies secrets; nil means clipboard.New(clipboard.Options{}).
	Clipboard *clipboard.Clipboard
	// Profiles lists the profile names P offers; SwitchProfile builds a client
	// for one and checks who it is. Either nil turns P off.
	Profiles      func() ([]string, error)
	SwitchProfile func(ctx context.Context, name string) (IAM, model.Identity, error)
	// Accounts, when set, opens the organization view: every account it reads
	// (iamcreds --org, --profiles), each acted on through its own client.
	// Client is then only the caller's and may be nil.
	Accounts Accounts
	// Deliver delivers a new secret to a target (the secret modal's D, a
	// rotation's step 3); nil turns delivery off. DeliveryRules are
	// config.toml's [[deliver]] rules: the targets D offers for a credential,
	// and the one R delivers to at step 3.
	Deliver       Deliverer
	DeliveryRules []model.DeliveryRule
	// DeliverFor builds the Deliverer for the account a profile switch (P)
	// opens: Deliver's stores are the first profile's. nil turns delivery off
	// after a switch rather than deliver to another account than the one on
	// screen.
	DeliverFor func(IAM) Deliverer
}

// withDefaults fills in what was left zero.
func (o Options) withDefaults() Options {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.MaxAge <= 0 {
		o.MaxAge = model.DefaultMaxAge
	}
	if o.SettleDelay <= 0 {
		o.SettleDelay = defaultSettleDelay
	}
	if o.WorkDir == "" {
		o.WorkDir, _ = os.Getwd() // "" if unknown: the name alone, relative
	}
	if o.Clipboard == nil {
		o.Clipboard = clipboard.New(clipboard.Options{})
	}
	return o
}
