package ui

import (
	"context"
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
)

// The reads: identity, users and inventory (the account-wide loads of one
// generation: the start, ctrl+r), and one user's credentials.

func (m *Model) startIdentity() tea.Cmd {
	m.identityAsked = true
	id := m.startTask("")
	return identityCmd(m.ctx, m.acct.client, id)
}

// startLoad lists the users and the inventory at once: users usually come first
// and fill the table; the inventory adds every user's credentials. Users are
// listed once: the inventory gets the same listing (it needs the users only
// for the per-user fallback, and to know who has no credentials).
func (m *Model) startLoad() tea.Cmd {
	if m.stopLoad != nil {
		m.stopLoad() // its answers, of an older generation, are dropped
	}
	ctx, stop := context.WithCancel(m.ctx)
	m.stopLoad = stop
	m.load.gen++
	m.load.usersPending, m.load.invPending, m.load.invApplied, m.load.usersApplied = true, true, false, false
	m.load.usersErr, m.load.invErr = nil, nil
	m.load.scan = [2]int{}
	verb := "loading"
	if m.load.everLoaded {
		verb = "refreshing"
	}
	ut := m.startTask(verb + " users…")
	it := m.startTask(verb + " credentials…")
	m.load.invTask = it
	users := newUserListing()
	return tea.Batch(
		usersCmd(ctx, m.acct.client, ut, m.load.gen, users),
		inventoryCmds(ctx, m.acct, it, m.load.gen, m.acct.cache.tag(), users),
	)
}

// refresh loads everything again (ctrl+r).
func (m *Model) refresh() tea.Cmd {
	cmds := []tea.Cmd{m.startLoad()}
	if !m.identityOK && !m.identityAsked {
		cmds = append(cmds, m.startIdentity())
	}
	if u, ok := m.main.selectedUser(); ok {
		cmds = append(cmds, m.listCreds(u.Name, false))
	}
	m.setAccountStatus(levelInfo, "")
	return tea.Batch(cmds...)
}

// listCreds lists one user's credentials in the account on screen; settle
// marks a cursor load, which is dropped if the cursor has left the user by the
// time it answers.
func (m *Model) listCreds(user string, settle bool) tea.Cmd {
	return m.listCredsIn(m.acct, user, settle)
}

// listCredsIn lists one user's credentials in account a.
func (m *Model) listCredsIn(a *account, user string, settle bool) tea.Cmd {
	id := m.startTask("")
	return listCredsCmd(m.ctx, a, id, a.cache.tag(), user, settle)
}

func (m *Model) onIdentity(msg identityMsg) tea.Cmd {
	m.endTask(msg.task)
	m.identityAsked = false
	if msg.err != nil {
		m.identityErr = msg.err
		m.setLoadError("Could not identify the caller", msg.err)
		return nil
	}
	m.identity, m.identityOK, m.identityErr = msg.identity, true, nil
	return nil
}

func (m *Model) onUsers(msg usersMsg) tea.Cmd {
	m.endTask(msg.task)
	if msg.gen != m.load.gen {
		return nil // a newer load is running
	}
	m.load.usersPending = false
	if m.load.invApplied {
		return nil // the inventory, which lists users too, came first
	}
	if msg.err != nil {
		m.load.usersErr = msg.err
		m.setLoadError("Could not list users", msg.err)
		return nil
	}
	m.load.usersApplied = true
	m.acct.users = msg.users
	return tea.Batch(m.applyUsers(msg.users), m.readConsoleUsers(m.acct))
}

func (m *Model) onInventory(msg inventoryMsg) tea.Cmd {
	m.endTask(msg.task)
	if msg.gen != m.load.gen || msg.acct != m.acct {
		return nil
	}
	m.load.invPending = false
	if msg.err != nil {
		m.load.invErr = msg.err
		if m.load.usersErr == nil { // else it is that error again: the listing is shared
			m.setLoadError("Could not load the credentials of all users", msg.err)
		}
		// Fall back to the highlighted user alone.
		if u, ok := m.main.selectedUser(); ok {
			return m.listCreds(u.Name, true)
		}
		return nil
	}
	m.acct.cache.applyInventory(msg.seq, msg.inv, m.pruneLost(m.acct.cache))
	m.acct.users = msg.inv.Users
	m.load.invApplied = true
	m.load.readAt, m.load.perUser = m.now(), msg.inv.PerUser
	m.postAccountAfterNotes(statusLine{level: levelInfo, summary: true})
	if m.load.usersApplied {
		return nil // the table shows this very listing already: only the counts change
	}
	return tea.Batch(m.applyUsers(msg.inv.Users), m.readConsoleUsers(m.acct))
}

// loadedSummary is the status line after a load: what the tables hold now
// (a write since changes the counts, as it changes the titles) and when IAM
// was last read, so that the person knows how fresh the view is.
func (m *Model) loadedSummary() string {
	text := fmt.Sprintf("%s, %s, read %s", plural(len(m.acct.users), "user"),
		plural(m.acct.cache.count(), "credential"), m.load.readAt.In(m.now().Location()).Format("15:04:05"))
	if m.load.perUser {
		text += " (user by user: IAM refused the account-wide listing)"
	}
	return text
}

func (m *Model) onProgress(msg inventoryProgressMsg) tea.Cmd {
	if msg.gen != m.load.gen || !m.load.invPending {
		return nil
	}
	m.load.scan = [2]int{msg.done, msg.total}
	if t, ok := m.tasks[m.load.invTask]; ok {
		t.label = fmt.Sprintf("listing credentials user by user: %d of %d…", msg.done, msg.total)
		m.tasks[m.load.invTask] = t
	}
	return progressCmd(msg.gen, msg.ch)
}

// applyUsers shows a user list, and lists the highlighted user's credentials
// when no inventory is coming with them.
func (m *Model) applyUsers(users []model.User) tea.Cmd {
	m.load.everLoaded = true
	m.main.setUsers(users)
	u, ok := m.main.selectedUser()
	if !ok {
		return nil
	}
	if _, cached := m.acct.cache.get(u.Name); !cached && !m.load.invPending {
		return m.listCreds(u.Name, true)
	}
	return nil
}

// onSettle lists the credentials of the user the cursor rested on.
func (m *Model) onSettle(msg settleMsg) tea.Cmd {
	if user, ok := m.main.settled(msg); ok {
		return m.listCreds(user, true)
	}
	return nil
}

// onCreds applies a user's credentials in an account unless the answer is
// stale (the cache's rule), or a cursor load for a user the cursor has left.
func (m *Model) onCreds(msg credsMsg) tea.Cmd {
	m.endTask(msg.task)
	a := msg.acct
	if msg.settle {
		if u, ok := m.main.selectedUser(); a != m.acct || !ok || u.Name != msg.user {
			return nil
		}
	}
	if !a.cache.applyListing(msg.user, msg.seq, msg.creds, msg.err) {
		return nil
	}
	if msg.err != nil {
		// A listing after a write does not hide what a lost reply left on
		// screen: that matters more, and the write's result is applied.
		if msg.settle || !m.status().keep {
			line := errorLine("Could not list "+model.SafeText(msg.user)+"'s credentials"+m.inAccount(a), msg.err)
			line.text += m.retryHint()
			m.board.set(m.statusOwner(), line)
		}
		return nil
	}
	m.lost.prune(a.cache, msg.user, msg.creds)
	return nil
}

// setLoadError shows a failed read of the account on every screen, with the
// key that tries again.
func (m *Model) setLoadError(what string, err error) {
	line := errorLine(what, err)
	line.text += m.retryHint()
	m.postAccount(line)
}

func (m *Model) retryHint() string { return " · " + m.keys.Refresh.Help().Key + " retries" }
