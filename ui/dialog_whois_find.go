package ui

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
)

// The root's side of K (dialog_whois.go): which account a decoded key's
// credential is looked for in — the account on screen, or, across accounts,
// the key's own, opened if another is — the listing of its user there, and
// the selection of what it matched, on the screen that shows it.

// openWhois opens K's dialog. Its tag names the account its deactivation
// goes to, once it has found the credential (rememberDialogAccount).
func (m *Model) openWhois() tea.Cmd {
	m.dialogTags++
	return m.open(newWhoisDialog(m.kit, m.dialogTags, m.readOnly))
}

// whoisLookup answers a lookup with the account to look in, and lists the
// key's user's credentials there; or with why it does not look.
func (m *Model) whoisLookup(msg whoisLookupMsg) tea.Cmd {
	k := msg.key
	if k.Account == "" || k.User == "" {
		return m.whoisByAlias(msg)
	}
	a, switched, note := m.whoisAccount(k)
	if a == nil {
		return m.tellDialogs(whoisWhereMsg{tag: msg.tag, note: note})
	}
	user := k.User
	if msg.user != "" {
		user = msg.user
	}
	return tea.Batch(switched, m.whoisList(msg.tag, a, user))
}

// whoisList tells the dialog tag where it looks, and lists user there.
func (m *Model) whoisList(tag int, a *account, user string) tea.Cmd {
	where, id := "", m.identity.Account
	if a.key != "" {
		where, id = model.SafeText(a.info.Label()), a.info.ID
	}
	return tea.Batch(m.tellDialogs(whoisWhereMsg{tag: tag, acct: a, user: user, account: id, where: where}), m.listCredsIn(a, user, false))
}

// whoisByAlias looks for a key whose alias names no user and account (not in
// the <user>-at-<account> form) among what is listed: the account on screen's
// credentials, or on the organization view every account's. Its user is then
// listed again, as for any key.
func (m *Model) whoisByAlias(msg whoisLookupMsg) tea.Cmd {
	accts := []*account{m.acct}
	if m.org != nil && m.active == screenOrg {
		accts = m.org.accounts
	}
	for _, a := range accts {
		if !a.read() {
			continue
		}
		if mt := model.MatchKey(msg.key, "", a.cache.all()); mt.Found && !mt.ByUserOnly {
			return m.whoisList(msg.tag, a, mt.Credential.UserName)
		}
	}
	return m.tellDialogs(whoisWhereMsg{tag: msg.tag,
		note: "Not found (deleted, or another account): the key's alias names no account, and no credential listed here has it."})
}

// whoisAccount is the account to look for k's credential in: the account on
// screen, when it is k's (or its ID is not known yet); across accounts, k's
// own, which is opened (switched: its loads) unless the organization view
// shows. nil, with why, when it is not among them.
func (m *Model) whoisAccount(k model.DecodedKey) (a *account, switched tea.Cmd, note string) {
	if m.org == nil {
		if m.identityOK && k.Account != "" && k.Account != m.identity.Account {
			return nil, nil, fmt.Sprintf("This key belongs to account %s, not to %s, the account on screen. Start iamcreds in that account (--profile) or across the organization (--org), then paste it again.",
				model.SafeText(k.Account), model.SafeText(m.identity.Account))
		}
		return m.acct, nil, ""
	}
	a = m.org.byKey[k.Account]
	switch {
	case a == nil && m.org.scanning:
		return nil, nil, fmt.Sprintf("This key belongs to account %s, which has not been read yet: the accounts are still being read. Paste it again once they are.",
			model.SafeText(k.Account))
	case a == nil:
		return nil, nil, fmt.Sprintf("This key belongs to account %s, which is not among the %s read: not found there. Start iamcreds with a profile of that account, then paste it again.",
			model.SafeText(k.Account), m.org.label())
	case !a.read():
		why := a.skipped
		if a.err != nil {
			why = errorText(a.err)
		}
		return nil, nil, fmt.Sprintf("This key belongs to %s, which could not be read (%s): ctrl+r on the organization view reads it again.", model.SafeText(a.info.Label()), model.SafeText(why))
	case m.active == screenOrg || a == m.acct:
		return a, nil, ""
	case m.writes.any() || m.bulk != nil:
		return nil, nil, fmt.Sprintf("This key belongs to %s, another account than the one open: wait for the changes in flight to finish, then paste it again.", model.SafeText(a.info.Label()))
	}
	info := a.info
	switched = m.enterAccount(model.AuditRow{Credential: model.Credential{UserName: k.User}, Account: &info})
	if m.acct != a {
		return nil, nil, "Could not open " + model.SafeText(a.info.Label()) + ", the key's account."
	}
	return a, switched, ""
}

// whoisSelect selects what the key matched in account a: its credential
// (user row and credential row on the main screen, the row on the
// organization view), or its user when no single credential matched. The
// deactivation the dialog then asks for goes to a (its tag).
func (m *Model) whoisSelect(msg whoisFoundMsg) tea.Cmd {
	a, c := msg.acct, msg.cred
	if c.ID != "" {
		m.rememberDialogAccount(msg.tag, a)
	}
	if m.active == screenOrg && m.org != nil {
		m.whoisSelectRow(a, msg.user, c.ID)
		return nil
	}
	if a != m.acct {
		return nil // another account is open now: nothing of it to select
	}
	if !m.main.showCred(msg.user, c.ID) {
		m.setStatus(levelWarn, model.SafeText(msg.user)+" is not in the users list yet; ctrl+r reads it again")
		return nil
	}
	m.show(screenMain)
	return nil
}

// whoisSelectRow moves the organization view's cursor to credential id of
// user in a (the user's first row when id is ""), clearing the filters when
// they hide it.
func (m *Model) whoisSelectRow(a *account, user, id string) {
	s := m.orgView
	s.moved = true // the cursor holds the row from now on
	s.sync()       // the listing just applied: its rows
	find := func() bool {
		for i, r := range s.visible {
			if r.AccountID() == a.info.ID && r.UserName == user && (id == "" || r.ID == id) {
				s.table.SetCursor(i)
				return true
			}
		}
		return false
	}
	if find() {
		return
	}
	s.text.clear()
	s.filter = model.AuditFilter{}
	s.refilter()
	if find() {
		m.setStatus(levelInfo, "Filters cleared to show the key's credential")
	}
}
