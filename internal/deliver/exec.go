package deliver

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/google/shlex"

	"iamcreds/model"
)

// An exec target runs COMMAND with the secret alone (no newline) on its
// standard input: `exec:gh secret set GIT_PASSWORD` stores it as a GitHub
// Actions secret. The secret is never in the command's arguments or
// environment, where other users' ps and /proc read it. The command line is
// split into words as a POSIX shell would ('…', "…", \), but no shell runs: no
// variables, globs, pipes or redirections. Its environment is iamcreds' own
// plus what the credential is, which is not secret:
//
//	IAMCREDS_USER, IAMCREDS_SERVICE, IAMCREDS_CREDENTIAL_ID, IAMCREDS_LOGIN
//
// (IAMCREDS_LOGIN is the service user name a Git or Keyspaces password goes
// with, or an API key's alias). Its standard output is discarded (a command
// may echo what it read); its standard error is kept, the secret cut out of
// it, for the error when it fails. Exit status 0 within the timeout is a
// delivery; anything else is not, and a command killed at its timeout may or
// may not have stored the secret (unknown).

// stderrKept bounds the standard error kept from a command.
const stderrKept = 16 << 10

// waitAfterKill is how long Wait waits for a killed command's pipes, which a
// child it started may hold open.
const waitAfterKill = 2 * time.Second

// SplitCommand splits an exec target's command line into words, as a POSIX
// shell would, without running one; it does not look the command up.
func SplitCommand(t model.Target) ([]string, error) {
	argv, err := shlex.Split(t.Ref)
	if err != nil {
		return nil, model.Errorf(model.KindInvalid, "exec:%s: %s (quote with '…' or \"…\")", model.SafeText(t.Ref), model.SafeText(err.Error()))
	}
	if len(argv) == 0 {
		return nil, model.Errorf(model.KindInvalid, "exec: no command")
	}
	return argv, nil
}

// command splits t's command line and finds the command.
func command(t model.Target) ([]string, error) {
	argv, err := SplitCommand(t)
	if err != nil {
		return nil, err
	}
	if _, err := exec.LookPath(argv[0]); err != nil {
		return nil, model.Errorf(model.KindNotFound, "exec: %s not found: %s", model.SafeText(argv[0]), model.SafeText(rootCause(err)))
	}
	return argv, nil
}

// runCommand runs t's command with the secret on its standard input.
func (d Deliverer) runCommand(ctx context.Context, t model.Target, s model.Secret) (model.DeliveryResult, error) {
	res := model.DeliveryResult{Target: t, Outcome: model.OutcomeNotDone}
	argv, err := command(t)
	if err != nil {
		return res, err
	}
	timeout := t.Timeout
	if timeout <= 0 {
		timeout = model.DefaultExecTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Stdin = strings.NewReader(s.Reveal())
	cmd.Stdout = nil // discarded: /dev/null
	stderr := &boundedBuffer{max: stderrKept}
	cmd.Stderr = stderr
	cmd.Env = d.env(s.Credential)
	cmd.WaitDelay = waitAfterKill
	err = cmd.Run()
	said := stderrTail(stderr.String(), s)
	switch {
	case err == nil:
		res.Outcome = model.OutcomeDone
		res.Detail = fmt.Sprintf("%s: exit status 0", t)
		return res, nil
	case ctx.Err() == context.DeadlineExceeded:
		res.Outcome = model.OutcomeUnknown
		res.Detail = fmt.Sprintf("%s: killed after %s; it may or may not have stored the secret%s", t, timeout, said)
		return res, model.Errorf(model.KindOther, "%s", res.Detail)
	case ctx.Err() != nil:
		res.Outcome = model.OutcomeUnknown
		res.Detail = fmt.Sprintf("%s: stopped (canceled); it may or may not have stored the secret%s", t, said)
		return res, &model.Error{Kind: model.KindCanceled, Message: res.Detail, Err: ctx.Err()}
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		res.Detail = fmt.Sprintf("%s: %s%s", t, exit.ProcessState, said)
	} else {
		res.Detail = fmt.Sprintf("%s: %s", t, model.SafeText(rootCause(err)))
	}
	return res, model.Errorf(model.KindOther, "%s", res.Detail)
}

// env is the command's environment: Env or this process's, then the
// credential's metadata (replacing any IAMCREDS_* already there).
func (d Deliverer) env(c model.Credential) []string {
	base := d.Env
	if base == nil {
		base = os.Environ()
	}
	out := make([]string, 0, len(base)+4)
	for _, kv := range base {
		if !strings.HasPrefix(kv, "IAMCREDS_") {
			out = append(out, kv)
		}
	}
	return append(out,
		"IAMCREDS_USER="+c.UserName, "IAMCREDS_SERVICE="+c.Service,
		"IAMCREDS_CREDENTIAL_ID="+c.ID, "IAMCREDS_LOGIN="+c.Login())
}

// stderrTail is the last lines of a command's standard error, safe to show:
// the secret cut out (a command may echo what it read), controls replaced.
// "" when it said nothing.
func stderrTail(stderr string, s model.Secret) string {
	if v := s.Reveal(); v != "" {
		stderr = strings.ReplaceAll(stderr, v, "[secret redacted]")
	}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if len(lines) > 3 {
		lines = lines[len(lines)-3:]
	}
	tail := strings.TrimSpace(strings.Join(lines, " / "))
	if tail == "" {
		return ""
	}
	return "; it said: " + model.SafeText(tail)
}

// boundedBuffer keeps the last max bytes or so written to it, so a command
// that writes without end cannot fill the memory, and its last words stay.
type boundedBuffer struct {
	buf []byte
	max int
}

func (b *boundedBuffer) Write(p []byte) (int, error) {
	b.buf = append(b.buf, p...)
	if len(b.buf) > 2*b.max {
		b.buf = append(b.buf[:0], b.buf[len(b.buf)-b.max:]...)
	}
	return len(p), nil
}

func (b *boundedBuffer) String() string { return string(b.buf) }

// rootCause is err's innermost message.
func rootCause(err error) string {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err.Error()
		}
		err = next
	}
}
