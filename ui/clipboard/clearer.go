package clipboard

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"time"
)

// The clear must keep its promise when the program exits before the deadline:
// copy, quit, paste still works, and the secret still goes away. Like `pass`,
// CopySecret starts a small detached process that waits and clears only what
// still holds the secret. The secret never reaches that process: its stdin
// carries a digest, the tmux socket and the deadline; its arguments and
// environment are the program's own.

// ClearerSubcommand is the hidden subcommand that runs RunClearer.
const ClearerSubcommand = "__clipboard-clear"

// SelfClearer is Options.Clearer for a program that routes ClearerSubcommand
// to RunClearer: this executable with that subcommand. Nil if the executable
// cannot be found.
func SelfClearer() []string {
	exe, err := os.Executable()
	if err != nil {
		return nil
	}
	return []string{exe, ClearerSubcommand}
}

// clearJob is what the detached process reads on stdin.
type clearJob struct {
	Deadline time.Time `json:"deadline"`
	SHA256   string    `json:"sha256"` // hex digest of the copied text
	Size     int       `json:"size"`   // its length in bytes
	System   bool      `json:"system"` // clear the system clipboard if it still holds it
	// TmuxSocket: delete the buffers holding it on that tmux server.
	TmuxSocket string `json:"tmux_socket,omitempty"`
	// TmuxOuter: overwrite the outer terminal's clipboard through tmux too.
	TmuxOuter bool `json:"tmux_outer,omitempty"`
}

// maxClearerWait bounds how long a clearer may sleep, so that a garbled deadline
// cannot leave a process behind for good.
const maxClearerWait = 24 * time.Hour

func (r *copyRecord) job(sum [sha256.Size]byte, deadline time.Time) clearJob {
	return clearJob{Deadline: deadline, SHA256: hex.EncodeToString(sum[:]), Size: r.size,
		System: r.system, TmuxSocket: r.tmux, TmuxOuter: r.tmuxW}
}

// startClearer starts argv detached, hands it job on stdin and reaps it in the
// background.
func startClearer(argv []string, job clearJob) (*exec.Cmd, error) {
	data, err := json.Marshal(job)
	if err != nil {
		return nil, err
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdin = r // stdout and stderr: the null device, never the TUI's terminal
	cmd.Dir = os.TempDir()
	detach(cmd)
	if err := cmd.Start(); err != nil {
		w.Close()
		return nil, err
	}
	_, err = w.Write(data) // far below a pipe's buffer: never blocks
	w.Close()
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return nil, err
	}
	go cmd.Wait() // reap it should it finish while we run
	return cmd, nil
}

// stopClearer ends the detached clearer of rec, which a newer copy or an
// in-process clear replaces. It is our own child, ended by its pid.
func stopClearer(rec *copyRecord) {
	if rec.clearer != nil {
		rec.clearer.Process.Kill()
		rec.clearer = nil
	}
}

// RunClearer is the detached clearer's entry point: it reads a job from r (the
// process's stdin), waits until its deadline and clears what still holds the
// copied text, as Clipboard.Clear would. The program's hidden
// ClearerSubcommand calls it with os.Stdin.
func RunClearer(r io.Reader) error {
	return runClearer(r, atotto{}, runTmux, time.Now, time.Sleep)
}

func runClearer(r io.Reader, b Backend, tmux TmuxFunc, now func() time.Time, sleep func(time.Duration)) error {
	var job clearJob
	if err := json.NewDecoder(io.LimitReader(r, 1<<16)).Decode(&job); err != nil {
		return fmt.Errorf("clipboard clearer: read job: %w", err)
	}
	raw, err := hex.DecodeString(job.SHA256)
	if err != nil || len(raw) != sha256.Size {
		return errors.New("clipboard clearer: bad digest")
	}
	var sum [sha256.Size]byte
	copy(sum[:], raw)
	wait := job.Deadline.Sub(now())
	if wait > maxClearerWait {
		return fmt.Errorf("clipboard clearer: deadline %s is too far off", job.Deadline)
	}
	if wait > 0 {
		sleep(wait)
	}
	var errs []error
	if job.System {
		if _, _, err := clearSystem(b, sum); err != nil {
			errs = append(errs, err)
		}
	}
	if job.TmuxSocket != "" {
		if _, _, err := clearTmux(tmux, job.TmuxSocket, sum, job.Size, job.TmuxOuter); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("clipboard clearer: %w", errors.Join(errs...))
	}
	return nil
}
