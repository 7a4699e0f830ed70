package clipboard

import (
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeBackend is an in-memory system clipboard.
type fakeBackend struct {
	mu       sync.Mutex
	content  string
	writes   []string
	writeErr error
	readErr  error
	// mangle, when set, is what reads return instead of the content (a
	// clipboard manager that rewrites what it is given).
	mangle func(string) string
}

func (f *fakeBackend) WriteAll(s string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.writeErr != nil {
		return f.writeErr
	}
	f.writes = append(f.writes, s)
	f.content = s
	return nil
}

func (f *fakeBackend) ReadAll() (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.mangle != nil {
		return f.mangle(f.content), f.readErr
	}
	return f.content, f.readErr
}

func (f *fakeBackend) set(s string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.content = s
}

// recWriter records each Write call separately.
type recWriter struct {
	mu     sync.Mutex
	writes []string
	err    error
}

func (w *recWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return 0, w.err
	}
	w.writes = append(w.writes, string(p))
	return len(p), nil
}

func (w *recWriter) all() string { return strings.Join(w.writes, "") }

// fakeTmux is a tmux server in memory: buffers newest first, as tmux lists them.
type fakeTmux struct {
	mu      sync.Mutex
	version string
	buffers []fakeBuffer
	argv    [][]string // every command's arguments, to check no secret is among them
	failOn  string     // a command that fails
}

type fakeBuffer struct{ name, content string }

func (f *fakeTmux) run(socket, stdin string, args ...string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.argv = append(f.argv, append([]string{"-S", socket}, args...))
	if len(args) > 0 && args[0] == f.failOn {
		return "", fmt.Errorf("tmux %s: exit status 1", args[0])
	}
	flag := func(name string) string {
		for i, a := range args {
			if a == name && i+1 < len(args) {
				return args[i+1]
			}
		}
		return ""
	}
	switch args[0] {
	case "-V":
		return f.version + "\n", nil
	case "load-buffer":
		if stdin != "" { // tmux ignores an empty buffer
			f.put(flag("-b"), stdin)
		}
		return "", nil
	case "list-buffers":
		var b strings.Builder
		for _, buf := range f.buffers {
			fmt.Fprintf(&b, "%d %s\n", len(buf.content), buf.name)
		}
		return b.String(), nil
	case "show-buffer":
		for _, buf := range f.buffers {
			if buf.name == flag("-b") {
				return buf.content, nil
			}
		}
		return "", errors.New("no buffer " + flag("-b"))
	case "delete-buffer":
		for i, buf := range f.buffers {
			if buf.name == flag("-b") {
				f.buffers = append(f.buffers[:i], f.buffers[i+1:]...)
				return "", nil
			}
		}
		return "", errors.New("no buffer " + flag("-b"))
	}
	return "", fmt.Errorf("fake tmux: unknown command %q", args[0])
}

// put stores a buffer as the newest; copy mode or OSC 52 under `set-clipboard on`
// would store one named bufferN.
func (f *fakeTmux) put(name, content string) {
	for i, buf := range f.buffers {
		if buf.name == name {
			f.buffers = append(f.buffers[:i], f.buffers[i+1:]...)
			break
		}
	}
	f.buffers = append([]fakeBuffer{{name, content}}, f.buffers...)
}

func (f *fakeTmux) copyMode(content string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.put(fmt.Sprintf("buffer%d", len(f.buffers)), content)
}

func (f *fakeTmux) holding(s string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var names []string
	for _, buf := range f.buffers {
		if strings.Contains(buf.content, s) {
			names = append(names, buf.name)
		}
	}
	return names
}

func env(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

var errNoClipboard = errors.New("no clipboard utilities available")

const (
	secret    = "hunter2"
	secretB64 = "aHVudGVyMg=="
	plainSet  = "\x1b]52;c;" + secretB64 + "\a"
	plainClr  = "\x1b]52;c;\a"
	tmuxEnv   = "/tmp/tmux-0/default,1,0"
)

// oldTmux makes the tmux path unavailable, as tmux 3.1 would.
func oldTmux() TmuxFunc { return (&fakeTmux{version: "tmux 3.1c"}).run }

// Expected bytes per environment, written out by hand rather than through
// go-osc52 so that a change in the library shows up here.
var oscCases = []struct {
	name     string
	env      map[string]string
	via      string
	set, clr string
}{
	{"plain", map[string]string{"TERM": "xterm-256color"}, "", plainSet, plainClr},
	{"tmux", map[string]string{"TMUX": tmuxEnv, "TERM": "screen-256color"}, "tmux",
		plainSet + "\x1bPtmux;\x1b" + plainSet + "\x1b\\",
		plainClr + "\x1bPtmux;\x1b" + plainClr + "\x1b\\"},
	{"tmux-term", map[string]string{"TMUX": tmuxEnv, "TERM": "tmux-256color"}, "tmux",
		plainSet + "\x1bPtmux;\x1b" + plainSet + "\x1b\\",
		plainClr + "\x1bPtmux;\x1b" + plainClr + "\x1b\\"},
	{"screen-term", map[string]string{"TERM": "screen.xterm-256color"}, "screen",
		"\x1bP" + plainSet + "\x1b\\", "\x1bP" + plainClr + "\x1b\\"},
	{"screen-sty", map[string]string{"STY": "1234.pts-0.host", "TERM": "xterm"}, "screen",
		"\x1bP" + plainSet + "\x1b\\", "\x1bP" + plainClr + "\x1b\\"},
	{"ssh", map[string]string{"SSH_TTY": "/dev/pts/3"}, "", plainSet, plainClr},
	{"ssh-connection", map[string]string{"SSH_CONNECTION": "10.0.0.1 5 10.0.0.2 22"}, "", plainSet, plainClr},
}

func TestCopyFallsBackToOSC52Unconfirmed(t *testing.T) {
	for _, tc := range oscCases {
		t.Run(tc.name, func(t *testing.T) {
			out := &recWriter{}
			be := &fakeBackend{writeErr: errNoClipboard}
			c := New(Options{Out: out, Getenv: env(tc.env), Backend: be, Tmux: oldTmux()})

			r, err := c.CopySecret(secret, time.Minute)
			if err != nil || r.Where != Terminal || r.Confirmed || r.Via != tc.via {
				t.Fatalf("Copy = %+v, %v; want an unconfirmed Terminal copy via %q", r, err, tc.via)
			}
			if len(out.writes) != 1 {
				t.Fatalf("%d Write calls, want 1 (a split sequence can interleave with a render)", len(out.writes))
			}
			if out.writes[0] != tc.set {
				t.Errorf("copy bytes\n got %q\nwant %q", out.writes[0], tc.set)
			}

			cleared, err := c.Clear(r)
			if err != nil || !cleared.Terminal || cleared.System || cleared.Tmux != 0 {
				t.Fatalf("Clear = %+v, %v; want the terminal overwritten, nothing else", cleared, err)
			}
			if len(out.writes) != 2 || out.writes[1] != tc.clr {
				t.Errorf("clear writes %q, want one more Write of %q", out.writes, tc.clr)
			}
		})
	}
}

func TestSSHUsesOSC52EvenIfSystemWorks(t *testing.T) {
	for _, k := range []string{"SSH_TTY", "SSH_CONNECTION"} {
		out := &recWriter{}
		be := &fakeBackend{}
		c := New(Options{Out: out, Getenv: env(map[string]string{k: "x"}), Backend: be})
		if r, err := c.Copy(secret); err != nil || r.Where != Terminal {
			t.Fatalf("%s: Copy = %+v, %v; want Terminal", k, r, err)
		}
		if len(be.writes) != 0 {
			t.Errorf("%s: system clipboard written %q; over SSH it is the server's", k, be.writes)
		}
		if out.all() != plainSet {
			t.Errorf("%s: got %q, want %q", k, out.all(), plainSet)
		}
	}
}

// Long payloads are split into DCS chunks for screen, whose string buffer is small.
func TestScreenChunksLongPayload(t *testing.T) {
	text := strings.Repeat("x", 100)
	b64 := base64.StdEncoding.EncodeToString([]byte(text)) // 136 chars
	want := "\x1bP\x1b]52;c;" + b64[:76] + "\x1b\\\x1bP" + b64[76:] + "\a\x1b\\"
	out := &recWriter{}
	c := New(Options{Out: out, Getenv: env(map[string]string{"STY": "1"}), Backend: &fakeBackend{writeErr: errNoClipboard}})
	if _, err := c.Copy(text); err != nil {
		t.Fatal(err)
	}
	if out.all() != want {
		t.Errorf("got  %q\nwant %q", out.all(), want)
	}
}

func TestCopySystemIsConfirmedByReadBack(t *testing.T) {
	out := &recWriter{}
	be := &fakeBackend{}
	c := New(Options{Out: out, Getenv: env(nil), Backend: be})
	r := mustCopy(t, c, secret, System)
	if !r.Confirmed || be.content != secret {
		t.Errorf("Result %+v, system clipboard %q; want confirmed %q", r, be.content, secret)
	}
	if len(out.writes) != 0 {
		t.Errorf("OSC written %q although the system clipboard worked", out.writes)
	}
}

// A system clipboard that reads back something else is not trusted: OSC 52 is
// tried too, and the result says it cannot be checked.
func TestSystemReadBackMismatchFallsThrough(t *testing.T) {
	out := &recWriter{}
	be := &fakeBackend{mangle: func(s string) string { return s + "\n" }}
	c := New(Options{Out: out, Getenv: env(nil), Backend: be})
	r := mustCopy(t, c, secret, Terminal)
	if r.Confirmed || out.all() != plainSet {
		t.Fatalf("Result %+v, OSC %q", r, out.all())
	}
	// The clear still compares before touching the system clipboard.
	if cleared, err := c.Clear(r); err != nil || cleared.System || !cleared.Changed || be.content != secret {
		t.Errorf("Clear = %+v, %v; system clipboard %q", cleared, err, be.content)
	}
}

func TestClearSystem(t *testing.T) {
	t.Run("unchanged", func(t *testing.T) {
		be := &fakeBackend{}
		c := New(Options{Out: &recWriter{}, Getenv: env(nil), Backend: be})
		r := mustCopy(t, c, secret, System)
		if cleared, err := c.Clear(r); err != nil || !cleared.System || cleared.Terminal {
			t.Fatalf("Clear = %+v, %v; want the system clipboard emptied", cleared, err)
		}
		if be.content != "" {
			t.Errorf("clipboard = %q after clear", be.content)
		}
		// A second tick must not wipe whatever comes next, nor claim a clear.
		be.set("later")
		if cleared, _ := c.Clear(r); cleared.String() != "" || be.content != "later" {
			t.Errorf("second clear: %+v content=%q", cleared, be.content)
		}
	})
	t.Run("changed by someone else", func(t *testing.T) {
		be := &fakeBackend{}
		c := New(Options{Out: &recWriter{}, Getenv: env(nil), Backend: be})
		r := mustCopy(t, c, secret, System)
		be.set("the user's own text") // copied in another app meanwhile
		cleared, err := c.Clear(r)
		if err != nil || cleared.Any() || !cleared.Changed {
			t.Fatalf("Clear = %+v, %v; want nothing cleared, Changed", cleared, err)
		}
		if be.content != "the user's own text" || len(be.writes) != 1 {
			t.Errorf("clipboard touched: content=%q writes=%q", be.content, be.writes)
		}
		if s := cleared.String(); strings.Contains(s, "cleared") || !strings.Contains(s, "left alone") {
			t.Errorf("status %q claims a clear", s)
		}
	})
	t.Run("never copied", func(t *testing.T) {
		out := &recWriter{}
		c := New(Options{Out: out, Getenv: env(nil), Backend: &fakeBackend{}})
		if cleared, err := c.Clear(Result{}); cleared != (Cleared{}) || err != nil || len(out.writes) != 0 {
			t.Errorf("Clear(zero) = %+v, %v, writes %q", cleared, err, out.writes)
		}
	})
}

// The secret then the export line: each clear removes its own text, and the
// terminal is only told to forget what it holds last.
func TestClearOSC52OnlyTheLastSent(t *testing.T) {
	out := &recWriter{}
	c := New(Options{Out: out, Getenv: env(map[string]string{"SSH_TTY": "x"}), Backend: &fakeBackend{}})
	r1 := mustCopy(t, c, secret, Terminal)
	r2 := mustCopy(t, c, "export X="+secret, Terminal)
	if cleared, err := c.Clear(r1); err != nil || cleared.Any() {
		t.Fatalf("Clear(secret) = %+v, %v; the terminal holds the export line, not ours to clear yet", cleared, err)
	}
	if cleared, err := c.Clear(r2); err != nil || !cleared.Terminal {
		t.Fatalf("Clear(export) = %+v, %v; want the terminal overwritten", cleared, err)
	}
	if got := out.writes[len(out.writes)-1]; got != plainClr {
		t.Errorf("last write %q, want %q", got, plainClr)
	}
}

func TestClearOfOlderCopyIsSuperseded(t *testing.T) {
	be := &fakeBackend{}
	c := New(Options{Out: &recWriter{}, Getenv: env(nil), Backend: be})
	r1 := mustCopy(t, c, secret, System)
	r2 := mustCopy(t, c, secret, System) // copied again: its own timer counts
	if cleared, err := c.Clear(r1); err != nil || !cleared.Superseded || cleared.Any() || be.content != secret {
		t.Fatalf("Clear(first) = %+v, %v, clipboard %q", cleared, err, be.content)
	}
	if cleared, err := c.Clear(r2); err != nil || !cleared.System || be.content != "" {
		t.Fatalf("Clear(second) = %+v, %v, clipboard %q", cleared, err, be.content)
	}
}

func TestTmuxCopyIsConfirmedAndNeverInArguments(t *testing.T) {
	tm := &fakeTmux{version: "tmux 3.3a"}
	be, out := &fakeBackend{}, &recWriter{}
	c := New(Options{Out: out, Getenv: env(map[string]string{"TMUX": tmuxEnv}), Backend: be, Tmux: tm.run})
	r := mustCopy(t, c, secret, Tmux)
	if !r.Confirmed || !strings.HasPrefix(r.Buffer, "iamcreds-") {
		t.Fatalf("Result %+v; want confirmed, in a buffer of ours", r)
	}
	if got := tm.holding(secret); len(got) != 1 || got[0] != r.Buffer {
		t.Errorf("buffers holding it: %v, want [%s]", got, r.Buffer)
	}
	if len(be.writes) != 0 || len(out.writes) != 0 {
		t.Errorf("copied elsewhere too: system %q, OSC %q", be.writes, out.writes)
	}
	for _, a := range tm.argv {
		if a[1] != "/tmp/tmux-0/default" {
			t.Errorf("tmux run against socket %q, not $TMUX's", a[1])
		}
		if strings.Contains(strings.Join(a, " "), secret) {
			t.Errorf("secret in tmux's arguments: %q", a)
		}
	}
}

func TestTmuxUnreadableBufferIsNotConfirmed(t *testing.T) {
	tm := &fakeTmux{version: "tmux 3.3a", failOn: "show-buffer"}
	c := New(Options{Out: &recWriter{}, Getenv: env(map[string]string{"TMUX": tmuxEnv}), Backend: &fakeBackend{}, Tmux: tm.run})
	if r := mustCopy(t, c, secret, Tmux); r.Confirmed {
		t.Errorf("confirmed although the buffer could not be read back: %+v", r)
	}
}

func TestTmuxFailureFallsBack(t *testing.T) {
	tm := &fakeTmux{version: "tmux 3.3a", failOn: "load-buffer"}
	be := &fakeBackend{}
	c := New(Options{Out: &recWriter{}, Getenv: env(map[string]string{"TMUX": tmuxEnv}), Backend: be, Tmux: tm.run})
	if r := mustCopy(t, c, secret, System); !r.Confirmed || be.content != secret {
		t.Errorf("Result %+v, system clipboard %q", r, be.content)
	}
}

// Every tmux buffer holding a secret goes: ours for the secret and for the
// export line, and a copy the person made in copy mode; others' stay.
func TestTmuxClearDeletesEveryBufferHoldingIt(t *testing.T) {
	tm := &fakeTmux{version: "tmux 3.3a"}
	c := New(Options{Out: &recWriter{}, Getenv: env(map[string]string{"TMUX": tmuxEnv}), Backend: &fakeBackend{}, Tmux: tm.run})
	tm.copyMode("someone's notes")
	rs := mustCopy(t, c, secret, Tmux)
	tm.copyMode(secret) // selected on screen with the mouse
	export := "export AWS_BEARER_TOKEN_BEDROCK=" + secret
	re := mustCopy(t, c, export, Tmux)

	cleared, err := c.Clear(rs)
	if err != nil || cleared.Tmux != 2 || cleared.Terminal {
		t.Fatalf("Clear(secret) = %+v, %v; want 2 buffers, the terminal untouched (it holds the export line)", cleared, err)
	}
	cleared, err = c.Clear(re)
	if err != nil || cleared.Tmux != 1 || !cleared.Terminal {
		t.Fatalf("Clear(export) = %+v, %v; want 1 buffer and the terminal overwritten", cleared, err)
	}
	if got := tm.holding(secret); len(got) != 0 {
		t.Errorf("buffers still holding the secret: %v", got)
	}
	if got := tm.holding("someone's notes"); len(got) != 1 || len(tm.buffers) != 1 {
		t.Errorf("buffers left: %+v; want only the person's own", tm.buffers)
	}
	if s := cleared.String(); s != "Clipboard cleared: 1 tmux buffer deleted; terminal clipboard overwritten (unchecked)" {
		t.Errorf("status %q", s)
	}
}

// A copy made in tmux after ours went to the outer terminal too: leave it.
func TestTmuxClearLeavesTerminalWithNewerCopy(t *testing.T) {
	tm := &fakeTmux{version: "tmux 3.3a"}
	c := New(Options{Out: &recWriter{}, Getenv: env(map[string]string{"TMUX": tmuxEnv}), Backend: &fakeBackend{}, Tmux: tm.run})
	r := mustCopy(t, c, secret, Tmux)
	tm.copyMode("newer")
	if cleared, err := c.Clear(r); err != nil || cleared.Tmux != 1 || cleared.Terminal {
		t.Fatalf("Clear = %+v, %v", cleared, err)
	}
}

func TestTmuxVersions(t *testing.T) {
	for v, want := range map[string]bool{
		"tmux 3.3a": true, "tmux 3.2": true, "tmux 3.1c": false, "tmux 2.9": false, "tmux 10.0": true,
		"tmux next-3.6": true, "tmux master": true, "tmux openbsd-7.5": true, "": false,
	} {
		if got := tmuxAtLeast32(v); got != want {
			t.Errorf("tmuxAtLeast32(%q) = %v, want %v", v, got, want)
		}
	}
}

// A backend or writer that echoes its input must not leak it through us.
func TestErrorsNeverContainSecret(t *testing.T) {
	const s = "AKIAIOSFODNN7EXAMPLE-s3cr3t"
	b64 := base64.StdEncoding.EncodeToString([]byte(s))
	leaky := fmt.Errorf("xclip: cannot copy %q (%s)", s, b64)
	c := New(Options{Out: &recWriter{err: leaky}, Getenv: env(nil), Backend: &fakeBackend{writeErr: leaky}})
	_, err := c.Copy(s)
	if err == nil {
		t.Fatal("want an error")
	}
	for e := err; e != nil; e = errors.Unwrap(e) {
		if msg := e.Error(); strings.Contains(msg, s) || strings.Contains(msg, b64) {
			t.Errorf("error leaks the secret: %q", msg)
		}
	}
	if !strings.Contains(err.Error(), "system clipboard") || !strings.Contains(err.Error(), "OSC 52") {
		t.Errorf("Copy error should name both paths: %q", err)
	}
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("Copy error spans lines: %q", err)
	}
}

func TestShortWriteIsAnError(t *testing.T) {
	c := New(Options{Out: shortWriter{}, Getenv: env(map[string]string{"SSH_TTY": "x"}), Backend: &fakeBackend{}})
	r, err := c.Copy(secret)
	if err == nil {
		t.Fatalf("Copy = %+v, nil; want an error for a truncated sequence", r)
	}
	if cleared, _ := c.Clear(r); cleared.Any() {
		t.Error("cleared after a failed copy")
	}
}

type shortWriter struct{}

func (shortWriter) Write(p []byte) (int, error) { return len(p) / 2, nil }

func TestEmptyTextIsNotCopied(t *testing.T) {
	be := &fakeBackend{}
	c := New(Options{Out: &recWriter{}, Getenv: env(nil), Backend: be})
	if _, err := c.Copy(""); err == nil || len(be.writes) != 0 {
		t.Errorf("Copy(\"\") = %v, writes %q", err, be.writes)
	}
}

// Concurrent copies must each reach the writer as one whole sequence.
func TestConcurrentCopiesWriteWholeSequences(t *testing.T) {
	out := &recWriter{}
	c := New(Options{Out: out, Getenv: env(map[string]string{"TMUX": "x"}), Backend: &fakeBackend{writeErr: errNoClipboard}, Tmux: oldTmux()})
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := c.Copy(fmt.Sprintf("secret-%d", i))
			if err != nil {
				t.Error(err)
			}
			c.Clear(r)
		}()
	}
	wg.Wait()
	for _, w := range out.writes {
		if !strings.HasPrefix(w, "\x1b]52;c;") || !strings.HasSuffix(w, "\a\x1b\\") || strings.Count(w, "\x1b]52") != 2 {
			t.Errorf("not one whole tmux sequence pair: %q", w)
		}
	}
}

func TestResultString(t *testing.T) {
	for _, tc := range []struct {
		r    Result
		want string
	}{
		{Result{Where: Tmux, Confirmed: true}, "copied to tmux's paste buffer (checked)"},
		{Result{Where: System, Confirmed: true}, "copied to the system clipboard (checked)"},
		{Result{Where: System}, "copied to the system clipboard (not checked)"},
		{Result{Where: Terminal}, "sent to the terminal clipboard (OSC 52), which cannot be checked"},
		{Result{Where: Terminal, Via: "screen"}, "sent to the terminal clipboard (OSC 52, through screen), which cannot be checked"},
		{Result{}, "not copied"},
	} {
		if got := tc.r.String(); got != tc.want {
			t.Errorf("%+v.String() = %q, want %q", tc.r, got, tc.want)
		}
	}
}

func TestClearedString(t *testing.T) {
	for _, tc := range []struct {
		c    Cleared
		want string
	}{
		{Cleared{}, ""},
		{Cleared{Superseded: true}, ""},
		{Cleared{System: true}, "Clipboard cleared: system clipboard emptied"},
		{Cleared{Tmux: 3, Terminal: true}, "Clipboard cleared: 3 tmux buffers deleted; terminal clipboard overwritten (unchecked)"},
		{Cleared{Changed: true}, "Clipboard left alone: something else was copied since"},
		{Cleared{Tmux: 1, Changed: true}, "Clipboard cleared: 1 tmux buffer deleted; system clipboard left alone (something else was copied since)"},
	} {
		if got := tc.c.String(); got != tc.want {
			t.Errorf("%+v.String() = %q, want %q", tc.c, got, tc.want)
		}
	}
}

func TestNewDefaults(t *testing.T) {
	c := New(Options{})
	if c.out != os.Stdout {
		t.Errorf("Out default = %v, want os.Stdout", c.out)
	}
	if _, ok := c.backend.(atotto); !ok {
		t.Errorf("Backend default = %T, want atotto", c.backend)
	}
	if c.getenv == nil || c.tmux == nil || c.clearer != nil {
		t.Error("defaults: Getenv and Tmux set, no clearer unless asked")
	}
}

func mustCopy(t *testing.T, c *Clipboard, text string, want Where) Result {
	t.Helper()
	r, err := c.CopySecret(text, time.Minute)
	if err != nil || r.Where != want {
		t.Fatalf("Copy = %+v, %v; want %v", r, err, want)
	}
	return r
}

// A tmux server that has gone took its buffers with it: nothing to clear, no error.
func TestTmuxClearAfterServerGone(t *testing.T) {
	tm := &fakeTmux{version: "tmux 3.3a"}
	gone := t.TempDir() + "/tmux-sock"
	c := New(Options{Out: &recWriter{}, Getenv: env(map[string]string{"TMUX": gone + ",1,0"}), Backend: &fakeBackend{}, Tmux: tm.run})
	r := mustCopy(t, c, secret, Tmux)
	tm.failOn = "list-buffers"
	if cleared, err := c.Clear(r); err != nil || cleared.Any() {
		t.Errorf("Clear = %+v, %v; want nothing and no error", cleared, err)
	}
}
