package cli

import (
	"io"
	"os"
	"strconv"
	"time"

	"github.com/charmbracelet/x/term"
)

// What the commands take from their surroundings: the ground floor every
// command stands on.

// cliEnv is what the commands take from their surroundings, so tests can fix it.
type cliEnv struct {
	stdout, stderr io.Writer
	// stdin is where whois reads keys; nil is os.Stdin.
	stdin      io.Reader
	now        func() time.Time
	isTerminal func(w io.Writer) bool
	// width is how many columns a table written to w may take; 0 (or a nil
	// func) is no limit.
	width func(w io.Writer) int
}

func defaultEnv(stdout, stderr io.Writer) cliEnv {
	return cliEnv{stdout: stdout, stderr: stderr, now: time.Now, isTerminal: writerIsTerminal, width: terminalWidth}
}

func writerIsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

// terminalWidth is the width of the terminal w is, else $COLUMNS when w is a
// terminal whose size cannot be read; 0 (no limit) when w is no terminal, so
// a pipe or a file gets every column.
func terminalWidth(w io.Writer) int {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) {
		return 0
	}
	if cols, _, err := term.GetSize(f.Fd()); err == nil && cols > 0 {
		return cols
	}
	if cols, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && cols > 0 {
		return cols
	}
	return 0
}

// input is env's stdin: os.Stdin unless a test set another.
func (env cliEnv) input() io.Reader {
	if env.stdin == nil {
		return os.Stdin
	}
	return env.stdin
}

// inputTerminal is stdin's file descriptor when it is a terminal (a person
// types, and can be asked), else false.
func (env cliEnv) inputTerminal() (uintptr, bool) {
	f, ok := env.input().(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) {
		return 0, false
	}
	return f.Fd(), true
}

// tableWidth is env's width for w, 0 when env has none.
func (env cliEnv) tableWidth(w io.Writer) int {
	if env.width == nil {
		return 0
	}
	return env.width(w)
}
