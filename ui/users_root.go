package ui

import (
	"context"
	"slices"

	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
)

// The root's side of the console-made users: the background reads, the
// cleanup dialog's reads and steps, and their answers.

// consoleHoldingsMsg answers an account-wide read of the console-made users.
type consoleHoldingsMsg struct {
	acct     *account
	gen, tag int
	holdings []model.Holdings
	err      error
}

// userReadMsg answers a read of one user for the cleanup dialog by: what it
// holds and its credentials (every service: its own listing), judged.
type userReadMsg struct {
	by, task int
	acct     *account
	tag      int    // the holdings' tag (consoleHoldings.next)
	credTag  uint64 // the credentials' tag (credCache.tag)
	user     model.User
	judged   model.JudgedUser
	gone     bool // IAM says the user no longer exists
	err      error
}

// cleanupStepMsg answers one step of a cleanup asked for by dialog by.
type cleanupStepMsg struct {
	by, task int
	acct     *account
	i        int
	step     model.CleanupStep
	gone     bool // IAM said the thing was gone already
	err      error
}

// cleanupAskedMsg opens the cleanup dialog of a judged user of account acct
// (its key: the user is held by account and name).
type cleanupAskedMsg struct {
	acct string
	user model.JudgedUser
}

// userReadRequestedMsg reads a user again for the cleanup dialog by.
type userReadRequestedMsg struct {
	by   int
	acct string
	user model.User
}

// cleanupStepRequestedMsg runs step i of the cleanup of dialog by.
type cleanupStepRequestedMsg struct {
	by   int
	acct string
	i    int
	step model.CleanupStep
}

// handleUsers routes the console-made users' messages; handle passes it
// what it does not know.
func (m *Model) handleUsers(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case consoleHoldingsMsg:
		msg.acct.console.applyAll(msg.gen, msg.tag, msg.holdings, msg.err)
	case userReadMsg:
		m.onUserRead(msg)
	case cleanupStepMsg:
		m.onCleanupStep(msg)
	case cleanupAskedMsg:
		return m.openCleanup(msg), true
	case userReadRequestedMsg:
		return m.readUserFor(msg.by, msg.acct, msg.user), true
	case cleanupStepRequestedMsg:
		return m.startCleanupStep(msg), true
	default:
		return nil, false
	}
	return nil, true
}

// readConsoleUsers reads in the background what a's console-made users hold:
// the users the rule selects from a.users alone. On the organization view a
// few accounts are read at once (each read bounds its own calls).
func (m *Model) readConsoleUsers(a *account) tea.Cmd {
	users := model.SelectConsoleMade(a.users, "")
	gen, tag := a.console.begin(users)
	if len(users) == 0 {
		a.console.applyAll(gen, tag, nil, nil)
		return nil
	}
	names := make([]string, len(users))
	for i, u := range users {
		names[i] = u.Name
	}
	var slots chan struct{}
	if m.org != nil {
		if m.org.userReads == nil {
			m.org.userReads = make(chan struct{}, orgUserReads)
		}
		slots = m.org.userReads
	}
	ctx, c := m.ctx, a.client
	return func() tea.Msg {
		if slots != nil {
			select {
			case slots <- struct{}{}:
				defer func() { <-slots }()
			case <-ctx.Done():
				return consoleHoldingsMsg{acct: a, gen: gen, tag: tag, err: ctx.Err()}
			}
		}
		ctx, cancel := context.WithTimeout(ctx, inventoryTimeout)
		defer cancel()
		hs, err := c.Holdings(ctx, names)
		return consoleHoldingsMsg{acct: a, gen: gen, tag: tag, holdings: hs, err: err}
	}
}

// orgUserReads is how many accounts' console-made users are read at once.
const orgUserReads = 4

// accountByKey is the account a cleanup acts in: the organization's account
// of that key, or the one account. An error says it is no longer there.
func (m *Model) accountByKey(key string) (*account, error) {
	if m.org != nil {
		if a := m.org.byKey[key]; a != nil && a.read() {
			return a, nil
		}
	} else if key == m.acct.key {
		return m.acct, nil
	}
	return nil, model.Errorf(model.KindNotFound, "that account is no longer read; ctrl+r reads it again")
}

// openCleanup opens the cleanup dialog of a user, in its account, and reads
// the user again at once: what the dialog shows is IAM's latest.
func (m *Model) openCleanup(msg cleanupAskedMsg) tea.Cmd {
	a, err := m.accountByKey(msg.acct)
	if err != nil {
		m.setStatus(levelWarn, errorText(err))
		return nil
	}
	m.dialogTags++
	d := newCleanupDialog(m.kit, m.dialogTags, msg.acct, msg.user, m.readOnly)
	return tea.Batch(m.open(m.inAccounts(d, a)), m.readUser(m.dialogTags, a, msg.user.User))
}

func (m *Model) readUserFor(by int, key string, u model.User) tea.Cmd {
	a, err := m.accountByKey(key)
	if err != nil {
		return func() tea.Msg { return userReadMsg{by: by, user: u, err: err} }
	}
	return m.readUser(by, a, u)
}

// readUser reads what user u of a holds, and its credentials.
func (m *Model) readUser(by int, a *account, u model.User) tea.Cmd {
	tag, credTag := a.console.next(), a.cache.tag()
	ctx, c, now := m.ctx, a.client, m.now
	task := m.startTask("reading " + u.Name + "…")
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, readTimeout)
		defer cancel()
		msg := userReadMsg{by: by, task: task, acct: a, tag: tag, credTag: credTag, user: u}
		hs, err := c.Holdings(ctx, []string{u.Name})
		switch {
		case err != nil:
			msg.err = err
			return msg
		case len(hs) != 1 || hs[0].Gone:
			msg.gone = true
			return msg
		}
		creds, err := c.ListCredentials(ctx, u.Name)
		switch {
		case model.KindOf(err) == model.KindNotFound:
			msg.gone = true
		case err != nil:
			msg.err = err
		default:
			msg.judged = model.JudgeUser(u, hs[0], creds, now())
		}
		return msg
	}
}

// onUserRead applies a user read again to its account: what it holds, its
// credentials, or that it is gone (it leaves the account's users).
func (m *Model) onUserRead(msg userReadMsg) {
	m.endTask(msg.task)
	a := msg.acct
	if a == nil || msg.err != nil {
		return
	}
	if msg.gone {
		a.console.applyOne(msg.tag, msg.user, model.Holdings{User: msg.user.Name, Gone: true})
		m.userGone(a, msg.user.Name)
		return
	}
	a.console.applyOne(msg.tag, msg.user, msg.judged.Holdings)
	if a.cache.applyListing(msg.user.Name, msg.credTag, msg.judged.Credentials, nil) {
		m.lost.prune(a.cache, msg.user.Name, msg.judged.Credentials)
	}
}

// userGone takes a deleted user out of its account's users and credentials.
func (m *Model) userGone(a *account, user string) {
	if !slices.ContainsFunc(a.users, func(u model.User) bool { return u.Name == user }) {
		return
	}
	a.users = slices.DeleteFunc(slices.Clone(a.users), func(u model.User) bool { return u.Name == user })
	if creds, _ := a.cache.get(user); len(creds) > 0 {
		for _, c := range creds {
			m.deleted[c.ID] = true
		}
	}
	a.cache.replaced(user, nil)
	if a == m.acct && m.active != screenOrg {
		m.main.setUsers(a.users)
	}
}

// startCleanupStep runs one step of a cleanup in its account.
func (m *Model) startCleanupStep(msg cleanupStepRequestedMsg) tea.Cmd {
	a, err := m.accountByKey(msg.acct)
	if err != nil {
		return func() tea.Msg { return cleanupStepMsg{by: msg.by, i: msg.i, step: msg.step, err: err} }
	}
	task := m.startTask(msg.step.User + ": " + msg.step.What + "…")
	ctx, c, s := m.ctx, a.client, msg.step
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, writeTimeout)
		defer cancel()
		gone, err := c.CleanupStep(ctx, s)
		return cleanupStepMsg{by: msg.by, task: task, acct: a, i: msg.i, step: s, gone: gone, err: err}
	}
}

// onCleanupStep applies a step IAM confirmed: a credential deleted leaves
// the cache at once (the rows go with no word that they went).
func (m *Model) onCleanupStep(msg cleanupStepMsg) {
	m.endTask(msg.task)
	if msg.err != nil || msg.acct == nil {
		return
	}
	if msg.step.Op == model.OpDeleteCredential {
		m.deleted[msg.step.Target] = true
		m.lost.forget(msg.step.Target)
		msg.acct.cache.removed(msg.step.User, msg.step.Target)
	}
}

// stepOutcome is what a step that returned err did: unknown when its reply
// may have been lost (the endpoint unreachable, the call given up).
func stepOutcome(err error) model.Outcome { return model.CleanupOutcome(err) }
