package ui

import (
	"context"
	"fmt"
	"sort"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
)

// A bulk action of the fleet screen: the same write on many credentials, a few
// at a time, to the end whatever fails; a summary says what happened to each.

type bulkAction int

const (
	bulkDeactivate bulkAction = iota
	bulkActivate
	bulkDelete
)

func (a bulkAction) name() string {
	return [...]string{"Deactivate", "Activate", "Delete"}[a]
}

// mayStill is how a target of unknown outcome may stand: as before the action.
func (a bulkAction) mayStill() string {
	return [...]string{"may still be Active", "may still be Inactive", "may still exist"}[a]
}

// bulkConcurrency bounds the calls in flight: IAM throttles bursts.
const bulkConcurrency = 4

// bulkRun is a bulk action in flight.
type bulkRun struct {
	id      int
	task    int
	action  bulkAction
	targets []model.Credential
	next    int // the next target to start
	done    int
	running map[int]bool // the targets whose call is in flight
	ok      []string
	failed  []string
	// unknown are the targets whose reply was lost and whose outcome nobody
	// could confirm; lost, those done by IAM's listing after a lost reply (also
	// in ok).
	unknown, lost []string
	// changed are the users whose credentials it changed, by account.
	changed map[changedUser]bool
	// accts are the targets' accounts, whose clients act on them.
	accts []*account
}

func (b *bulkRun) verb() string {
	return [...]string{"deactivating", "activating", "deleting"}[b.action]
}

type bulkDoneMsg struct {
	run, i    int
	err       error
	lostReply bool // done, by IAM's listing, though its reply was lost
}

// changedUser is a user of an account.
type changedUser struct {
	acct *account
	user string
}

// bulkCmd applies one target; it takes copies, never the model. A delete
// lists the target's user again first, and refuses one that is gone or has
// become Active since it was selected (model.CheckDelete), as of now.
func bulkCmd(ctx context.Context, c IAM, run, i int, a bulkAction, cred model.Credential, now time.Time) tea.Cmd {
	return func() tea.Msg {
		ctx, lost := hearLostReply(ctx)
		var err error
		switch a {
		case bulkDeactivate:
			err = c.SetStatus(ctx, cred.UserName, cred.ID, model.Inactive)
		case bulkActivate:
			err = c.SetStatus(ctx, cred.UserName, cred.ID, model.Active)
		case bulkDelete:
			err = reread(ctx, c, cred.UserName, cred.ID, func(held []model.Credential) error { return model.CheckDelete(cred, held, now) })
			if err == nil {
				err = c.Delete(ctx, cred.UserName, cred.ID)
			}
		}
		return bulkDoneMsg{run: run, i: i, err: err, lostReply: lost.Load()}
	}
}

func (m *Model) startBulk(a bulkAction, targets []model.Credential) tea.Cmd {
	m.bulkRuns++
	b := &bulkRun{id: m.bulkRuns, action: a, targets: targets, running: map[int]bool{}, changed: map[changedUser]bool{}}
	b.accts = m.bulkAccounts(targets)
	b.task = m.startTask(fmt.Sprintf("%s %s…", b.verb(), plural(len(targets), "credential")))
	m.bulk = b
	var cmds []tea.Cmd
	for b.next < len(targets) && b.next < bulkConcurrency {
		cmds = append(cmds, m.bulkNext(b))
	}
	return tea.Batch(cmds...)
}

// bulkNext starts b's next target.
func (m *Model) bulkNext(b *bulkRun) tea.Cmd {
	i := b.next
	b.next++
	b.running[i] = true
	return bulkCmd(m.ctx, b.accts[i].client, b.id, i, b.action, b.targets[i], m.now())
}

// onBulkDone records one result and starts the next target; a failure does
// not stop the rest. The last result opens the summary.
func (m *Model) onBulkDone(msg bulkDoneMsg) tea.Cmd {
	b := m.bulk
	if b == nil || b.id != msg.run {
		return nil
	}
	c, acct := b.targets[msg.i], b.accts[msg.i]
	label := credLabel(c.UserName, c.Service, c.ID) + m.inAccount(acct)
	b.done++
	delete(b.running, msg.i)
	var cmds []tea.Cmd
	switch {
	case msg.err != nil && model.OutcomeOf(msg.err) == model.OutcomeUnknown:
		b.unknown = append(b.unknown, fmt.Sprintf("%s: unknown: %s (%s)", label,
			model.SafeText(model.CheckUnknown(c.UserName, c.ID, b.action.mayStill())), errorText(causeOf(msg.err))))
		m.applyJudged(acct, c.UserName, msg.err)
		cmds = append(cmds, m.reconcile(acct, c.UserName))
	case msg.err != nil:
		b.failed = append(b.failed, label+": "+errorText(msg.err))
		if m.applyJudged(acct, c.UserName, msg.err) {
			cmds = append(cmds, m.reconcile(acct, c.UserName)) // a lost reply, judged not done
		} else {
			cmds = append(cmds, m.reconcileIfGone(acct, c.UserName, msg.err))
		}
	default:
		b.ok = append(b.ok, label)
		if msg.lostReply {
			b.lost = append(b.lost, label)
		}
		m.bulkDone(acct, c.ID) // failures stay selected for a retry
		m.applyConfirmed(acct, b.confirmed(c))
		b.changed[changedUser{acct, c.UserName}] = true
	}
	if b.next < len(b.targets) {
		cmds = append(cmds, m.bulkNext(b))
	}
	if b.done == len(b.targets) {
		m.endTask(b.task)
		for _, list := range [][]string{b.ok, b.failed, b.unknown, b.lost} {
			sort.Strings(list) // results arrive in any order; the summary reads by user
		}
		m.bulk = nil
		cmds = append(cmds, m.open(newBulkSummary(m.kit, b)))
		// IAM's word on what changed, as after a single write: a credential
		// past its date stays Expired whatever it was set to.
		for _, u := range b.changedUsers() {
			cmds = append(cmds, m.reconcile(u.acct, u.user))
		}
		level := levelOK
		if len(b.failed)+len(b.unknown) > 0 {
			level = levelWarn
		}
		m.setStatus(level, b.action.name()+": "+b.counts())
	}
	return tea.Batch(cmds...)
}

// changedUsers are the users b changed, in a fixed order.
func (b *bulkRun) changedUsers() []changedUser {
	out := make([]changedUser, 0, len(b.changed))
	for u := range b.changed {
		out = append(out, u)
	}
	sort.Slice(out, func(i, j int) bool {
		a, c := out[i], out[j]
		if ak, ck := accountLabel(a.acct), accountLabel(c.acct); ak != ck {
			return ak < ck
		}
		return a.user < c.user
	})
	return out
}

func accountLabel(a *account) string { return a.key }

// confirmed is what b did to c, once IAM confirmed it.
func (b *bulkRun) confirmed(c model.Credential) confirmed {
	switch b.action {
	case bulkDeactivate:
		c.Status = model.Inactive
	case bulkActivate:
		c.Status = model.Active
	default:
		return confirmed{kind: opDelete, cred: c}
	}
	return confirmed{kind: opToggle, cred: c}
}

// counts says how the run ended: "5 done (1 after a lost reply), 1 failed,
// 1 unknown".
func (b *bulkRun) counts() string {
	s := fmt.Sprintf("%d done", len(b.ok))
	if len(b.lost) > 0 {
		s += fmt.Sprintf(" (%d after a lost reply)", len(b.lost))
	}
	if len(b.failed) > 0 {
		s += fmt.Sprintf(", %d failed", len(b.failed))
	}
	if len(b.unknown) > 0 {
		s += fmt.Sprintf(", %d unknown (reply lost)", len(b.unknown))
	}
	return s
}
