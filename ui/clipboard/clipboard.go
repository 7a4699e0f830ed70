// Package clipboard copies a one-time secret to the clipboard and clears it
// again later, but only if it still holds that secret.
//
// Copy tries the system clipboard (xclip, xsel, wl-copy… via atotto) and
// falls back to OSC 52, the terminal escape sequence that sets the clipboard of
// the terminal emulator, when that fails or when running over SSH (where the
// system clipboard belongs to the remote machine, not to the person). Inside
// tmux or GNU screen the sequence is wrapped so that it reaches the outer
// terminal.
//
// Typical use from a Bubble Tea model: call Copy in a tea.Cmd, show
// Method.String() in the status line, schedule a tea.Tick, and call
// ClearIfUnchanged with the same secret when it fires.
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

	"github.com/atotto/clipboard"
	"github.com/aymanbagabas/go-osc52/v2"
)

// Method tells which path a copy took.
type Method int

const (
	// System means the text went to the system clipboard.
	System Method = iota + 1
	// OSC52 means the text was sent to the terminal as an OSC 52 sequence.
	OSC52
)

// String returns a phrase for the status message.
func (m Method) String() string {
	switch m {
	case System:
		return "copied to the system clipboard"
	case OSC52:
		return "sent to the terminal clipboard (OSC 52)"
	default:
		return "not copied"
	}
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

// Options configures a Clipboard; nil fields get defaults.
type Options struct {
	Out     io.Writer               // where OSC 52 goes; default os.Stdout
	Getenv  func(key string) string // default os.Getenv
	Backend Backend                 // default atotto/clipboard
	// Tmux runs a tmux command in the current session; default exec("tmux", …).
	Tmux func(args ...string) (string, error)
}

// Clipboard copies text and remembers enough to clear it safely later.
// It is safe for concurrent use.
type Clipboard struct {
	out     io.Writer
	getenv  func(string) string
	backend Backend
	tmux    func(args ...string) (string, error)

	mu sync.Mutex // serialises OSC writes and guards the fields below
	// last is the method of the most recent successful copy (0 if none or
	// already cleared); sum is a digest of its text, so the secret itself is
	// not kept here.
	last Method
	sum  [sha256.Size]byte
}

// New returns a Clipboard using o, with defaults for nil fields.
func New(o Options) *Clipboard {
	c := &Clipboard{out: o.Out, getenv: o.Getenv, backend: o.Backend, tmux: o.Tmux}
	if c.tmux == nil {
		c.tmux = runTmux
	}
	if c.out == nil {
		c.out = os.Stdout
	}
	if c.getenv == nil {
		c.getenv = os.Getenv
	}
	if c.backend == nil {
		c.backend = atotto{}
	}
	return c
}

// Copy puts text on the system clipboard, or sends it via OSC 52 when the
// system clipboard fails or the session is remote (SSH).
func (c *Clipboard) Copy(text string) (Method, error) {
	c.mu.Lock()
	defer c.mu.Unlock()

	var sysErr error
	if !c.remote() {
		if sysErr = c.backend.WriteAll(text); sysErr == nil {
			c.remember(System, text)
			return System, nil
		}
		sysErr = fmt.Errorf("system clipboard: %w", redact(sysErr, text))
	}
	if err := c.writeOSC(text); err != nil {
		oscErr := fmt.Errorf("OSC 52: %w", redact(err, text))
		if sysErr != nil { // one line, since it ends up in a status bar
			return 0, fmt.Errorf("clipboard: %w; %w", sysErr, oscErr)
		}
		return 0, fmt.Errorf("clipboard: %w", oscErr)
	}
	c.remember(OSC52, text)
	return OSC52, nil
}

// ClearIfUnchanged clears the clipboard if it still holds text from our last
// copy, and reports whether it did. The system clipboard is read back and
// only cleared if it still equals text. The terminal clipboard cannot be read,
// so it is cleared only if text was the last thing copied through c.
func (c *Clipboard) ClearIfUnchanged(text string) (cleared bool, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()

	if c.last == 0 || c.sum != sha256.Sum256([]byte(text)) {
		return false, nil
	}
	switch c.last {
	case System:
		cur, err := c.backend.ReadAll()
		if err != nil {
			return false, fmt.Errorf("clipboard: read system clipboard: %w", redact(err, text))
		}
		if cur != text {
			c.last = 0 // someone else copied since; it is no longer ours to clear
			return false, nil
		}
		if err := c.backend.WriteAll(""); err != nil {
			return false, fmt.Errorf("clipboard: clear system clipboard: %w", redact(err, text))
		}
	case OSC52:
		// tmux (3.3a) ignores an empty OSC 52 and keeps the text in its paste
		// buffers; only the passthrough copy can clear the outer terminal, and
		// the buffers holding the secret are deleted by name.
		if err := c.writeOSC(""); err != nil {
			return false, fmt.Errorf("clipboard: clear via OSC 52: %w", redact(err, text))
		}
		c.dropTmuxBuffers(text)
	}
	c.last = 0
	return true, nil
}

func (c *Clipboard) remember(m Method, text string) {
	c.last, c.sum = m, sha256.Sum256([]byte(text))
}

// remote reports an SSH session, where the system clipboard is the server's.
func (c *Clipboard) remote() bool {
	return c.getenv("SSH_TTY") != "" || c.getenv("SSH_CONNECTION") != ""
}

// oscSequence returns the bytes that set the terminal clipboard to text;
// "" gives an empty payload, which terminals treat as clearing it.
func (c *Clipboard) oscSequence(text string) string {
	seq := osc52.New(text)
	switch {
	case c.getenv("TMUX") != "":
		// Plain for `set-clipboard on`, wrapped for `allow-passthrough on`.
		return seq.String() + seq.Tmux().String()
	case c.getenv("STY") != "" || strings.HasPrefix(c.getenv("TERM"), "screen"):
		return seq.Screen().String()
	default:
		return seq.String()
	}
}

// writeOSC sends the sequence in one Write, so a concurrent render (which
// also writes whole frames) cannot land in the middle of it.
func (c *Clipboard) writeOSC(text string) error {
	b := []byte(c.oscSequence(text))
	n, err := c.out.Write(b)
	if err == nil && n < len(b) {
		err = io.ErrShortWrite
	}
	return err
}

// redact strips the secret (and its base64 form) from an error message that
// a backend or writer may have echoed it into.
func redact(err error, secret string) error {
	if err == nil || secret == "" {
		return err
	}
	msg := err.Error()
	clean := strings.ReplaceAll(msg, secret, "[redacted]")
	clean = strings.ReplaceAll(clean, base64.StdEncoding.EncodeToString([]byte(secret)), "[redacted]")
	if clean == msg {
		return err
	}
	return errors.New(clean) // drop the chain: unwrapping would reveal the secret again
}

// dropTmuxBuffers deletes tmux paste buffers whose content is text. It is best
// effort: without a reachable tmux server there is nothing to delete.
func (c *Clipboard) dropTmuxBuffers(text string) {
	if c.getenv("TMUX") == "" {
		return
	}
	names, err := c.tmux("list-buffers", "-F", "#{buffer_name}")
	if err != nil {
		return
	}
	for _, name := range strings.Fields(names) {
		if content, err := c.tmux("show-buffer", "-b", name); err == nil && content == text {
			c.tmux("delete-buffer", "-b", name)
		}
	}
}

func runTmux(args ...string) (string, error) {
	out, err := exec.Command("tmux", args...).Output()
	return string(out), err
}
