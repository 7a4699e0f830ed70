package awsclient

// What a user holds besides service-specific credentials: read only for the
// users a rule selects (model.ConsoleMade), so that an audit of 20,000 users
// with 200 console-made ones makes 1,000 more calls, not 100,000.

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"iamcreds/model"
)

// Holdings reads what each of users holds — access keys, console password,
// attached and inline policies, groups — in users' order. Its calls share one
// adaptive limit (aimd, up to Config.Concurrency in flight, fewer while IAM
// throttles), as the per-user credential listing does; a user's five listings
// go out together. A user deleted meanwhile is Gone, not an error; any other
// failure cancels the rest and is returned.
func (c *Client) Holdings(ctx context.Context, users []string) ([]model.Holdings, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	limit := newAIMD(InitialConcurrency, c.cfg.Concurrency)
	if c.dbg != nil {
		limit.changed = func(n int, cause string) {
			c.dbg.write(fmt.Sprintf("user holdings: %s, now %d in flight at most\n", cause, n))
		}
	}
	out := make([]model.Holdings, len(users))
	var (
		next     atomic.Int64
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
	)
	// Each worker has up to five calls in flight; the limit gates them.
	for range min(max(1, c.cfg.Concurrency/2), len(users)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(users) || ctx.Err() != nil {
					return
				}
				h, err := c.holdings(ctx, users[i], limit.gate)
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
						cancel()
					}
					mu.Unlock()
					return
				}
				out[i] = h
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	return out, nil
}

// UserHoldings reads what one user holds (Holdings for one).
func (c *Client) UserHoldings(ctx context.Context, user string) (model.Holdings, error) {
	return c.holdings(ctx, user)
}

// holdings runs one user's five reads at once; gate, if given, paces them.
func (c *Client) holdings(ctx context.Context, user string, gate ...func(*iam.Options)) (model.Holdings, error) {
	opts := append([]func(*iam.Options){read}, gate...)
	h := model.Holdings{User: user}
	var (
		wg   sync.WaitGroup
		errs [5]error
	)
	name := aws.String(user)
	wg.Go(func() {
		p := iam.NewListAccessKeysPaginator(c.iam, &iam.ListAccessKeysInput{UserName: name})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx, opts...)
			if err != nil {
				errs[0] = c.mapError(err, target{op: "ListAccessKeys", user: user})
				return
			}
			for _, k := range page.AccessKeyMetadata {
				h.AccessKeys = append(h.AccessKeys, model.AccessKey{
					ID: aws.ToString(k.AccessKeyId), Status: model.Status(k.Status), Created: aws.ToTime(k.CreateDate),
				})
			}
		}
	})
	wg.Go(func() {
		out, err := c.iam.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: name}, opts...)
		var none *types.NoSuchEntityException
		switch {
		case errors.As(err, &none):
			// No console password. (A user that does not exist says so too; the
			// listings beside this one tell the two apart.)
		case err != nil:
			errs[1] = c.mapError(err, target{op: "GetLoginProfile", user: user})
		case out.LoginProfile != nil:
			h.LoginProfile, h.LoginCreated = true, aws.ToTime(out.LoginProfile.CreateDate)
		}
	})
	wg.Go(func() {
		p := iam.NewListAttachedUserPoliciesPaginator(c.iam, &iam.ListAttachedUserPoliciesInput{UserName: name})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx, opts...)
			if err != nil {
				errs[2] = c.mapError(err, target{op: "ListAttachedUserPolicies", user: user})
				return
			}
			for _, a := range page.AttachedPolicies {
				h.Attached = append(h.Attached, model.AttachedPolicy{Name: aws.ToString(a.PolicyName), ARN: aws.ToString(a.PolicyArn)})
			}
		}
	})
	wg.Go(func() {
		p := iam.NewListUserPoliciesPaginator(c.iam, &iam.ListUserPoliciesInput{UserName: name})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx, opts...)
			if err != nil {
				errs[3] = c.mapError(err, target{op: "ListUserPolicies", user: user})
				return
			}
			h.Inline = append(h.Inline, page.PolicyNames...)
		}
	})
	wg.Go(func() {
		p := iam.NewListGroupsForUserPaginator(c.iam, &iam.ListGroupsForUserInput{UserName: name})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx, opts...)
			if err != nil {
				errs[4] = c.mapError(err, target{op: "ListGroupsForUser", user: user})
				return
			}
			for _, g := range page.Groups {
				h.Groups = append(h.Groups, aws.ToString(g.GroupName))
			}
		}
	})
	wg.Wait()
	gone := false
	for _, err := range errs {
		switch {
		case err == nil:
		case model.KindOf(err) == model.KindNotFound:
			gone = true
		default:
			return model.Holdings{}, err
		}
	}
	if gone {
		return model.Holdings{User: user, Gone: true}, nil
	}
	return h, nil
}
