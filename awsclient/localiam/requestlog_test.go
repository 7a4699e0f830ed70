package localiam

import (
	"regexp"
	"sync"
	"testing"
)

// The request log names each call's target, the target's status when the
// call acted, a create's new ID, and what the caller was answered.
func TestRequestLog(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var log []Request
	s, _ := newServer(t, Config{Requests: func(r Request) { mu.Lock(); log = append(log, r); mu.Unlock() }})
	do(t, s, "Action", "CreateUser", "UserName", "u")
	created := do(t, s, "Action", "CreateServiceSpecificCredential", "UserName", "u", "ServiceName", "codecommit.amazonaws.com")
	id := regexp.MustCompile(`<ServiceSpecificCredentialId>([^<]+)<`).FindStringSubmatch(created.body)[1]
	do(t, s, "Action", "UpdateServiceSpecificCredential", "UserName", "u", "ServiceSpecificCredentialId", id, "Status", "Inactive",
		"\x00before", "Active") // a client's own note is dropped
	s.SetAccountFaults(map[string]Faults{defaultAccountID: {DropReply: map[string]int{"DeleteServiceSpecificCredential": 1}}})
	func() {
		defer func() { _ = recover() }() // a recorder cannot be hijacked: the lost reply panics
		do(t, s, "Action", "DeleteServiceSpecificCredential", "UserName", "u", "ServiceSpecificCredentialId", id)
	}()
	s.SetAccountFaults(map[string]Faults{defaultAccountID: {FailRate: 1}})
	do(t, s, "Action", "DeleteServiceSpecificCredential", "UserName", "u", "ServiceSpecificCredentialId", id)
	s.SetAccountFaults(nil)
	do(t, s, "Action", "DeleteServiceSpecificCredential", "UserName", "u", "ServiceSpecificCredentialId", id)
	want := []Request{
		{Action: "CreateUser", UserName: "u"},
		{Action: "CreateServiceSpecificCredential", UserName: "u", ServiceName: "codecommit.amazonaws.com", Created: id},
		{Action: "UpdateServiceSpecificCredential", UserName: "u", CredentialID: id, Status: "Inactive", Before: "Active"},
		{Action: "DeleteServiceSpecificCredential", UserName: "u", CredentialID: id, Before: "Inactive", Dropped: true},
		{Action: "DeleteServiceSpecificCredential", UserName: "u", CredentialID: id, Code: "ServiceFailure", Injected: true},
		{Action: "DeleteServiceSpecificCredential", UserName: "u", CredentialID: id, Code: "NoSuchEntity"},
	}
	if len(log) != len(want) {
		t.Fatalf("log %+v", log)
	}
	for i, w := range want {
		w.AccountID = defaultAccountID
		if log[i] != w {
			t.Errorf("request %d: %+v\nwant %+v", i, log[i], w)
		}
	}
}
