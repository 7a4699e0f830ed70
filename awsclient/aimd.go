package awsclient

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/smithy-go/middleware"
)

// InitialConcurrency is where the per-user fallback's concurrency starts; it
// then adapts, up to Config.Concurrency.
const InitialConcurrency = 8

// aimd is how many requests of the per-user fallback may be in flight. IAM
// throttles an account as a whole, at a rate nobody publishes and that other
// callers share, so no fixed number suits both an idle account and a busy
// one. Like TCP's congestion window, the limit starts at InitialConcurrency,
// grows while requests succeed — by one per success until the first
// Throttling (doubling each round trip), then by one per round trip — and
// halves on Throttling, once per round trip however many requests of that
// round were throttled. It stays within [1, max].
type aimd struct {
	mu        sync.Mutex
	limit     int
	max       int
	inFlight  int
	grown     int  // successes since the limit last grew, in congestion avoidance
	slowStart bool // no Throttling yet: one more per success
	sent      uint64
	// cutAt is the number of attempts sent when the limit was last cut: a
	// Throttling answer to one of them is the congestion already answered.
	cutAt uint64
	wake  chan struct{} // closed when a slot may have come free
	// changed, if set, hears every new limit with its cause ("throttled",
	// "grew"); it is called with the lock held, so it must not call back.
	changed func(limit int, cause string)
}

func newAIMD(start, ceiling int) *aimd {
	ceiling = max(1, ceiling)
	return &aimd{limit: min(max(1, start), ceiling), max: ceiling, slowStart: true, wake: make(chan struct{})}
}

// ticket is one attempt holding a slot.
type ticket uint64

// acquire waits for a slot.
func (a *aimd) acquire(ctx context.Context) (ticket, error) {
	for {
		a.mu.Lock()
		if a.inFlight < a.limit {
			a.inFlight++
			a.sent++
			t := ticket(a.sent)
			a.mu.Unlock()
			return t, nil
		}
		wake := a.wake
		a.mu.Unlock()
		select {
		case <-wake:
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
}

// attemptEnd is what an attempt tells the controller.
type attemptEnd int

const (
	attemptOK        attemptEnd = iota // answered: the account had room for it
	attemptThrottled                   // IAM said Throttling
	attemptOther                       // anything else (a refusal, a failure): says nothing of the rate
)

// release frees t's slot and adapts the limit to its outcome.
func (a *aimd) release(t ticket, o attemptEnd) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.inFlight--
	switch o {
	case attemptOK:
		a.grow()
	case attemptThrottled:
		if uint64(t) > a.cutAt {
			a.cut()
		}
	}
	close(a.wake)
	a.wake = make(chan struct{})
}

func (a *aimd) grow() {
	if a.limit >= a.max {
		return
	}
	if !a.slowStart {
		a.grown++
		if a.grown < a.limit {
			return
		}
		a.grown = 0
	}
	a.limit++
	a.notify("grew")
}

func (a *aimd) cut() {
	a.slowStart, a.grown = false, 0
	a.cutAt = a.sent
	if a.limit == 1 {
		return // the SDK's backoff spaces the retries of the last one
	}
	a.limit /= 2
	a.notify("throttled")
}

func (a *aimd) notify(cause string) {
	if a.changed != nil {
		a.changed(a.limit, cause)
	}
}

// Limit is the number of requests allowed in flight now.
func (a *aimd) Limit() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.limit
}

// throttleRetryBase is the backoff of a throttled attempt while the limit can
// still fall: the controller has already slowed the listing down, so the
// attempt only needs to take its turn again, not to wait the second or more
// of the SDK's backoff (a tail of such waits is most of what a run on a
// throttled account loses). It doubles with each attempt.
const throttleRetryBase = 50 * time.Millisecond

// gate is the per-operation option that makes every attempt of a call — the
// SDK's retries included — hold one of the controller's slots while it is on
// the wire, and report how it ended. A retry's backoff holds no slot.
func (a *aimd) gate(o *iam.Options) {
	o.Retryer = pacedRetryer{Retryer: o.Retryer, limit: a}
	o.APIOptions = append(o.APIOptions, func(stack *middleware.Stack) error {
		return stack.Finalize.Insert(middleware.FinalizeMiddlewareFunc("iamcreds.AIMD",
			func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (
				middleware.FinalizeOutput, middleware.Metadata, error,
			) {
				t, err := a.acquire(ctx)
				if err != nil {
					return middleware.FinalizeOutput{}, middleware.Metadata{}, err
				}
				out, md, err := next.HandleFinalize(ctx, in)
				a.release(t, attemptOutcome(err))
				return out, md, err
			}), "Retry", middleware.After)
	})
}

var throttles = retry.IsErrorThrottles(retry.DefaultThrottles)

func attemptOutcome(err error) attemptEnd {
	switch {
	case err == nil:
		return attemptOK
	case throttles.IsErrorThrottle(err) == aws.TrueTernary:
		return attemptThrottled
	}
	return attemptOther
}

// pacedRetryer retries a throttled attempt after throttleRetryBase (doubling,
// with jitter) while the controller can still lower the limit; at one request
// in flight, and for every other error, the SDK's backoff applies.
type pacedRetryer struct {
	aws.Retryer
	limit *aimd
}

func (p pacedRetryer) RetryDelay(attempt int, err error) (time.Duration, error) {
	if attemptOutcome(err) == attemptThrottled && p.limit.Limit() > 1 {
		return rand.N(throttleRetryBase << min(max(attempt-1, 0), 5)), nil
	}
	return p.Retryer.RetryDelay(attempt, err)
}

// GetAttemptToken implements aws.RetryerV2 over either kind of retryer.
func (p pacedRetryer) GetAttemptToken(ctx context.Context) (func(error) error, error) {
	if v2, ok := p.Retryer.(aws.RetryerV2); ok {
		return v2.GetAttemptToken(ctx)
	}
	return p.GetInitialToken(), nil
}

// perUserLimit is a client's one adaptive limit for the requests it sends per
// user — the per-user fallback's listings and the holdings of the users a
// rule selects — while any of them runs: an audit can do both at once, and
// IAM's quota is the account's, so their requests share one limit, and a
// Throttling answer to either slows both. The limit is made when the first
// user of it comes and dropped when the last goes, so that each load starts
// afresh at InitialConcurrency.
type perUserLimit struct {
	mu    sync.Mutex
	users int
	limit *aimd
}

// perUserLimit returns the client's shared limit and the function that gives
// it back (call it once the requests are done; calling it again does nothing).
func (c *Client) perUserLimit() (*aimd, func()) {
	s := c.limits
	if s == nil { // a Client not made by New: a limit of its own
		s = &perUserLimit{}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.users == 0 {
		s.limit = newAIMD(InitialConcurrency, c.cfg.Concurrency)
		if c.dbg != nil {
			s.limit.changed = func(n int, cause string) {
				c.dbg.write(fmt.Sprintf("per-user requests: %s, now %d in flight at most\n", cause, n))
			}
		}
	}
	s.users++
	limit := s.limit
	return limit, sync.OnceFunc(func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.users--; s.users == 0 {
			s.limit = nil
		}
	})
}
