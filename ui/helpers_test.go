package ui

import (
	"context"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/awsclient"
	"iamcreds/awsclient/localiam"
	"iamcreds/ui/clipboard"
)

// fixedNow is the clock of every test: the endpoint's seed dates and the UI's
// ages are both relative to it.
var fixedNow = time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)

func clock() time.Time { return fixedNow }

// endpoint is a local IAM endpoint served over HTTP, with the real client.
type endpoint struct {
	srv    *localiam.Server
	url    string
	client *awsclient.Client
}

func newEndpoint(t testing.TB, seed string, faults localiam.Faults, readOnly bool) *endpoint {
	t.Helper()
	srv, err := localiam.New(localiam.Config{Seed: seed, Now: clock, Faults: faults})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { hs.Close(); srv.Close() })
	c, err := awsclient.New(context.Background(), awsclient.Config{
		EndpointURL:       hs.URL,
		Region:            "us-east-1",
		StaticCredentials: &aws.Credentials{AccessKeyID: "AKIDTEST", SecretAccessKey: "test"},
		ReadOnly:          readOnly,
		MaxAttempts:       2,
		MaxBackoff:        5 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	return &endpoint{srv: srv, url: hs.URL, client: c}
}

// memClipboard is a system clipboard in memory (the clipboard package's
// Backend), so that tests can read what was copied.
type memClipboard struct {
	mu   sync.Mutex
	text string
	n    int
}

func (c *memClipboard) WriteAll(s string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.text, c.n = s, c.n+1
	return nil
}

func (c *memClipboard) ReadAll() (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.text, nil
}

func (c *memClipboard) get() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.text
}

// testOptions are the UI options of the tests: fixed clock, fixed endpoint label
// (the real URL has a random port), in-memory clipboard.
func testOptions(e *endpoint, mem *memClipboard) Options {
	return Options{
		Client:    e.client,
		Endpoint:  "http://local-iam.test",
		Now:       clock,
		Clipboard: clipboard.New(clipboard.Options{Backend: mem, Getenv: func(string) string { return "" }, Out: discard{}}),
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// driver runs a Model the way tea.Program does, but under the test's control:
// commands run on goroutines, their messages are applied one at a time, spinner
// ticks are dropped (they would never settle).
type driver struct {
	t           testing.TB
	m           *Model
	msgs        chan tea.Msg
	outstanding int
	quit        bool
	// hold, when set, keeps back messages it returns true for, instead of
	// applying them.
	hold func(tea.Msg) bool
	held []tea.Msg
}

func newDriver(t testing.TB, m *Model, w, h int) *driver {
	d := &driver{t: t, m: m, msgs: make(chan tea.Msg, 64)}
	d.spawn(m.Init())
	d.send(tea.WindowSizeMsg{Width: w, Height: h})
	return d
}

func (d *driver) spawn(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	d.outstanding++
	go func() { d.msgs <- cmd() }()
}

// send applies a message now.
func (d *driver) send(msg tea.Msg) {
	switch msg := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			d.spawn(c)
		}
	case spinner.TickMsg:
	case tea.QuitMsg:
		d.quit = true
	default:
		if d.hold != nil && d.hold(msg) {
			d.held = append(d.held, msg)
			return
		}
		_, cmd := d.m.Update(msg)
		d.spawn(cmd)
	}
}

// settle applies messages until no command is outstanding.
func (d *driver) settle() {
	d.t.Helper()
	deadline := time.After(20 * time.Second)
	for d.outstanding > 0 {
		select {
		case msg := <-d.msgs:
			d.outstanding--
			d.send(msg)
		case <-deadline:
			d.t.Fatalf("driver: %d commands still running after 20s; screen:\n%s", d.outstanding, d.m.View())
		}
	}
}

// keys types keys, settling after each. Names: enter, esc, tab, up, down, left,
// right, ctrl+c, ctrl+r, pgup, pgdown, shift+tab, backspace; anything else is
// typed as runes.
func (d *driver) keys(names ...string) {
	d.t.Helper()
	for _, n := range names {
		d.send(keyMsg(n))
		d.settle()
	}
}

// press types keys without settling in between.
func (d *driver) press(names ...string) {
	for _, n := range names {
		d.send(keyMsg(n))
	}
}

func keyMsg(name string) tea.KeyMsg {
	special := map[string]tea.KeyType{
		"enter": tea.KeyEnter, "esc": tea.KeyEscape, "tab": tea.KeyTab, "shift+tab": tea.KeyShiftTab,
		"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
		"ctrl+c": tea.KeyCtrlC, "ctrl+r": tea.KeyCtrlR, "pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown,
		"backspace": tea.KeyBackspace, "home": tea.KeyHome, "end": tea.KeyEnd,
	}
	if t, ok := special[name]; ok {
		return tea.KeyMsg{Type: t}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(name)}
}

// screen is the current view with trailing spaces removed, for messages.
func screen(m *Model) string {
	lines := strings.Split(m.View(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}
