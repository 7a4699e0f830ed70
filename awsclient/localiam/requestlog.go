package localiam

import "net/url"

// The request log: what the endpoint did with each IAM call, for a test that
// checks every write hit the credential it was meant for (Config.Requests).

// Request is one IAM Query call as the endpoint handled it. It never holds a
// secret.
type Request struct {
	AccountID   string // the account it acted in
	AccessKeyID string // who signed it: tells a test's own writers apart
	Role        string // the assumed role that signed it; "" for a long-term key
	Action      string
	// As asked.
	UserName, CredentialID, ServiceName, Status string
	// Before is the target credential's status (Active, Inactive, Expired)
	// when Update, Reset or Delete acted on it, read under the account's lock;
	// "" when the call did not reach it.
	Before string
	// Created is the ID of the credential a Create made.
	Created string
	// Code is the error code answered ("" when the call succeeded).
	Code string
	// Injected: a fault answered before the call touched the state.
	Injected bool
	// Dropped: the call ran, and its reply was lost.
	Dropped bool
}

// Form keys the handlers note what they saw under their lock with, for the
// request log; a client's own values under these keys are dropped first.
const (
	noteBefore  = "\x00before"
	noteCreated = "\x00created"
)

// accountFaults are faults that replace Config.Faults for some accounts.
type accountFaults = map[string]*faultSet

// SetAccountFaults gives the named accounts faults of their own, in place of
// those of SetFaults; nil or an empty map leaves every account with those.
// The draws are the server's (Config.FaultSeed).
func (s *Server) SetAccountFaults(by map[string]Faults) {
	m := accountFaults{}
	for id, f := range by {
		m[id] = compileFaults(f, s.draws, s.rateClock)
	}
	s.byAccount.Store(&m)
}

// faultsFor is the faults of a request signed as p.
func (s *Server) faultsFor(p principal, global *faultSet) *faultSet {
	if m := s.byAccount.Load(); m != nil && p.acct != nil {
		if f, ok := (*m)[p.acct.id]; ok {
			return f
		}
	}
	return global
}

// logRequest tells Config.Requests of a call.
func (s *Server) logRequest(r Request, p principal, key string, form url.Values) {
	if s.requests == nil {
		return
	}
	if p.acct != nil {
		r.AccountID = p.acct.id
	}
	r.AccessKeyID, r.Role = key, p.role
	r.Action = form.Get("Action")
	r.UserName, r.CredentialID = form.Get("UserName"), form.Get("ServiceSpecificCredentialId")
	r.ServiceName, r.Status = form.Get("ServiceName"), form.Get("Status")
	r.Before, r.Created = form.Get(noteBefore), form.Get(noteCreated)
	s.requests(r)
}
