package awsclient

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"iamcreds/awsclient/localiam"
	"iamcreds/model"
)

// counter counts the requests of each action that reach the endpoint.
type counter struct {
	next http.Handler
	mu   sync.Mutex
	n    map[string]int
}

// actionOf reads the Action of a request, leaving its body to be read again.
func actionOf(r *http.Request) string {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	form, _ := url.ParseQuery(string(body))
	return form.Get("Action")
}

func (c *counter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	action := actionOf(r)
	c.mu.Lock()
	c.n[action]++
	c.mu.Unlock()
	c.next.ServeHTTP(w, r)
}

func (c *counter) count(action string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[action]
}

// lossyEndpoint is local IAM behind a request counter, its users created, with
// the default six attempts (backoff shortened).
func lossyEndpoint(t *testing.T, users ...string) (*Client, *localiam.Server, *counter) {
	t.Helper()
	srv, err := localiam.New(localiam.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	cnt := &counter{next: srv, n: map[string]int{}}
	c := clientFor(t, cnt)
	createUsers(t, c, users...)
	return c, srv, cnt
}

func drop(action string, n int) localiam.Faults {
	return localiam.Faults{DropReply: map[string]int{action: n}}
}

func asModelError(t *testing.T, err error, kind model.ErrorKind) *model.Error {
	t.Helper()
	var me *model.Error
	if !errors.As(err, &me) || me.Kind != kind {
		t.Fatalf("want a %v error, got %T %v", kind, err, err)
	}
	return me
}

func mustList(t *testing.T, c *Client, user string) []model.Credential {
	t.Helper()
	cs, err := c.ListCredentials(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func TestLostCreateReplyNamesWhatAppeared(t *testing.T) {
	ctx := context.Background()
	c, srv, cnt := lossyEndpoint(t, "ana")
	srv.SetFaults(drop("CreateServiceSpecificCredential", 1))

	cred, secret, err := c.CreateCredential(ctx, "ana", model.CodeCommit, 0)
	if cred.ID != "" || !secret.Empty() {
		t.Fatalf("a lost reply returned a credential %+v", cred)
	}
	// No listing can tell whose it is: named, of unknown origin, not ours.
	me := asModelError(t, err, model.KindUnconfirmed)
	held := mustList(t, c, "ana")
	if len(held) != 1 {
		t.Fatalf("IAM holds %d credentials after one lost create, want 1 (no blind retry)", len(held))
	}
	if n := cnt.count("CreateServiceSpecificCredential"); n != 1 {
		t.Fatalf("the create was sent %d times, want once", n)
	}
	want := "was lost before IAM answered (EOF); a new credential " + held[0].ID + " appeared for ana; it may be this request's or someone else's, " +
		"so it was left alone. If nobody else created it, reset it to get a secret, or delete it."
	if me.ID != "" || !slices.Equal(me.Appeared, []string{held[0].ID}) || !strings.HasPrefix(me.Message, "IAM may have created a Git credential for ana: the connection to ") ||
		!strings.HasSuffix(me.Message, want) || me.User != "ana" || me.Service != model.CodeCommit {
		t.Fatalf("got id=%s appeared=%q\n%q\nwant\n%q", me.ID, me.Appeared, me.Message, want)
	}
	if len(me.Listed) != 1 || me.Listed[0].ID != held[0].ID || errors.Is(err, model.ErrSecretLost) {
		t.Fatalf("listing %+v", me.Listed)
	}
	// The advice works: a reset gives it a secret.
	if _, s, err := c.Reset(ctx, "ana", held[0].ID); err != nil || s.Empty() {
		t.Fatalf("reset: %v", err)
	}
}

func TestLostCreateReplyWhenIAMDidNotCreate(t *testing.T) {
	ctx := context.Background()
	c, srv, _ := lossyEndpoint(t, "ana")
	for range 2 {
		if _, _, err := c.CreateCredential(ctx, "ana", model.Keyspaces, 0); err != nil {
			t.Fatal(err)
		}
	}
	// The third create is refused (LimitExceeded), and that refusal is lost.
	srv.SetFaults(drop("CreateServiceSpecificCredential", 0))
	_, _, err := c.CreateCredential(ctx, "ana", model.Keyspaces, 0)
	me := asModelError(t, err, model.KindUnreachable)
	if !strings.HasSuffix(me.Message, "; IAM did not create it") || !strings.Contains(me.Message, "was lost before IAM answered (EOF)") {
		t.Fatalf("message %q", me.Message)
	}
	if len(me.Listed) != 2 || len(mustList(t, c, "ana")) != 2 {
		t.Fatalf("listing %+v", me.Listed)
	}
}

func TestLostResetReplyIsNotRepeated(t *testing.T) {
	ctx := context.Background()
	c, srv, cnt := lossyEndpoint(t, "ana")
	cred, _, err := c.CreateCredential(ctx, "ana", model.Bedrock, 7)
	if err != nil {
		t.Fatal(err)
	}
	srv.SetFaults(drop("ResetServiceSpecificCredential", 1))
	_, secret, err := c.Reset(ctx, "ana", cred.ID)
	if !secret.Empty() {
		t.Fatal("a lost reset returned a secret")
	}
	me := asModelError(t, err, model.KindResetUnconfirmed)
	want := "The reset of " + cred.ID + " may have happened: the old secret may no longer work. Reset again to get one you can use."
	if me.Message != want || me.ID != cred.ID || len(me.Listed) != 1 {
		t.Fatalf("got %q (id %s, %d listed)", me.Message, me.ID, len(me.Listed))
	}
	if n := cnt.count("ResetServiceSpecificCredential"); n != 1 {
		t.Fatalf("the reset was sent %d times, want once", n)
	}
	if _, s, err := c.Reset(ctx, "ana", cred.ID); err != nil || s.Empty() {
		t.Fatalf("reset again: %v", err)
	}
}

func TestLostDeleteReplyIsSuccess(t *testing.T) {
	ctx := context.Background()
	c, srv, _ := lossyEndpoint(t, "ana")
	for _, n := range []int{1, 0} { // one lost reply (the retry finds it gone), then every reply lost
		cred, _, err := c.CreateCredential(ctx, "ana", model.CodeCommit, 0)
		if err != nil {
			t.Fatal(err)
		}
		srv.SetFaults(drop("DeleteServiceSpecificCredential", n))
		var heard []model.LostReply
		if err := c.Delete(model.OnLostReply(ctx, func(r model.LostReply) { heard = append(heard, r) }), "ana", cred.ID); err != nil {
			t.Fatalf("drop %d: the delete happened, yet: %v", n, err)
		}
		if want := (model.LostReply{Op: "DeleteServiceSpecificCredential", User: "ana", ID: cred.ID}); len(heard) != 1 || heard[0] != want {
			t.Fatalf("drop %d: the lost reply was reported as %v", n, heard)
		}
		srv.SetFaults(localiam.Faults{})
		if held := mustList(t, c, "ana"); len(held) != 0 {
			t.Fatalf("drop %d: %d left", n, len(held))
		}
	}
}

func TestLostUpdateReplyIsSuccess(t *testing.T) {
	ctx := context.Background()
	c, srv, _ := lossyEndpoint(t, "ana")
	cred, _, err := c.CreateCredential(ctx, "ana", model.CodeCommit, 0)
	if err != nil {
		t.Fatal(err)
	}
	// Every reply is lost: the SDK gives up, the listing shows the change made.
	srv.SetFaults(drop("UpdateServiceSpecificCredential", 0))
	heard := 0
	if err := c.SetStatus(model.OnLostReply(ctx, func(model.LostReply) { heard++ }), "ana", cred.ID, model.Inactive); err != nil {
		t.Fatalf("the update happened, yet: %v", err)
	}
	if heard != 1 {
		t.Fatalf("the lost reply was reported %d times", heard)
	}
	if st := mustList(t, c, "ana")[0].Status; st != model.Inactive {
		t.Fatalf("status %s", st)
	}
	// A change that did not happen is still reported: IAM fails before acting.
	srv.SetFaults(localiam.Faults{FailRate: 1})
	err = c.SetStatus(ctx, "ana", cred.ID, model.Active)
	if err == nil {
		t.Fatal("a failed update reported success")
	}
	srv.SetFaults(localiam.Faults{})
	if st := mustList(t, c, "ana")[0].Status; st != model.Inactive {
		t.Fatalf("status %s", st)
	}
}

func TestServerFailureOnCreateIsNotRetried(t *testing.T) {
	ctx := context.Background()
	c, srv, cnt := lossyEndpoint(t, "ana")
	// The listing before the create fails: nothing is asked of IAM.
	srv.SetFaults(localiam.Faults{FailRate: 1})
	_, _, err := c.CreateCredential(ctx, "ana", model.CodeCommit, 0)
	me := asModelError(t, err, model.KindOther)
	if me.Message != "IAM failed (ServiceFailure) after 6 attempts; try again" || cnt.count("CreateServiceSpecificCredential") != 0 {
		t.Fatalf("%q, %d creates sent", me.Message, cnt.count("CreateServiceSpecificCredential"))
	}
	// Only the create fails: it is sent once, and the listing after it tells.
	srv.SetFaults(localiam.Faults{})
	failCreate := &failing{next: srv, action: "CreateServiceSpecificCredential", fail: true}
	c = clientFor(t, &counter{next: failCreate, n: cnt.n})
	_, _, err = c.CreateCredential(ctx, "ana", model.CodeCommit, 0)
	me = asModelError(t, err, model.KindOther)
	if me.Message != "IAM failed (ServiceFailure); try again; IAM did not create it" || cnt.count("CreateServiceSpecificCredential") != 1 {
		t.Fatalf("%q after %d creates", me.Message, cnt.count("CreateServiceSpecificCredential"))
	}
	// Throttling is a refusal: retried, and the create then succeeds.
	failCreate.set(2, false)
	if _, _, err := c.CreateCredential(ctx, "ana", model.CodeCommit, 0); err != nil {
		t.Fatal(err)
	}
	if n, sent := len(mustList(t, c, "ana")), cnt.count("CreateServiceSpecificCredential"); n != 1 || sent != 4 {
		t.Fatalf("%d credentials; %d creates sent, want 1 + 3", n, sent)
	}

	// The create fails, and so does every listing after it: unknown.
	failCreate.set(0, true)
	c = clientFor(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if actionOf(r) == "CreateServiceSpecificCredential" {
			defer srv.SetFaults(localiam.Faults{FailRate: 1})
		}
		failCreate.ServeHTTP(w, r)
	}))
	_, _, err = c.CreateCredential(ctx, "ana", model.CodeCommit, 0)
	me = asModelError(t, err, model.KindUnconfirmed)
	want := "IAM may have created a Git credential for ana: IAM failed (ServiceFailure); try again; " +
		"listing ana's credentials to check failed too: IAM failed (ServiceFailure) after 6 attempts; try again. Check them before creating another."
	if me.Message != want || me.Listed != nil || me.Code != "ServiceFailure" {
		t.Fatalf("got  %q\nwant %q", me.Message, want)
	}
}

// failing answers one action 400 Throttling while throttle > 0, else 500
// ServiceFailure while fail is set, before the endpoint sees it.
type failing struct {
	next     http.Handler
	action   string
	mu       sync.Mutex
	throttle int
	fail     bool
}

func (f *failing) set(throttle int, fail bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.throttle, f.fail = throttle, fail
}

func (f *failing) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if actionOf(r) != f.action {
		f.next.ServeHTTP(w, r)
		return
	}
	f.mu.Lock()
	throttled, failed := f.throttle > 0, f.fail
	if throttled {
		f.throttle--
	}
	f.mu.Unlock()
	if !throttled && !failed {
		f.next.ServeHTTP(w, r)
		return
	}
	w.Header().Set("x-amzn-RequestId", "req-1")
	if throttled {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>req-1</RequestId></ErrorResponse>`)
		return
	}
	w.WriteHeader(http.StatusInternalServerError)
	fmt.Fprint(w, `<ErrorResponse><Error><Type>Receiver</Type><Code>ServiceFailure</Code><Message>boom</Message></Error><RequestId>req-1</RequestId></ErrorResponse>`)
}

// Fleet-style bulk actions: many users at once, some replies lost.
func TestLostRepliesInBulk(t *testing.T) {
	ctx := context.Background()
	users := make([]string, 12)
	for i := range users {
		users[i] = fmt.Sprintf("user%02d", i)
	}
	c, srv, cnt := lossyEndpoint(t, users...)
	srv.SetFaults(drop("CreateServiceSpecificCredential", 5))

	type result struct {
		cred model.Credential
		err  error
	}
	results := make([]result, len(users))
	var wg sync.WaitGroup
	for i, u := range users {
		wg.Go(func() {
			cred, _, err := c.CreateCredential(ctx, u, model.CodeCommit, 0)
			results[i] = result{cred, err}
		})
	}
	wg.Wait()
	lost := 0
	for i, u := range users {
		held := mustList(t, c, u)
		if len(held) != 1 {
			t.Fatalf("%s holds %d credentials, want 1", u, len(held))
		}
		switch r := results[i]; {
		case r.err == nil && r.cred.ID == held[0].ID:
		case errors.Is(r.err, model.ErrUnconfirmed):
			lost++
			if me := asModelError(t, r.err, model.KindUnconfirmed); !slices.Equal(me.Appeared, []string{held[0].ID}) || me.User != u {
				t.Fatalf("%s: appeared %q, IAM holds %s", u, me.Appeared, held[0].ID)
			}
		default:
			t.Fatalf("%s: %+v %v", u, r.cred, r.err)
		}
	}
	if lost != 5 || cnt.count("CreateServiceSpecificCredential") != len(users) {
		t.Fatalf("%d reported lost of 5 dropped; %d creates sent for %d users", lost, cnt.count("CreateServiceSpecificCredential"), len(users))
	}

	// Deactivate and delete everything at once with replies lost: all succeed.
	var ids []string
	for _, u := range users {
		ids = append(ids, mustList(t, c, u)[0].ID)
	}
	srv.SetFaults(localiam.Faults{DropReply: map[string]int{"UpdateServiceSpecificCredential": 0, "DeleteServiceSpecificCredential": 4}})
	errs := make([]error, len(users))
	for i, u := range users {
		wg.Go(func() { errs[i] = c.SetStatus(ctx, u, ids[i], model.Inactive) })
	}
	wg.Wait()
	for i, u := range users {
		if errs[i] != nil || mustList(t, c, u)[0].Status != model.Inactive {
			t.Fatalf("%s: %v", u, errs[i])
		}
	}
	for i, u := range users {
		wg.Go(func() { errs[i] = c.Delete(ctx, u, ids[i]) })
	}
	wg.Wait()
	for i, u := range users {
		if errs[i] != nil || len(mustList(t, c, u)) != 0 {
			t.Fatalf("%s: %v", u, errs[i])
		}
	}
}

func TestCanceledCreateIsUnconfirmed(t *testing.T) {
	c, srv, _ := lossyEndpoint(t, "ana")
	ctx, cancel := context.WithCancel(context.Background())
	// The create is sent and held; the caller gives up while it is in flight.
	hold := &holding{next: srv, action: "CreateServiceSpecificCredential", arrived: make(chan struct{}), release: make(chan struct{})}
	c = clientFor(t, hold)
	done := make(chan error, 1)
	go func() { _, _, err := c.CreateCredential(ctx, "ana", model.CodeCommit, 0); done <- err }()
	<-hold.arrived
	cancel()
	err := <-done
	close(hold.release)
	me := asModelError(t, err, model.KindUnconfirmed)
	if me.Message != "A create of a Git credential for ana was canceled in flight: IAM may have created it; check ana's credentials." {
		t.Fatalf("message %q", me.Message)
	}
	// Canceled before anything was sent: plainly canceled.
	_, _, err = c.CreateCredential(ctx, "ana", model.CodeCommit, 0)
	asModelError(t, err, model.KindCanceled)
}

// holding passes requests through, except the first of one action: it signals
// arrival, then waits for release or for the client to go.
type holding struct {
	next             http.Handler
	action           string
	once             sync.Once
	arrived, release chan struct{}
}

func (h *holding) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	held := false
	if actionOf(r) == h.action {
		h.once.Do(func() { held = true })
	}
	if held {
		close(h.arrived)
		select {
		case <-h.release:
		case <-r.Context().Done():
		}
		return
	}
	h.next.ServeHTTP(w, r)
}

// refuseFirst fails the first request of one action as a refused connection
// would, before anything is sent.
type refuseFirst struct {
	next   aws.HTTPClient
	action string
	done   atomic.Bool
}

func (f *refuseFirst) Do(r *http.Request) (*http.Response, error) {
	if actionOf(r) == f.action && f.done.CompareAndSwap(false, true) {
		return nil, &url.Error{Op: "Post", URL: r.URL.String(), Err: &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}}
	}
	return f.next.Do(r)
}

func TestUnsentCreateAndResetAreRetried(t *testing.T) {
	ctx := context.Background()
	t.Setenv("AWS_CA_BUNDLE", "") // a custom HTTPClient cannot take it
	srv, err := localiam.New(localiam.Config{})
	if err != nil {
		t.Fatal(err)
	}
	cnt := &counter{next: srv, n: map[string]int{}}
	create := &refuseFirst{next: httpClient(time.Second, time.Second), action: "CreateServiceSpecificCredential"}
	reset := &refuseFirst{next: create, action: "ResetServiceSpecificCredential"}
	c := clientFor(t, cnt, func(cfg *Config) { cfg.HTTPClient = reset })
	createUsers(t, c, "ana")
	cred, secret, err := c.CreateCredential(ctx, "ana", model.CodeCommit, 0)
	if err != nil || secret.Empty() {
		t.Fatalf("a create whose first connection was refused: %v", err)
	}
	if _, s, err := c.Reset(ctx, "ana", cred.ID); err != nil || s.Empty() {
		t.Fatalf("a reset whose first connection was refused: %v", err)
	}
	if !create.done.Load() || !reset.done.Load() || cnt.count("CreateServiceSpecificCredential") != 1 || len(mustList(t, c, "ana")) != 1 {
		t.Fatalf("refused: %v %v; %d creates arrived", create.done.Load(), reset.done.Load(), cnt.count("CreateServiceSpecificCredential"))
	}
}

// finishes runs call, failing the test if it neither returns nor panics in 30 s.
func finishes(t *testing.T, call func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- call() }()
	select {
	case err := <-done:
		return err
	case <-time.After(30 * time.Second):
		t.Fatal("the call hangs")
		return nil
	}
}

func TestCancelStopsAScan(t *testing.T) {
	for _, deny := range [][]string{nil, {"ListServiceSpecificCredentials:AllUsers"}} {
		srv, err := localiam.New(localiam.Config{Seed: "scale:50"})
		if err != nil {
			t.Fatal(err)
		}
		c := clientFor(t, srv)
		// Every request now waits an hour, unless its client goes away.
		srv.SetFaults(localiam.Faults{Latency: time.Hour, Deny: deny})
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		err = finishes(t, func() error { _, err := c.Inventory(ctx, nil); return err })
		asModelError(t, err, model.KindCanceled)
		srv.SetFaults(localiam.Faults{})
		srv.Close()
	}
}
