package cli

import (
	"context"
	"fmt"
	"io"

	"iamcreds/awsclient"

	"iamcreds/model"
)

// lookUpFindings looks each distinct key of findings up once (whois's
// lookupKeys: this account, or --org / --profiles) and sets its Match, or its
// LookupErr. The error returned says that some keys could not be looked up
// (exit 3 unless a live key was found); the report says which.
func lookUpFindings(ctx context.Context, f scanFlags, findings []scanFinding, stderr io.Writer) error {
	keys := distinctKeys(findings)
	fail := func(err error) error {
		for _, k := range keys {
			k.LookupErr = err
		}
		return fmt.Errorf("the keys could not be looked up (--offline only decodes): %w", err)
	}
	cfg, done, err := f.scanConfig(stderr)
	if err != nil {
		return fail(err)
	}
	defer done()
	accts, err := newKeyAccounts(ctx, cfg, f.accounts)
	if err != nil {
		return fail(err)
	}
	decoded := make([]model.DecodedKey, len(keys))
	for i, k := range keys {
		decoded[i] = k.Key
	}
	var failed int
	var first error
	for i, m := range lookupKeys(ctx, accts, decoded) {
		k := keys[i]
		if m.Err != nil {
			k.LookupErr = m.Err
			failed++
			first = cmpOr(first, m.Err)
			continue
		}
		k.Match = &m
		if m.Key.Account != "" && k.Key.Account == "" {
			k.Key.Account = m.Key.Account // an access key id's, from STS
		}
	}
	if failed > 0 {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("%d of %d keys could not be looked up (--offline only decodes): %w", failed, len(keys), first)
	}
	return nil
}

// scanConfig is the client configuration: the shared flags and settings,
// read-only (scan never changes anything: whois --deactivate does), and the
// demo's endpoint with --demo. done closes and stops them.
func (f *scanFlags) scanConfig(stderr io.Writer) (awsclient.Config, func(), error) {
	cfg, done, err := f.clientConfig(f.accounts.demoSeed(f.demo))
	cfg.ProcessStderr = stderr
	cfg.ReadOnly = true
	return cfg, done, err
}

func cmpOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
