package cli

import (
	"context"
	"errors"

	"iamcreds/awsclient"
	"iamcreds/model"
)

// keyAccounts is where leaked keys are looked up (whois, scan): the caller's
// account, or the accounts of --org, --profiles or --all-profiles, with the
// client that asks STS GetAccessKeyInfo.
type keyAccounts struct {
	base        *awsclient.Client
	targets     []awsclient.Target
	concurrency int
	across      bool // several accounts: --org or profiles
}

// newKeyAccounts plans the lookup from a client configuration (the flags every
// IAM command shares, the settings file, --demo's endpoint) and the accounts
// flags. It calls AWS only for --org (ListAccounts); accounts are opened when a
// key needs them.
func newKeyAccounts(ctx context.Context, cfg awsclient.Config, f accountsFlags) (*keyAccounts, error) {
	if !f.on() {
		base, err := awsclient.New(ctx, cfg)
		if err != nil {
			return nil, err
		}
		return &keyAccounts{base: base, targets: []awsclient.Target{base.SelfTarget()}, concurrency: 1}, nil
	}
	src := &accountsSource{f: f, cfg: cfg}
	plan, err := src.plan(ctx)
	if err != nil {
		return nil, err
	}
	baseCfg := cfg
	if !f.org {
		// No profile is "the caller" across profiles: STS is asked as the first.
		names := f.profiles
		if f.allProfiles {
			names, _ = awsclient.Profiles()
		}
		if len(names) == 0 {
			return nil, errors.New("no profiles to look keys up with")
		}
		baseCfg.Profile = names[0]
	}
	base, err := awsclient.New(ctx, baseCfg)
	if err != nil {
		return nil, err
	}
	return &keyAccounts{base: base, targets: plan.targets, concurrency: f.concurrency, across: true}, nil
}

// lookupKeys looks each distinct key up once and returns one match per key,
// in the keys' order (scan reports every place a key was found). A key that
// could not be looked up has the reason in its Err.
func lookupKeys(ctx context.Context, accts *keyAccounts, keys []model.DecodedKey) []model.KeyMatch {
	found := accts.lookup(ctx, keys)
	out := make([]model.KeyMatch, len(found))
	for i, f := range found {
		out[i] = f.Match
	}
	return out
}

// lookup is lookupKeys with each found credential's account client, to act on it.
func (k *keyAccounts) lookup(ctx context.Context, keys []model.DecodedKey) []awsclient.KeyLookup {
	return awsclient.LookupKeys(ctx, k.base, k.targets, keys, k.concurrency)
}
