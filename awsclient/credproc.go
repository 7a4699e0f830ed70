package awsclient

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/processcreds"
)

// A profile's credential_process runs through processProvider instead of the
// SDK's own provider, which sends the process's stderr to ours (into the
// terminal UI's screen) and keeps none of it for the error. Ours keeps the
// first line for the error, so "no usable AWS credentials" can say what the
// process itself said.

// processProvider runs a credential_process as the SDK does, keeping what it
// writes on stderr.
type processProvider struct {
	command string
	// echo also receives the process's stderr (an MFA prompt, on the command
	// line); nil: only the error gets it.
	echo io.Writer
}

// processError is a credential_process that failed; said is the first line it
// wrote on stderr ("" if none).
type processError struct {
	err  error
	said string
}

func (e *processError) Error() string { return e.err.Error() }
func (e *processError) Unwrap() error { return e.err }

// maxProcessOutput bounds what is kept of the stderr: only its first line is used.
const maxProcessOutput = 4 << 10

func (p *processProvider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	var stderr boundedBuffer
	build := processcreds.NewCommandBuilderFunc(func(ctx context.Context) (*exec.Cmd, error) {
		cmd, err := processcreds.DefaultNewCommandBuilder{Args: []string{p.command}}.NewCommand(ctx)
		if err != nil {
			return nil, err
		}
		cmd.Stderr, cmd.Stdin = &stderr, nil
		if p.echo != nil {
			cmd.Stderr, cmd.Stdin = io.MultiWriter(&stderr, p.echo), os.Stdin
		}
		return cmd, nil
	})
	creds, err := processcreds.NewProviderCommand(build).Retrieve(ctx)
	if err != nil {
		return creds, &processError{err: err, said: firstLine(stderr.String())}
	}
	return creds, nil
}

// useProcessProvider puts processProvider in place of the SDK's when the
// chain's credentials come straight from the profile's credential_process.
func useProcessProvider(cfg *aws.Config, command string, echo io.Writer) {
	if command == "" || !aws.IsCredentialsProvider(cfg.Credentials, (*processcreds.Provider)(nil)) {
		return
	}
	cfg.Credentials = aws.NewCredentialsCache(&processProvider{command: command, echo: echo})
}

// processFailure says how a credential_process failed, in words that quote
// only its stderr: the SDK's message for output that is not the credentials
// JSON quotes the output itself, which may hold keys.
func processFailure(err error) (string, bool) {
	var pe *processError
	if !errors.As(err, &pe) {
		return "", false
	}
	var what string
	s := pe.err.Error()
	switch {
	case strings.Contains(s, "timed out"):
		what = "its credential_process did not finish in time"
	case strings.Contains(s, "error in credential_process"):
		what = "its credential_process failed (" + rootCause(pe.err) + ")"
	default:
		what = "its credential_process printed no usable credentials"
	}
	if pe.said != "" {
		what += ": " + pe.said
	}
	return what, true
}

// firstLine is the first line of s that is not blank, trimmed.
func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return ""
}

// boundedBuffer keeps the first maxProcessOutput bytes written to it.
type boundedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *boundedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if room := maxProcessOutput - b.buf.Len(); room > 0 {
		b.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func (b *boundedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
