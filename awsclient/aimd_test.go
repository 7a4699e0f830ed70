package awsclient

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"iamcreds/awsclient/localiam"
	"iamcreds/model"
)

// run acquires and releases one attempt with outcome o.
func run(t *testing.T, a *aimd, o attemptEnd) {
	t.Helper()
	tk, err := a.acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	a.release(tk, o)
}

func TestAIMDGrows(t *testing.T) {
	a := newAIMD(8, 100)
	// Slow start: one more per success, so a round of 8 doubles it.
	for range 8 {
		run(t, a, attemptOK)
	}
	if a.Limit() != 16 {
		t.Fatalf("after 8 successes from 8: %d, want 16", a.Limit())
	}
	run(t, a, attemptThrottled)
	if a.Limit() != 8 {
		t.Fatalf("after Throttling: %d, want 8", a.Limit())
	}
	// Then one more per round: 8 successes at 8, 9 at 9.
	for range 7 {
		run(t, a, attemptOK)
	}
	if a.Limit() != 8 {
		t.Fatalf("grew before a whole round: %d", a.Limit())
	}
	run(t, a, attemptOK)
	if a.Limit() != 9 {
		t.Fatalf("after a round of 8: %d, want 9", a.Limit())
	}
	// Other errors say nothing about the rate.
	for range 20 {
		run(t, a, attemptOther)
	}
	if a.Limit() != 9 {
		t.Fatalf("other errors moved the limit to %d", a.Limit())
	}
}

func TestAIMDBounds(t *testing.T) {
	a := newAIMD(8, 12)
	for range 100 {
		run(t, a, attemptOK)
	}
	if a.Limit() != 12 {
		t.Fatalf("successes took it to %d past the ceiling 12", a.Limit())
	}
	for range 10 {
		run(t, a, attemptThrottled)
	}
	if a.Limit() != 1 {
		t.Fatalf("Throttling took it to %d, want the floor 1", a.Limit())
	}
	for _, tc := range []struct{ start, ceiling, want int }{{8, 4, 4}, {8, 0, 1}, {0, 32, 1}, {8, 32, 8}} {
		if got := newAIMD(tc.start, tc.ceiling).Limit(); got != tc.want {
			t.Errorf("newAIMD(%d, %d) starts at %d, want %d", tc.start, tc.ceiling, got, tc.want)
		}
	}
}

// A round of attempts that all meet Throttling halves the limit once: they
// were all sent before the cut. An attempt sent after it cuts again.
func TestAIMDHalvesOncePerRound(t *testing.T) {
	a := newAIMD(8, 32)
	var changes []int
	a.changed = func(n int, cause string) { changes = append(changes, n) }
	var round []ticket
	for range 8 {
		tk, err := a.acquire(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		round = append(round, tk)
	}
	for _, tk := range round {
		a.release(tk, attemptThrottled)
	}
	if a.Limit() != 4 {
		t.Fatalf("a throttled round of 8: %d, want 4", a.Limit())
	}
	run(t, a, attemptThrottled)
	if a.Limit() != 2 {
		t.Fatalf("a throttled attempt of the next round: %d, want 2", a.Limit())
	}
	if !reflect.DeepEqual(changes, []int{4, 2}) {
		t.Fatalf("changes %v", changes)
	}
}

// acquire blocks at the limit until a slot frees, and gives up with its context.
func TestAIMDAcquireWaits(t *testing.T) {
	a := newAIMD(1, 1)
	first, err := a.acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan error, 1)
	go func() {
		tk, err := a.acquire(context.Background())
		if err == nil {
			a.release(tk, attemptOK)
		}
		got <- err
	}()
	select {
	case err := <-got:
		t.Fatalf("a second attempt went ahead at a limit of 1 (%v)", err)
	case <-time.After(20 * time.Millisecond):
	}
	a.release(first, attemptOK)
	if err := <-got; err != nil {
		t.Fatal(err)
	}

	held, _ := a.acquire(context.Background())
	defer a.release(held, attemptOK)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := a.acquire(ctx); err == nil {
		t.Fatal("a canceled wait went ahead")
	}
}

// The fallback on an account that throttles at a fixed rate: the limit comes
// down from where slow start took it, the SDK's retries absorb the throttled
// attempts, and the result is the AllUsers one.
func TestFallbackBacksOffWhenThrottled(t *testing.T) {
	ctx := context.Background()
	fixed := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	now := func() time.Time { return fixed }
	open, _ := newTestClient(t, localiam.Config{Seed: "scale:60", Now: now})
	want, err := open.Inventory(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var log syncLog
	denied, _ := newTestClient(t, localiam.Config{Seed: "scale:60", Now: now, Faults: localiam.Faults{
		Deny: []string{"ListServiceSpecificCredentials:AllUsers"}, Rate: 50, Burst: 10, Latency: 2 * time.Millisecond,
	}}, func(cfg *Config) {
		// 50 a second is below what the client sends even under -race on a
		// loaded machine (at 200 it sometimes never throttled). Once the limit
		// is down to 1, the calls waiting take turns at the one slot, each
		// spending an attempt when it finds no token: their backoff (up to
		// 200 ms, as the SDK's seconds do against IAM) spreads 20 attempts over
		// enough tokens that none runs out.
		cfg.Concurrency, cfg.MaxAttempts, cfg.MaxBackoff, cfg.DebugLog = 64, 20, 200*time.Millisecond, &log
	})
	got, err := denied.InventoryWith(ctx, model.InventoryOptions{CredentialsOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if !got.PerUser || !reflect.DeepEqual(got.Credentials, want.Credentials) {
		t.Fatalf("throttled fallback: perUser=%v, %d credentials, want %d", got.PerUser, len(got.Credentials), len(want.Credentials))
	}
	// Slow start grows the limit past where it started, then Throttling cuts
	// it below what it was (how far it grows first depends on which answers
	// come first).
	var changes []string
	limit, peak, grew, cut := InitialConcurrency, InitialConcurrency, false, false
	for _, l := range strings.Split(log.String(), "\n") {
		var cause string
		var n int
		i := strings.Index(l, "per-user requests: ")
		if i < 0 {
			continue
		}
		changes = append(changes, l)
		if _, err := fmt.Sscanf(l[i:], "per-user requests: %s now %d in flight", &cause, &n); err != nil {
			t.Fatalf("unreadable line %q: %v", l, err)
		}
		switch cause {
		case "grew,":
			grew = grew || n > InitialConcurrency
		case "throttled,":
			cut = cut || grew && n < limit
		}
		limit, peak = n, max(peak, n)
	}
	if !grew || !cut {
		t.Fatalf("the limit grew %v (to %d at most), then was cut %v; its changes:\n%s", grew, peak, cut, strings.Join(changes, "\n"))
	}
}

type syncLog struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *syncLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *syncLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// BenchmarkFallback is the per-user fallback at 1,000 users behind 20 ms of
// latency: on an endpoint that does not throttle (the limit grows to the
// ceiling) and on ones that throttle at a fixed rate (it comes down to about
// rate × latency and stays near it). It reports the cuts, the throttled
// attempts and the limit at the end. Whole-command figures at 5,000 users
// against fixed concurrencies: bench/perf.sh.
//
//	go test -run '^$' -bench Fallback -benchtime 3x ./awsclient
func BenchmarkFallback(b *testing.B) {
	for _, tc := range []struct {
		name string
		rate float64
	}{{"unthrottled", 0}, {"rate=500/s", 500}, {"rate=200/s", 200}} {
		b.Run(tc.name, func(b *testing.B) {
			srv, url := serveLocalIAM(b, localiam.Config{Seed: "scale:1000"}, nil)
			var cuts, throttled, final int
			for b.Loop() {
				b.StopTimer()
				srv.SetFaults(localiam.Faults{Latency: 20 * time.Millisecond, Rate: tc.rate, Burst: int(tc.rate / 10),
					Deny: []string{"ListServiceSpecificCredentials:AllUsers"}})
				var log syncLog
				c := connectTest(b, url, func(cfg *Config) { cfg.DebugLog = &log; cfg.MaxBackoff = DefaultMaxBackoff })
				b.StartTimer()
				inv, err := c.InventoryWith(context.Background(), model.InventoryOptions{CredentialsOnly: true})
				if err != nil || !inv.PerUser {
					b.Fatalf("%v (per user: %v)", err, inv.PerUser)
				}
				text := log.String()
				cuts += strings.Count(text, "per-user requests: throttled")
				throttled += strings.Count(text, "<Code>Throttling</Code>")
				if i := strings.LastIndex(text, ", now "); i >= 0 {
					fmt.Sscanf(text[i:], ", now %d", &final)
				}
			}
			b.ReportMetric(float64(cuts)/float64(b.N), "cuts/op")
			b.ReportMetric(float64(throttled)/float64(b.N), "throttled/op")
			b.ReportMetric(float64(final), "final-limit")
		})
	}
}
