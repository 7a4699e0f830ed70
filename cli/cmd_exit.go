package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"iamcreds/model"
)

// Exit codes, the same for every command.
const (
	exitOK      = 0
	exitFlagged = 1 // audit --fail-on-flagged and something is flagged; whois: a live credential
	exitUsage   = 2 // the command line is wrong: nothing was started
	exitFailed  = 3 // IAM, AWS credentials, the endpoint, the terminal, or writing output
	exitStopped = 4 // rotate stopped at a step by its rules; it said what exists and what next
	// exitAccounts: a report across accounts is written, but some accounts could
	// not be read. It wins over exitFlagged: a report with holes cannot say
	// nothing is flagged, and its flagged rows are in it either way.
	exitAccounts = 5
)

// exitStatuses are the codes as --help, the man page and the README list them.
var exitStatuses = []struct {
	code    int
	meaning string
}{
	{exitOK, "success"},
	{exitFlagged, "audit --fail-on-flagged: a credential or console-made user in the report is flagged; whois, scan: a leaked key is a live credential"},
	{exitUsage, "bad command line: unknown command or flag, bad flag value, stray argument; bad settings file"},
	{exitFailed, "failed: IAM or STS refused or failed, no AWS credentials, endpoint unreachable, output not written"},
	{exitStopped, "rotate, create or reset stopped (the other credential is Active, a delivery failed…): it names what exists now and what to do next"},
	{exitAccounts, "audit --org/--profiles: some accounts could not be read (each is a row with the reason); wins over 1"},
}

// exitStatusHelp is the "Exit status" section of --help and of the man page.
func exitStatusHelp() string {
	var b strings.Builder
	for _, s := range exitStatuses {
		fmt.Fprintf(&b, "  %d  %s\n", s.code, s.meaning)
	}
	return b.String()
}

// exitError ends a command with a code other than 0. A command's RunE returns
// one through usageErrorf, failed or exitSilently; any other error is exitFailed.
type exitError struct {
	code int
	err  error          // said on stderr after the command's name; nil says nothing
	help *cobra.Command // for a usage error: the command whose --help to point at
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usageErrorf is a command line cmd cannot run: exit 2, one line saying what is
// wrong, and where cmd's --help is.
func usageErrorf(cmd *cobra.Command, format string, args ...any) error {
	return usageError(cmd, fmt.Errorf(format, args...))
}

func usageError(cmd *cobra.Command, err error) error {
	return &exitError{code: exitUsage, err: err, help: cmd}
}

// failed is a command that ran and could not do its job: exit 3.
func failed(err error) error { return &exitError{code: exitFailed, err: err} }

// exitSilently ends with code and prints nothing more: the output said it.
func exitSilently(code int) error { return &exitError{code: code} }

// report writes err for a person and returns the process's exit code. cmd is
// the command that ran, as cobra's ExecuteC returns it.
func report(stderr io.Writer, cmd *cobra.Command, err error) int {
	if err == nil {
		return exitOK
	}
	var e *exitError
	if !errors.As(err, &e) {
		e = &exitError{code: exitFailed, err: err}
	}
	name := "iamcreds"
	if cmd != nil {
		name = cmd.CommandPath()
	}
	if e.help != nil {
		name = e.help.CommandPath()
	}
	switch {
	case e.err == nil:
	case e.code == exitUsage:
		// One line: cobra would add a "Did you mean this?" list on lines of their own.
		msg, _, _ := strings.Cut(strings.TrimSpace(e.err.Error()), "\n")
		// A flag or an argument may be a key pasted in the wrong place: never echoed.
		fmt.Fprintf(stderr, "%s: %s\nRun '%s --help' for usage.\n", name, model.SafeText(model.RedactKeys(msg)), name)
	case e.err != nil:
		// An error may quote an endpoint's reply or a config file: never raw.
		fmt.Fprintf(stderr, "%s: %s\n", name, model.SafeText(e.err.Error()))
	}
	return e.code
}
