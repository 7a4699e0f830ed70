package awsclient

import (
	"context"
	"sync"
	"sync/atomic"

	"iamcreds/model"
)

// Target is one account of a scan across accounts and the way to reach it;
// Org.Targets and ProfileTargets make them.
type Target struct {
	Account model.Account
	// open returns the account's client with working credentials, and the
	// account completed (a profile's account ID is learnt by signing in).
	open func(ctx context.Context) (*Client, model.Account, error)
	// skip, if set, is why the account is left out (AccountInventory.Skipped).
	skip string
}

// Targets are the accounts to read through the organization: every account
// given, those that are not ACTIVE left out with the reason.
func (o *Org) Targets(accounts []model.Account) []Target {
	out := make([]Target, len(accounts))
	for i, a := range accounts {
		out[i] = Target{Account: a, open: func(ctx context.Context) (*Client, model.Account, error) {
			c, err := o.Open(ctx, a)
			return c, a, err
		}}
		if !a.Active() {
			out[i].skip = "account is " + string(a.Status)
		}
	}
	return out
}

// ProfileTargets are the accounts of named profiles (--profiles, or Profiles()
// for --all-profiles): one client each, made from base with the profile set,
// whose account is learnt from STS GetCallerIdentity. A profile that cannot be
// loaded or signed in with is a failed account, not an error of the scan.
func ProfileTargets(base Config, profiles []string) []Target {
	out := make([]Target, len(profiles))
	for i, name := range profiles {
		acct := model.Account{Profile: name}
		out[i] = Target{Account: acct, open: func(ctx context.Context) (*Client, model.Account, error) {
			cfg := base
			cfg.Profile = name
			c, err := New(ctx, cfg)
			if err != nil {
				return nil, acct, inAccount(acct, err)
			}
			id, err := c.Identity(ctx)
			if err != nil {
				return nil, acct, inAccount(acct, err)
			}
			acct.ID = id.Account
			return c, acct, nil
		}}
	}
	return out
}

// ScanOptions tune ScanAccounts.
type ScanOptions struct {
	// Concurrency bounds the accounts read at once (default 8).
	Concurrency int
	// Progress reports accounts finished (read, failed or skipped) of all.
	Progress model.ProgressFunc
	// Done, if set, receives each account as it finishes, so that a view can
	// fill in while the scan goes on. Calls are never concurrent.
	Done func(AccountScan)
}

// AccountScan is one account's result and the client that read it.
type AccountScan struct {
	model.AccountInventory
	// Client acts on the account afterwards (toggle, reset, delete); nil when
	// the account could not be opened or was skipped.
	Client *Client
}

// ScanAccounts reads the inventory of every target, at most Concurrency
// accounts at once, and returns one result per target, in the targets' order.
// Done hears of each as it finishes; when two targets reach one account, the
// results give it to the first in order, though Done may have heard otherwise.
// An account that fails — the role cannot be assumed, IAM denies the listing,
// a profile has no credentials — is a result with the reason in Err; the other
// accounts go on. Two profiles of one account read it once: the second is
// Skipped. When ctx ends, the accounts not yet read fail with KindCanceled.
func ScanAccounts(ctx context.Context, targets []Target, opts ScanOptions) []AccountScan {
	if opts.Concurrency <= 0 {
		opts.Concurrency = DefaultAccountConcurrency
	}
	results := make([]AccountScan, len(targets))
	var (
		next    atomic.Int64
		mu      sync.Mutex // guards done, readBy and the callbacks
		done    int
		readBy  = map[string]model.Account{} // account ID → the target that reads it
		workers sync.WaitGroup
	)
	finish := func(i int, r AccountScan) {
		mu.Lock()
		defer mu.Unlock()
		results[i] = r
		done++
		if opts.Done != nil {
			opts.Done(r)
		}
		if opts.Progress != nil {
			opts.Progress(done, len(targets))
		}
	}
	// claim reports which earlier target reads the account, if one does.
	claim := func(a model.Account) (model.Account, bool) {
		mu.Lock()
		defer mu.Unlock()
		if first, taken := readBy[a.ID]; taken {
			return first, true
		}
		readBy[a.ID] = a
		return model.Account{}, false
	}
	for range min(opts.Concurrency, len(targets)) {
		workers.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(targets) {
					return
				}
				finish(i, scanOne(ctx, targets[i], claim))
			}
		})
	}
	workers.Wait()
	firstReads(results)
	return results
}

// firstReads gives an account read by several targets (two profiles of one
// account) to the first of them in the targets' order, whichever opened first,
// so that the same targets always give the same results.
func firstReads(results []AccountScan) {
	first := map[string]int{} // account ID → the first target that reached it
	for i := range results {
		r := &results[i]
		if r.Err != nil || r.Account.ID == "" {
			continue
		}
		j, seen := first[r.Account.ID]
		if !seen {
			first[r.Account.ID] = i
			continue
		}
		if f := &results[j]; !f.Read() && r.Read() {
			fa, ra := f.Account, r.Account
			*f, *r = *r, *f
			f.Account, r.Account = fa, ra
			r.Skipped = "same account as " + fa.Label()
		}
	}
}

// scanOne opens one account and reads its inventory.
func scanOne(ctx context.Context, t Target, claim func(model.Account) (model.Account, bool)) AccountScan {
	r := AccountScan{AccountInventory: model.AccountInventory{Account: t.Account}}
	if t.skip != "" {
		r.Skipped = t.skip
		return r
	}
	if err := ctx.Err(); err != nil {
		r.Err = inAccount(t.Account, &model.Error{Kind: model.KindCanceled, Message: "scan canceled", Err: err})
		return r
	}
	c, acct, err := t.open(ctx)
	r.Account = acct
	if err != nil {
		r.Err = err
		return r
	}
	if first, taken := claim(acct); taken {
		r.Skipped = "same account as " + first.Label()
		return r
	}
	inv, err := c.Inventory(ctx, nil)
	if err != nil {
		r.Err = inAccount(acct, err)
		return r
	}
	r.Inventory, r.Client = inv, c
	return r
}
