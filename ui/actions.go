package ui

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
)

type opKind int

const (
	opCreate opKind = iota + 1
	opToggle
	opReset
	opDelete
)

// pendingOp is a write in flight. Its row shows a spinner, and a second write to
// the same credential (or a second create of the same service) waits for it.
type pendingOp struct {
	id      int
	task    int
	kind    opKind
	user    string
	credID  string
	service string
	to      model.Status // for a toggle
}

// verb is what the row says while the write runs.
func (p pendingOp) verb() string {
	switch p.kind {
	case opCreate:
		return "creating"
	case opToggle:
		if p.to == model.Inactive {
			return "disabling"
		}
		return "enabling"
	case opReset:
		return "resetting"
	case opDelete:
		return "deleting"
	}
	return "working"
}

func (m *Model) startOp(p pendingOp) int {
	m.nextOp++
	p.id = m.nextOp
	label := p.verb() + " " + credLabel(p.user, p.service, p.credID)
	p.task = m.startTask(label)
	m.pending = append(m.pending, p)
	m.setStatus(levelInfo, "") // the last result is stale now; the spinner says what runs
	m.afterWriteChange(p.user)
	return p.id
}

// endOp forgets a finished write and returns it.
func (m *Model) endOp(id int) (pendingOp, bool) {
	for i, p := range m.pending {
		if p.id == id {
			m.pending = append(m.pending[:i], m.pending[i+1:]...)
			m.endTask(p.task)
			return p, true
		}
	}
	return pendingOp{}, false
}

func (m *Model) pendingFor(user, id string) (pendingOp, bool) {
	for _, p := range m.pending {
		if p.user == user && p.credID == id && p.kind != opCreate {
			return p, true
		}
	}
	return pendingOp{}, false
}

func (m *Model) pendingCreate(user, service string) bool {
	for _, p := range m.pending {
		if p.kind == opCreate && p.user == user && p.service == service {
			return true
		}
	}
	return false
}

// secretWritesInFlight counts creates and resets: their secret arrives only once.
func (m *Model) secretWritesInFlight() int {
	n := 0
	for _, p := range m.pending {
		if p.kind == opCreate || p.kind == opReset {
			n++
		}
	}
	return n
}

// afterWriteChange re-renders what a write touches: the user's row and, if shown,
// the credentials table.
func (m *Model) afterWriteChange(user string) {
	m.refreshUserRow(user)
	if m.creds.user == user {
		m.rebuildCreds()
	}
}

// touch marks a user's cache as newer than any listing started before now.
func (m *Model) touch(user string) { m.fresh[user] = m.nextSeq() }

// reconcile lists a user's credentials after a write, whatever the cursor does.
func (m *Model) reconcile(user string) tea.Cmd { return m.listCreds(user, false) }

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

// writableCred is the highlighted credential when a write may start on it; else
// it says why not in the status bar.
func (m *Model) writableCred() (model.Credential, bool) {
	c, ok := m.selectedCred()
	if !ok {
		m.setStatus(levelInfo, "No credential selected")
		return c, false
	}
	return c, m.guardCred(c)
}

// guardCred refuses a second write to a credential while one runs.
func (m *Model) guardCred(c model.Credential) bool {
	if p, busy := m.pendingFor(c.UserName, c.ID); busy {
		m.setStatus(levelWarn, fmt.Sprintf("Still %s %s; wait for it to finish", p.verb(), credLabel(c.UserName, c.Service, c.ID)))
		return false
	}
	return true
}

// toggle switches the highlighted credential Active↔Inactive at once: it is the
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
	return setStatusCmd(m.ctx, m.client, op, c.UserName, c.ID, to)
}

func (m *Model) onStatusSet(msg statusSetMsg) tea.Cmd {
	p, _ := m.endOp(msg.op)
	label := credLabel(msg.user, p.service, msg.id)
	if msg.err != nil {
		m.afterWriteChange(msg.user)
		m.setError("Could not make "+label+" "+string(msg.to), msg.err)
		return m.reconcileIfGone(msg.user, msg.err)
	}
	m.updateCached(msg.user, msg.id, func(c *model.Credential) { c.Status = msg.to })
	m.touch(msg.user)
	m.afterWriteChange(msg.user)
	m.setStatus(levelOK, fmt.Sprintf("%s is now %s · t switches it back", label, msg.to))
	return tea.Batch(m.reconcile(msg.user), m.maybeQuit())
}

// reconcileIfGone refreshes a user whose credential was not found: it was
// probably deleted elsewhere, and the row should go.
func (m *Model) reconcileIfGone(user string, err error) tea.Cmd {
	if model.KindOf(err) == model.KindNotFound {
		return m.reconcile(user)
	}
	return nil
}

func (m *Model) updateCached(user, id string, f func(*model.Credential)) {
	creds := m.cache[user]
	out := make([]model.Credential, len(creds))
	copy(out, creds) // the cached slice may be shared with an old message
	for i := range out {
		if out[i].ID == id {
			f(&out[i])
		}
	}
	m.cache[user] = out
}

func (m *Model) removeCached(user, id string) {
	var out []model.Credential
	for _, c := range m.cache[user] {
		if c.ID != id {
			out = append(out, c)
		}
	}
	m.cache[user] = out
}

func (m *Model) startReset(c model.Credential) tea.Cmd {
	if !m.guardCred(c) {
		return nil
	}
	op := m.startOp(pendingOp{kind: opReset, user: c.UserName, credID: c.ID, service: c.Service})
	return resetCmd(m.ctx, m.client, op, c.UserName, c.ID)
}

func (m *Model) onReset(msg resetMsg) tea.Cmd {
	p, _ := m.endOp(msg.op)
	if msg.err != nil {
		m.afterWriteChange(msg.user)
		m.setError("Could not reset "+credLabel(msg.user, p.service, msg.id), msg.err)
		return tea.Batch(m.reconcileIfGone(msg.user, msg.err), m.maybeQuit())
	}
	m.updateCached(msg.user, msg.id, func(c *model.Credential) {
		if msg.cred.ID == c.ID {
			*c = msg.cred
		}
	})
	m.touch(msg.user)
	m.afterWriteChange(msg.user)
	m.setStatus(levelOK, "Reset "+credLabel(msg.user, p.service, msg.id)+": the old secret no longer works")
	return tea.Batch(m.showSecret(msg.secret, true), m.reconcile(msg.user))
}

func (m *Model) startDelete(c model.Credential) tea.Cmd {
	if !m.guardCred(c) {
		return nil
	}
	op := m.startOp(pendingOp{kind: opDelete, user: c.UserName, credID: c.ID, service: c.Service})
	return deleteCmd(m.ctx, m.client, op, c.UserName, c.ID)
}

func (m *Model) onDeleted(msg deletedMsg) tea.Cmd {
	p, _ := m.endOp(msg.op)
	label := credLabel(msg.user, p.service, msg.id)
	if msg.err != nil {
		m.afterWriteChange(msg.user)
		m.setError("Could not delete "+label, msg.err)
		return tea.Batch(m.reconcileIfGone(msg.user, msg.err), m.maybeQuit())
	}
	m.removeCached(msg.user, msg.id)
	m.touch(msg.user)
	m.afterWriteChange(msg.user)
	m.setStatus(levelOK, "Deleted "+label)
	return tea.Batch(m.reconcile(msg.user), m.maybeQuit())
}

func (m *Model) startCreate(user, service string, ageDays int) tea.Cmd {
	if m.pendingCreate(user, service) {
		m.setStatus(levelWarn, fmt.Sprintf("Already creating a %s credential for %s; wait for it", model.LookupService(service).Short, user))
		return nil
	}
	op := m.startOp(pendingOp{kind: opCreate, user: user, service: service})
	return createCmd(m.ctx, m.client, op, user, service, ageDays)
}

func (m *Model) onCreated(msg createdMsg) tea.Cmd {
	m.endOp(msg.op)
	if msg.err != nil {
		m.afterWriteChange(msg.user)
		m.setError("Could not create a "+model.LookupService(msg.service).Short+" credential for "+msg.user, msg.err)
		return m.maybeQuit()
	}
	creds := append([]model.Credential(nil), m.cache[msg.user]...)
	m.cache[msg.user] = append(creds, msg.cred)
	m.touch(msg.user)
	m.afterWriteChange(msg.user)
	if m.creds.user == msg.user {
		m.selectCredID(msg.cred.ID)
	}
	m.setStatus(levelOK, "Created "+credLabel(msg.user, msg.service, msg.cred.ID))
	return tea.Batch(m.showSecret(msg.secret, false), m.reconcile(msg.user))
}

// selectCredID moves the credentials cursor to id.
func (m *Model) selectCredID(id string) {
	for i, c := range m.creds.creds {
		if c.ID == id {
			m.creds.table.SetCursor(i)
			return
		}
	}
}
