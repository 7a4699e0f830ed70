package localiam

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

const (
	defaultAccountID = "123456789012"
	// DefaultMemberRole is the role Organizations creates in the accounts it creates.
	DefaultMemberRole = "OrganizationAccountAccessRole"
	// callerName is the IAM user the endpoint claims the caller is (STS identity
	// and AccessDenied messages); it need not exist in the state.
	callerName   = "iamcreds-demo"
	maxBodyBytes = 1 << 20
	iamVersion   = "2010-05-08"
)

var accountPattern = regexp.MustCompile(`^[0-9]{12}$`)

// Config configures a Server. The zero value is an empty account 123456789012.
type Config struct {
	// AccountID is the account, or an organization's management account:
	// default "123456789012", or the seed file's / state file's.
	AccountID string
	// Seed is the initial state: "empty" (default), "demo", "scale:N", the path
	// of a JSON file (format: see seed.go), or an organization: "org:demo" or
	// "org:ACCOUNTSxUSERS" (see seed_org.go). Ignored when StatePath exists.
	Seed   string
	Faults Faults
	// MemberRole is the role every member account of an organization seed has
	// and the management account trusts to assume (default
	// OrganizationAccountAccessRole, the role Organizations creates).
	MemberRole string
	// StatePath, if set, is loaded at start when it exists (instead of Seed) and
	// rewritten atomically, mode 0600, after every mutation. Secrets are never in
	// it. A state file holds one account, so it cannot be combined with an
	// organization seed.
	StatePath string
	// Now is the clock (default time.Now). Demo and scale seed dates are relative
	// to Now() at construction, so a fixed clock gives identical state.
	Now func() time.Time
	// Logf, if set, receives operational problems (a failed state write). Request
	// contents, and so secrets, are never logged.
	Logf func(format string, args ...any)
	// SecretIssued, if set, is told of every secret the endpoint issues (a
	// Create or Reset that succeeded), by its digest, before the reply is sent
	// or lost: a test counts them against the secrets a client received. It
	// may be called concurrently, with the account locked: it must not call
	// the server.
	SecretIssued func(SecretIssued)
	// Requests, if set, is told of every IAM Query call after it ran (or a
	// fault answered it), before its reply is sent or lost: a test's request
	// log. It is called concurrently, with no lock held.
	Requests func(Request)
	// ExtraServices are API-key services the endpoint accepts beside its
	// table, by name: a service AWS added that a client may not know yet.
	ExtraServices []string
	// FaultSeed, when not 0, seeds the random draws that decide the faults
	// (rates and jitter), across SetFaults: a run whose requests come in the
	// same order meets the same faults.
	FaultSeed uint64
}

// SecretIssued is one secret the endpoint issued. It never holds the secret.
type SecretIssued struct {
	Action       string // CreateServiceSpecificCredential or ResetServiceSpecificCredential
	AccountID    string
	UserName     string
	CredentialID string
	SHA256       [32]byte // of the password or API key as sent
}

// Server is an http.Handler that serves the IAM Query protocol, STS
// GetCallerIdentity and AssumeRole, and, for an organization, Organizations
// ListAccounts (JSON 1.1), all on one address, from in-memory state. It is safe
// for concurrent use.
type Server struct {
	home      *account      // the account, or the organization's management account
	org       *organization // nil outside an organization
	now       func() time.Time
	statePath string
	logf      func(format string, args ...any)
	issued    func(SecretIssued) // Config.SecretIssued, or nil
	requests  func(Request)      // Config.Requests, or nil
	faults    atomic.Pointer[faultSet]
	byAccount atomic.Pointer[accountFaults] // SetAccountFaults
	// rateClock paces Faults.Rate: real time even when now is fixed (tests
	// of this package replace it).
	rateClock func() time.Time
	injected  [faultKinds]atomic.Int64 // faults injected since New, by kind
	draws     *draws                   // what faults are decided by (Config.FaultSeed)

	extraServices []string // Config.ExtraServices

	sessionsMu   sync.Mutex // guards sessions and sessionOrder
	sessions     map[string]*session
	sessionOrder []string // access key IDs, oldest first

	pendingMu sync.Mutex // guards pending
	pending   []byte     // the newest state not yet written, if any

	persistMu  sync.Mutex // serializes state writes; guards persistErr
	persistErr error
}

// New builds a Server from cfg: the state file if it exists, else the seed.
func New(cfg Config) (*Server, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	if cfg.MemberRole == "" {
		cfg.MemberRole = DefaultMemberRole
	}
	if err := cfg.Faults.Validate(); err != nil {
		return nil, err
	}
	if cfg.AccountID != "" && !accountPattern.MatchString(cfg.AccountID) {
		return nil, fmt.Errorf("account ID %q is not 12 digits", cfg.AccountID)
	}
	if n := len(cfg.MemberRole); n > 64 || !userNameSpec.valid(cfg.MemberRole) {
		return nil, fmt.Errorf("member role %q must be 1-64 characters of %s", cfg.MemberRole, userNameSpec.pattern)
	}
	now := cfg.Now().UTC().Truncate(time.Second)
	for _, name := range cfg.ExtraServices {
		if !strings.HasSuffix(name, ".amazonaws.com") || strings.ContainsAny(name, " /:") {
			return nil, fmt.Errorf("extra service %q is not a name such as next.amazonaws.com", name)
		}
	}
	s := &Server{now: cfg.Now, statePath: cfg.StatePath, logf: cfg.Logf, issued: cfg.SecretIssued, requests: cfg.Requests,
		draws: newDraws(cfg.FaultSeed), rateClock: time.Now, extraServices: cfg.ExtraServices}
	if spec, isOrg := strings.CutPrefix(cfg.Seed, "org:"); isOrg {
		if cfg.StatePath != "" {
			return nil, fmt.Errorf("seed %q: a state file holds one account, so it cannot keep an organization", cfg.Seed)
		}
		org, err := s.buildOrganization(spec, cfg, now)
		if err != nil {
			return nil, fmt.Errorf("seed %q: %w", cfg.Seed, err)
		}
		s.org, s.home = org, org.accounts[0]
		if cfg.Seed == "org:demo" {
			s.home.seedDemoStores(now)
		}
		s.SetFaults(cfg.Faults)
		return s, nil
	}
	fs, origin, err := initialState(cfg, now)
	if err != nil {
		return nil, err
	}
	id := cfg.AccountID
	switch {
	case fs.AccountID == "":
	case !accountPattern.MatchString(fs.AccountID):
		return nil, fmt.Errorf("%s: account_id %q is not 12 digits", origin, fs.AccountID)
	case id == "":
		id = fs.AccountID
	case id != fs.AccountID:
		return nil, fmt.Errorf("%s is for account %s, not %s", origin, fs.AccountID, id)
	}
	if id == "" {
		id = defaultAccountID
	}
	st, err := buildState(fs, id, now, seededReader(origin))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", origin, err)
	}
	s.home = &account{id: id, srv: s, st: st, accessKey: accountAccessKey(id)}
	if origin == "seed demo" {
		s.home.seedDemoStores(now)
	}
	s.SetFaults(cfg.Faults)
	if s.statePath != "" {
		// Write at once so that an unusable path fails now, not at the first change.
		if err := s.flush(); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// SetFaults replaces the injected faults; requests already past the fault checks
// are unaffected. Deny entries that Faults.Validate rejects are ignored.
// A Rate's buckets start full.
func (s *Server) SetFaults(f Faults) { s.faults.Store(compileFaults(f, s.draws, s.rateClock)) }

// Close writes the state file one last time (if any) and reports any state
// write that failed since New.
func (s *Server) Close() error {
	if s.statePath == "" {
		return nil
	}
	err := s.flush()
	s.persistMu.Lock()
	defer s.persistMu.Unlock()
	return errors.Join(s.persistErr, err)
}

// action is one operation of the Query protocol.
type action struct {
	ns string
	// hasResult: the response carries {Op}Result (operations with no output don't).
	hasResult bool
	// mutates: the state file must be written before the response is sent.
	mutates bool
	run     func(s *Server, p principal, form url.Values) (*xmlBuilder, *apiError)
}

// inAccount adapts an IAM handler: IAM acts on the account of the signer.
func inAccount(run func(a *account, form url.Values) (*xmlBuilder, *apiError)) func(*Server, principal, url.Values) (*xmlBuilder, *apiError) {
	return func(_ *Server, p principal, form url.Values) (*xmlBuilder, *apiError) { return run(p.acct, form) }
}

var actions = map[string]action{
	"ListUsers":                       {iamNamespace, true, false, inAccount((*account).listUsers)},
	"GetUser":                         {iamNamespace, true, false, inAccount((*account).getUser)},
	"CreateUser":                      {iamNamespace, true, true, inAccount((*account).createUser)},
	"DeleteUser":                      {iamNamespace, false, true, inAccount((*account).deleteUser)},
	"ListServiceSpecificCredentials":  {iamNamespace, true, false, inAccount((*account).listCredentials)},
	"CreateServiceSpecificCredential": {iamNamespace, true, true, inAccount((*account).createCredential)},
	"UpdateServiceSpecificCredential": {iamNamespace, false, true, inAccount((*account).updateCredential)},
	"ResetServiceSpecificCredential":  {iamNamespace, true, false, inAccount((*account).resetCredential)}, // secrets are not stored
	"DeleteServiceSpecificCredential": {iamNamespace, false, true, inAccount((*account).deleteCredential)},
	"ListAccessKeys":                  {iamNamespace, true, false, inAccount((*account).listAccessKeys)},
	"CreateAccessKey":                 {iamNamespace, true, true, inAccount((*account).createAccessKey)},
	"UpdateAccessKey":                 {iamNamespace, false, true, inAccount((*account).updateAccessKey)},
	"DeleteAccessKey":                 {iamNamespace, false, true, inAccount((*account).deleteAccessKey)},
	"GetLoginProfile":                 {iamNamespace, true, false, inAccount((*account).getLoginProfile)},
	"CreateLoginProfile":              {iamNamespace, true, true, inAccount((*account).createLoginProfile)},
	"DeleteLoginProfile":              {iamNamespace, false, true, inAccount((*account).deleteLoginProfile)},
	"ListAttachedUserPolicies":        {iamNamespace, true, false, inAccount((*account).listAttachedUserPolicies)},
	"AttachUserPolicy":                {iamNamespace, false, true, inAccount((*account).attachUserPolicy)},
	"DetachUserPolicy":                {iamNamespace, false, true, inAccount((*account).detachUserPolicy)},
	"ListUserPolicies":                {iamNamespace, true, false, inAccount((*account).listUserPolicies)},
	"PutUserPolicy":                   {iamNamespace, false, true, inAccount((*account).putUserPolicy)},
	"DeleteUserPolicy":                {iamNamespace, false, true, inAccount((*account).deleteUserPolicy)},
	"ListGroupsForUser":               {iamNamespace, true, false, inAccount((*account).listGroupsForUser)},
	"AddUserToGroup":                  {iamNamespace, false, true, inAccount((*account).addUserToGroup)},
	"RemoveUserFromGroup":             {iamNamespace, false, true, inAccount((*account).removeUserFromGroup)},
	"GetCallerIdentity":               {stsNamespace, true, false, (*Server).getCallerIdentity},
	"AssumeRole":                      {stsNamespace, true, false, (*Server).assumeRole},
	"GetAccessKeyInfo":                {stsNamespace, true, false, (*Server).getAccessKeyInfo},
}

// ServeHTTP answers one request: the JSON protocol of Secrets Manager,
// Parameter Store or Organizations when it names an X-Amz-Target, else the
// Query protocol of IAM and STS. Faults come first,
// before any validation or state change, so that an injected failure never
// half-applies; a dropped reply comes last, after the call has run.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	requestID := newRequestID()
	w.Header().Set("x-amzn-RequestId", requestID)
	faults := s.faults.Load()
	// The body is read before the latency: until it is, the server cannot notice
	// a client that gave up, and the request would sleep on for nobody.
	prefetchBody(w, r)
	if !faults.delay(r.Context()) {
		return // the client is gone
	}
	if target := r.Header.Get("X-Amz-Target"); target != "" {
		if svc, op := storeFor(target); svc != nil {
			s.serveStore(w, r, svc, op, faults)
			return
		}
		s.serveJSON(w, r, target, faults)
		return
	}
	form, ferr := readForm(w, r)
	if ferr != nil {
		writeError(w, iamNamespace, requestID, ferr)
		return
	}
	form.Del(noteBefore)
	form.Del(noteCreated)
	name := form.Get("Action")
	act, known := actions[name]
	ns := iamNamespace
	if known {
		ns = act.ns
	}
	caller, aerr := s.resolve(r)
	if aerr != nil {
		writeError(w, ns, requestID, aerr)
		return
	}
	faults = s.faultsFor(caller, faults)
	key := accessKeyID(r)
	if err := faults.inject(caller, name, form); err != nil {
		s.injected[kindOfFault(err)].Add(1)
		if ns == iamNamespace {
			s.logRequest(Request{Code: err.Code, Injected: true}, caller, key, form)
		}
		writeError(w, ns, requestID, err)
		return
	}
	if !known {
		if name == "" {
			writeError(w, ns, requestID, errMissingAction)
			return
		}
		version := form.Get("Version")
		if version == "" {
			version = iamVersion
		}
		writeError(w, ns, requestID, invalidAction(name, version))
		return
	}
	if faults.dropRequest(name) {
		s.injected[faultDropped].Add(1)
		loseReply(w)
		return
	}
	result, err := act.run(s, caller, form)
	if act.mutates {
		s.persistPending() // on disk before the response, so a crash loses no acknowledged change
	}
	drop := faults.dropReply(name)
	if ns == iamNamespace {
		logged := Request{Dropped: drop}
		if err != nil {
			logged.Code = err.Code
		}
		s.logRequest(logged, caller, key, form)
	}
	if drop {
		s.injected[faultDropped].Add(1)
		loseReply(w)
		return
	}
	if err != nil {
		writeError(w, ns, requestID, err)
		return
	}
	if !act.hasResult {
		result = nil
	}
	writeResult(w, ns, name, requestID, result)
}

// prefetchBody reads the body (at most maxBodyBytes) and puts it back, with
// any read error after it for the protocol's reader to meet.
func prefetchBody(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	rest := io.Reader(bytes.NewReader(nil))
	if err != nil {
		rest = failingReader{err}
	}
	r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), rest))
}

type failingReader struct{ err error }

func (f failingReader) Read([]byte) (int, error) { return 0, f.err }

// readForm decodes the form body. Values in the URL query are ignored: the SDKs
// send everything in the body (contract §1.1).
func readForm(w http.ResponseWriter, r *http.Request) (url.Values, *apiError) {
	if r.Method != http.MethodPost {
		return nil, errNotQuery
	}
	mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mediaType != "application/x-www-form-urlencoded" {
		return nil, errNotQuery
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		if _, tooBig := errors.AsType[*http.MaxBytesError](err); tooBig {
			return nil, errBodyTooLarge
		}
		return nil, errMalformedBody
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, errMalformedBody
	}
	return form, nil
}

// clock returns the request time as IAM records it: UTC, whole seconds.
func (s *Server) clock() time.Time { return s.now().UTC().Truncate(time.Second) }
