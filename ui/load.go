package ui

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
)

// Answers of the reads: identity, users, inventory, one user's credentials.

func (m *Model) onIdentity(msg identityMsg) tea.Cmd {
	m.endTask(msg.task)
	if msg.err != nil {
		m.identityErr = msg.err
		m.setError("Could not identify the caller", msg.err)
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
		m.setError("Could not list users", msg.err)
		return nil
	}
	return m.applyUsers(msg.users)
}

func (m *Model) onInventory(msg inventoryMsg) tea.Cmd {
	m.endTask(msg.task)
	if msg.gen != m.load.gen {
		return nil
	}
	m.load.invPending = false
	if msg.err != nil {
		m.load.invErr = msg.err
		m.setError("Could not load the credentials of all users", msg.err)
		m.refreshAllUserRows() // "…" becomes "?"
		// Fall back to the highlighted user alone.
		if u, ok := m.users.selected(); ok {
			return m.listCreds(u.Name, true)
		}
		return nil
	}
	byUser := map[string][]model.Credential{}
	for _, c := range msg.inv.Credentials {
		byUser[c.UserName] = append(byUser[c.UserName], c)
	}
	for _, u := range msg.inv.Users {
		if m.fresh[u.Name] > msg.seq {
			continue // a listing or write newer than this scan already applied
		}
		m.cache[u.Name] = byUser[u.Name]
		m.fresh[u.Name] = msg.seq
	}
	m.load.invApplied = true
	cmd := m.applyUsers(msg.inv.Users)
	m.setStatus(levelInfo, m.loadedSummary(msg.inv))
	return cmd
}

// loadedSummary is the status line after a load.
func (m *Model) loadedSummary(inv model.Inventory) string {
	s := fmt.Sprintf("Loaded %s and %s", plural(len(inv.Users), "user"), plural(len(inv.Credentials), "credential"))
	if inv.PerUser {
		s += " (user by user: IAM refused the account-wide listing)"
	}
	return s
}

func (m *Model) onProgress(msg inventoryProgressMsg) tea.Cmd {
	if msg.gen != m.load.gen || !m.load.invPending {
		return nil
	}
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
	m.users.setUsers(users, m.userCells)
	m.relayout()
	m.rebuildCreds()
	u, ok := m.users.selected()
	if !ok {
		return nil
	}
	if _, cached := m.cache[u.Name]; !cached && !m.load.invPending {
		return m.listCreds(u.Name, true)
	}
	return nil
}

// refreshAllUserRows re-renders every row's counts (after the inventory failed).
func (m *Model) refreshAllUserRows() {
	if !m.load.everLoaded {
		return
	}
	m.users.setUsers(m.users.all, m.userCells)
	m.relayout()
}

// onSettle loads the credentials of the user the cursor rested on.
func (m *Model) onSettle(msg settleMsg) tea.Cmd {
	if msg.seq != m.settleSeq {
		return nil // the cursor moved again since
	}
	if u, ok := m.users.selected(); !ok || u.Name != msg.user {
		return nil
	}
	return m.listCreds(msg.user, true)
}

// onCreds applies a user's credentials unless the answer is stale: older than
// what is applied already, or a cursor load for a user the cursor has left.
func (m *Model) onCreds(msg credsMsg) tea.Cmd {
	m.endTask(msg.task)
	if msg.seq <= m.fresh[msg.user] || msg.seq < m.seqFloor {
		return nil
	}
	if msg.settle {
		if u, ok := m.users.selected(); !ok || u.Name != msg.user {
			return nil
		}
	}
	if msg.err != nil {
		m.listErr[msg.user] = msg.err
		if model.KindOf(msg.err) == model.KindNotFound {
			delete(m.cache, msg.user) // the user is gone
		}
		m.setError("Could not list "+msg.user+"'s credentials", msg.err)
		m.rebuildCreds()
		return nil
	}
	delete(m.listErr, msg.user)
	m.fresh[msg.user] = msg.seq
	m.cache[msg.user] = msg.creds
	m.refreshUserRow(msg.user)
	if m.creds.user == msg.user {
		m.rebuildCreds()
	}
	return nil
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
