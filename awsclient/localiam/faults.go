package localiam

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Faults are failures injected before a request touches the state, in this
// order: latency, deny, throttle, fail; and one injected after it: a dropped reply.
type Faults struct {
	Latency, Jitter time.Duration // each request sleeps Latency + rand[0,Jitter)
	ThrottleRate    float64       // fraction of requests answered 400 Throttling "Rate exceeded"
	FailRate        float64       // fraction answered 500 ServiceFailure
	// Rate limits each account's IAM requests to this many a second, as IAM
	// limits an account: a token bucket that holds Burst requests (0: one
	// second's worth) and refills at Rate; a request that finds it empty is
	// answered 400 Throttling "Rate exceeded". 0 is no limit. STS and
	// Organizations requests do not count.
	Rate  float64
	Burst int
	// Deny lists actions answered 403 AccessDenied, e.g. "CreateUser". The form
	// "ListServiceSpecificCredentials:AllUsers" denies only calls with AllUsers=true.
	// An "iam:", "sts:", "organizations:", "secretsmanager:" or "ssm:" prefix is
	// allowed ("ListAccounts", "AssumeRole", "PutSecretValue", "PutParameter"
	// are actions too; the JSON services answer 400 AccessDeniedException).
	Deny []string
	// DenyAssume lists 12-digit account IDs into which sts:AssumeRole is
	// answered 403 AccessDenied, as a role's trust policy or an SCP would.
	DenyAssume []string
	// DropReply loses the reply of calls to an action, as a network that fails
	// after the request arrived would: the call runs to the end (a write is
	// committed, an error is decided), then the connection is closed without an
	// answer. The value is how many calls lose their reply, counted from New or
	// SetFaults; 0 means every call. ParseDropReply reads "Action[:N],…".
	DropReply map[string]int
	// DropRequest loses calls to an action (IAM, STS, Secrets Manager, Parameter
	// Store) before they are handled, as a network that fails on the way there
	// would: nothing changes, and the connection is closed without an answer,
	// so the client cannot tell it from a lost reply. Counts as for DropReply;
	// a call whose request is dropped does not count towards DropReply.
	DropRequest map[string]int
	// DropRate is the fraction of all calls (any action) whose reply is lost the
	// same way, after the DropReply counts.
	DropRate float64
}

// ParseDropReply reads a comma-separated list of "Action[:N]": the reply of the
// first N calls to Action is lost (every call's when N is omitted). An "iam:",
// "sts:" or "organizations:" prefix is allowed. "" is no drops.
func ParseDropReply(list string) (map[string]int, error) { return parseDrops("drop-reply", list) }

// ParseDropRequest reads the same list for DropRequest: the first N calls to
// Action are lost before IAM handles them.
func ParseDropRequest(list string) (map[string]int, error) { return parseDrops("drop-request", list) }

func parseDrops(what, list string) (map[string]int, error) {
	out := map[string]int{}
	for _, entry := range strings.Split(list, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		name, count, hasCount := strings.Cut(trimNamespace(entry), ":")
		if !knownAction(name) {
			return nil, fmt.Errorf("%s %q: unknown action %q (known: %s)", what, entry, name, strings.Join(actionNames(), ", "))
		}
		n := 0
		if hasCount {
			var err error
			if n, err = strconv.Atoi(count); err != nil || n < 1 {
				return nil, fmt.Errorf("%s %q: the count after %q must be a whole number of calls, at least 1", what, entry, name+":")
			}
		}
		if _, dup := out[name]; dup {
			return nil, fmt.Errorf("%s %q: %s is listed twice", what, entry, name)
		}
		out[name] = n
	}
	return out, nil
}

// Validate reports the first malformed setting.
func (f Faults) Validate() error {
	switch {
	case f.Latency < 0 || f.Jitter < 0:
		return fmt.Errorf("latency and jitter must not be negative")
	case !(f.ThrottleRate >= 0 && f.ThrottleRate <= 1):
		return fmt.Errorf("throttle rate %v is not between 0 and 1", f.ThrottleRate)
	case !(f.FailRate >= 0 && f.FailRate <= 1):
		return fmt.Errorf("fail rate %v is not between 0 and 1", f.FailRate)
	case !(f.DropRate >= 0 && f.DropRate <= 1):
		return fmt.Errorf("drop rate %v is not between 0 and 1", f.DropRate)
	case !(f.Rate >= 0 && f.Rate <= maxRate):
		return fmt.Errorf("rate %v is not between 0 and %d requests a second", f.Rate, maxRate)
	case f.Burst < 0:
		return fmt.Errorf("burst %d is negative", f.Burst)
	}
	for what, drops := range map[string]map[string]int{"drop-reply": f.DropReply, "drop-request": f.DropRequest} {
		for name, n := range drops {
			if !knownAction(name) {
				return fmt.Errorf("%s: unknown action %q (known: %s)", what, name, strings.Join(actionNames(), ", "))
			}
			if n < 0 {
				return fmt.Errorf("%s %s: count %d is negative", what, name, n)
			}
		}
	}
	for _, d := range f.Deny {
		if _, _, err := parseDeny(d); err != nil {
			return err
		}
	}
	for _, id := range f.DenyAssume {
		if !accountPattern.MatchString(strings.TrimSpace(id)) {
			return fmt.Errorf("deny-assume %q: not a 12-digit account ID", id)
		}
	}
	return nil
}

// parseDeny splits "[iam:]Action[:AllUsers]" into the action and the qualifier.
func parseDeny(entry string) (action string, allUsersOnly bool, err error) {
	name, qual, hasQual := strings.Cut(trimNamespace(strings.TrimSpace(entry)), ":")
	if !knownAction(name) {
		return "", false, fmt.Errorf("deny %q: unknown action %q (known: %s)", entry, name, strings.Join(actionNames(), ", "))
	}
	if hasQual && qual != "AllUsers" {
		return "", false, fmt.Errorf("deny %q: the only qualifier is :AllUsers", entry)
	}
	if hasQual && name != "ListServiceSpecificCredentials" {
		return "", false, fmt.Errorf("deny %q: :AllUsers applies only to ListServiceSpecificCredentials", entry)
	}
	return name, hasQual, nil
}

// trimNamespace drops an "iam:", "sts:", "organizations:", "secretsmanager:"
// or "ssm:" prefix, as in a policy's action.
func trimNamespace(e string) string {
	for _, p := range []string{"iam:", "sts:", "organizations:", "secretsmanager:", "ssm:"} {
		if len(e) > len(p) && strings.EqualFold(e[:len(p)], p) {
			return e[len(p):]
		}
	}
	return e
}

func knownAction(name string) bool {
	_, query := actions[name]
	_, store := storeActions[name]
	return query || store || jsonActions[name]
}

func actionNames() []string {
	names := make([]string, 0, len(actions)+len(jsonActions))
	for n := range actions {
		names = append(names, n)
	}
	for n := range jsonActions {
		names = append(names, n)
	}
	for n := range storeActions {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// maxRate bounds Faults.Rate: far above any rate IAM allows.
const maxRate = 1_000_000

// faultSet is Faults compiled for the request path.
type faultSet struct {
	Faults
	buckets    *accountBuckets // nil without a Rate
	deny       map[string]bool // action → deny only AllUsers calls
	denyAssume map[string]bool // account IDs
	// drops counts down the replies still to lose per action; absent: none,
	// nil: every call's. requestDrops, the same for requests.
	drops, requestDrops map[string]*atomic.Int64
	draws               *draws // the server's random draws
}

// draws are the random numbers faults are decided by: from a generator seeded
// by Config.FaultSeed, or, when nil, from math/rand's.
type draws struct {
	mu sync.Mutex
	r  *rand.Rand
}

func newDraws(seed uint64) *draws {
	if seed == 0 {
		return nil
	}
	return &draws{r: rand.New(rand.NewPCG(seed, 0x10ca11a))}
}

func (d *draws) float() float64 {
	if d == nil {
		return rand.Float64()
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.r.Float64()
}

func (d *draws) n(max time.Duration) time.Duration {
	if d == nil {
		return rand.N(max)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return time.Duration(d.r.Int64N(int64(max)))
}

func compileFaults(f Faults, d *draws, now func() time.Time) *faultSet {
	fs := &faultSet{draws: d, Faults: f, deny: map[string]bool{}, denyAssume: map[string]bool{}}
	if f.Rate > 0 {
		fs.buckets = &accountBuckets{rate: f.Rate, burst: f.Burst, now: now, by: map[string]*tokenBucket{}}
	}
	fs.Deny = slices.Clone(f.Deny) // the caller may reuse its slices
	fs.DenyAssume = slices.Clone(f.DenyAssume)
	for _, id := range f.DenyAssume {
		fs.denyAssume[strings.TrimSpace(id)] = true
	}
	fs.DropReply, fs.DropRequest = nil, nil // read only through drops, requestDrops
	fs.drops, fs.requestDrops = countdowns(f.DropReply), countdowns(f.DropRequest)
	for _, d := range f.Deny {
		name, allUsersOnly, err := parseDeny(d)
		if err != nil {
			continue
		}
		if only, seen := fs.deny[name]; seen && !only {
			continue // an unqualified entry already denies every call
		}
		fs.deny[name] = allUsersOnly
	}
	return fs
}

// delay sleeps the configured latency; false if the request was canceled.
func (f *faultSet) delay(ctx context.Context) bool {
	d := f.Latency
	if f.Jitter > 0 {
		d += f.draws.n(f.Jitter)
	}
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func (f *faultSet) chance(rate float64) bool { return rate >= 1 || rate > 0 && f.draws.float() < rate }

// inject returns the injected error for a Query-protocol request, if any.
func (f *faultSet) inject(p principal, action string, form url.Values) *apiError {
	if allUsersOnly, denied := f.deny[action]; denied && (!allUsersOnly || strings.EqualFold(form.Get("AllUsers"), "true")) {
		return accessDenied(p.arn(), actions[action].prefix()+action, p.acct.deniedResource(action, form))
	}
	if f.chance(f.ThrottleRate) {
		return errThrottled
	}
	if f.buckets != nil && actions[action].ns == iamNamespace && !f.buckets.take(p.acct.id) {
		return errThrottled
	}
	if f.chance(f.FailRate) {
		return errServiceFailure
	}
	return nil
}

// Kinds of injected faults, as Server.Injected counts them.
const (
	faultDenied = iota
	faultThrottled
	faultFailed
	faultDropped
	faultKinds
)

func kindOfFault(err *apiError) int {
	switch err {
	case errThrottled:
		return faultThrottled
	case errServiceFailure:
		return faultFailed
	}
	return faultDenied
}

// InjectedFaults counts the faults a Server injected since New, by kind.
type InjectedFaults struct {
	Denied, Throttled, Failed, Dropped int64
}

// Injected returns the faults injected so far.
func (s *Server) Injected() InjectedFaults {
	return InjectedFaults{
		Denied: s.injected[faultDenied].Load(), Throttled: s.injected[faultThrottled].Load(),
		Failed: s.injected[faultFailed].Load(), Dropped: s.injected[faultDropped].Load(),
	}
}

// countdowns compiles DropReply or DropRequest: per action, the calls still to
// drop; nil for every call.
func countdowns(counts map[string]int) map[string]*atomic.Int64 {
	out := map[string]*atomic.Int64{}
	for name, n := range counts {
		switch {
		case n < 0:
		case n == 0:
			out[name] = nil
		default:
			out[name] = new(atomic.Int64)
			out[name].Store(int64(n))
		}
	}
	return out
}

func countDown(drops map[string]*atomic.Int64, action string) bool {
	left, listed := drops[action]
	return listed && (left == nil || left.Add(-1) >= 0)
}

// dropReply reports whether the reply to this call of action is to be lost.
func (f *faultSet) dropReply(action string) bool {
	return countDown(f.drops, action) || f.chance(f.DropRate)
}

// dropRequest reports whether this call of action is to be lost before IAM
// handles it.
func (f *faultSet) dropRequest(action string) bool { return countDown(f.requestDrops, action) }

// loseReply closes the connection without an answer: the client sees the
// connection end (EOF) after its request was received and acted on.
func loseReply(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// HTTP/2, or a writer that cannot be hijacked: the server resets the stream
		// (or closes the connection) for a handler that aborts with this value.
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

func (a action) prefix() string {
	if a.ns == stsNamespace {
		return "sts:"
	}
	return "iam:"
}

// deniedResource names the resource of a denied call as IAM would: the target
// user's ARN, or a wildcard when the call names no user.
func (a *account) deniedResource(action string, form url.Values) string {
	switch action {
	case "GetCallerIdentity":
		return "*"
	case "AssumeRole":
		return form.Get("RoleArn")
	}
	name := form.Get("UserName")
	if name == "" {
		if action == "ListUsers" {
			return "arn:aws:iam::" + a.id + ":user/"
		}
		return "arn:aws:iam::" + a.id + ":user/*"
	}
	a.mu.RLock()
	defer a.mu.RUnlock()
	if u := a.st.user(name); u != nil {
		return u.arn(a.id)
	}
	return "arn:aws:iam::" + a.id + ":user/" + name
}
