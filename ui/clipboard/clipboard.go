// Package clipboard copies a one-time secret where the person can paste it,
// says how far the copy could be checked, and clears every copy it made later,
// but only those that still hold the secret.
//
// Where a copy goes, in order:
//   - Inside tmux ($TMUX), to tmux itself: `tmux load-buffer -w -` (tmux ≥ 3.2)
//     stores the text as a paste buffer and passes it on to the outer terminal's
//     clipboard whatever set-clipboard says; the buffer is read back to check.
//   - Elsewhere, unless the session is remote (SSH, where the system clipboard
//     is the server's), the system clipboard (xclip, xsel, wl-copy, pbcopy…
//     through atotto), read back to check.
//   - Then OSC 52, the escape sequence that sets the terminal's clipboard,
//     wrapped for GNU screen or tmux when inside them. Nothing acknowledges it,
//     so such a copy is never reported as checked.
//
// Clearing: CopySecret starts a small detached process (Options.Clearer: the
// program itself running RunClearer) that clears the copy at the deadline if the
// program has exited by then, the way `pass` does; Clear does it in-process and
// reports exactly what it removed.
//
// Typical use from a Bubble Tea model: call CopySecret in a tea.Cmd, show
// Result.String() in the status line, treat only a Confirmed copy as saved,
// schedule a tea.Tick and call Clear with the Result when it fires.
package clipboard

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/atotto/clipboard"
)

// Where tells which path a copy took.
type Where int

const (
	// Nowhere: not copied.
	Nowhere Where = iota
	// Tmux: a tmux paste buffer, which tmux also passes to the outer terminal.
	Tmux
	// System: the system clipboard.
	System
	// Terminal: an OSC 52 sequence to the terminal; it cannot be checked.
	Terminal
)

// Result says where a copy went and whether it was checked.
type Result struct {
	Where Where
	// Confirmed: the copy was read back and is identical. Only a confirmed copy
	// lets a person rely on it without trying the paste.
	Confirmed bool
	// Via is "tmux" or "screen" when an OSC 52 sequence was wrapped for them.
	Via string
	// Buffer is the tmux buffer's name, for Tmux.
	Buffer string
	// ClearSurvivesExit: a detached process will clear every copy this one made
	// at the deadline even if the program has exited by then. False without a
	// Clearer, or when the copy reached the terminal by OSC 52, which no other
	// process can reach.
	ClearSurvivesExit bool

	sum [sha256.Size]byte
	gen uint64 // which copy of this text, for Clear
}

// String is a phrase for the status line, e.g. "copied to tmux's paste buffer (checked)".
func (r Result) String() string {
	switch r.Where {
	case Tmux:
		if r.Confirmed {
			return "copied to tmux's paste buffer (checked)"
		}
		return "handed to tmux, but its buffer did not read back the same"
	case System:
		if r.Confirmed {
			return "copied to the system clipboard (checked)"
		}
		return "copied to the system clipboard (not checked)"
	case Terminal:
		via := ""
		if r.Via != "" {
			via = ", through " + r.Via
		}
		return "sent to the terminal clipboard (OSC 52" + via + "), which cannot be checked"
	}
	return "not copied"
}

// Cleared says exactly what a clear did; the zero value means nothing.
type Cleared struct {
	System   bool // the system clipboard still held the text and was emptied
	Tmux     int  // tmux buffers that held the text, deleted
	Terminal bool // the terminal's clipboard was overwritten (by OSC 52 or through tmux); unchecked
	// Changed: the system clipboard held something else, so it was left alone.
	Changed bool
	// Superseded: the same text was copied again since; that copy's clear counts.
	Superseded bool
}

// Any reports whether the clear removed anything.
func (c Cleared) Any() bool { return c.System || c.Tmux > 0 || c.Terminal }

// String is a status line naming only what happened; "" when nothing did.
func (c Cleared) String() string {
	var parts []string
	if c.System {
		parts = append(parts, "system clipboard emptied")
	}
	switch {
	case c.Tmux == 1:
		parts = append(parts, "1 tmux buffer deleted")
	case c.Tmux > 1:
		parts = append(parts, fmt.Sprintf("%d tmux buffers deleted", c.Tmux))
	}
	if c.Terminal {
		parts = append(parts, "terminal clipboard overwritten (unchecked)")
	}
	switch {
	case len(parts) > 0 && c.Changed:
		return "Clipboard cleared: " + strings.Join(parts, "; ") + "; system clipboard left alone (something else was copied since)"
	case len(parts) > 0:
		return "Clipboard cleared: " + strings.Join(parts, "; ")
	case c.Changed:
		return "Clipboard left alone: something else was copied since"
	}
	return ""
}

// Backend is a system clipboard.
type Backend interface {
	WriteAll(text string) error
	ReadAll() (string, error)
}

// atotto is the default Backend.
type atotto struct{}

func (atotto) WriteAll(text string) error { return clipboard.WriteAll(text) }
func (atotto) ReadAll() (string, error)   { return clipboard.ReadAll() }

// TmuxFunc runs tmux against the server at socket ("" for tmux's default),
// with stdin as its standard input, and returns its standard output.
type TmuxFunc func(socket, stdin string, args ...string) (string, error)

// Options configures a Clipboard; zero fields get defaults.
type Options struct {
	Out     io.Writer               // where OSC 52 goes; default os.Stdout
	Getenv  func(key string) string // default os.Getenv
	Backend Backend                 // default atotto/clipboard
	Tmux    TmuxFunc                // default: the tmux command
	// Clearer is the command line of a process that runs RunClearer, started
	// detached by CopySecret (see SelfClearer). Nil: clears happen in-process
	// only, and a copy outlives a program that exits before the deadline.
	Clearer []string
	// ClearerGrace delays the detached clear past the in-process one, so that
	// the in-process Clear (which stops the process first) is the one that
	// reports; default 2s.
	ClearerGrace time.Duration
	// Now is the clock for deadlines; default time.Now.
	Now func() time.Time
}

// Clipboard copies text and remembers enough to clear it safely later: digests
// of what it copied, never the text. It is safe for concurrent use.
type Clipboard struct {
	out     io.Writer
	getenv  func(string) string
	backend Backend
	tmux    TmuxFunc
	clearer []string
	grace   time.Duration
	now     func() time.Time

	mu       sync.Mutex // serialises copies and OSC writes, guards the fields below
	copies   map[[sha256.Size]byte]*copyRecord
	gen      uint64
	buffers  int               // tmux buffers named so far
	tmuxOK   *bool             // tmux ≥ 3.2, once asked
	lastOSC  [sha256.Size]byte // digest of the text the terminal was last sent
	oscValid bool
}

// copyRecord is what one text's copies need to be cleared.
type copyRecord struct {
	gen     uint64
	size    int    // length of the text, to skip tmux buffers of another size
	system  bool   // written to the system clipboard
	tmux    string // the tmux socket, when inside tmux (buffers may hold it)
	tmuxW   bool   // load-buffer -w: tmux passed it to the outer terminal
	osc     bool   // sent by OSC 52
	clearer *exec.Cmd
}

// New returns a Clipboard using o, with defaults for zero fields.
func New(o Options) *Clipboard {
	c := &Clipboard{out: o.Out, getenv: o.Getenv, backend: o.Backend, tmux: o.Tmux,
		clearer: o.Clearer, grace: o.ClearerGrace, now: o.Now,
		copies: map[[sha256.Size]byte]*copyRecord{}}
	if c.out == nil {
		c.out = os.Stdout
	}
	if c.getenv == nil {
		c.getenv = os.Getenv
	}
	if c.backend == nil {
		c.backend = atotto{}
	}
	if c.tmux == nil {
		c.tmux = runTmux
	}
	if c.grace <= 0 {
		c.grace = 2 * time.Second
	}
	if c.now == nil {
		c.now = time.Now
	}
	return c
}

// Copy copies text that need not be cleared (a user name, say).
func (c *Clipboard) Copy(text string) (Result, error) {
	return c.copy(text, 0)
}

// CopySecret copies text and, with a Clearer, starts the detached process that
// clears it after clearAfter should the program exit first. Call Clear with the
// Result after clearAfter.
func (c *Clipboard) CopySecret(text string, clearAfter time.Duration) (Result, error) {
	return c.copy(text, clearAfter)
}

func (c *Clipboard) copy(text string, clearAfter time.Duration) (Result, error) {
	if text == "" {
		return Result{}, errors.New("clipboard: nothing to copy")
	}
	c.mu.Lock()
	defer c.mu.Unlock()

	sum := sha256.Sum256([]byte(text))
	rec := c.copies[sum]
	if rec == nil {
		rec = &copyRecord{size: len(text)}
	}
	var errs []error
	var res Result
	socket := c.tmuxSocket()
	if socket != "" {
		rec.tmux = socket
		if r, err := c.copyTmux(socket, text); err != nil {
			errs = append(errs, err)
		} else {
			res, rec.tmuxW = r, true
		}
	}
	if res.Where == Nowhere && !c.remote() {
		ok, err := c.copySystem(text)
		if err == nil {
			rec.system = true // even unconfirmed, it may hold the text: Clear compares first
		}
		switch {
		case err != nil:
			errs = append(errs, err)
		case ok:
			res = Result{Where: System, Confirmed: true}
		default:
			errs = append(errs, errors.New("system clipboard: it read back different text"))
		}
	}
	if res.Where == Nowhere {
		if err := c.writeOSC(text); err != nil {
			errs = append(errs, fmt.Errorf("OSC 52: %w", err))
			if rec.system { // written but not read back: better than nothing
				res = Result{Where: System}
			}
		} else {
			rec.osc = true
			c.lastOSC, c.oscValid = sum, true
			res = Result{Where: Terminal, Via: c.oscVia()}
		}
	}
	if res.Where == Nowhere {
		return Result{}, fmt.Errorf("clipboard: %w", redact(errors.Join(errs...), text)) // one line: it ends in a status bar
	}

	c.gen++
	rec.gen = c.gen
	res.sum, res.gen = sum, rec.gen
	c.copies[sum] = rec
	if clearAfter > 0 && len(c.clearer) > 0 {
		stopClearer(rec)
		deadline := c.now().Add(clearAfter + c.grace)
		if cmd, err := startClearer(c.clearer, rec.job(sum, deadline)); err == nil {
			rec.clearer = cmd
			res.ClearSurvivesExit = !rec.osc
		}
	}
	return res, nil
}

// copySystem writes the system clipboard and reads it back.
func (c *Clipboard) copySystem(text string) (confirmed bool, err error) {
	if err := c.backend.WriteAll(text); err != nil {
		return false, fmt.Errorf("system clipboard: %w", err)
	}
	got, err := c.backend.ReadAll()
	return err == nil && got == text, nil
}

// Clear removes every copy that r's text still occupies: the system clipboard
// if it still holds the text, every tmux buffer holding it, and the terminal's
// clipboard if the text was the last thing sent there. It first stops the
// detached clearer of that copy. A Result of an older copy of the same text
// clears nothing: the newer copy's own Clear does.
func (c *Clipboard) Clear(r Result) (Cleared, error) {
	c.mu.Lock()
	defer c.mu.Unlock()

	rec := c.copies[r.sum]
	if r.gen == 0 || rec == nil {
		return Cleared{}, nil // never copied, or already cleared
	}
	if rec.gen != r.gen {
		return Cleared{Superseded: true}, nil
	}
	stopClearer(rec)
	delete(c.copies, r.sum)

	var done Cleared
	var errs []error
	if rec.system {
		sys, changed, err := clearSystem(c.backend, r.sum)
		done.System, done.Changed = sys, changed
		if err != nil {
			errs = append(errs, err)
		}
	}
	if rec.tmux != "" {
		n, outer, err := clearTmux(c.tmux, rec.tmux, r.sum, rec.size, rec.tmuxW)
		done.Tmux, done.Terminal = n, outer
		if err != nil {
			errs = append(errs, err)
		}
	}
	if rec.osc && c.oscValid && c.lastOSC == r.sum {
		// An empty payload asks the terminal to empty its clipboard.
		if err := c.writeOSC(""); err != nil {
			errs = append(errs, fmt.Errorf("OSC 52: %w", err))
		} else {
			done.Terminal = true
			c.oscValid = false
		}
	}
	if len(errs) > 0 {
		return done, fmt.Errorf("clipboard: %w", errors.Join(errs...))
	}
	return done, nil
}

// clearSystem empties the system clipboard if it still holds the text whose
// digest is sum.
func clearSystem(b Backend, sum [sha256.Size]byte) (cleared, changed bool, err error) {
	cur, err := b.ReadAll()
	if err != nil {
		return false, false, fmt.Errorf("read system clipboard: %w", err)
	}
	if sha256.Sum256([]byte(cur)) != sum {
		return false, true, nil // someone copied since; it is no longer ours to clear
	}
	if err := b.WriteAll(""); err != nil {
		return false, false, fmt.Errorf("clear system clipboard: %w", err)
	}
	return true, false, nil
}

// remote reports an SSH session, where the system clipboard is the server's.
func (c *Clipboard) remote() bool {
	return c.getenv("SSH_TTY") != "" || c.getenv("SSH_CONNECTION") != ""
}

// redact strips the secret (and its base64 form) from an error message that
// a backend or writer may have echoed it into.
func redact(err error, secret string) error {
	if err == nil || secret == "" {
		return err
	}
	msg := strings.ReplaceAll(err.Error(), "\n", "; ")
	clean := strings.ReplaceAll(msg, secret, "[redacted]")
	clean = strings.ReplaceAll(clean, base64.StdEncoding.EncodeToString([]byte(secret)), "[redacted]")
	return errors.New(clean) // drop the chain: unwrapping could reveal the secret again
}
