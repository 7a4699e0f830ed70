package awsclient

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"iamcreds/awsclient/localiam"
	"iamcreds/model"
)

// holdingsActions are the reads Holdings makes of each user.
var holdingsActions = []string{"ListAccessKeys", "GetLoginProfile", "ListAttachedUserPolicies", "ListUserPolicies", "ListGroupsForUser"}

// requestLog is the endpoint's request log (localiam.Config.Requests).
type requestLog struct {
	mu   sync.Mutex
	reqs []localiam.Request
}

func (l *requestLog) add(r localiam.Request) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.reqs = append(l.reqs, r)
}

// reads counts the holdings reads of each user, by action: user → action → n.
func (l *requestLog) reads() map[string]map[string]int {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := map[string]map[string]int{}
	for _, r := range l.reqs {
		if slices.Contains(holdingsActions, r.Action) {
			if out[r.UserName] == nil {
				out[r.UserName] = map[string]int{}
			}
			out[r.UserName][r.Action]++
		}
	}
	return out
}

// Holdings read as the users' pages arrive: the reads of the first page's
// console-made users go out while the listing waits for its second page (the
// endpoint holds that reply until one has come, so a reader that waited for
// the whole list would never get it). What comes back is what Holdings gives
// for the same users read afterwards, in the same order; only those users
// were read, each with its five calls, once.
func TestHoldingsReaderOverlapsTheListing(t *testing.T) {
	ctx := context.Background()
	var (
		log      requestLog
		pages    atomic.Int32
		read     = make(chan struct{})
		readOnce sync.Once
	)
	lc := localiam.Config{Seed: "scale:450", Requests: func(r localiam.Request) {
		log.add(r)
		switch r.Action {
		case "GetLoginProfile":
			readOnce.Do(func() { close(read) })
		case "ListUsers":
			if pages.Add(1) != 2 {
				return
			}
			select { // a bound for a broken reader, not a measure of speed
			case <-read:
			case <-time.After(time.Minute):
				t.Error("no holdings read while the listing waited for its second page: they wait for the whole list")
			}
		}
	}}
	c, _ := newTestClient(t, lc, func(cfg *Config) {
		cfg.PageSize, cfg.Concurrency = 100, 4
		cfg.ReplyTimeout = 2 * time.Minute // longer than the bound below: the page is not asked for again
	})

	r := c.StartHoldings(ctx)
	var chosen []string
	users, err := c.ListUsersPages(ctx, func(page []model.User) {
		for _, u := range model.SelectConsoleMade(page, "") {
			chosen = append(chosen, u.Name)
			r.Add(u.Name)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if n := pages.Load(); n != 5 {
		t.Fatalf("%d ListUsers pages for 450 users 100 a page", n)
	}
	want := model.SelectConsoleMade(users, "")
	if len(want) != 5 || len(chosen) != len(want) {
		t.Fatalf("chose %q of %d console-made users", chosen, len(want))
	}
	reads := log.reads()
	if len(reads) != len(want) {
		t.Errorf("holdings read for %d users, want the %d chosen: %v", len(reads), len(want), reads)
	}
	for i, u := range want {
		if chosen[i] != u.Name {
			t.Errorf("chosen[%d] = %q, want %q", i, chosen[i], u.Name)
		}
		for _, a := range holdingsActions {
			if n := reads[u.Name][a]; n != 1 {
				t.Errorf("%s: %s %d times", u.Name, a, n)
			}
		}
	}
	again, err := c.Holdings(ctx, chosen)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, again) {
		t.Errorf("read as the pages came:\n%+v\nread afterwards:\n%+v", got, again)
	}
	risky := 0
	for i, h := range got {
		if h.User != chosen[i] || h.Gone || len(h.Attached) == 0 {
			t.Errorf("holdings %d: %+v, want %s's", i, h, chosen[i])
		}
		risky += len(h.AccessKeys)
	}
	if risky != 1 { // user 442: at risk, with an access key
		t.Errorf("%d access keys among the console-made users, want 1", risky)
	}
}

// denyRead answers the holdings read action of user with AccessDenied, and
// passes everything else to next.
func denyRead(action, user string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			form, _ := url.ParseQuery(string(body))
			if form.Get("Action") == action && form.Get("UserName") == user {
				reply(w, 403, "", `<Code>AccessDenied</Code><Message>User is not authorized to perform: iam:`+action+`</Message>`)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// A read refused for one user, named after others were read, fails the
// reader with the refusal, whichever user it was; users named after it are
// not waited for, and Add after the failure does nothing.
func TestHoldingsReaderDenied(t *testing.T) {
	ctx := context.Background()
	_, url := serveLocalIAM(t, localiam.Config{Seed: "demo"}, denyRead("ListUserPolicies", "BedrockAPIKey-9mzc"))
	c := connectTest(t, url, func(cfg *Config) { cfg.Concurrency = 2 })
	r := c.StartHoldings(ctx)
	r.Add("BedrockAPIKey-4f7q", "BedrockAPIKey-k2wd")
	r.Add("BedrockAPIKey-9mzc")
	r.Add("BedrockAPIKey-r8tn")
	got, err := r.Wait()
	if model.KindOf(err) != model.KindAccessDenied || got != nil {
		t.Fatalf("got %d holdings, err = %v (%v), want access denied", len(got), err, model.KindOf(err))
	}
	var me *model.Error
	if !errors.As(err, &me) || me.Op != "ListUserPolicies" || me.User != "BedrockAPIKey-9mzc" {
		t.Errorf("err = %#v, want ListUserPolicies of BedrockAPIKey-9mzc", err)
	}
	r.Add("tracing.bot") // after Wait: nothing happens
}

// Holdings and a per-user listing at once share one limit: the second to
// start gets the first's, and the last to finish drops it, so that the next
// starts afresh.
func TestPerUserLimitShared(t *testing.T) {
	c := connectTest(t, "http://127.0.0.1:9", func(cfg *Config) { cfg.Concurrency = 12 })
	a, releaseA := c.perUserLimit()
	b, releaseB := c.perUserLimit()
	if a != b || a.Limit() != InitialConcurrency || a.max != 12 {
		t.Fatalf("two users at once: limits %p and %p (limit %d of %d)", a, b, a.Limit(), a.max)
	}
	releaseA()
	releaseA() // once only
	if c2, releaseC := c.perUserLimit(); c2 != a {
		t.Errorf("a user while one is left got a new limit")
	} else {
		releaseC()
	}
	releaseB()
	d, releaseD := c.perUserLimit()
	defer releaseD()
	if d == a {
		t.Errorf("after the last user the limit was kept")
	}
	// Another account's client (a member account's role) has its own.
	e, releaseE := c.withCredentials(credentials.StaticCredentialsProvider{Value: *testCreds}).perUserLimit()
	defer releaseE()
	if e == d {
		t.Errorf("another account shares the limit")
	}
}
