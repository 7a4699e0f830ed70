package awsclient

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"iamcreds/model"
)

// AccessKeyAccount asks STS GetAccessKeyInfo which account an access key ID
// belongs to. "This operation does not indicate the state of the access key.
// The key might be active, inactive, or deleted" [Docs STS API reference]; any
// credentials may ask, about any account's key.
func (c *Client) AccessKeyAccount(ctx context.Context, accessKeyID string) (string, error) {
	out, err := c.sts.GetAccessKeyInfo(ctx, &sts.GetAccessKeyInfoInput{AccessKeyId: aws.String(accessKeyID)},
		(&call{policy: retryAll}).sts)
	if err != nil {
		return "", c.mapError(err, target{op: "GetAccessKeyInfo"})
	}
	acct := aws.ToString(out.Account)
	if acct == "" {
		return "", c.replyError(target{op: "GetAccessKeyInfo"}, "has no account")
	}
	return acct, nil
}

// LookupKey finds the credential a decoded long-term key belongs to in this
// client's account: ListServiceSpecificCredentials for the decoded user and
// service (a user that does not exist lists nothing), or, when the alias
// names no user, every credential of the service (AllUsers). Other kinds are
// no service-specific credential: an empty match.
func (c *Client) LookupKey(ctx context.Context, account string, d model.DecodedKey) (model.KeyMatch, error) {
	if d.Kind != model.KeyBedrockLong && d.Kind != model.KeyClaudePlatform {
		return model.KeyMatch{Key: d, Account: account}, nil
	}
	var creds []model.Credential
	users := d.AliasUsers()
	for _, u := range users {
		pages, err := c.listCreds(ctx, &iam.ListServiceSpecificCredentialsInput{UserName: aws.String(u), ServiceName: aws.String(d.Service)},
			target{op: "ListServiceSpecificCredentials", user: u, service: d.Service})
		if err != nil && model.KindOf(err) != model.KindNotFound {
			return model.KeyMatch{Key: d, Account: account}, err
		}
		creds = append(creds, joinPages(pages)...)
	}
	if len(users) == 0 {
		all, err := c.ListAllCredentials(ctx, d.Service, nil)
		if err != nil {
			return model.KeyMatch{Key: d, Account: account}, err
		}
		creds = all
	}
	return model.MatchKey(d, account, creds), nil
}

// SelfTarget is the client's own account as a Target of LookupKeys: its ID
// learnt from STS GetCallerIdentity.
func (c *Client) SelfTarget() Target {
	return Target{open: func(ctx context.Context) (*Client, model.Account, error) {
		id, err := c.Identity(ctx)
		if err != nil {
			return nil, model.Account{}, err
		}
		return c, model.Account{ID: id.Account}, nil
	}}
}

// keyLookupConcurrency bounds the keys LookupKeys looks up at once.
const keyLookupConcurrency = 4

// KeyLookup is one key's match and the client of the account it was found in,
// to act on it (deactivate, delete); Client is nil when nothing was found.
type KeyLookup struct {
	Match  model.KeyMatch
	Client *Client
	// Searched are the accounts the key was looked for in, in order.
	Searched []string
	// Signer is the IAM user holding the long-term access key (AKIA) the key
	// is, or that signed a short-term key, when its account is among the
	// targets; SignerErr is why it could not be told (never the lookup's
	// failure: the account is the answer, the user a help).
	Signer    *AccessKeyOwner
	SignerErr error
}

// LookupKeys looks each key up once (keys with the same fingerprint share one
// result) and returns one result per key, in the keys' order.
//
//   - An access key ID, or the key that signed a short-term key: its account
//     from STS GetAccessKeyInfo, asked with base's credentials.
//   - A long-term key: in the account its alias names, if among the targets;
//     when the alias names none, in every target until found. A key whose
//     account is not among the targets is not found there, with no error.
//
// The targets are opened (role assumed, profile signed in) only when a
// long-term key needs them, at most concurrency at once. A target that fails
// to open is the error of each key it might have held.
func LookupKeys(ctx context.Context, base *Client, targets []Target, keys []model.DecodedKey, concurrency int) []KeyLookup {
	out := make([]KeyLookup, len(keys))
	first := map[string]int{} // fingerprint → the first key's index
	var distinct []int
	for i, k := range keys {
		if _, seen := first[k.Fingerprint()]; seen {
			continue
		}
		first[k.Fingerprint()] = i
		distinct = append(distinct, i)
	}
	var opened []openedTarget
	var openOnce sync.Once
	open := func() []openedTarget {
		openOnce.Do(func() { opened = openTargets(ctx, targets, concurrency) })
		return opened
	}
	// Distinct keys are looked up side by side (scan may bring many), a few
	// at a time: each is one listing or one STS call per account.
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(keyLookupConcurrency, len(distinct)) {
		wg.Go(func() {
			for {
				n := int(next.Add(1) - 1)
				if n >= len(distinct) {
					return
				}
				i := distinct[n]
				out[i] = lookupOne(ctx, base, open, keys[i])
			}
		})
	}
	wg.Wait()
	for i, k := range keys {
		if j := first[k.Fingerprint()]; j != i {
			out[i] = out[j] // the same key: the same decoding, filled in
		}
	}
	return out
}

// openedTarget is a target after opening: its account and client, or the error.
type openedTarget struct {
	account model.Account
	client  *Client
	err     error
}

func openTargets(ctx context.Context, targets []Target, concurrency int) []openedTarget {
	out := make([]openedTarget, len(targets))
	slots := make(chan struct{}, max(1, concurrency))
	var wg sync.WaitGroup
	for i, t := range targets {
		if t.skip != "" {
			out[i] = openedTarget{account: t.Account, err: errors.New(t.skip)}
			continue
		}
		wg.Go(func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			c, acct, err := t.open(ctx)
			out[i] = openedTarget{account: acct, client: c, err: err}
		})
	}
	wg.Wait()
	return out
}

func lookupOne(ctx context.Context, base *Client, open func() []openedTarget, d model.DecodedKey) KeyLookup {
	r := KeyLookup{Match: model.KeyMatch{Key: d, Account: d.Account}}
	switch d.Kind {
	case model.KeyAccessKeyID, model.KeyBedrockShort, model.KeyClaudePlatformShort:
		acct, err := base.AccessKeyAccount(ctx, d.AccessKeyID)
		if err != nil {
			r.Match.Err = err
			return r
		}
		r.Match.Key.Account, r.Match.Account = acct, acct
		if !d.Temporary() {
			var searched bool
			r.Signer, searched, r.SignerErr = findSigner(ctx, open(), acct, d.AccessKeyID)
			if searched {
				r.Searched = []string{acct}
			}
		}
		return r
	}
	var errs []error
	for _, t := range open() {
		if d.Account != "" && t.account.ID != "" && t.account.ID != d.Account {
			continue
		}
		if t.err != nil {
			errs = append(errs, t.err)
			continue
		}
		if d.Account != "" && t.account.ID != d.Account {
			continue
		}
		m, err := t.client.LookupKey(ctx, t.account.ID, d)
		r.Searched = append(r.Searched, t.account.ID)
		if err != nil {
			errs = append(errs, inAccount(t.account, err))
			continue
		}
		if m.Found || m.ByUserOnly {
			r.Match = m
			if m.Found {
				r.Client = t.client
			}
			return r
		}
		if d.Account != "" {
			r.Match = m // the one account it can be in
			return r
		}
	}
	r.Match.Err = errors.Join(errs...)
	return r
}

// findSigner finds the user holding access key id in account, if the account
// is among the opened targets.
func findSigner(ctx context.Context, opened []openedTarget, account, id string) (owner *AccessKeyOwner, searched bool, err error) {
	for _, t := range opened {
		if t.account.ID != account || t.client == nil {
			continue
		}
		o, ok, err := t.client.FindAccessKey(ctx, id)
		if !ok {
			return nil, true, err
		}
		return &o, true, nil
	}
	return nil, false, nil
}
