package ui

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"iamcreds/awsclient/localiam"
	"iamcreds/model"
)

// The proof of the randomized runs (random_test.go, random_org_test.go), what
// they share: the endpoint's request log, what each key asked to be written,
// and a colleague changing IAM behind the UI's back.
//
// Invariants, checked after each operation:
//   - every write the endpoint received from the UI names the credential (the
//     account, user and ID) selected when its key was pressed, and is the write
//     that key asks for;
//   - nothing was deleted that the plan did not name, in the state IAM had:
//     a delete of a credential IAM held Active is a violation unless the
//     person chose to delete it as it was (d, X);
//   - a write whose outcome the UI gives is what IAM did: "done" for a create
//     or reset IAM never carried out, "failed" for a write it carried out, or
//     a credential claimed as a create's own that another client made, are
//     violations; an unknown outcome is said as unknown ("may").

const (
	actCreate = "CreateServiceSpecificCredential"
	actUpdate = "UpdateServiceSpecificCredential"
	actReset  = "ResetServiceSpecificCredential"
	actDelete = "DeleteServiceSpecificCredential"
)

func isWrite(action string) bool {
	return action == actCreate || action == actUpdate || action == actReset || action == actDelete
}

// reqLog is the endpoint's request log (localiam.Config.Requests).
type reqLog struct {
	uiKey string // the UI's long-term key; a role session is the UI's too

	mu        sync.Mutex
	reqs      []localiam.Request
	mateMade  map[string]bool // credentials the colleague created: their secrets are its own
	onRequest func(localiam.Request)
}

func newReqLog(uiKey string) *reqLog {
	return &reqLog{uiKey: uiKey, mateMade: map[string]bool{}}
}

func (l *reqLog) add(q localiam.Request) {
	l.mu.Lock()
	l.reqs = append(l.reqs, q)
	if !l.fromUI(q) && q.Created != "" {
		l.mateMade[q.Created] = true
	}
	on := l.onRequest
	l.mu.Unlock()
	if on != nil {
		on(q)
	}
}

// fromUI: the request was signed by the UI (its key, or a role it assumed).
func (l *reqLog) fromUI(q localiam.Request) bool { return q.AccessKeyID == l.uiKey || q.Role != "" }

func (l *reqLog) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.reqs)
}

func (l *reqLog) since(i int) []localiam.Request {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.reqs[min(i, len(l.reqs)):])
}

func (l *reqLog) madeByMate(id string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.mateMade[id]
}

// credRef names a credential as the endpoint does: account, user, ID.
type credRef struct{ acct, user, id string }

func (c credRef) String() string { return c.acct + "/" + c.user + "/" + c.id }

// allowed are the writes the keys of one operation asked for, with why.
type allowed struct {
	update map[statusChange]bool
	reset  map[credRef]bool
	del    map[credRef]string // → who asked: "d" and "X" may delete an Active one
	create map[[3]string]bool // account, user, service
}

// statusChange is a credential and the status asked for.
type statusChange struct {
	ref credRef
	to  string
}

func (a *allowed) clear() {
	*a = allowed{update: map[statusChange]bool{}, reset: map[credRef]bool{}, del: map[credRef]string{}, create: map[[3]string]bool{}}
}

// chosenAsShown: the person chose to delete the credential as the screen showed it.
func chosenAsShown(why string) bool { return why == "d" || why == "X" }

// checkWrites judges the UI's writes the endpoint received since the last call.
func (r *randomRun) checkWrites() {
	first := r.judged
	reqs := r.log.since(first)
	r.judged += len(reqs)
	for i, q := range reqs {
		if !r.log.fromUI(q) || !isWrite(q.Action) {
			continue
		}
		r.uiWrites++
		r.counts["sent: "+strings.TrimSuffix(q.Action, "ServiceSpecificCredential")]++
		ref := credRef{q.AccountID, q.UserName, q.CredentialID}
		switch q.Action {
		case actCreate:
			if !r.allow.create[[3]string{q.AccountID, q.UserName, q.ServiceName}] && !r.allow.create[[3]string{q.AccountID, q.UserName, "*"}] {
				r.fail("IAM received a create of a %s credential for %s in %s that no key asked for (asked: %v)",
					q.ServiceName, q.UserName, q.AccountID, r.allow.create)
			}
		case actUpdate:
			if !r.allow.update[statusChange{ref, q.Status}] {
				r.fail("IAM received a change of %s to %s that no key asked for (asked: %v)", ref, q.Status, r.allow.update)
			}
		case actReset:
			if !r.allow.reset[ref] {
				r.fail("IAM received a reset of %s that no key asked for (asked: %v)", ref, r.allow.reset)
			}
		case actDelete:
			why, ok := r.allow.del[ref]
			switch {
			case !ok:
				r.fail("IAM received a delete of %s that no key asked for (asked: %v)", ref, r.allow.del)
			case q.Before == string(model.Active) && !chosenAsShown(why) && q.Code == "" && !q.Injected:
				if r.activatedSinceRead(ref, first+i) {
					r.raced++ // no client can close that window: IAM has no conditional delete
					continue
				}
				r.fail("%s deleted %s, which IAM held Active at the time: the plan named it as not Active", why, ref)
			}
		}
	}
}

// activatedSinceRead: another client activated ref after the UI last read
// its user, before the UI's delete at log index at: the re-read could not
// have seen it.
func (r *randomRun) activatedSinceRead(ref credRef, at int) bool {
	all := r.log.since(0)
	read, activated := -1, -1
	for i, q := range all[:min(at, len(all))] {
		switch {
		case q.AccountID != ref.acct || q.UserName != ref.user || q.Code != "" || q.Injected:
		case r.log.fromUI(q) && q.Action == "ListServiceSpecificCredentials" && !q.Dropped:
			read = i
		case !r.log.fromUI(q) && q.Action == actUpdate && q.CredentialID == ref.id && q.Status == string(model.Active):
			activated = i
		}
	}
	return activated > read
}

// judgeOutcome compares what the UI says of a write (its error) with what
// the endpoint did, by the log since the operation started (an operation
// toggles a credential at most once each way). While rotating, the rotation
// dialog, not the status line, says an unknown (judgeRotationEnd).
func (r *randomRun) judgeOutcome(action, user, id, service, status string, err error) {
	acted, made := false, map[string]bool{}
	for _, q := range r.log.since(r.opStart) {
		if !r.log.fromUI(q) || q.Action != action || q.UserName != user || id != "" && q.CredentialID != id ||
			service != "" && q.ServiceName != service || status != "" && q.Status != status || q.Code != "" || q.Injected {
			continue
		}
		acted = true
		if q.Created != "" {
			made[q.Created] = true
		}
	}
	what := strings.TrimSuffix(action, "ServiceSpecificCredential") + " " + user + " " + id + service
	flat := strings.Join(strings.Fields(r.d.m.status().text), " ")
	var me *model.Error
	switch kind := model.KindOf(err); {
	case err == nil:
		if (action == actCreate || action == actReset) && !acted {
			r.fail("the UI says %s was done, but IAM never carried it out", what)
		}
	case kind == model.KindSecretLost:
		if errors.As(err, &me) && !made[me.ID] {
			r.fail("the UI takes %s for the credential its create made (%s), but IAM made it for another client; the UI's own: %v",
				me.ID, what, mapKeys(made))
		}
		// Another client's credential may be named only as maybe this request's.
		for _, id := range credIDs.FindAllString(errorText(err), -1) {
			if id != me.ID && !made[id] && r.log.madeByMate(id) && !strings.Contains(errorText(err), "may") {
				r.fail("the UI names %s as made by its create (%s), but IAM made it for another client: %q", id, what, errorText(err))
			}
		}
	case kind == model.KindUnconfirmed || kind == model.KindResetUnconfirmed:
		r.unknowns++
		r.bulkUnknown += map[bool]int{true: 1}[r.bulkCall != ""]
		if !r.rotating && r.bulkCall == "" && !strings.Contains(flat, "may") {
			r.fail("the outcome of %s is unknown, but the status does not say so: %q", what, flat)
		}
	default:
		if acted && !r.mate.touchedInOp(user, id) {
			r.fail("the UI says %s failed (%s), but IAM carried it out; status %q; the endpoint saw:\n%s", what, errorText(err), flat, r.trail(user, id))
		}
	}
}

// trail is what the endpoint saw of user's credential id (any, when "")
// since the operation started, one request a line.
func (r *randomRun) trail(user, id string) string {
	var lines []string
	for _, q := range r.log.since(r.opStart) {
		if q.UserName == user && (id == "" || q.CredentialID == id || q.Created == id) {
			lines = append(lines, fmt.Sprintf("    %+v", q))
		}
	}
	return strings.Join(lines, "\n")
}

// credIDs finds credential IDs in a text.
var credIDs = regexp.MustCompile(`ACCA[A-Z2-7]{17}`)

func mapKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// colleague is a second writer: another client on the same endpoint that
// creates credentials, activates Inactive ones, deactivates and deletes,
// between the UI's operations and during them (armed: at the UI's next
// request that when accepts, before the endpoint answers it).
type colleague struct {
	url   string
	keyOf func(acct string) string // the long-term key that signs as an account
	hc    *http.Client

	mu      sync.Mutex
	armed   *mateAct
	acts    map[string]int
	touched map[string]bool // "user" and "user/id" changed since the last verify
	deleted map[string]bool // the credentials it sent a delete of
	inOp    map[string]bool // … since the operation started
}

type mateAct struct {
	kind    string // create, activate, deactivate, delete
	ref     credRef
	service string
	when    func(localiam.Request) bool
	fn      func() // instead of a request: a change of the endpoint's faults
}

func newColleague(url string, keyOf func(string) string, log *reqLog) *colleague {
	c := &colleague{url: url, keyOf: keyOf, hc: &http.Client{Transport: &http.Transport{}},
		acts: map[string]int{}, touched: map[string]bool{}, inOp: map[string]bool{}, deleted: map[string]bool{}}
	log.onRequest = func(q localiam.Request) {
		if !log.fromUI(q) {
			return
		}
		c.mu.Lock()
		a := c.armed
		if a == nil || !a.when(q) {
			c.mu.Unlock()
			return
		}
		c.armed = nil
		c.mu.Unlock()
		if a.service == "" {
			a.service = q.ServiceName
		}
		c.do(*a) // before the endpoint answers the UI's request
	}
	return c
}

func (c *colleague) arm(a mateAct) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.armed = &a
}

func (c *colleague) disarm() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.armed = nil
}

func (c *colleague) startOp() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.inOp = map[string]bool{}
}

func (c *colleague) touchedInOp(user, id string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.inOp[user+"/"+id] || id == "" && c.inOp[user]
}

// takeTouched reports whether it changed anything since the last call.
func (c *colleague) takeTouched() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := len(c.touched)
	c.touched = map[string]bool{}
	return n > 0
}

// do sends the act, again when a fault answered it before it reached the state.
func (c *colleague) do(a mateAct) {
	if a.fn != nil {
		a.fn()
		return
	}
	form := url.Values{"Version": {"2010-05-08"}, "UserName": {a.ref.user}}
	switch a.kind {
	case "create":
		form.Set("Action", actCreate)
		form.Set("ServiceName", a.service)
		if model.LookupService(a.service).SupportsExpiry() {
			form.Set("CredentialAgeDays", "30")
		}
	case "activate", "deactivate":
		form.Set("Action", actUpdate)
		form.Set("ServiceSpecificCredentialId", a.ref.id)
		form.Set("Status", map[string]string{"activate": "Active", "deactivate": "Inactive"}[a.kind])
	case "delete":
		form.Set("Action", actDelete)
		form.Set("ServiceSpecificCredentialId", a.ref.id)
	}
	c.mu.Lock()
	c.acts[a.kind]++
	if a.kind == "delete" {
		c.deleted[a.ref.id] = true
	}
	for _, m := range []map[string]bool{c.touched, c.inOp} {
		m[a.ref.user] = true
		if a.ref.id != "" {
			m[a.ref.user+"/"+a.ref.id] = true
		}
	}
	c.mu.Unlock()
	for range 3 {
		req, _ := http.NewRequest(http.MethodPost, c.url, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+c.keyOf(a.ref.acct)+"/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=x")
		resp, err := c.hc.Do(req)
		if err != nil {
			return // its reply was lost: the log says what happened
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(body), "<Code>Throttling</Code>") && !strings.Contains(string(body), "<Code>ServiceFailure</Code>") {
			return
		}
	}
}

func (c *colleague) close() { c.hc.CloseIdleConnections() }

// didDelete: it sent a delete of credential id.
func (c *colleague) didDelete(id string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.deleted[id]
}

func (c *colleague) summary() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return fmt.Sprintf("%v", c.acts)
}

// heldCred is a credential the UI lists, with its account.
type heldCred struct {
	acct string
	cred model.Credential
}

// pickMate chooses a colleague's act from what the UI lists: users to create
// for, credentials to change.
func (r *randomRun) pickMate() (mateAct, bool) {
	creds, users := r.world()
	n := r.rng.IntN(100)
	switch {
	case n < 40 && len(users) > 0:
		u := users[r.rng.IntN(len(users))]
		svc := model.Catalog()[r.rng.IntN(len(model.Catalog()))].Name
		return mateAct{kind: "create", ref: credRef{u[0], u[1], ""}, service: svc}, true
	case len(creds) == 0:
		return mateAct{}, false
	}
	var inactive []heldCred
	for _, c := range creds {
		if c.cred.Status == model.Inactive {
			inactive = append(inactive, c)
		}
	}
	c := creds[r.rng.IntN(len(creds))]
	kind := "delete"
	switch {
	case n < 70 && len(inactive) > 0:
		c, kind = inactive[r.rng.IntN(len(inactive))], "activate"
	case n < 82:
		kind = "deactivate"
	}
	return mateAct{kind: kind, ref: credRef{c.acct, c.cred.UserName, c.cred.ID}, service: c.cred.Service}, true
}

// uiWrite is the colleague's trigger "during": the UI's next write.
func uiWrite(q localiam.Request) bool { return isWrite(q.Action) }

// mateNow: the colleague acts between the UI's operations.
func (r *randomRun) mateNow() {
	for range 1 + r.rng.IntN(2) {
		if a, ok := r.pickMate(); ok {
			r.mate.do(a)
		}
	}
}

// maybeArmMate: now and then the colleague acts during the operation about to
// start, at the UI's first write.
func (r *randomRun) maybeArmMate() {
	if r.rng.IntN(100) < 15 {
		if a, ok := r.pickMate(); ok {
			a.when = uiWrite
			r.mate.arm(a)
		}
	}
}

// armCreateRace: the colleague creates a credential of the service for the
// user in the window a create of the UI leaves open when it may not have
// reached IAM (a 500) or its reply was lost: the UI must not take it for its own.
func (r *randomRun) armCreateRace(acct, user, service string) {
	if r.rng.IntN(100) >= 40 {
		return
	}
	r.mate.arm(mateAct{kind: "create", ref: credRef{acct, user, ""}, service: service, when: func(q localiam.Request) bool {
		return q.Action == actCreate && q.AccountID == acct && q.UserName == user && (q.Injected && q.Code == "ServiceFailure" || q.Dropped)
	}})
	r.races++
}

// armBlackout: the UI's next create for user in acct is carried out and its
// reply lost, and from then every call to the account fails until restore:
// the listing that would tell whether it happened fails too, so its outcome
// is unknown, and must be said so.
func (r *randomRun) armBlackout(acct, user string) (restore func()) {
	faults := map[string]localiam.Faults{}
	if r.org != nil {
		for id, f := range r.org.faults {
			faults[id] = f
		}
	}
	with := func(f localiam.Faults) map[string]localiam.Faults {
		out := map[string]localiam.Faults{acct: f}
		for id, f := range faults {
			if id != acct {
				out[id] = f
			}
		}
		return out
	}
	r.srv.SetAccountFaults(with(localiam.Faults{DropReply: map[string]int{actCreate: 1}}))
	r.mate.arm(mateAct{when: func(q localiam.Request) bool {
		return q.Action == actCreate && q.AccountID == acct && q.UserName == user && q.Dropped
	}, fn: func() { r.srv.SetAccountFaults(with(localiam.Faults{FailRate: 1})) }})
	r.blackouts++
	return func() {
		r.mate.disarm()
		r.srv.SetAccountFaults(faults)
	}
}

// secretlessRate is the fraction of the UI's creates whose reply arrives
// without its secret: IAM created the credential and the reply names it, so
// the UI must say the secret was never received, and mark it secret-lost.
const secretlessRate = 0.05

// secretless serves next, taking the secret out of a seeded few of the
// UI's create replies (uiKey signs them, or a role session).
func secretless(next http.Handler, seed uint64, uiKey string, stripped *atomic.Int64) http.Handler {
	var mu sync.Mutex
	draws := rand.New(rand.NewPCG(seed, 5))
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		key := req.Header.Get("Authorization")
		ui := strings.Contains(key, "Credential="+uiKey+"/") || strings.Contains(key, "Credential=ASIA")
		body, _ := io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
		form, _ := url.ParseQuery(string(body))
		mu.Lock()
		strip := ui && form.Get("Action") == actCreate && draws.Float64() < secretlessRate
		mu.Unlock()
		if !strip {
			next.ServeHTTP(w, req)
			return
		}
		stripped.Add(1)
		stripSecrets(actCreate, w, req, next)
	})
}
