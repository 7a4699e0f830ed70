package localiam

import (
	"context"
	"crypto/sha256"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestDeny(t *testing.T) {
	s, _ := newServer(t, Config{Faults: Faults{Deny: []string{"CreateServiceSpecificCredential", "iam:ListServiceSpecificCredentials:AllUsers", "GetCallerIdentity"}}})
	createUser(t, s, "max", "Path", "/ops/")
	wantError(t, do(t, s, "Action", "CreateServiceSpecificCredential", "UserName", "max", "ServiceName", codecommit), 403, "AccessDenied",
		"User: arn:aws:iam::123456789012:user/iamcreds-demo is not authorized to perform: iam:CreateServiceSpecificCredential on resource: arn:aws:iam::123456789012:user/ops/max")
	// Deny comes before validation.
	wantError(t, do(t, s, "Action", "CreateServiceSpecificCredential", "UserName", "bad name"), 403, "AccessDenied", "~iam:CreateServiceSpecificCredential on resource: arn:aws:iam::123456789012:user/bad name$")
	wantError(t, do(t, s, "Action", "ListServiceSpecificCredentials", "AllUsers", "true", "ServiceName", bedrock), 403, "AccessDenied",
		"User: arn:aws:iam::123456789012:user/iamcreds-demo is not authorized to perform: iam:ListServiceSpecificCredentials on resource: arn:aws:iam::123456789012:user/*")
	listCreds(t, s, "UserName", "max") // per-user listing is allowed
	wantError(t, do(t, s, "Action", "GetCallerIdentity"), 403, "AccessDenied", "~perform: sts:GetCallerIdentity on resource: \\*$")

	s.SetFaults(Faults{})
	listCreds(t, s, "AllUsers", "true")
	createCred(t, s, "max", codecommit)
}

func TestThrottleAndFail(t *testing.T) {
	s, _ := newServer(t, Config{Faults: Faults{ThrottleRate: 1}})
	for range 20 {
		wantError(t, do(t, s, "Action", "CreateUser", "UserName", "nia"), 400, "Throttling", "Rate exceeded")
	}
	s.SetFaults(Faults{FailRate: 1})
	for range 20 {
		wantError(t, do(t, s, "Action", "CreateUser", "UserName", "nia"), 500, "ServiceFailure",
			"The request processing has failed because of an unknown error, exception or failure.")
	}
	// Throttling wins over failure: the order is deny, throttle, fail.
	s.SetFaults(Faults{ThrottleRate: 1, FailRate: 1})
	wantError(t, do(t, s, "Action", "ListUsers"), 400, "Throttling", "Rate exceeded")
	s.SetFaults(Faults{Deny: []string{"ListUsers"}, ThrottleRate: 1})
	wantError(t, do(t, s, "Action", "ListUsers"), 403, "AccessDenied", "~on resource: arn:aws:iam::123456789012:user/$")

	// Nothing above changed the state.
	s.SetFaults(Faults{ThrottleRate: 0, FailRate: 0})
	if users := listUsers(t, s); len(users) != 0 {
		t.Fatalf("a failed CreateUser created %v", users)
	}
	for range 50 {
		wantOK(t, do(t, s, "Action", "ListUsers"), nil)
	}
	createUser(t, s, "nia")
	s.SetFaults(Faults{FailRate: 1})
	wantError(t, do(t, s, "Action", "CreateServiceSpecificCredential", "UserName", "nia", "ServiceName", codecommit), 500, "ServiceFailure", "~unknown error")
	s.SetFaults(Faults{})
	if l := listCreds(t, s, "UserName", "nia"); len(l.Result.Creds) != 0 {
		t.Fatal("a Create answered 500 created a credential")
	}

	// A fractional rate fails some requests and not others.
	s.SetFaults(Faults{ThrottleRate: 0.5})
	codes := map[int]int{}
	for range 400 {
		codes[do(t, s, "Action", "ListUsers").status]++
	}
	if codes[200] < 100 || codes[400] < 100 || len(codes) != 2 {
		t.Fatalf("ThrottleRate 0.5 gave %v", codes)
	}
}

func TestLatency(t *testing.T) {
	s, _ := newServer(t, Config{Faults: Faults{Latency: 60 * time.Millisecond, Jitter: 20 * time.Millisecond, FailRate: 1}})
	start := time.Now()
	wantError(t, do(t, s, "Action", "ListUsers"), 500, "ServiceFailure", "~unknown error") // latency, then the fault
	if d := time.Since(start); d < 60*time.Millisecond || d > 2*time.Second {
		t.Fatalf("took %v", d)
	}
	// A canceled request stops waiting and gets no answer.
	s.SetFaults(Faults{Latency: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/", strings.NewReader("Action=ListUsers"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	done := make(chan struct{})
	go func() {
		s.ServeHTTP(httptest.NewRecorder(), req)
		close(done)
	}()
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("latency ignores cancellation")
	}
}

// post sends a form over a real connection and returns the status, or the
// transport error when no reply came.
func post(t *testing.T, url string, kv ...string) (int, error) {
	t.Helper()
	form := make([]string, 0, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		form = append(form, kv[i]+"="+kv[i+1])
	}
	resp, err := http.Post(url, "application/x-www-form-urlencoded", strings.NewReader(strings.Join(form, "&")+"&Version=2010-05-08"))
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}

func TestDropReplyCommitsThenCloses(t *testing.T) {
	drop, err := ParseDropReply("CreateServiceSpecificCredential:2, iam:DeleteServiceSpecificCredential")
	if err != nil {
		t.Fatal(err)
	}
	s, _ := newServer(t, Config{Faults: Faults{DropReply: drop}})
	hs := httptest.NewServer(s)
	defer hs.Close()
	createUser(t, s, "ana")

	create := []string{"Action", "CreateServiceSpecificCredential", "UserName", "ana", "ServiceName", codecommit}
	for i := range 2 {
		if status, err := post(t, hs.URL, create...); err == nil {
			t.Fatalf("create %d: got a %d reply, want none", i, status)
		}
	}
	// Both creates were committed, though neither was answered.
	creds := listCreds(t, s, "UserName", "ana").Result.Creds
	if len(creds) != 2 {
		t.Fatalf("%d credentials after two dropped creates, want 2", len(creds))
	}
	// The count is spent: the third call is answered, and its error (the limit)
	// shows that the dropped calls had acted.
	if status, err := post(t, hs.URL, create...); err != nil || status != http.StatusConflict {
		t.Fatalf("third create: %d %v, want 409 LimitExceeded", status, err)
	}
	// Without a count every call loses its reply, an error reply too.
	for _, c := range creds {
		if _, err := post(t, hs.URL, "Action", "DeleteServiceSpecificCredential", "UserName", "ana", "ServiceSpecificCredentialId", c.ServiceSpecificCredentialId); err == nil {
			t.Fatal("delete answered")
		}
	}
	if _, err := post(t, hs.URL, "Action", "DeleteServiceSpecificCredential", "UserName", "ana", "ServiceSpecificCredentialId", creds[0].ServiceSpecificCredentialId); err == nil {
		t.Fatal("delete of a missing credential answered")
	}
	if n := len(listCreds(t, s, "UserName", "ana").Result.Creds); n != 0 {
		t.Fatalf("%d credentials left after the dropped deletes", n)
	}
	// Other actions are answered; SetFaults resets the counts.
	if status, err := post(t, hs.URL, "Action", "ListUsers"); err != nil || status != http.StatusOK {
		t.Fatalf("ListUsers: %d %v", status, err)
	}
	s.SetFaults(Faults{DropReply: map[string]int{"CreateServiceSpecificCredential": 1}})
	if _, err := post(t, hs.URL, create...); err == nil {
		t.Fatal("create answered after SetFaults")
	}
	if status, err := post(t, hs.URL, create...); err != nil || status != http.StatusOK {
		t.Fatalf("second create after SetFaults: %d %v", status, err)
	}
}

func TestDropRate(t *testing.T) {
	s, _ := newServer(t, Config{Faults: Faults{DropRate: 0.5}})
	hs := httptest.NewServer(s)
	defer hs.Close()
	lost := 0
	for range 200 {
		if _, err := post(t, hs.URL, "Action", "ListUsers"); err != nil {
			lost++
		}
	}
	if lost < 50 || lost > 150 {
		t.Fatalf("DropRate 0.5 lost %d of 200 replies", lost)
	}
}

func TestParseDropReply(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want map[string]int
		err  string
	}{
		{"", map[string]int{}, ""},
		{"ResetServiceSpecificCredential", map[string]int{"ResetServiceSpecificCredential": 0}, ""},
		{" CreateServiceSpecificCredential:3 ,sts:GetCallerIdentity:1,", map[string]int{"CreateServiceSpecificCredential": 3, "GetCallerIdentity": 1}, ""},
		{"CreateCredential", nil, `unknown action "CreateCredential"`},
		{"ListUsers:0", nil, "at least 1"},
		{"ListUsers:x", nil, "whole number"},
		{"ListUsers:-2", nil, "at least 1"},
		{"ListUsers,ListUsers:2", nil, "listed twice"},
	} {
		got, err := ParseDropReply(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: error %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || !maps.Equal(got, tc.want) {
			t.Errorf("%q: %v %v, want %v", tc.in, got, err, tc.want)
		}
	}
	for _, f := range []Faults{{DropReply: map[string]int{"Nope": 1}}, {DropReply: map[string]int{"ListUsers": -1}}, {DropRate: 1.5}} {
		if f.Validate() == nil {
			t.Errorf("%+v validated", f)
		}
		if _, err := New(Config{Faults: f}); err == nil {
			t.Errorf("New accepted %+v", f)
		}
	}
}

// A client that gives up during the latency over a real connection ends the
// request at once, so the server can close.
func TestLatencyEndsWhenTheClientLeaves(t *testing.T) {
	s, _ := newServer(t, Config{Faults: Faults{Latency: time.Hour}})
	hs := httptest.NewServer(s)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, hs.URL, strings.NewReader("Action=ListUsers&Version=2010-05-08"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatal("answered during an hour of latency")
	}
	closed := make(chan struct{})
	go func() { hs.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("the request sleeps on after its client left")
	}
}

// Every secret issued is told to Config.SecretIssued by its digest, a lost
// reply's too; Injected counts the faults by kind.
func TestSecretIssuedAndInjectedCounts(t *testing.T) {
	var mu sync.Mutex
	var issued []SecretIssued
	s, _ := newServer(t, Config{SecretIssued: func(i SecretIssued) {
		mu.Lock()
		defer mu.Unlock()
		issued = append(issued, i)
	}})
	createUser(t, s, "ana")
	created := createCred(t, s, "ana", codecommit)
	var reset credResponse
	wantOK(t, do(t, s, "Action", "ResetServiceSpecificCredential", "UserName", "ana", "ServiceSpecificCredentialId", created.ServiceSpecificCredentialId), &reset)
	hs := httptest.NewServer(s)
	defer hs.Close()
	s.SetFaults(Faults{DropReply: map[string]int{"ResetServiceSpecificCredential": 1}})
	if _, err := post(t, hs.URL, "Action", "ResetServiceSpecificCredential", "UserName", "ana", "ServiceSpecificCredentialId", created.ServiceSpecificCredentialId); err == nil {
		t.Fatal("the reset was answered")
	}
	s.SetFaults(Faults{ThrottleRate: 1})
	post(t, hs.URL, "Action", "ListUsers")
	post(t, hs.URL, "Action", "CreateServiceSpecificCredential", "UserName", "ana", "ServiceName", codecommit)
	s.SetFaults(Faults{FailRate: 1})
	post(t, hs.URL, "Action", "ListUsers")
	s.SetFaults(Faults{Deny: []string{"ListUsers"}})
	post(t, hs.URL, "Action", "ListUsers")

	mu.Lock()
	defer mu.Unlock()
	if len(issued) != 3 {
		t.Fatalf("%d secrets issued, want the create's and two resets'", len(issued))
	}
	want := []SecretIssued{
		{"CreateServiceSpecificCredential", "123456789012", "ana", created.ServiceSpecificCredentialId, sha256.Sum256([]byte(created.ServicePassword))},
		{"ResetServiceSpecificCredential", "123456789012", "ana", created.ServiceSpecificCredentialId, sha256.Sum256([]byte(reset.cred().ServicePassword))},
	}
	for i, w := range want {
		if issued[i] != w {
			t.Errorf("issued[%d] = %+v, want %+v", i, issued[i], w)
		}
	}
	if issued[2].Action != "ResetServiceSpecificCredential" || issued[2].SHA256 == issued[1].SHA256 {
		t.Errorf("the lost reset: %+v", issued[2])
	}
	if got := s.Injected(); got != (InjectedFaults{Denied: 1, Throttled: 2, Failed: 1, Dropped: 1}) {
		t.Errorf("Injected() = %+v", got)
	}
}

// The same FaultSeed and the same requests meet the same faults, across
// SetFaults; another seed, others.
func TestFaultSeedReplays(t *testing.T) {
	run := func(seed uint64) string {
		s, _ := newServer(t, Config{FaultSeed: seed, Faults: Faults{ThrottleRate: 0.5}})
		var b strings.Builder
		for i := range 64 {
			if i == 32 {
				s.SetFaults(Faults{ThrottleRate: 0.5})
			}
			b.WriteString(strconv.Itoa(do(t, s, "Action", "ListUsers").status / 100))
		}
		return b.String()
	}
	a, b, c := run(7), run(7), run(8)
	if a != b || a == c || !strings.Contains(a, "2") || !strings.Contains(a, "4") {
		t.Fatalf("seed 7: %s and %s; seed 8: %s", a, b, c)
	}
}
