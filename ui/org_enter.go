package ui

import (
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
	m.acct = m.org.none // until an account is open
}

// enterAccount opens the row's user, and its credential, in the main view of
// the row's account: that account, its one cache, becomes the account on
// screen. The main view starts from what is known of it and lists it again.
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
	m.acct = a
	m.identity, m.identityOK, m.identityErr = model.Identity{}, false, nil
	m.load.everLoaded = true
	m.main.openAt(a.users, r.UserName, r.ID)
	m.show(screenMain)
	cmd := tea.Batch(m.startIdentity(), m.startLoad())
	m.setStatus(levelInfo, "Opened "+credLabel(r.UserName, r.Service, r.ID)+" in "+model.SafeText(a.info.Label())+" · O goes back to the organization view")
	return cmd
}

// leaveAccount goes back to the organization view (O). What the main view
// learnt of the account is in the account's cache already: the organization
// view shows it.
func (m *Model) leaveAccount() tea.Cmd {
	switch {
	case m.active == screenOrg:
		m.setStatus(levelInfo, "This is the organization view: enter opens the account of a row")
		return nil
	case m.writes.any() || m.bulk != nil:
		m.setStatus(levelWarn, "Wait for the changes in flight to finish before leaving the account")
		return nil
	}
	if m.stopLoad != nil {
		m.stopLoad() // the account's load: the organization view reads accounts itself
	}
	m.acct = m.org.none
	m.show(screenOrg)
	m.setStatus(levelInfo, "Back to the "+m.org.label()+" · enter opens the account of a row")
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

// openUser shows c's user in the main view with c under the cursor of the
// credentials table (enter on a fleet row); a users filter that hides the user
// is cleared.
func (m *Model) openUser(c model.Credential) tea.Cmd {
	if !m.main.showCred(c.UserName, c.ID) {
		m.setStatus(levelWarn, c.UserName+" is not in the users list; ctrl+r reads it again")
		return nil
	}
	m.show(screenMain)
	m.setStatus(levelInfo, "Opened "+credLabel(c.UserName, c.Service, c.ID)+" · a goes back to the fleet")
	return m.listCreds(c.UserName, false)
}

// showCred highlights user, and its credential id under the cursor of the
// credentials table, which gets the keys; a filter that hides the user is
// cleared. It reports whether the users list has user.
func (s *mainScreen) showCred(user, id string) bool {
	if !s.users.selectName(user) {
		s.filter.clear()
		s.users.setFilter("")
		if !s.users.selectName(user) {
			return false
		}
	}
	s.rebuildCreds()
	s.setFocus(focusCreds)
	s.selectCred(user, id)
	return true
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
	a := m.acct
	if a == o.none {
		out := []headerPart{{text: label}}
		if o.found.Caller != "" {
			out = append(out, headerPart{text: st.HeaderLabel.Render("caller ") + value(o.found.Caller), prio: 1})
		}
		return out
	}
	out := []headerPart{{text: st.HeaderLabel.Render("account ") + st.HeaderValue.Render(model.SafeText(a.info.Label()))}}
	for _, p := range parts[1:] { // the ARN and the profile, as for one account
		out = append(out, p)
	}
	if a.info.Profile != "" {
		out = append(out, headerPart{text: st.HeaderLabel.Render("profile ") + st.HeaderValue.Render(model.SafeText(a.info.Profile)), prio: 1})
	}
	return append(out, headerPart{text: label + st.HeaderLabel.Render(" (O)"), prio: 2})
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
