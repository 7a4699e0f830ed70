package clipboard

import (
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
)

// fakeBackend is an in-memory system clipboard.
type fakeBackend struct {
	mu       sync.Mutex
	content  string
	writes   []string
	writeErr error
	readErr  error
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
	return f.content, f.readErr
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

func env(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

var errNoClipboard = errors.New("no clipboard utilities available")

const (
	secret    = "hunter2"
	secretB64 = "aHVudGVyMg=="
	plainSet  = "\x1b]52;c;" + secretB64 + "\a"
	plainClr  = "\x1b]52;c;\a"
)

// Expected bytes per environment, written out by hand rather than through
// go-osc52 so that a change in the library shows up here.
var oscCases = []struct {
	name     string
	env      map[string]string
	set, clr string
}{
	{"plain", map[string]string{"TERM": "xterm-256color"}, plainSet, plainClr},
	{"tmux", map[string]string{"TMUX": "/tmp/tmux-0/default,1,0", "TERM": "screen-256color"},
		plainSet + "\x1bPtmux;\x1b" + plainSet + "\x1b\\",
		plainClr + "\x1bPtmux;\x1b" + plainClr + "\x1b\\"},
	{"tmux-term", map[string]string{"TMUX": "/tmp/tmux-0/default,1,0", "TERM": "tmux-256color"},
		plainSet + "\x1bPtmux;\x1b" + plainSet + "\x1b\\",
		plainClr + "\x1bPtmux;\x1b" + plainClr + "\x1b\\"},
	{"screen-term", map[string]string{"TERM": "screen.xterm-256color"},
		"\x1bP" + plainSet + "\x1b\\", "\x1bP" + plainClr + "\x1b\\"},
	{"screen-sty", map[string]string{"STY": "1234.pts-0.host", "TERM": "xterm"},
		"\x1bP" + plainSet + "\x1b\\", "\x1bP" + plainClr + "\x1b\\"},
	{"ssh", map[string]string{"SSH_TTY": "/dev/pts/3"}, plainSet, plainClr},
	{"ssh-connection", map[string]string{"SSH_CONNECTION": "10.0.0.1 5 10.0.0.2 22"}, plainSet, plainClr},
}

func TestCopyFallsBackToOSC52(t *testing.T) {
	for _, tc := range oscCases {
		t.Run(tc.name, func(t *testing.T) {
			out := &recWriter{}
			be := &fakeBackend{writeErr: errNoClipboard}
			c := New(Options{Out: out, Getenv: env(tc.env), Backend: be})

			m, err := c.Copy(secret)
			if err != nil || m != OSC52 {
				t.Fatalf("Copy = %v, %v; want OSC52, nil", m, err)
			}
			if len(out.writes) != 1 {
				t.Fatalf("%d Write calls, want 1 (a split sequence can interleave with a render)", len(out.writes))
			}
			if out.writes[0] != tc.set {
				t.Errorf("copy bytes\n got %q\nwant %q", out.writes[0], tc.set)
			}

			cleared, err := c.ClearIfUnchanged(secret)
			if err != nil || !cleared {
				t.Fatalf("ClearIfUnchanged = %v, %v; want true, nil", cleared, err)
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
		if m, err := c.Copy(secret); err != nil || m != OSC52 {
			t.Fatalf("%s: Copy = %v, %v; want OSC52", k, m, err)
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

func TestCopySystem(t *testing.T) {
	out := &recWriter{}
	be := &fakeBackend{}
	c := New(Options{Out: out, Getenv: env(map[string]string{"TMUX": "x"}), Backend: be})
	m, err := c.Copy(secret)
	if err != nil || m != System {
		t.Fatalf("Copy = %v, %v; want System, nil", m, err)
	}
	if be.content != secret {
		t.Errorf("system clipboard = %q, want %q", be.content, secret)
	}
	if len(out.writes) != 0 {
		t.Errorf("OSC written %q although the system clipboard worked", out.writes)
	}
}

func TestClearIfUnchangedSystem(t *testing.T) {
	t.Run("unchanged", func(t *testing.T) {
		be := &fakeBackend{}
		c := New(Options{Out: &recWriter{}, Getenv: env(nil), Backend: be})
		mustCopy(t, c, secret, System)
		if cleared, err := c.ClearIfUnchanged(secret); err != nil || !cleared {
			t.Fatalf("ClearIfUnchanged = %v, %v; want true", cleared, err)
		}
		if be.content != "" {
			t.Errorf("clipboard = %q after clear", be.content)
		}
		// A second tick must not wipe whatever comes next.
		be.content = "later"
		if cleared, _ := c.ClearIfUnchanged(secret); cleared || be.content != "later" {
			t.Errorf("second clear: cleared=%v content=%q", cleared, be.content)
		}
	})
	t.Run("changed by someone else", func(t *testing.T) {
		be := &fakeBackend{}
		c := New(Options{Out: &recWriter{}, Getenv: env(nil), Backend: be})
		mustCopy(t, c, secret, System)
		be.content = "the user's own text" // copied in another app meanwhile
		if cleared, err := c.ClearIfUnchanged(secret); err != nil || cleared {
			t.Fatalf("ClearIfUnchanged = %v, %v; want false", cleared, err)
		}
		if be.content != "the user's own text" || len(be.writes) != 1 {
			t.Errorf("clipboard touched: content=%q writes=%q", be.content, be.writes)
		}
	})
	t.Run("other secret", func(t *testing.T) {
		be := &fakeBackend{}
		c := New(Options{Out: &recWriter{}, Getenv: env(nil), Backend: be})
		mustCopy(t, c, secret, System)
		if cleared, _ := c.ClearIfUnchanged("something else"); cleared || be.content != secret {
			t.Errorf("cleared=%v content=%q; want untouched", cleared, be.content)
		}
	})
}

func TestClearIfUnchangedOSC52(t *testing.T) {
	t.Run("newer copy", func(t *testing.T) {
		out := &recWriter{}
		c := New(Options{Out: out, Getenv: env(nil), Backend: &fakeBackend{writeErr: errNoClipboard}})
		mustCopy(t, c, secret, OSC52)
		mustCopy(t, c, "next", OSC52)
		if cleared, err := c.ClearIfUnchanged(secret); err != nil || cleared {
			t.Fatalf("ClearIfUnchanged = %v, %v; want false", cleared, err)
		}
		if len(out.writes) != 2 {
			t.Errorf("extra writes: %q", out.writes[2:])
		}
	})
	t.Run("twice", func(t *testing.T) {
		out := &recWriter{}
		c := New(Options{Out: out, Getenv: env(nil), Backend: &fakeBackend{writeErr: errNoClipboard}})
		mustCopy(t, c, secret, OSC52)
		if cleared, _ := c.ClearIfUnchanged(secret); !cleared {
			t.Fatal("first clear did not clear")
		}
		if cleared, _ := c.ClearIfUnchanged(secret); cleared || len(out.writes) != 2 {
			t.Errorf("second clear: cleared=%v writes=%q", cleared, out.writes)
		}
	})
	t.Run("never copied", func(t *testing.T) {
		out := &recWriter{}
		c := New(Options{Out: out, Getenv: env(nil), Backend: &fakeBackend{}})
		if cleared, err := c.ClearIfUnchanged(secret); cleared || err != nil || len(out.writes) != 0 {
			t.Errorf("cleared=%v err=%v writes=%q", cleared, err, out.writes)
		}
	})
}

// A backend or writer that echoes its input must not leak it through us.
func TestErrorsNeverContainSecret(t *testing.T) {
	const s = "AKIAIOSFODNN7EXAMPLE-s3cr3t"
	b64 := base64.StdEncoding.EncodeToString([]byte(s))
	leaky := fmt.Errorf("xclip: cannot copy %q (%s)", s, b64)
	check := func(what string, err error) {
		t.Helper()
		if err == nil {
			t.Fatalf("%s: want an error", what)
		}
		for e := err; e != nil; e = errors.Unwrap(e) {
			if msg := e.Error(); strings.Contains(msg, s) || strings.Contains(msg, b64) {
				t.Errorf("%s: error leaks the secret: %q", what, msg)
			}
		}
	}

	// Both paths fail.
	c := New(Options{Out: &recWriter{err: leaky}, Getenv: env(nil), Backend: &fakeBackend{writeErr: leaky}})
	_, err := c.Copy(s)
	check("Copy", err)
	if !strings.Contains(err.Error(), "system clipboard") || !strings.Contains(err.Error(), "OSC 52") {
		t.Errorf("Copy error should name both paths: %q", err)
	}
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("Copy error spans lines: %q", err)
	}

	// Read-back fails.
	be := &fakeBackend{}
	c = New(Options{Out: &recWriter{}, Getenv: env(nil), Backend: be})
	mustCopy(t, c, s, System)
	be.readErr = leaky
	_, err = c.ClearIfUnchanged(s)
	check("ClearIfUnchanged read", err)

	// Clearing write fails.
	be.readErr, be.writeErr = nil, leaky
	_, err = c.ClearIfUnchanged(s)
	check("ClearIfUnchanged write", err)

	// OSC clear fails.
	out := &recWriter{}
	c = New(Options{Out: out, Getenv: env(map[string]string{"SSH_TTY": "x"}), Backend: &fakeBackend{}})
	mustCopy(t, c, s, OSC52)
	out.err = leaky
	_, err = c.ClearIfUnchanged(s)
	check("ClearIfUnchanged OSC", err)
}

func TestShortWriteIsAnError(t *testing.T) {
	c := New(Options{Out: shortWriter{}, Getenv: env(map[string]string{"SSH_TTY": "x"}), Backend: &fakeBackend{}})
	if m, err := c.Copy(secret); err == nil {
		t.Fatalf("Copy = %v, nil; want an error for a truncated sequence", m)
	}
	if cleared, _ := c.ClearIfUnchanged(secret); cleared {
		t.Error("cleared after a failed copy")
	}
}

type shortWriter struct{}

func (shortWriter) Write(p []byte) (int, error) { return len(p) / 2, nil }

// Concurrent copies must each reach the writer as one whole sequence.
func TestConcurrentCopiesWriteWholeSequences(t *testing.T) {
	out := &recWriter{}
	c := New(Options{Out: out, Getenv: env(map[string]string{"TMUX": "x"}), Backend: &fakeBackend{writeErr: errNoClipboard}})
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			text := fmt.Sprintf("secret-%d", i)
			if _, err := c.Copy(text); err != nil {
				t.Error(err)
			}
			c.ClearIfUnchanged(text)
		}()
	}
	wg.Wait()
	for _, w := range out.writes {
		if !strings.HasPrefix(w, "\x1b]52;c;") || !strings.HasSuffix(w, "\a\x1b\\") || strings.Count(w, "\x1b]52") != 2 {
			t.Errorf("not one whole tmux sequence pair: %q", w)
		}
	}
}

func TestMethodString(t *testing.T) {
	for m, want := range map[Method]string{
		System: "copied to the system clipboard",
		OSC52:  "sent to the terminal clipboard (OSC 52)",
		0:      "not copied",
	} {
		if got := m.String(); got != want {
			t.Errorf("Method(%d).String() = %q, want %q", m, got, want)
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
	if c.getenv == nil {
		t.Error("Getenv default is nil")
	}
}

func mustCopy(t *testing.T, c *Clipboard, text string, want Method) {
	t.Helper()
	m, err := c.Copy(text)
	if err != nil || m != want {
		t.Fatalf("Copy = %v, %v; want %v", m, err, want)
	}
}
