package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"iamcreds/awsclient"
	"iamcreds/model"
)

// The audit's section on the users the console made (issue 20): the users
// model.ConsoleMade selects from the user list, what each holds read for
// them alone (awsclient.Holdings), judged orphaned or at risk.

// userLister lists an account's users once, in the background, for whoever
// asks first: the judgement of console-made users, and the per-user fallback
// of the inventory when IAM refuses AllUsers.
type userLister struct {
	done  chan struct{}
	users []model.User
	err   error
}

// listUsersAsync starts the listing; page, if not nil, hears each page's
// users as it arrives (awsclient.ListUsersPages), on the listing's goroutine.
func listUsersAsync(ctx context.Context, c *awsclient.Client, page func([]model.User)) *userLister {
	l := &userLister{done: make(chan struct{})}
	go func() {
		defer close(l.done)
		l.users, l.err = c.ListUsersPages(ctx, page)
	}()
	return l
}

func (l *userLister) get(ctx context.Context) ([]model.User, error) {
	select {
	case <-l.done:
		return l.users, l.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// judgeConsoleUsers judges the console-made users among users (of service,
// if not ""), reading what each holds. IAM refusing a read leaves the users
// unjudged (nil) with a warning for stderr, the report otherwise whole; any
// other failure fails the audit.
func judgeConsoleUsers(ctx context.Context, c *awsclient.Client, users []model.User, creds []model.Credential,
	service string, now time.Time,
) ([]model.JudgedUser, string, error) {
	r := readConsoleUsers(ctx, c, users, service)
	return r.judge(creds, now)
}

// consoleRead is what the console-made users hold, read before their
// credentials are needed: the audit reads it beside the credentials' listing
// (startConsoleRead).
type consoleRead struct {
	chosen   []model.User
	holdings []model.Holdings
	warning  string
	err      error
}

func readConsoleUsers(ctx context.Context, c *awsclient.Client, users []model.User, service string) consoleRead {
	r := consoleRead{chosen: model.SelectConsoleMade(users, service)}
	names := make([]string, len(r.chosen))
	for i, u := range r.chosen {
		names[i] = u.Name
	}
	r.holdings, r.err = c.Holdings(ctx, names)
	return r.refused()
}

// refused turns IAM refusing a read (or the user list) into a warning: the
// users are left unjudged, the report otherwise whole.
func (r consoleRead) refused() consoleRead {
	if model.KindOf(r.err) == model.KindAccessDenied {
		r.warning, r.err = "console-made users not judged: "+r.err.Error(), nil
		r.chosen, r.holdings = nil, nil
	}
	return r
}

// judge is the users judged with their credentials; nil when IAM refused.
func (r consoleRead) judge(creds []model.Credential, now time.Time) ([]model.JudgedUser, string, error) {
	if r.err != nil || r.warning != "" {
		return nil, r.warning, r.err
	}
	return model.JudgeUsers(r.chosen, r.holdings, creds, now), "", nil
}

// startConsoleRead lists the users in the background and reads what the
// console-made ones hold as each page of the list arrives, beside the rest of
// the listing and the credentials' (the audit's critical path is then the
// longest of the listings, plus the last page's few reads). The result is
// what readConsoleUsers would make of the whole list: the same users, in the
// same order, the same warning when IAM refuses ListUsers or a read.
func startConsoleRead(ctx context.Context, c *awsclient.Client, service string) (*userLister, func() consoleRead) {
	readCtx, stop := context.WithCancel(ctx)
	reader := c.StartHoldings(readCtx)
	var chosen []model.User // the listing's goroutine's until users.done
	users := listUsersAsync(ctx, c, func(page []model.User) {
		picked := model.SelectConsoleMade(page, service)
		names := make([]string, len(picked))
		for i, u := range picked {
			names[i] = u.Name
		}
		chosen = append(chosen, picked...)
		reader.Add(names...)
	})
	done := make(chan consoleRead, 1)
	go func() {
		defer stop()
		<-users.done // ends with ctx too
		if err := users.err; err != nil {
			stop() // the reads of the pages listed are of no use now
			_, _ = reader.Wait()
			done <- consoleRead{err: err}.refused()
			return
		}
		r := consoleRead{chosen: chosen}
		r.holdings, r.err = reader.Wait()
		done <- r.refused()
	}()
	return users, func() consoleRead { return <-done }
}

// usersWarning prints a warning of judgeConsoleUsers.
func usersWarning(stderr io.Writer, warning string) {
	if warning != "" {
		fmt.Fprintf(stderr, "iamcreds audit: warning: %s\n", warning)
	}
}

// keepFlaggedUsers is --flagged for the users: only those orphaned or at
// risk. nil stays nil (not judged).
func keepFlaggedUsers(users []model.JudgedUser, flaggedOnly bool) []model.JudgedUser {
	if users == nil || !flaggedOnly {
		return users
	}
	out := []model.JudgedUser{}
	for _, u := range users {
		if u.Flagged() {
			out = append(out, u)
		}
	}
	return out
}
