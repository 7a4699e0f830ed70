package ui

import (
	"context"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
	"iamcreds/ui/clipboard"
)

// Commands close over values captured in Update (the client, a context, a user
// name), never over the live model: they run on other goroutines.

// defaultSettleDelay is how long the users cursor must rest before its
// credentials load (Options.SettleDelay).
const defaultSettleDelay = 150 * time.Millisecond

// Upper bounds so that no call can keep a spinner going forever; the SDK's own
// retries (throttling) fit well inside them.
const (
	readTimeout      = 2 * time.Minute
	inventoryTimeout = 15 * time.Minute
	writeTimeout     = 2 * time.Minute
)

func identityCmd(ctx context.Context, c IAM, task int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, readTimeout)
		defer cancel()
		id, err := c.Identity(ctx)
		return identityMsg{task: task, identity: id, err: err}
	}
}

// usersCmd lists the users, and hands the answer to the load's inventory too.
func usersCmd(ctx context.Context, c IAM, task, gen int, share *userListing) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, readTimeout)
		defer cancel()
		users, err := c.ListUsers(ctx)
		share.set(users, err)
		return usersMsg{task: task, gen: gen, users: users, err: err}
	}
}

// userListing is one ListUsers answer, shared by the two commands of a load:
// the users table's and the inventory's, which would otherwise list them again.
type userListing struct {
	done  chan struct{}
	users []model.User
	err   error
}

func newUserListing() *userListing { return &userListing{done: make(chan struct{})} }

func (l *userListing) set(users []model.User, err error) {
	l.users, l.err = users, err
	close(l.done)
}

// wait is the answer, once there is one.
func (l *userListing) wait(ctx context.Context) ([]model.User, error) {
	select {
	case <-l.done:
		return l.users, l.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// inventoryCmds runs the inventory and, beside it, a listener that turns the
// per-user scan's progress into messages. Progress is sent without blocking: only
// the latest figure matters.
func inventoryCmds(ctx context.Context, a *account, task, gen int, seq uint64, users *userListing) tea.Cmd {
	ch := make(chan [2]int, 1)
	c := a.client // the command never reads the account again: it only names it in the answer
	run := func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, inventoryTimeout)
		defer cancel()
		inv, err := c.InventoryWith(ctx, model.InventoryOptions{Users: users.wait, Progress: func(done, total int) {
			select {
			case <-ch: // drop the stale figure
			default:
			}
			select {
			case ch <- [2]int{done, total}:
			default:
			}
		}})
		close(ch)
		return inventoryMsg{acct: a, task: task, gen: gen, seq: seq, inv: inv, err: err}
	}
	return tea.Batch(run, progressCmd(gen, ch))
}

func progressCmd(gen int, ch <-chan [2]int) tea.Cmd {
	return func() tea.Msg {
		p, ok := <-ch
		if !ok {
			return nil
		}
		return inventoryProgressMsg{gen: gen, done: p[0], total: p[1], ch: ch}
	}
}

func settleCmd(delay time.Duration, seq uint64, user string) tea.Cmd {
	return tea.Tick(delay, func(time.Time) tea.Msg { return settleMsg{seq: seq, user: user} })
}

func listCredsCmd(ctx context.Context, a *account, task int, seq uint64, user string, settle bool) tea.Cmd {
	c := a.client // the command never reads the account again: it only names it in the answer
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, readTimeout)
		defer cancel()
		creds, err := c.ListCredentials(ctx, user)
		return credsMsg{acct: a, task: task, seq: seq, user: user, creds: creds, settle: settle, err: err}
	}
}

func createCmd(ctx context.Context, c IAM, op int, user, service string, ageDays int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, writeTimeout)
		defer cancel()
		cred, secret, err := c.CreateCredential(ctx, user, service, ageDays)
		return createdMsg{op: op, user: user, service: service, cred: cred, secret: secret, err: err}
	}
}

func toggleCmd(ctx context.Context, c IAM, op int, user, id string, to model.Status, check recheck) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, writeTimeout)
		defer cancel()
		ctx, lost := hearLostReply(ctx)
		err := reread(ctx, c, user, id, check)
		if err == nil {
			err = c.SetStatus(ctx, user, id, to)
		}
		return toggledMsg{op: op, user: user, id: id, to: to, err: err, lostReply: lost.Load()}
	}
}

// reread lists user's credentials again just before a write to id that
// deletes or deactivates it, and returns check's refusal; nil without a check.
func reread(ctx context.Context, c IAM, user, id string, check recheck) error {
	if check == nil {
		return nil
	}
	held, err := c.ListCredentials(ctx, user)
	if err != nil {
		return model.RecheckFailed(user, id, err)
	}
	return check(held)
}

func resetCmd(ctx context.Context, c IAM, op int, user, id string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, writeTimeout)
		defer cancel()
		cred, secret, err := c.Reset(ctx, user, id)
		return resetMsg{op: op, user: user, id: id, cred: cred, secret: secret, err: err}
	}
}

func deleteCmd(ctx context.Context, c IAM, op int, user, id string, check recheck) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, writeTimeout)
		defer cancel()
		ctx, lost := hearLostReply(ctx)
		err := reread(ctx, c, user, id, check)
		if err == nil {
			err = c.Delete(ctx, user, id)
		}
		return deletedMsg{op: op, user: user, id: id, err: err, lostReply: lost.Load()}
	}
}

// hearLostReply returns ctx with a flag the client sets when a write's reply
// was lost and its listing showed it done (model.OnLostReply).
func hearLostReply(ctx context.Context) (context.Context, *atomic.Bool) {
	lost := new(atomic.Bool)
	return model.OnLostReply(ctx, func(model.LostReply) { lost.Store(true) }), lost
}

// copyCmd copies text; on success with clearAfter > 0 it hands back the timer
// that clears every copy that still holds text.
func copyCmd(clip *clipboard.Clipboard, task, secretID int, what, text string, clearAfter time.Duration) tea.Cmd {
	return func() tea.Msg {
		var res clipboard.Result
		var err error
		if clearAfter > 0 {
			res, err = clip.CopySecret(text, clearAfter)
		} else {
			res, err = clip.Copy(text)
		}
		msg := copiedMsg{task: task, secretID: secretID, what: what, result: res, err: err}
		if err == nil && clearAfter > 0 {
			msg.clear = tea.Tick(clearAfter, func(time.Time) tea.Msg {
				cleared, err := clip.Clear(res)
				return clipboardClearedMsg{secretID: secretID, what: what, cleared: cleared, err: err}
			})
		}
		return msg
	}
}
