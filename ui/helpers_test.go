package ui

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/awsclient"
	"iamcreds/awsclient/localiam"
	"iamcreds/model"
	"iamcreds/ui/clipboard"
	"iamcreds/ui/uitest"
)

// fixedNow is the clock of every test: the endpoint's seed dates and the UI's
// ages are both relative to it.
var fixedNow = time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)

func clock() time.Time { return fixedNow }

// endpoint is a local IAM endpoint served over HTTP, with the real client.
type endpoint struct {
	client *awsclient.Client
	srv    *localiam.Server // to change its faults mid-test
	url    string           // where it serves (another client's tests)
	// proxy, when set, serves each request the UI's client sends: a test acts
	// there as another client would, or holds, drops or rewrites the request.
	proxy atomic.Pointer[proxyFunc]
}

// proxyFunc serves one request of action; next is the endpoint.
type proxyFunc func(action string, w http.ResponseWriter, r *http.Request, next http.Handler)

func newEndpoint(t testing.TB, seed string, faults localiam.Faults, readOnly bool) *endpoint {
	t.Helper()
	ep := &endpoint{}
	wrap := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			p := ep.proxy.Load()
			if p == nil {
				next.ServeHTTP(w, r)
				return
			}
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			form, _ := url.ParseQuery(string(body))
			(*p)(form.Get("Action"), w, r, next)
		})
	}
	e, err := uitest.NewEndpoint(uitest.EndpointConfig{Seed: seed, Now: clock, Faults: faults, ReadOnly: readOnly, Wrap: wrap})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	ep.client, ep.srv, ep.url = e.Client, e.Server, e.URL
	return ep
}

// setProxy serves the UI's requests through p from now on.
// (nil: straight to the endpoint).
func (e *endpoint) setProxy(p proxyFunc) {
	if p == nil {
		e.proxy.Store(nil)
		return
	}
	e.proxy.Store(&p)
}

// memClipboard is the machine's clipboard in memory.
type memClipboard = uitest.Clipboard

// testOptions are the UI options of the tests: fixed clock, fixed endpoint label
// (the real URL has a random port), in-memory clipboard, and a debounce too short
// to wait for.
func testOptions(e *endpoint, mem *memClipboard) Options {
	return Options{
		Client:      e.client,
		Endpoint:    "http://local-iam.test",
		Now:         clock,
		SettleDelay: time.Microsecond,
		WorkDir:     "/home/ops", // w's proposed file (goldens); tests that write set a temporary directory
		Clipboard:   clipboard.New(clipboard.Options{Backend: mem, Getenv: func(string) string { return "" }, Out: io.Discard}),
	}
}

// oscOnlyClipboard copies as over SSH without tmux: by OSC 52 alone (to
// nowhere), which cannot be checked.
func oscOnlyClipboard() *clipboard.Clipboard {
	ssh := func(k string) string {
		if k == "SSH_TTY" {
			return "/dev/pts/9"
		}
		return ""
	}
	return clipboard.New(clipboard.Options{Backend: &memClipboard{}, Getenv: ssh, Out: io.Discard})
}

// driver is uitest's driver with the test's failures and the model's type.
type driver struct {
	*uitest.Driver
	t testing.TB
	m *Model
}

func newDriver(t testing.TB, m *Model, w, h int) *driver {
	return &driver{Driver: uitest.New(m, w, h), t: t, m: m}
}

func (d *driver) settle() {
	d.t.Helper()
	if err := d.Settle(); err != nil {
		d.t.Fatal(err)
	}
}

// keys types keys, settling after each (names as uitest.Key reads them).
func (d *driver) keys(names ...string) {
	d.t.Helper()
	if err := d.Keys(names...); err != nil {
		d.t.Fatal(err)
	}
}

// holdMsgs keeps back the messages of type T (the answer of a call "in flight").
func holdMsgs[T tea.Msg](d *driver) {
	d.Hold(func(msg tea.Msg) bool { _, ok := msg.(T); return ok })
}

func keyMsg(name string) tea.KeyMsg { return uitest.Key(name) }

// screenText is the current view as a person reads it: trailing spaces
// removed, and the non-breaking spaces of buttons as spaces.
func screenText(m *Model) string {
	lines := strings.Split(m.View(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(strings.ReplaceAll(l, "\u00a0", " "), " ")
	}
	return strings.Join(lines, "\n")
}

// selectedCred is the credential the shared keys would act on.
func selectedCred(m *Model) (model.Credential, bool) {
	c, why := m.screen().selected()
	return c, why == ""
}

// cached is what the cache holds of user.
func cached(m *Model, user string) []model.Credential {
	creds, _ := m.acct.cache.get(user)
	return creds
}
