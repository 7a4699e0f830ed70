package ui

import (
	"context"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"go.uber.org/goleak"

	"iamcreds/awsclient"
	"iamcreds/awsclient/localiam"
	"iamcreds/model"
)

// A seeded randomized run: creates, toggles, resets, deletes, refreshes and
// bulk actions on random users, services and credentials, at random window
// sizes, typed as keys into the real Update loop, through awsclient and the
// SDK, against local IAM throttling 20% of calls, failing 5% with a 500,
// losing 2% of replies after acting, with jittered latency. After each step
// settles:
//   - what the UI holds for every user equals the endpoint's state (or the UI
//     said it could not tell, and ctrl+r, as it says, brings it back);
//   - every secret IAM issued was shown once in a secret modal, or the screen
//     said it was never received (a lost create naming the credential, a
//     reset that may have happened), and no secret was shown twice;
//   - the credentials marked secret-lost are those reported and not since
//     reset or deleted;
//   - the invariants of proof_test.go: every write hit the credential selected
//     when its key was pressed, nothing was deleted that the plan did not
//     name in the state IAM had, outcomes are IAM's (unknown said as unknown).
//
// A few create replies arrive without their secret (proof_test.go's
// secretless): the UI must name the credential and mark it secret-lost.
// Rotations (R, random_rotate_test.go) run beside the other writes, and a
// colleague changes IAM behind the UI's back, between operations and during
// them: the UI cannot know of it until it lists again, so the comparison with
// IAM comes after a ctrl+r when the colleague acted; the cursor stays on the
// credential a write, a refresh or a resize was about.
// No panic, and no goroutine left at the end.
//
// go test ./ui -run Randomized runs 200 operations of this run and of the
// organization run (random_org_test.go) with a seed from the clock; -ops N
// and -seed S (or IAMCREDS_RANDOM_OPS, IAMCREDS_RANDOM_SEED) change them. The
// endpoint's faults are drawn from the seed: a failure prints it to replay.

var (
	randomOps  = flag.Int("ops", 0, "operations of each randomized run (default 200, or IAMCREDS_RANDOM_OPS)")
	randomSeed = flag.Uint64("seed", 0, "seed of the randomized runs (default: from the clock, or IAMCREDS_RANDOM_SEED)")
)

func randomSettings(t *testing.T) (ops int, seed uint64) {
	ops, seed = 200, uint64(time.Now().UnixNano())
	if v := os.Getenv("IAMCREDS_RANDOM_OPS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			t.Fatalf("IAMCREDS_RANDOM_OPS=%q", v)
		}
		ops = n
	}
	if v := os.Getenv("IAMCREDS_RANDOM_SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("IAMCREDS_RANDOM_SEED=%q", v)
		}
		seed = n
	}
	if *randomOps > 0 {
		ops = *randomOps
	}
	if *randomSeed != 0 {
		seed = *randomSeed
	}
	return ops, seed
}

// randomFaults are the run's faults: latency stays tiny, so that the run is fast.
var randomFaults = localiam.Faults{ThrottleRate: 0.20, FailRate: 0.05, DropRate: 0.02, Jitter: 300 * time.Microsecond}

type randomRun struct {
	t     *testing.T
	seed  uint64
	rng   *rand.Rand
	d     *driver
	srv   *localiam.Server
	check *awsclient.Client // reads the endpoint with its faults paused
	op    int
	what  string // the operation under way, for messages

	mu     sync.Mutex
	issued []localiam.SecretIssued // since the last accounting

	shown map[[32]byte]int // secrets shown in a secret modal, by digest
	// reported are the secrets the screen said were never received: by
	// credential ID (a lost create, a reset that may have happened), and by
	// user (a create that may have happened, its ID unknown).
	reported   map[string]int
	reportedBy map[string]int
	wantLost   map[string]bool // credentials that should be marked secret-lost

	counts     map[string]int // operations by kind
	secrets    struct{ issued, shown, lost, gone int }
	retries    int      // ctrl+r the run pressed because the UI said it could not tell
	mismatches []string // the defects found

	// The proof (proof_test.go).
	log      *reqLog
	mate     *colleague
	allow    allowed // the writes the operation's keys asked for
	opStart  int     // the log's length when the operation started
	judged   int     // the requests checkWrites has judged
	rotating bool    // a rotation dialog says the outcomes, not the status line
	rotNew   string  // the new credential of the last rotation, if any
	home     string  // the account of the main run
	// org is the organization run's: the accounts' checkers, and the cursor
	// the person put on a row (account, ID).
	org      *orgProof
	bulkWhat []heldCred // the targets of the bulk action under way
	bulkCall string     // and the call it makes, while it runs
	bulkTo   string     // with the status it asks for
	// bulkUnknown counts its outcomes given as unknown: the summary says so.
	bulkUnknown int
	uiWrites    int          // writes the endpoint received from the UI
	unknowns    int          // outcomes the UI gave as unknown
	races       int          // creates the colleague was armed to race
	stale       int          // rotation steps whose plan a colleague made stale
	raced       int          // deletes of a credential re-activated after the UI's re-read
	blackouts   int          // creates whose reply and check were lost together
	secretless  atomic.Int64 // create replies served without their secret
	refreshed   int          // ctrl+r after the colleague acted
	// state is each account's credentials as last listed, at the log's
	// length stateSeen.
	state     map[string]model.Inventory
	stateSeen int
}

func newRandomRun(t *testing.T, seed uint64) *randomRun {
	r := &randomRun{t: t, seed: seed, rng: rand.New(rand.NewPCG(seed, 9)),
		shown: map[[32]byte]int{}, reported: map[string]int{}, reportedBy: map[string]int{}, wantLost: map[string]bool{}, counts: map[string]int{}}
	r.allow.clear()
	return r
}

// issuedHook is the endpoint's SecretIssued.
func (r *randomRun) issuedHook(i localiam.SecretIssued) {
	r.mu.Lock()
	r.issued = append(r.issued, i)
	r.mu.Unlock()
}

// runKind is a kind of operation and how often it is drawn.
type runKind struct {
	name   string
	weight int
	run    func()
}

// loop runs ops operations drawn from kinds, judging each.
func (r *randomRun) loop(ops int, kinds []runKind, before func()) {
	total := 0
	for _, k := range kinds {
		total += k.weight
	}
	for r.op = 1; r.op <= ops; r.op++ {
		r.opStart = r.log.len()
		r.allow.clear()
		r.mate.startOp()
		if before != nil {
			before()
		}
		r.maybeArmMate()
		n := r.rng.IntN(total)
		for _, k := range kinds {
			if n -= k.weight; n < 0 {
				r.what = k.name
				r.counts[k.name]++
				k.run()
				break
			}
		}
		r.settle()
		r.mate.disarm()
		r.checkWrites()
		r.verify()
		if len(r.mismatches) > 20 {
			break
		}
	}
	r.what = "quit"
	r.d.keys("q") // nothing is in flight: it quits at once
	if !r.d.Quit() {
		r.d.keys("ctrl+c")
	}
}

// report logs the run's figures and fails with its mismatches.
func (r *randomRun) report(srv *localiam.Server) {
	inj := srv.Injected()
	r.t.Logf("%d operations %v; faults injected: %d throttled, %d server failures, %d replies lost; "+
		"secrets issued %d = shown %d + reported never received %d + of a credential the colleague deleted at once %d; ctrl+r pressed on the UI's word %d times; "+
		"UI writes received %d, outcomes given as unknown %d (creates blacked out %d), replies without their secret %d; colleague %s, create races armed %d, stale rotation plans %d, deletes raced by a re-activation after the re-read %d, ctrl+r after it %d; mismatches %d",
		r.op-1, r.counts, inj.Throttled, inj.Failed, inj.Dropped, r.secrets.issued, r.secrets.shown, r.secrets.lost, r.secrets.gone, r.retries,
		r.uiWrites, r.unknowns, r.blackouts, r.secretless.Load(), r.mate.summary(), r.races, r.stale, r.raced, r.refreshed, len(r.mismatches))
	for _, s := range r.mismatches {
		r.t.Error(s)
	}
	if r.secrets.issued != r.secrets.shown+r.secrets.lost+r.secrets.gone {
		r.t.Errorf("secrets issued %d != shown %d + reported lost %d + of a credential the colleague deleted %d",
			r.secrets.issued, r.secrets.shown, r.secrets.lost, r.secrets.gone)
	}
}

func TestRandomizedRun(t *testing.T) {
	ops, seed := randomSettings(t)
	t.Logf("seed %d, %d operations (replay: go test ./ui -run RandomizedRun -seed %d -ops %d)", seed, ops, seed, ops)
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())

	r := newRandomRun(t, seed)
	r.log = newReqLog("AKIDTEST")
	srv, err := localiam.New(localiam.Config{Seed: "demo", Now: clock, Faults: randomFaults, FaultSeed: seed,
		SecretIssued: r.issuedHook, Requests: r.log.add})
	if err != nil {
		t.Fatal(err)
	}
	r.srv = srv
	r.home = srv.Accounts()[0].ID
	hs := httptest.NewServer(secretless(srv, seed, "AKIDTEST", &r.secretless))
	defer hs.Close()
	// hs.Close, before goleak looks, ends the clients' connections.
	client := randomClient(t, hs.URL, "AKIDTEST")
	r.check = randomClient(t, hs.URL, "AKIDCHECK")
	r.mate = newColleague(hs.URL, func(string) string { return "AKIDOTHER" }, r.log)
	defer r.mate.close()

	m := New(testOptions(&endpoint{client: client}, &memClipboard{}))
	// A spinner tick each millisecond: the driver settles only once its tick is back.
	m.spin = spinner.New(spinner.WithSpinner(spinner.Spinner{Frames: []string{"·"}, FPS: time.Millisecond}))
	r.d = newDriver(t, m, 120, 36)
	r.d.Observe = r.observe
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("panic at operation %d (%s), seed %d: %v", r.op, r.what, seed, p)
		}
		if t.Failed() {
			t.Logf("FAILED with seed %d: replay with go test ./ui -run RandomizedRun -seed %d -ops %d", seed, seed, ops)
		}
	}()
	r.settle()

	r.loop(ops, []runKind{
		{"create", 24, r.create}, {"toggle", 18, r.toggle}, {"reset", 14, r.reset}, {"delete", 14, r.deleteOne},
		{"refresh", 8, r.refresh}, {"bulk", 8, r.bulk}, {"resize", 14, r.resize},
		{"rotate", 14, r.rotateMain}, {"colleague", 8, r.mateNow},
	}, nil)
	r.report(srv)
}

// randomClient is a client of the run's endpoint signed with key: the UI's
// attempts (main's tuiConfig), backoff cut short.
func randomClient(t *testing.T, url, key string) *awsclient.Client {
	c, err := awsclient.New(context.Background(), awsclient.Config{
		EndpointURL: url, Region: "us-east-1",
		StaticCredentials: &aws.Credentials{AccessKeyID: key, SecretAccessKey: "test"},
		MaxAttempts:       4, MaxBackoff: 2 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (r *randomRun) fail(format string, args ...any) {
	r.mismatches = append(r.mismatches, fmt.Sprintf("operation %d (%s, seed %d): ", r.op, r.what, r.seed)+fmt.Sprintf(format, args...))
}

// keys types keys, settling after each.
func (r *randomRun) keys(names ...string) { r.d.keys(names...) }

// settle lets every call finish, shows and closes each secret modal that
// opens (recording its secret), and closes any other dialog left open.
func (r *randomRun) settle() {
	for range 50 {
		r.d.settle()
		if r.d.m.dialogs.top() == nil {
			return
		}
		if sm := r.topSecret(); sm != nil {
			r.shown[sha256.Sum256([]byte(sm.secret.Reveal()))]++
			r.keys("s", "enter") // shown: it closes without asking
			continue
		}
		r.keys("esc")
	}
	r.t.Fatalf("operation %d (%s, seed %d): dialogs do not close:\n%s", r.op, r.what, r.seed, screenText(r.d.m))
}

// observe checks, as each answer is handled, that a lost reply is said on
// screen, and records what was said.
func (r *randomRun) observe(msg tea.Msg) {
	m := r.d.m
	flat := strings.Join(strings.Fields(m.status().text), " ")
	var me *model.Error
	switch msg := msg.(type) {
	case createdMsg:
		r.judgeOutcome(actCreate, msg.user, "", msg.service, "", msg.err)
	case toggledMsg:
		r.judgeOutcome(actUpdate, msg.user, msg.id, "", string(msg.to), msg.err)
	case bulkDoneMsg:
		if msg.i < len(r.bulkWhat) {
			c := r.bulkWhat[msg.i].cred
			r.judgeOutcome(r.bulkCall, c.UserName, c.ID, "", r.bulkTo, msg.err)
		}
	}
	switch msg := msg.(type) {
	case createdMsg:
		switch {
		case msg.err == nil:
		case model.KindOf(msg.err) == model.KindSecretLost && errors.As(msg.err, &me):
			if !strings.Contains(flat, "IAM created "+me.ID) || !strings.Contains(flat, "never received") && !strings.Contains(flat, "no secret was received") {
				r.fail("a lost create reply is not said on screen: %q", flat)
			}
			// Each credential it names (two when two appeared) is said to have
			// no secret received.
			ids := map[string]bool{me.ID: true}
			for _, id := range credIDs.FindAllString(errorText(msg.err), -1) {
				ids[id] = true
			}
			for id := range ids {
				r.reported[id]++
			}
			r.wantLost[me.ID] = true
		case model.KindOf(msg.err) == model.KindUnconfirmed:
			if !strings.Contains(flat, "may have created") {
				r.fail("a create that may have happened is not said on screen: %q", flat)
			}
			r.reportedBy[msg.user]++
		}
	case resetMsg:
		r.judgeOutcome(actReset, msg.user, msg.id, "", "", msg.err)
		switch {
		case msg.err == nil:
			delete(r.wantLost, msg.id)
		case model.KindOf(msg.err) == model.KindResetUnconfirmed:
			if !strings.Contains(flat, "The reset of "+msg.id+" may have happened") {
				r.fail("a reset that may have happened is not said on screen: %q", flat)
			}
			r.reported[msg.id]++
		}
	case deletedMsg:
		r.judgeOutcome(actDelete, msg.user, msg.id, "", "", msg.err)
		if msg.err == nil {
			delete(r.wantLost, msg.id)
		}
	}
}

// randomUser picks a user the UI lists.
func (r *randomRun) randomUser() (string, bool) {
	users := r.d.m.main.users.all
	if len(users) == 0 {
		return "", false
	}
	return users[r.rng.IntN(len(users))].Name, true
}

// toMain leaves the fleet and a filter, with the users table focused.
func (r *randomRun) toMain() {
	if r.d.m.active == screenFleet {
		r.keys("a")
	}
	if r.d.m.main.focus != focusUsers {
		r.keys("esc")
	}
}

// selectUser moves the users cursor to name, as fast keys would: the cursor
// rests only on name, whose credentials then load.
func (r *randomRun) selectUser(name string) bool {
	r.toMain()
	r.d.Press("g")
	defer r.settle()
	for range len(r.d.m.main.users.all) + 1 {
		if u, ok := r.d.m.main.users.selected(); ok && u.Name == name {
			return true
		}
		r.d.Press("down")
	}
	return false
}

// selectRandomCred focuses a random user's credentials table on a random row.
func (r *randomRun) selectRandomCred() bool {
	user, ok := r.randomUser()
	if !ok || !r.selectUser(user) {
		return false
	}
	if len(r.d.m.main.creds.creds) == 0 {
		return false
	}
	r.keys("enter", "g")
	for range r.rng.IntN(len(r.d.m.main.creds.creds)) {
		r.keys("down")
	}
	_, ok = selectedCred(r.d.m)
	return ok
}

func (r *randomRun) create() {
	user, ok := r.randomUser()
	if !ok || !r.selectUser(user) {
		return
	}
	r.allow.create[[3]string{r.home, user, "*"}] = true
	r.armCreateRace(r.home, user, "")
	r.keys("n")
	for range r.rng.IntN(len(model.Catalog())) {
		r.keys("down")
	}
	for range 5 { // service, expiry (API keys), confirm; a full service keeps the form
		if _, open := r.d.m.dialogs.top().(*createForm); !open {
			return
		}
		r.keys("enter")
	}
	r.keys("esc")
}

func (r *randomRun) toggle() {
	if !r.selectRandomCred() {
		return
	}
	c, _ := selectedCred(r.d.m)
	r.allow.update[statusChange{credRef{r.home, c.UserName, c.ID}, string(toggledTo(c))}] = true
	r.keys("t")
	r.stillOn(c, "t")
}

// toggledTo is the status t asks for.
func toggledTo(c model.Credential) model.Status {
	if c.Status == model.Active {
		return model.Inactive
	}
	return model.Active
}

func (r *randomRun) reset() {
	if !r.selectRandomCred() {
		return
	}
	c, _ := selectedCred(r.d.m)
	r.allow.reset[credRef{r.home, c.UserName, c.ID}] = true
	r.keys("r", "tab", "enter")
	r.settle()
	r.stillOn(c, "r")
}

func (r *randomRun) deleteOne() {
	if !r.selectRandomCred() {
		return
	}
	c, _ := selectedCred(r.d.m)
	r.allow.del[credRef{r.home, c.UserName, c.ID}] = "d"
	r.keys("d")
	r.d.typeProof(c.ID)
	r.keys("enter")
}

func (r *randomRun) refresh() {
	c, ok := selectedCred(r.d.m)
	r.keys("ctrl+r")
	if ok {
		r.stillOn(c, "ctrl+r")
	}
}

// stillOn: after a key that moves nothing, the cursor of the credentials
// table is on c while the table lists it.
func (r *randomRun) stillOn(c model.Credential, key string) {
	if r.d.m.active != screenMain || r.d.m.main.focus != focusCreds {
		return
	}
	for _, x := range r.d.m.main.creds.creds {
		if x.ID == c.ID {
			if got, _ := selectedCred(r.d.m); got.ID != c.ID {
				r.fail("after %s on %s the cursor is on %s, though %s is still listed", key, c.ID, got.ID, c.ID)
			}
			return
		}
	}
}

// rotateMain rotates a random credential of the main view.
func (r *randomRun) rotateMain() {
	if !r.selectRandomCred() {
		return
	}
	c, _ := selectedCred(r.d.m)
	r.rotateSelected(r.home, c)
}

// world is what the UI lists: every credential, and every user, with its account.
func (r *randomRun) world() (creds []heldCred, users [][2]string) {
	if r.org != nil {
		return r.org.world(r.d.m)
	}
	for _, u := range r.d.m.main.users.all {
		users = append(users, [2]string{r.home, u.Name})
		held, _ := r.d.m.acct.cache.get(u.Name)
		for _, c := range held {
			creds = append(creds, heldCred{r.home, c})
		}
	}
	return creds, users
}

// bulk selects a few fleet rows and deactivates, activates or deletes them.
func (r *randomRun) bulk() {
	if r.d.m.active != screenFleet {
		r.keys("a")
	}
	r.keys("g")
	for range 1 + r.rng.IntN(4) {
		for range r.rng.IntN(4) {
			r.keys("down")
		}
		r.keys("space")
	}
	targets := r.d.m.fleet.bulkTargets()
	r.bulkWhat = r.bulkWhat[:0]
	for _, c := range targets {
		r.bulkWhat = append(r.bulkWhat, heldCred{r.home, c})
	}
	r.bulkKeys(len(targets))
	r.keys("a")
}

// bulkKeys deactivates, activates or deletes the n targets in r.bulkWhat,
// then clears the selection.
func (r *randomRun) bulkKeys(n int) {
	allow := func(to string) {
		for _, h := range r.bulkWhat {
			ref := credRef{h.acct, h.cred.UserName, h.cred.ID}
			if to == "" {
				r.allow.del[ref] = "X"
			} else {
				r.allow.update[statusChange{ref, to}] = true
			}
		}
	}
	switch r.rng.IntN(3) {
	case 0:
		allow(string(model.Inactive))
		r.bulkCall, r.bulkTo = actUpdate, string(model.Inactive)
		r.keys("I", "tab", "enter")
	case 1:
		allow(string(model.Active))
		r.bulkCall, r.bulkTo = actUpdate, string(model.Active)
		r.keys("A", "tab", "enter")
	default:
		allow("")
		r.bulkCall, r.bulkTo = actDelete, ""
		r.keys("X")
		for _, ch := range strconv.Itoa(n) {
			r.keys(string(ch))
		}
		r.keys("enter")
	}
	r.d.settle()
	if status := r.d.m.status().text; r.bulkUnknown > 0 && !strings.Contains(status, "unknown") {
		r.fail("%d outcomes of the bulk action are unknown, and the status does not say so: %q", r.bulkUnknown, status)
	}
	r.bulkCall, r.bulkUnknown = "", 0
	r.settle()
	sel := r.d.m.fleet.sel
	if r.org != nil && r.d.m.active == screenOrg {
		sel = r.d.m.orgView.sel
	}
	if len(sel) > 0 {
		r.keys("ctrl+a") // all visible, then none
		if len(sel) > 0 {
			r.keys("ctrl+a")
		}
	}
}

// resize sends a window size: mostly ordinary, sometimes tiny.
func (r *randomRun) resize() {
	w, h := 60+r.rng.IntN(140), 12+r.rng.IntN(50)
	if r.rng.IntN(4) == 0 {
		w, h = 1+r.rng.IntN(60), 1+r.rng.IntN(16)
	}
	r.d.Send(tea.WindowSizeMsg{Width: w, Height: h})
}

// verify compares the UI with the endpoint and accounts for every secret.
// When the colleague changed IAM since the last look, the UI cannot know
// until it lists again: ctrl+r first.
func (r *randomRun) verify() {
	r.accountSecrets()
	if r.mate.takeTouched() {
		r.refreshed++
		r.refreshAll()
	}
	var state map[string]model.Inventory
	for attempt := 0; ; attempt++ {
		state = r.endpointState()
		diff := r.diff(state)
		if diff == "" {
			break
		}
		if !r.saidItCannotTell() {
			r.fail("the UI shows what IAM does not hold, and says nothing of it:\n%s\nstatus: %q", diff, r.d.m.status().text)
		}
		if attempt == 5 {
			r.fail("still differs after %d × ctrl+r:\n%s", attempt, diff)
			break
		}
		r.retries++
		r.refreshAll() // what the UI says to do
	}
	r.checkLostFlags(state)
}

// refreshAll presses ctrl+r where it reads everything the run compares.
func (r *randomRun) refreshAll() {
	if r.org != nil {
		r.org.refresh(r)
	} else {
		r.toMain()
		r.keys("ctrl+r")
		r.settle()
	}
	r.accountSecrets()
}

// saidItCannotTell reports whether the UI says something is unknown: a
// listing failed, or a write's outcome could not be told.
func (r *randomRun) saidItCannotTell() bool {
	m := r.d.m
	if m.status().level == levelError || m.status().level == levelWarn || m.load.invErr != nil || m.load.usersErr != nil {
		return true
	}
	for _, u := range m.main.users.all {
		if m.acct.cache.err(u.Name) != nil {
			return true
		}
	}
	if m.org != nil {
		for _, a := range m.org.accounts {
			for _, u := range a.users {
				if a.read() && a.cache.err(u.Name) != nil {
					return true
				}
			}
		}
	}
	return false
}

// endpointState is every account's credentials on the endpoint. An account
// changes only by a write, which the request log shows: those written to
// since the last look are listed again, their faults paused for the time.
func (r *randomRun) endpointState() map[string]model.Inventory {
	checkers := map[string]*awsclient.Client{r.home: r.check}
	if r.org != nil {
		checkers = r.org.checkers
	}
	if r.state == nil {
		r.state = map[string]model.Inventory{}
	}
	dirty := map[string]bool{}
	seen := r.log.len()
	for _, q := range r.log.since(r.stateSeen) {
		if isWrite(q.Action) {
			dirty[q.AccountID] = true
		}
	}
	r.stateSeen = seen
	r.srv.SetFaults(localiam.Faults{})
	r.srv.SetAccountFaults(nil)
	defer func() {
		r.srv.SetFaults(randomFaults)
		if r.org != nil {
			r.srv.SetAccountFaults(r.org.faults)
		}
	}()
	for acct, c := range checkers {
		if _, known := r.state[acct]; known && !dirty[acct] {
			continue
		}
		inv, err := c.Inventory(context.Background(), nil)
		if err != nil {
			r.t.Fatalf("reading the endpoint (account %s): %v", acct, err)
		}
		r.state[acct] = inv
	}
	return r.state
}

func credKey(c model.Credential) string {
	return c.ID + " " + c.Service + " " + string(c.Status)
}

// diff is how the UI's credentials differ from the endpoint's, "" when
// alike: the account's, or every account read of the organization.
func (r *randomRun) diff(state map[string]model.Inventory) string {
	m := r.d.m
	if m.org == nil {
		return diffCache("", m.acct.cache, state[r.home])
	}
	var out []string // an account opened shows its own cache: the same
	for _, a := range m.org.accounts {
		if a.read() {
			if d := diffCache(a.info.ID+" ", a.cache, state[a.info.ID]); d != "" {
				out = append(out, d)
			}
		}
	}
	return strings.Join(out, "\n")
}

func diffCache(label string, cache *credCache, inv model.Inventory) string {
	want := map[string][]string{}
	for _, c := range inv.Credentials {
		want[c.UserName] = append(want[c.UserName], credKey(c))
	}
	var out []string
	for _, u := range inv.Users {
		cached, known := cache.get(u.Name)
		var got []string
		for _, c := range cached {
			got = append(got, credKey(c))
		}
		sort.Strings(got)
		w := want[u.Name]
		sort.Strings(w)
		if !known || !slices.Equal(got, w) {
			out = append(out, fmt.Sprintf("  %s%s: UI %q, IAM %q", label, u.Name, got, w))
		}
	}
	return strings.Join(out, "\n")
}

// accountSecrets matches the secrets issued since the last call with those
// shown and those the screen said were never received.
func (r *randomRun) accountSecrets() {
	r.mu.Lock()
	issued := r.issued
	r.issued = nil
	r.mu.Unlock()
	for _, s := range issued {
		if s.Action == actCreate && r.log.madeByMate(s.CredentialID) {
			continue // the colleague's: it has it
		}
		r.secrets.issued++
		switch n := r.shown[s.SHA256]; {
		case n == 1:
			r.secrets.shown++
			r.shown[s.SHA256] = -1 // accounted for
		case n > 1:
			r.fail("the secret of %s was shown %d times", s.CredentialID, n)
			r.shown[s.SHA256] = -1
		case r.reported[s.CredentialID] > 0:
			r.reported[s.CredentialID]--
			r.secrets.lost++
		case s.Action == "CreateServiceSpecificCredential" && r.reportedBy[s.UserName] > 0:
			r.reportedBy[s.UserName]--
			r.secrets.lost++
		case r.mate.didDelete(s.CredentialID) && !r.holds(s.CredentialID):
			// Deleted by the colleague as it was issued (before the reply
			// arrived, or before its lost reply was judged): a secret of
			// nothing, which the screen need not show.
			r.secrets.gone++
		default:
			r.fail("IAM issued a secret for %s (%s, %s) that was neither shown nor said to be lost; status %q",
				s.CredentialID, s.UserName, s.Action, r.d.m.status().text)
		}
	}
	for digest, n := range r.shown {
		if n > 0 {
			r.fail("a secret modal showed a secret IAM never issued (%d times)", n)
			r.shown[digest] = -1
		}
	}
}

// checkLostFlags compares the UI's secret-lost set with what was reported
// and not since reset or deleted.
func (r *randomRun) checkLostFlags(state map[string]model.Inventory) {
	exists := map[string]bool{}
	for _, inv := range state {
		for _, c := range inv.Credentials {
			exists[c.ID] = true
		}
	}
	for id := range r.wantLost {
		if !exists[id] {
			delete(r.wantLost, id)
		}
	}
	var got, want []string
	for id := range r.d.m.lost.ids {
		got = append(got, id)
	}
	for id := range r.wantLost {
		want = append(want, id)
	}
	sort.Strings(got)
	sort.Strings(want)
	if !slices.Equal(got, want) {
		r.fail("secret-lost marks %q, want %q", got, want)
		for _, q := range r.log.since(0) {
			for _, id := range append(got, want...) {
				if q.CredentialID == id || q.Created == id {
					r.t.Logf("  the endpoint saw: %+v", q)
				}
			}
		}
		r.d.m.lost.ids = map[string]lostOwner{} // report it once
		for id := range r.wantLost {
			r.d.m.lost.ids[id] = lostOwner{r.d.m.acct.cache, "?"}
		}
	}
}

// holds reports whether the endpoint, as last listed, holds credential id.
func (r *randomRun) holds(id string) bool {
	for _, inv := range r.endpointState() {
		for _, c := range inv.Credentials {
			if c.ID == id {
				return true
			}
		}
	}
	return false
}
