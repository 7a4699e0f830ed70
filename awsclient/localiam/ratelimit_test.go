package localiam

import (
	"testing"
	"time"
)

// fakeClock is a clock that moves only when told.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func takes(b *tokenBucket, n int) (granted int) {
	for range n {
		if b.take() {
			granted++
		}
	}
	return granted
}

func TestTokenBucket(t *testing.T) {
	clk := &fakeClock{t: time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)}
	b := newTokenBucket(2, 3, clk.now)
	if got := takes(b, 5); got != 3 {
		t.Fatalf("a full bucket of 3 granted %d of 5", got)
	}
	// Refused requests took nothing: half a second later one token is back.
	clk.advance(500 * time.Millisecond)
	if got := takes(b, 3); got != 1 {
		t.Fatalf("after 0.5 s at 2/s: %d granted, want 1", got)
	}
	clk.advance(250 * time.Millisecond)
	if b.take() {
		t.Fatal("half a token granted a request")
	}
	clk.advance(250 * time.Millisecond)
	if !b.take() {
		t.Fatal("the half tokens of two waits did not add up")
	}
	// An idle hour refills to the burst, no more.
	clk.advance(time.Hour)
	if got := takes(b, 10); got != 3 {
		t.Fatalf("after an hour: %d granted, want the burst of 3", got)
	}
	// A clock that steps back grants nothing extra.
	clk.advance(-time.Minute)
	if b.take() {
		t.Fatal("a clock going back refilled the bucket")
	}
}

func TestTokenBucketDefaultBurst(t *testing.T) {
	clk := &fakeClock{t: time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)}
	for _, tc := range []struct {
		rate float64
		want int
	}{{20, 20}, {2.5, 3}, {0.2, 1}} {
		if got := takes(newTokenBucket(tc.rate, 0, clk.now), 100); got != tc.want {
			t.Errorf("rate %v without a burst: %d granted at once, want %d", tc.rate, got, tc.want)
		}
	}
}

// A Rate throttles an account's IAM requests past the burst with IAM's
// Throttling error; STS does not count, and each account has its own bucket.
func TestRateThrottlesLikeIAM(t *testing.T) {
	clk := &fakeClock{t: time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)}
	s, _ := newServer(t, Config{Seed: "org:2x3"})
	s.rateClock = clk.now
	s.SetFaults(Faults{Rate: 10, Burst: 2})
	home := creds{}
	for range 2 {
		wantOK(t, doAs(t, s, home, "Action", "ListUsers", "Version", iamVersion), nil)
	}
	wantError(t, doAs(t, s, home, "Action", "ListUsers", "Version", iamVersion), 400, "Throttling", "Rate exceeded")
	wantOK(t, doAs(t, s, home, "Action", "GetCallerIdentity", "Version", "2011-06-15"), nil)
	member := creds{key: s.Accounts()[1].AccessKeyID}
	wantOK(t, doAs(t, s, member, "Action", "ListUsers", "Version", iamVersion), nil)
	clk.advance(100 * time.Millisecond) // one token at 10/s
	wantOK(t, doAs(t, s, home, "Action", "ListUsers", "Version", iamVersion), nil)
	wantError(t, doAs(t, s, home, "Action", "ListUsers", "Version", iamVersion), 400, "Throttling", "Rate exceeded")
}

func TestRateValidation(t *testing.T) {
	for _, f := range []Faults{{Rate: -1}, {Rate: 2e6}, {Burst: -1}} {
		if err := f.Validate(); err == nil {
			t.Errorf("%+v accepted", f)
		}
	}
	if err := (Faults{Rate: 0.5, Burst: 5}).Validate(); err != nil {
		t.Error(err)
	}
}
