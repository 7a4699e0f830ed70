package awsclient

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"iamcreds/model"
)

// AccessKeyOwner is the IAM user an access key belongs to, and the key as IAM lists it.
type AccessKeyOwner struct {
	User string
	Key  model.AccessKey
}

// FindAccessKey finds which IAM user of this account holds access key id: no
// API answers that directly, so every user's keys are listed (ListUsers, then
// ListAccessKeys per user under the adaptive limit), stopping at the first
// hit. Not found: the root user's key, a deleted one, or another account's.
func (c *Client) FindAccessKey(ctx context.Context, id string) (AccessKeyOwner, bool, error) {
	users, err := c.ListUsers(ctx)
	if err != nil {
		return AccessKeyOwner{}, false, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	limit := newAIMD(InitialConcurrency, c.cfg.Concurrency)
	var (
		next     atomic.Int64
		mu       sync.Mutex
		found    *AccessKeyOwner
		firstErr error
		wg       sync.WaitGroup
	)
	for range min(c.cfg.Concurrency, len(users)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(users) || ctx.Err() != nil {
					return
				}
				owner, ok, err := c.userAccessKey(ctx, users[i].Name, id, limit.gate)
				mu.Lock()
				switch {
				case err != nil && firstErr == nil && model.KindOf(err) != model.KindNotFound && ctx.Err() == nil:
					firstErr = err
					cancel()
				case ok && found == nil:
					found = &owner
					cancel()
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	switch {
	case found != nil:
		return *found, true, nil
	case firstErr != nil:
		return AccessKeyOwner{}, false, firstErr
	}
	return AccessKeyOwner{}, false, ctx.Err()
}

// userAccessKey looks for key id among user's access keys.
func (c *Client) userAccessKey(ctx context.Context, user, id string, gate func(*iam.Options)) (AccessKeyOwner, bool, error) {
	p := iam.NewListAccessKeysPaginator(c.iam, &iam.ListAccessKeysInput{UserName: aws.String(user)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx, read, gate)
		if err != nil {
			return AccessKeyOwner{}, false, c.mapError(err, target{op: "ListAccessKeys", user: user})
		}
		for _, k := range page.AccessKeyMetadata {
			if aws.ToString(k.AccessKeyId) == id {
				return AccessKeyOwner{User: user, Key: model.AccessKey{ID: id, Status: model.Status(k.Status), Created: aws.ToTime(k.CreateDate)}}, true, nil
			}
		}
	}
	return AccessKeyOwner{}, false, nil
}
