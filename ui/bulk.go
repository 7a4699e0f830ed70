package ui

import (
	"context"
	"fmt"
	"sort"

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
	ok      []string
	failed  []string
	// accts are the targets' accounts on the organization view (nil: the
	// account on screen); clients the clients that act on them.
	accts   []*orgAccount
	clients []IAM
}

// client acts on target i.
func (b *bulkRun) client(i int) IAM { return b.clients[i] }

func (b *bulkRun) verb() string {
	return [...]string{"deactivating", "activating", "deleting"}[b.action]
}

type bulkDoneMsg struct {
	run, i int
	err    error
}

// bulkCmd applies one target; it takes copies, never the model.
func bulkCmd(ctx context.Context, c IAM, run, i int, a bulkAction, cred model.Credential) tea.Cmd {
	return func() tea.Msg {
		var err error
		switch a {
		case bulkDeactivate:
			err = c.SetStatus(ctx, cred.UserName, cred.ID, model.Inactive)
		case bulkActivate:
			err = c.SetStatus(ctx, cred.UserName, cred.ID, model.Active)
		case bulkDelete:
			err = c.Delete(ctx, cred.UserName, cred.ID)
		}
		return bulkDoneMsg{run: run, i: i, err: err}
	}
}

func (m *Model) startBulk(a bulkAction, targets []model.Credential) tea.Cmd {
	m.bulkRuns++
	b := &bulkRun{id: m.bulkRuns, action: a, targets: targets}
	b.accts, b.clients = m.bulkAccounts(targets)
	b.task = m.startTask(fmt.Sprintf("%s %s…", b.verb(), plural(len(targets), "credential")))
	m.bulk = b
	var cmds []tea.Cmd
	for b.next < len(targets) && b.next < bulkConcurrency {
		cmds = append(cmds, bulkCmd(m.ctx, b.client(b.next), b.id, b.next, a, targets[b.next]))
		b.next++
	}
	return tea.Batch(cmds...)
}

// onBulkDone records one result and starts the next target; a failure does
// not stop the rest. The last result opens the summary.
func (m *Model) onBulkDone(msg bulkDoneMsg) tea.Cmd {
	b := m.bulk
	if b == nil || b.id != msg.run {
		return nil
	}
	c, acct := b.targets[msg.i], b.accts[msg.i]
	label := credLabel(c.UserName, c.Service, c.ID) + inAccount(acct)
	b.done++
	var cmds []tea.Cmd
	if msg.err != nil {
		b.failed = append(b.failed, label+": "+errorText(msg.err))
		cmds = append(cmds, m.reconcileIfGoneIn(acct, c.UserName, msg.err))
	} else {
		b.ok = append(b.ok, label)
		m.bulkDone(c.ID) // failures stay selected for a retry
		cache := m.cacheOf(acct)
		switch b.action {
		case bulkDelete:
			cache.removed(c.UserName, c.ID)
		case bulkDeactivate:
			cache.changed(c.UserName, c.ID, func(x *model.Credential) { x.Status = model.Inactive })
		case bulkActivate:
			cache.changed(c.UserName, c.ID, func(x *model.Credential) { x.Status = model.Active })
		}
		m.refreshUserIn(acct, c.UserName)
	}
	if b.next < len(b.targets) {
		cmds = append(cmds, bulkCmd(m.ctx, b.client(b.next), b.id, b.next, b.action, b.targets[b.next]))
		b.next++
	}
	if b.done == len(b.targets) {
		m.endTask(b.task)
		sort.Strings(b.ok) // results arrive in any order; the summary reads by user
		sort.Strings(b.failed)
		m.bulk = nil
		cmds = append(cmds, m.open(newBulkSummary(m.kit, b)))
		if len(b.failed) == 0 {
			m.setStatus(levelOK, fmt.Sprintf("%s: %d done", b.action.name(), len(b.ok)))
		} else {
			m.setStatus(levelWarn, fmt.Sprintf("%s: %d done, %d failed", b.action.name(), len(b.ok), len(b.failed)))
		}
	}
	return tea.Batch(cmds...)
}
