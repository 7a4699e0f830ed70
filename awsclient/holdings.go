package awsclient

// What a user holds besides service-specific credentials: read only for the
// users a rule selects (model.ConsoleMade), so that an audit of 20,000 users
// with 200 console-made ones makes 1,000 more calls, not 100,000.

import (
	"context"
	"errors"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"iamcreds/model"
)

// Holdings reads what each of users holds — access keys, console password,
// attached and inline policies, groups — in users' order (HoldingsReader
// with every user at once).
func (c *Client) Holdings(ctx context.Context, users []string) ([]model.Holdings, error) {
	r := c.StartHoldings(ctx)
	r.Add(users...)
	return r.Wait()
}

// HoldingsReader reads what users hold as they are named, while the caller
// goes on — listing the rest of the users, page by page. Its requests share
// the client's adaptive limit for per-user requests (perUserLimit: up to
// Config.Concurrency in flight, fewer while IAM throttles) with a per-user
// credential listing running meanwhile; a user's five listings go out
// together. A user deleted meanwhile is Gone, not an error; any other failure
// cancels the rest, and Wait returns it.
type HoldingsReader struct {
	c       *Client
	ctx     context.Context
	cancel  context.CancelFunc
	gate    func(*iam.Options)
	release func()
	workers int // at most this many users read at once
	wg      sync.WaitGroup

	mu      sync.Mutex
	more    *sync.Cond // signalled when a user is added, or no more will be
	users   []string
	out     []model.Holdings
	next    int // users[next] is the next to read
	started int // workers started
	closed  bool
	err     error
}

// StartHoldings returns a reader with no users yet. Its caller must call
// Wait, even after ctx ends: Wait gives back the shared limit.
func (c *Client) StartHoldings(ctx context.Context) *HoldingsReader {
	ctx, cancel := context.WithCancel(ctx)
	limit, release := c.perUserLimit()
	r := &HoldingsReader{c: c, ctx: ctx, cancel: cancel, gate: limit.gate, release: release,
		// Each worker has up to five calls in flight; the limit gates them.
		workers: max(1, c.cfg.Concurrency/2)}
	r.more = sync.NewCond(&r.mu)
	return r
}

// Add names more users to read, after those named before; a user named twice
// is read twice. It returns at once. After a failure it does nothing, and
// after Wait it must not be called (it does nothing either).
func (r *HoldingsReader) Add(users ...string) {
	if len(users) == 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed || r.err != nil {
		return
	}
	r.users = append(r.users, users...)
	r.out = append(r.out, make([]model.Holdings, len(users))...)
	// One worker per user waiting, up to the ceiling.
	for r.started < r.workers && r.started < len(r.users)-r.next {
		r.started++
		r.wg.Go(r.work)
	}
	r.more.Broadcast()
}

// Wait says no more users will come, waits for those named, and returns what
// each holds, in the order named, or the first failure.
func (r *HoldingsReader) Wait() ([]model.Holdings, error) {
	r.mu.Lock()
	r.closed = true
	r.more.Broadcast()
	r.mu.Unlock()
	r.wg.Wait()
	r.cancel()
	r.release()
	if r.err != nil {
		return nil, r.err
	}
	return r.out, nil
}

// work reads users one after another until none is left and none will come.
func (r *HoldingsReader) work() {
	for {
		r.mu.Lock()
		for r.next == len(r.users) && !r.closed && r.err == nil {
			r.more.Wait()
		}
		if r.next == len(r.users) || r.err != nil {
			r.mu.Unlock()
			return
		}
		i := r.next
		r.next++
		name := r.users[i]
		r.mu.Unlock()

		h, err := r.c.holdings(r.ctx, name, r.gate)

		r.mu.Lock()
		if err != nil {
			if r.err == nil {
				r.err = err
				r.cancel() // the others' requests end; they see r.err and stop
				r.more.Broadcast()
			}
			r.mu.Unlock()
			return
		}
		r.out[i] = h
		r.mu.Unlock()
	}
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
