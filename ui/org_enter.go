package ui

import (
	"context"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
)

// Moving between the organization view and one account: enter on a row opens
// its user in the main view of its account, whose client the root then uses
// for everything (the main view, the fleet view, create); O goes back. The
// header says which account is open.

// startOrg makes the organization view the first screen (New).
func (m *Model) startOrg(src Accounts) {
	m.org = newOrgState(src)
	m.orgView = newOrgScreen(m.shared, m.org)
	m.screens[screenOrg] = m.orgView
	m.active = screenOrg
	m.client = noAccount{} // until an account is open
}

// enterAccount opens the row's user, and its credential, in the main view of
// the row's account. The main view starts from what the scan read and lists
// the account again.
func (m *Model) enterAccount(r model.AuditRow) tea.Cmd {
	a := m.org.byKey[r.AccountID()]
	switch {
	case a == nil || !a.read():
		m.setStatus(levelWarn, "That account is no longer read; ctrl+r reads the accounts again")
		return nil
	case m.writes.any() || m.bulk != nil:
		m.setStatus(levelWarn, "Wait for the changes in flight to finish before opening an account")
		return nil
	}
	m.org.current = a
	m.client = a.client
	m.identity, m.identityOK, m.identityErr = model.Identity{}, false, nil
	m.cache.reset() // answers about the account open before are dropped
	m.cache.applyInventory(m.cache.tag(), model.Inventory{Users: a.users, Credentials: a.cache.all()}, nil)
	m.load.everLoaded = true
	m.main.openAt(a.users, r.UserName, r.ID)
	m.show(screenMain)
	cmd := tea.Batch(m.startIdentity(), m.startLoad())
	m.setStatus(levelInfo, "Opened "+credLabel(r.UserName, r.Service, r.ID)+inAccount(a)+" · O goes back to the organization view")
	return cmd
}

// leaveAccount goes back to the organization view (O), taking what the main
// view learnt of the account with it; if its last load failed, the account is
// read again instead.
func (m *Model) leaveAccount() tea.Cmd {
	switch {
	case m.active == screenOrg:
		m.setStatus(levelInfo, "This is the organization view: enter opens the account of a row")
		return nil
	case m.writes.any() || m.bulk != nil:
		m.setStatus(levelWarn, "Wait for the changes in flight to finish before leaving the account")
		return nil
	}
	var cmd tea.Cmd
	if a := m.org.current; a != nil && m.org.byKey[a.key] == a {
		if m.load.invApplied && !m.load.invPending {
			a.users = m.main.users.all
			a.cache.applyInventory(a.cache.tag(), model.Inventory{Users: a.users, Credentials: m.cache.all()}, nil)
		} else {
			cmd = m.orgReadAccount(a)
		}
	}
	m.org.current = nil
	m.client = noAccount{}
	m.show(screenOrg)
	m.setStatus(levelInfo, "Back to the "+m.org.label()+" · enter opens the account of a row")
	return cmd
}

// orgInventoryMsg is one account read again.
type orgInventoryMsg struct {
	task int
	acct *orgAccount
	seq  uint64
	inv  model.Inventory
	err  error
}

// orgReadAccount reads one account again with its client.
func (m *Model) orgReadAccount(a *orgAccount) tea.Cmd {
	task, seq, client, ctx := m.startTask("reading "+model.SafeText(a.info.Label())+" again…"), a.cache.tag(), a.client, m.ctx
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, inventoryTimeout)
		defer cancel()
		inv, err := client.InventoryWith(ctx, model.InventoryOptions{})
		return orgInventoryMsg{task: task, acct: a, seq: seq, inv: inv, err: err}
	}
}

func (m *Model) onOrgInventory(msg orgInventoryMsg) tea.Cmd {
	m.endTask(msg.task)
	if msg.err != nil {
		m.setError("Could not read "+model.SafeText(msg.acct.info.Label())+" again", msg.err)
		return nil
	}
	msg.acct.users = msg.inv.Users
	msg.acct.cache.applyInventory(msg.seq, msg.inv, m.pruneLost(msg.acct.cache))
	return nil
}

// openAt shows users, with user highlighted and its credential credID under
// the cursor of the credentials table, which has the focus.
func (s *mainScreen) openAt(users []model.User, user, credID string) {
	s.filter.clear()
	s.users.setFilter("")
	s.setUsers(users)
	s.users.selectName(user)
	s.rebuildCreds()
	s.setFocus(focusCreds)
	s.selectCred(user, credID)
}

// orgHeaderParts are the header's account and where it belongs: the
// organization (or the profiles) on the organization view; in an open account,
// that account by name and ID, the caller's ARN there, and the way back.
func (m *Model) orgHeaderParts(parts []headerPart) []headerPart {
	st := m.styles
	o := m.org
	value := func(s string) string { return st.HeaderValue.Render(model.SafeText(s)) } // from Organizations and STS
	label := st.HeaderLabel.Render("organization ") + value(o.found.Organization)
	switch {
	case o.found.Organization == "" && o.found.Caller != "":
		label = st.HeaderLabel.Render("organization of ") + value(o.found.Caller)
	case o.found.Organization == "" && o.found.Caller == "" && o.found.Total > 0:
		label = st.HeaderLabel.Render("profiles")
	case o.found.Organization == "":
		label = st.HeaderLabel.Render("accounts ") + st.HeaderValue.Render("…")
	}
	a := o.current
	if a == nil {
		out := []headerPart{{label, 0}}
		if o.found.Caller != "" {
			out = append(out, headerPart{st.HeaderLabel.Render("caller ") + value(o.found.Caller), 1})
		}
		return out
	}
	out := []headerPart{{st.HeaderLabel.Render("account ") + st.HeaderValue.Render(model.SafeText(a.info.Label())), 0}}
	for _, p := range parts[1:] { // the ARN and the profile, as for one account
		out = append(out, p)
	}
	if a.info.Profile != "" {
		out = append(out, headerPart{st.HeaderLabel.Render("profile ") + st.HeaderValue.Render(model.SafeText(a.info.Profile)), 1})
	}
	return append(out, headerPart{label + st.HeaderLabel.Render(" (O)"), 2})
}

// withOrgKey adds O to the help of an open account's screens.
func (m *Model) withOrgKey(c contextKeys, k KeyMap) contextKeys {
	if m.org == nil || m.active == screenOrg || !m.dialogs.empty() {
		return c
	}
	c.short = append([]key.Binding{k.OrgView}, c.short...)
	if n := len(c.groups); n > 0 { // the last group is the global keys
		g := &c.groups[n-1]
		g.keys = append([]key.Binding{k.OrgView}, g.keys...)
		return c
	}
	c.full = append(c.full, []key.Binding{k.OrgView})
	return c
}
