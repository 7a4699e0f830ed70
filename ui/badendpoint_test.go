package ui

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/awsclient"
	"iamcreds/awsclient/localiam"
	"iamcreds/ui/uitest"
)

// The UI against endpoints that misbehave: replies no IAM sends, one that
// never answers, one that answers slowly while ctrl+r is pressed.

// faultyClient is the UI's client configuration (four attempts, as main's
// tuiConfig) with time limits of reply.
func faultyClient(t *testing.T, url string, reply time.Duration) *awsclient.Client {
	t.Helper()
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	c, err := awsclient.New(context.Background(), awsclient.Config{
		EndpointURL:       url,
		Region:            "us-east-1",
		StaticCredentials: &aws.Credentials{AccessKeyID: "AKIDTEST", SecretAccessKey: "test"},
		MaxAttempts:       4,
		MaxBackoff:        5 * time.Millisecond,
		ConnectTimeout:    reply,
		ReplyTimeout:      reply,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func faultyModel(c *awsclient.Client) *Model {
	o := testOptions(&endpoint{client: c}, &memClipboard{})
	return New(o)
}

// An endpoint answering every call with an empty 200: the screen says the
// listing failed and how to try again, never that the account has no users.
func TestEmpty200ShowsTheErrorNotNoUsers(t *testing.T) {
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusOK)
	}))
	defer hs.Close()
	d := newDriver(t, faultyModel(faultyClient(t, hs.URL, 5*time.Second)), 120, 36)
	d.settle()
	mustNotContain(t, d.m, "no IAM users", "Users 0")
	mustContain(t, d.m, "Could not list users.", "ctrl+r tries again.")
	mustSay(t, d.m, "is empty", "ctrl+r retries")
}

func newBlackHole(t *testing.T) *uitest.BlackHole {
	t.Helper()
	b, err := uitest.NewBlackHole()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return b
}

// An endpoint that accepts and never answers is reported once the time
// limits run out, with the key that tries again; ctrl+r does, and is
// reported the same way.
func TestBlackHoleIsReportedWithARetryKey(t *testing.T) {
	hole := newBlackHole(t)
	d := newDriver(t, faultyModel(faultyClient(t, hole.URL, 150*time.Millisecond)), 120, 36)
	d.settle()
	mustContain(t, d.m, "Could not list users.")
	mustSay(t, d.m, hole.URL+" did not answer within 150ms", "ctrl+r retries")
	d.m.setAccountStatus(levelInfo, "")
	d.keys("ctrl+r")
	mustSay(t, d.m, hole.URL+" did not answer within 150ms", "ctrl+r retries")
	// Each attempt that ran out of time closed its connection.
	if !waitFor(func() bool { return hole.Open() == 0 }) {
		t.Fatalf("%d connections to the black hole still open", hole.Open())
	}
}

// activeRequests counts the requests a handler is serving.
type activeRequests struct {
	next http.Handler
	n    atomic.Int64
}

func (a *activeRequests) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.n.Add(1)
	defer a.n.Add(-1)
	a.next.ServeHTTP(w, r)
}

// waitFor polls cond for up to 10 s.
func waitFor(cond func() bool) bool {
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}

// ctrl+r during a slow scan cancels it before starting another: pressed four
// times, the endpoint serves one scan's requests, not five.
func TestRefreshCancelsTheScanInFlight(t *testing.T) {
	srv, err := localiam.New(localiam.Config{Seed: "demo", Now: clock, Faults: localiam.Faults{Latency: time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	active := &activeRequests{next: srv}
	hs := httptest.NewServer(active)
	t.Cleanup(hs.Close)
	m := faultyModel(faultyClient(t, hs.URL, time.Hour))
	t.Cleanup(m.cancel) // first: the requests end, so that the server can close
	d := newDriver(t, m, 120, 36)
	d.Pump(100 * time.Millisecond) // the first load's calls start

	// The first load: the identity, the users and the inventory's first calls.
	var first int64
	waitFor(func() bool {
		n := active.n.Load()
		time.Sleep(50 * time.Millisecond)
		first = active.n.Load()
		return first > 0 && n == first
	})
	if first < 3 {
		t.Fatalf("%d requests in flight for the first load", first)
	}
	for range 4 {
		d.Send(keyMsg("ctrl+r"))
		d.Pump(20 * time.Millisecond)
	}
	// The canceled scans' requests end; those of the newest take their place.
	if !waitFor(func() bool { return active.n.Load() <= first }) {
		t.Fatalf("%d requests in flight after 4 × ctrl+r, %d for one load: the old scans go on", active.n.Load(), first)
	}
	time.Sleep(100 * time.Millisecond) // nothing more arrives
	if n := active.n.Load(); n > first {
		t.Fatalf("%d requests in flight after 4 × ctrl+r, %d for one load", n, first)
	}
	t.Logf("requests in flight: %d for the first load, %d after 4 × ctrl+r", first, active.n.Load())
	mustNotContain(t, d.m, "canceled")

	d.keys("q") // cancels what is left, so that every command returns
	if !d.Quit() {
		t.Fatal("q did not quit")
	}
	if !waitFor(func() bool { return active.n.Load() == 0 }) {
		t.Fatalf("%d requests still in flight after quitting", active.n.Load())
	}
}

// While a load still runs, an error beside the spinner is wrapped, never cut:
// its retry key stays on screen (the black hole's first error came while the
// inventory still waited, and "· ctrl+r retries" fell off the line).
func TestErrorBesideTheSpinnerIsNotCut(t *testing.T) {
	d, _, _ := start(t, localiam.Faults{}, false)
	d.m.startTask("loading credentials…")
	d.m.setLoadError("Could not identify the caller", errors.New("http://127.0.0.1:4611 did not answer within 30s"))
	d.Send(tea.WindowSizeMsg{Width: 120, Height: 36})
	mustSay(t, d.m, "Could not identify the caller: http://127.0.0.1:4611 did not answer within 30s · ctrl+r retries")
	checkWidth(t, d.m, 120, 36, "an error beside the spinner")
	for _, w := range []int{20, 60, 99, 100, 101, 119} {
		d.Send(tea.WindowSizeMsg{Width: w, Height: 36})
		mustSay(t, d.m, "ctrl+r retries")
		checkWidth(t, d.m, w, 36, "an error beside the spinner")
	}
}
