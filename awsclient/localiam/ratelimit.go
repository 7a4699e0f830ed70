package localiam

import (
	"math"
	"sync"
	"time"
)

// tokenBucket limits an account's IAM requests the way IAM does: each request
// takes a token; tokens come back at rate a second, up to burst; a request that
// finds none is answered Throttling and takes nothing.
type tokenBucket struct {
	mu     sync.Mutex
	rate   float64 // tokens a second
	burst  float64
	tokens float64
	last   time.Time
	now    func() time.Time
}

// newTokenBucket starts full. A burst below 1 is one second's worth of rate
// (at least one request).
func newTokenBucket(rate float64, burst int, now func() time.Time) *tokenBucket {
	b := float64(burst)
	if burst < 1 {
		b = max(1, math.Ceil(rate))
	}
	return &tokenBucket{rate: rate, burst: b, tokens: b, now: now}
}

// take reports whether a request may go ahead, and takes its token if so.
func (b *tokenBucket) take() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	t := b.now()
	if !b.last.IsZero() && t.After(b.last) {
		b.tokens = min(b.burst, b.tokens+t.Sub(b.last).Seconds()*b.rate)
	}
	if b.last.IsZero() || t.After(b.last) {
		b.last = t
	}
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// accountBuckets is one bucket per account: IAM's quotas are an account's.
type accountBuckets struct {
	rate  float64
	burst int
	now   func() time.Time
	mu    sync.Mutex
	by    map[string]*tokenBucket
}

func (a *accountBuckets) take(account string) bool {
	a.mu.Lock()
	b, ok := a.by[account]
	if !ok {
		b = newTokenBucket(a.rate, a.burst, a.now)
		a.by[account] = b
	}
	a.mu.Unlock()
	return b.take()
}
