package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"time"

	"iamcreds/awsclient"
	"iamcreds/model"
)

// rotate and the stop signals (SIGINT, SIGTERM, SIGHUP: stopSignals). A write
// in flight when one arrives is let finish, for a short grace, so that a
// created credential's secret still reaches its file; one that does not finish
// in time is canceled and named on stderr with what to check. No write starts
// after a signal, except taking back a credential whose secret reached nobody
// (takeBack runs on a context no signal cancels). A second signal stops at once.

// maxStopGrace bounds the wait for a write in flight after a stop signal: a
// supervisor commonly sends SIGKILL 10 s after SIGTERM (docker stop).
const maxStopGrace = 5 * time.Second

// rotateStop watches the stop signals for one run of rotate.
type rotateStop struct {
	name    string // the command, for stderr: "iamcreds rotate"
	stderr  io.Writer
	grace   time.Duration
	cancel  context.CancelFunc // of the run's context: stops reads and waits
	signals chan os.Signal
	done    chan struct{}

	mu       sync.Mutex
	sig      os.Signal // the first stop signal; nil until one comes
	inFlight string    // the write under way ("a create for solo"); "" between writes
	timer    *time.Timer
}

// watchStop returns the run's context, canceled by a stop signal as above,
// and the watch; unwatch ends it.
func watchStop(parent context.Context, stderr io.Writer, grace time.Duration) (ctx context.Context, s *rotateStop, unwatch func()) {
	ctx, cancel := context.WithCancel(parent)
	s = &rotateStop{name: "iamcreds rotate", stderr: stderr, grace: grace, cancel: cancel, signals: make(chan os.Signal, 2), done: make(chan struct{})}
	signal.Notify(s.signals, stopSignals...)
	go func() {
		for {
			select {
			case <-s.done:
				return
			case sig := <-s.signals:
				s.got(sig)
			}
		}
	}()
	return ctx, s, func() {
		signal.Stop(s.signals)
		close(s.done)
		cancel()
	}
}

// got handles a stop signal: with a write in flight, the first one starts the
// grace; otherwise (or the second time) it cancels the run now.
func (s *rotateStop) got(sig os.Signal) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.sig == nil && s.inFlight != "":
		s.sig = sig
		fmt.Fprintf(s.stderr, "%s: %s: %s is in flight: waiting up to %s for its reply, then stopping (another signal stops at once)\n",
			s.name, signalName(sig), s.inFlight, s.grace)
		s.timer = time.AfterFunc(s.grace, s.cancel)
		return
	case s.sig != nil && s.inFlight != "":
		fmt.Fprintf(s.stderr, "%s: %s: no longer waiting for %s\n", s.name, signalName(sig), s.inFlight)
	case s.sig == nil:
		s.sig = sig
	}
	s.cancel()
}

// cmd is the command's name without "iamcreds ": "rotate".
func (s *rotateStop) cmd() string { return strings.TrimPrefix(s.name, "iamcreds ") }

// begin marks a write under way, or refuses to start it after a stop signal.
func (s *rotateStop) begin(ctx context.Context, what string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sig != nil && ctx.Err() != nil {
		return fmt.Errorf("%s was not started: %s was stopped by %s", what, s.cmd(), signalName(s.sig))
	}
	s.inFlight = what
	return nil
}

// end marks the write done. After a stop signal it cancels the run, so that no
// other write starts; a write the signal cut short is named with what to check.
func (s *rotateStop) end(ctx context.Context, what, user string, err error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inFlight = ""
	if s.sig == nil {
		return err
	}
	if s.timer != nil {
		s.timer.Stop()
	}
	s.cancel()
	if err != nil && ctx.Err() != nil {
		fmt.Fprintf(s.stderr, "%s: %s was in flight when %s stopped it: check %s's credentials\n",
			s.name, what, signalName(s.sig), model.SafeText(user))
		return fmt.Errorf("%w (stopped by %s)", err, signalName(s.sig))
	}
	return err
}

// refuse says, once a stop signal has ended the run, that nothing more starts.
func (s *rotateStop) refuse(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sig != nil && ctx.Err() != nil {
		return fmt.Errorf("%s was stopped by %s", s.cmd(), signalName(s.sig))
	}
	return nil
}

// stopped names the signal in an error that a canceled read ended in.
func (s *rotateStop) stopped(err error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil && s.sig != nil {
		return fmt.Errorf("stopped by %s: %w", signalName(s.sig), err)
	}
	return err
}

// stoppableClient is rotate's client: each write is marked in flight for the
// stop signals, and none starts after one. Other methods are the client's.
type stoppableClient struct {
	*awsclient.Client
	stop *rotateStop
}

// ListCredentials reads, unless a stop signal has ended the run: a step's
// re-read (before a deactivate or a delete) then does not start, and neither
// does the step.
func (c stoppableClient) ListCredentials(ctx context.Context, user string) ([]model.Credential, error) {
	if err := c.stop.refuse(ctx); err != nil {
		return nil, err
	}
	cs, err := c.Client.ListCredentials(ctx, user)
	return cs, c.stop.stopped(err)
}

func (c stoppableClient) CreateCredential(ctx context.Context, user, service string, ageDays int) (model.Credential, model.Secret, error) {
	what := fmt.Sprintf("a create of a %s for %s", model.LookupService(service).Noun(), user)
	if err := c.stop.begin(ctx, what); err != nil {
		return model.Credential{}, model.Secret{}, err
	}
	cred, secret, err := c.Client.CreateCredential(ctx, user, service, ageDays)
	return cred, secret, c.stop.end(ctx, what, user, err)
}

func (c stoppableClient) Reset(ctx context.Context, user, id string) (model.Credential, model.Secret, error) {
	what := "a reset of " + id
	if err := c.stop.begin(ctx, what); err != nil {
		return model.Credential{}, model.Secret{}, err
	}
	cred, secret, err := c.Client.Reset(ctx, user, id)
	return cred, secret, c.stop.end(ctx, what, user, err)
}

func (c stoppableClient) SetStatus(ctx context.Context, user, id string, status model.Status) error {
	what := fmt.Sprintf("making %s %s", id, status)
	if err := c.stop.begin(ctx, what); err != nil {
		return err
	}
	return c.stop.end(ctx, what, user, c.Client.SetStatus(ctx, user, id, status))
}

func (c stoppableClient) Delete(ctx context.Context, user, id string) error {
	what := "a delete of " + id
	if err := c.stop.begin(ctx, what); err != nil {
		return err
	}
	return c.stop.end(ctx, what, user, c.Client.Delete(ctx, user, id))
}

// stopGrace is how long a write in flight may still take after a stop signal:
// its own reply limit, at most maxStopGrace.
func stopGrace(timeout time.Duration) time.Duration {
	if timeout <= 0 {
		return maxStopGrace
	}
	return min(timeout, maxStopGrace)
}
