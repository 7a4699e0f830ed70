package ui

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
)

// The single writes: toggle at once, reset and delete behind a confirmation,
// create from its form. Each shows on its row while in flight, and its answer
// updates the cache and lists the user again.

// credLabel names a credential for messages: "alice's Git credential …P7DZE".
func credLabel(user, service, id string) string {
	s := user + "'s " + model.LookupService(service).Short + " credential"
	if id != "" {
		s += " " + shortID(id)
	}
	return s
}

// shortID keeps an id's tail, which is what the delete confirmation asks for.
func shortID(id string) string {
	if len(id) <= 8 {
		return id
	}
	return "…" + id[len(id)-5:]
}

// startOp records a write in flight and shows it on its row.
func (m *Model) startOp(p pendingOp) int {
	p.task = m.startTask(p.verb() + " " + credLabel(p.user, p.service, p.credID))
	p = m.writes.add(p)
	m.setStatus(levelInfo, "") // the last result is stale now; the spinner says what runs
	m.main.refreshUser(p.user)
	return p.id
}

// endOp forgets a finished write and returns it.
func (m *Model) endOp(id int) pendingOp {
	p, ok := m.writes.done(id)
	if ok {
		m.endTask(p.task)
	}
	return p
}

// writableCred is the selected credential when a write may start on it; else
// it says why not in the status bar.
func (m *Model) writableCred() (model.Credential, bool) {
	c, why := m.screen().selected()
	if why != "" {
		m.setStatus(levelInfo, why)
		return c, false
	}
	return c, m.guardCred(c)
}

// guardCred refuses a second write to a credential while one runs.
func (m *Model) guardCred(c model.Credential) bool {
	if p, busy := m.writes.on(c.UserName, c.ID); busy {
		m.setStatus(levelWarn, fmt.Sprintf("Still %s %s; wait for it to finish", p.verb(), credLabel(c.UserName, c.Service, c.ID)))
		return false
	}
	return true
}

// reconcile lists a user's credentials after a write, whatever the cursor does.
func (m *Model) reconcile(user string) tea.Cmd { return m.listCreds(user, false) }

// reconcileIfGone lists a user again whose credential was not found: it was
// probably deleted elsewhere, and the row should go.
func (m *Model) reconcileIfGone(user string, err error) tea.Cmd {
	if model.KindOf(err) == model.KindNotFound {
		return m.reconcile(user)
	}
	return nil
}

// toggle switches the selected credential Active↔Inactive at once: it is the
// panic button, and it is reversible.
func (m *Model) toggle() tea.Cmd {
	c, ok := m.writableCred()
	if !ok {
		return nil
	}
	to, ok := c.Status.Toggled()
	if c.IsExpired(m.now()) || !ok {
		m.setStatus(levelWarn, fmt.Sprintf("%s has expired: it cannot be made Active or Inactive. Delete it, or create a new one",
			credLabel(c.UserName, c.Service, c.ID)))
		return nil
	}
	op := m.startOp(pendingOp{kind: opToggle, user: c.UserName, credID: c.ID, service: c.Service, to: to})
	return toggleCmd(m.ctx, m.client, op, c.UserName, c.ID, to)
}

func (m *Model) onToggled(msg toggledMsg) tea.Cmd {
	p := m.endOp(msg.op)
	label := credLabel(msg.user, p.service, msg.id)
	if msg.err != nil {
		return m.writeFailed("Could not make "+label+" "+string(msg.to), msg.user, msg.err)
	}
	m.cache.changed(msg.user, msg.id, func(c *model.Credential) { c.Status = msg.to })
	m.main.refreshUser(msg.user)
	m.setStatus(levelOK, fmt.Sprintf("%s is now %s%s · t switches it back", label, msg.to, lostReplyNote(msg.lostReply)))
	return m.reconcile(msg.user)
}

// openResetConfirm asks before resetting the selected credential.
func (m *Model) openResetConfirm() tea.Cmd {
	c, ok := m.writableCred()
	if !ok {
		return nil
	}
	if c.IsExpired(m.now()) { // IAM refuses; say so without the round trip
		m.setStatus(levelWarn, credLabel(c.UserName, c.Service, c.ID)+" has expired: it cannot be reset. Delete it, or create a new one")
		return nil
	}
	return m.open(newResetConfirm(m.kit, c))
}

func (m *Model) startReset(c model.Credential) tea.Cmd {
	if !m.guardCred(c) {
		return nil
	}
	op := m.startOp(pendingOp{kind: opReset, user: c.UserName, credID: c.ID, service: c.Service})
	return resetCmd(m.ctx, m.client, op, c.UserName, c.ID)
}

func (m *Model) onReset(msg resetMsg) tea.Cmd {
	p := m.endOp(msg.op)
	if msg.err != nil {
		return m.writeFailed("Could not reset "+credLabel(msg.user, p.service, msg.id), msg.user, msg.err)
	}
	m.lost.forget(msg.id) // its new secret shows now
	m.cache.changed(msg.user, msg.id, func(c *model.Credential) {
		if msg.cred.ID == c.ID {
			*c = msg.cred
		}
	})
	m.main.refreshUser(msg.user)
	m.setStatus(levelOK, "Reset "+credLabel(msg.user, p.service, msg.id)+": the old secret no longer works")
	return tea.Batch(m.showSecret(msg.secret, true), m.reconcile(msg.user))
}

// openDeleteConfirm asks for the proof before deleting the selected credential.
func (m *Model) openDeleteConfirm() tea.Cmd {
	c, ok := m.writableCred()
	if !ok {
		return nil
	}
	return m.open(newDeleteConfirm(m.kit, c))
}

func (m *Model) startDelete(c model.Credential) tea.Cmd {
	if !m.guardCred(c) {
		return nil
	}
	op := m.startOp(pendingOp{kind: opDelete, user: c.UserName, credID: c.ID, service: c.Service})
	return deleteCmd(m.ctx, m.client, op, c.UserName, c.ID)
}

func (m *Model) onDeleted(msg deletedMsg) tea.Cmd {
	p := m.endOp(msg.op)
	label := credLabel(msg.user, p.service, msg.id)
	if msg.err != nil {
		return m.writeFailed("Could not delete "+label, msg.user, msg.err)
	}
	m.lost.forget(msg.id)
	m.cache.removed(msg.user, msg.id)
	m.main.refreshUser(msg.user)
	m.setStatus(levelOK, "Deleted "+label+lostReplyNote(msg.lostReply))
	return m.reconcile(msg.user)
}

func (m *Model) startCreate(user, service string, ageDays int) tea.Cmd {
	if m.writes.creating(user, service) > 0 {
		m.setStatus(levelWarn, fmt.Sprintf("Already creating a %s credential for %s; wait for it", model.LookupService(service).Short, user))
		return nil
	}
	op := m.startOp(pendingOp{kind: opCreate, user: user, service: service})
	return createCmd(m.ctx, m.client, op, user, service, ageDays)
}

func (m *Model) onCreated(msg createdMsg) tea.Cmd {
	m.endOp(msg.op)
	if msg.err != nil {
		return m.writeFailed("Could not create a "+model.LookupService(msg.service).Short+" credential for "+msg.user, msg.user, msg.err)
	}
	m.cache.added(msg.user, msg.cred)
	m.main.refreshUser(msg.user)
	m.main.selectCred(msg.user, msg.cred.ID)
	m.setStatus(levelOK, "Created "+credLabel(msg.user, msg.service, msg.cred.ID))
	return tea.Batch(m.showSecret(msg.secret, false), m.reconcile(msg.user))
}
