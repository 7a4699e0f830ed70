package localiam

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
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
