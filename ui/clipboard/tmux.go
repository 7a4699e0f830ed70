package clipboard

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// tmux defaults to `set-clipboard external`, which ignores an application's
// OSC 52: a copy by escape sequence silently goes nowhere. `load-buffer -w`
// (tmux ≥ 3.2) stores the text whatever that option says, and passes it on to
// the outer terminal's clipboard; show-buffer reads it back. The text goes on
// stdin, never in arguments, where other users' `ps` would see it.

// tmuxSocket is the socket of the tmux server we run in, or "" outside tmux.
func (c *Clipboard) tmuxSocket() string {
	socket, _, _ := strings.Cut(c.getenv("TMUX"), ",") // $TMUX is "socket,pid,session"
	return socket
}

// copyTmux loads text into a buffer of our own naming and reads it back.
func (c *Clipboard) copyTmux(socket, text string) (Result, error) {
	if !c.tmuxRecent(socket) {
		return Result{}, errors.New("tmux: older than 3.2, which cannot take a copy from a program")
	}
	c.buffers++
	name := fmt.Sprintf("iamcreds-%d-%d", os.Getpid(), c.buffers)
	if _, err := c.tmux(socket, text, "load-buffer", "-w", "-b", name, "-"); err != nil {
		return Result{}, err
	}
	got, err := c.tmux(socket, "", "show-buffer", "-b", name)
	return Result{Where: Tmux, Buffer: name, Confirmed: err == nil && got == text}, nil
}

// tmuxRecent reports, once per Clipboard, whether tmux is 3.2 or later.
func (c *Clipboard) tmuxRecent(socket string) bool {
	if c.tmuxOK == nil {
		out, err := c.tmux(socket, "", "-V")
		ok := err == nil && tmuxAtLeast32(out)
		c.tmuxOK = &ok
	}
	return *c.tmuxOK
}

var tmuxVersion = regexp.MustCompile(`(\d+)\.(\d+)`)

// tmuxAtLeast32 reads `tmux -V`: "tmux 3.3a", "tmux next-3.6", "tmux openbsd-7.5";
// a build without a number ("tmux master") is taken as recent.
func tmuxAtLeast32(v string) bool {
	m := tmuxVersion.FindStringSubmatch(v)
	if m == nil {
		return strings.HasPrefix(v, "tmux ")
	}
	major, _ := strconv.Atoi(m[1])
	minor, _ := strconv.Atoi(m[2])
	return major > 3 || (major == 3 && minor >= 2)
}

// clearTmux deletes every buffer of the server at socket that holds the text
// whose digest is sum (of size bytes): ours, those a set-clipboard-on OSC 52
// made, and copies of it made in copy mode. With outer, when the newest buffer
// held it, it also overwrites the outer terminal's clipboard, which load-buffer
// -w filled: tmux ignores an empty buffer, so a single space replaces the text.
func clearTmux(run TmuxFunc, socket string, sum [sha256.Size]byte, size int, outer bool) (deleted int, outerDone bool, err error) {
	list, err := run(socket, "", "list-buffers", "-F", "#{buffer_size} #{buffer_name}")
	if err != nil {
		if _, statErr := os.Stat(socket); errors.Is(statErr, fs.ErrNotExist) {
			return 0, false, nil // the server is gone, and its buffers with it
		}
		return 0, false, err
	}
	var errs []error
	newestOurs := false
	for i, line := range strings.Split(strings.TrimRight(list, "\n"), "\n") {
		sz, name, ok := strings.Cut(line, " ")
		if !ok || sz != strconv.Itoa(size) {
			continue
		}
		content, err := run(socket, "", "show-buffer", "-b", name)
		if err != nil || sha256.Sum256([]byte(content)) != sum {
			continue // gone meanwhile, or someone else's
		}
		if _, err := run(socket, "", "delete-buffer", "-b", name); err != nil {
			errs = append(errs, err)
			continue
		}
		deleted++
		newestOurs = newestOurs || i == 0
	}
	if outer && newestOurs {
		name := fmt.Sprintf("iamcreds-%d-clear", os.Getpid())
		if _, err := run(socket, " ", "load-buffer", "-w", "-b", name, "-"); err != nil {
			errs = append(errs, err)
		} else {
			outerDone = true
			if _, err := run(socket, "", "delete-buffer", "-b", name); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return deleted, outerDone, errors.Join(errs...)
}

// runTmux is the default TmuxFunc.
func runTmux(socket, stdin string, args ...string) (string, error) {
	if socket != "" {
		args = append([]string{"-S", socket}, args...)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "tmux", args...)
	cmd.Stdin = strings.NewReader(stdin) // never the terminal the TUI reads
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		if msg := strings.TrimSpace(errOut.String()); msg != "" {
			err = fmt.Errorf("%w: %s", err, msg)
		}
		return "", fmt.Errorf("tmux %s: %w", tmuxVerb(args), err)
	}
	return out.String(), nil
}

// tmuxVerb is the tmux command in args, for messages.
func tmuxVerb(args []string) string {
	for i := 0; i < len(args); i++ {
		if args[i] == "-S" {
			i++
			continue
		}
		return args[i]
	}
	return ""
}
