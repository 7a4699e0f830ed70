package ui

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
)

// The single writes: toggle at once, reset and delete behind a confirmation,
// create from its form. Each shows on its row while in flight, and its answer
// updates the cache and lists the user again.

// startOp records a write in flight and shows it on its row.
func (m *Model) startOp(p pendingOp) int {
	p.task = m.startTask(p.verb() + " " + credLabel(p.user, p.service, p.credID))
	p = m.writes.add(p)
	m.setStatus(levelInfo, "") // the last result is stale now; the spinner says what runs
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
	_, ok := m.guardCred(c, 0, 0)
	return c, ok
}

// guardCred refuses a second write to a credential while one runs; by, the
// dialog that asked, hears why (refuse).
func (m *Model) guardCred(c model.Credential, kind opKind, by int) (tea.Cmd, bool) {
	if p, busy := m.writes.on(c.UserName, c.ID); busy {
		return m.refuse(by, kind, c, fmt.Sprintf("Still %s %s; wait for it to finish", p.verb(), credLabel(c.UserName, c.Service, c.ID))), false
	}
	return nil, true
}

// refuse says why a write does not start, in the status bar and to the dialog
// that asked for it (by), which is waiting for its answer.
func (m *Model) refuse(by int, kind opKind, c model.Credential, why string) tea.Cmd {
	m.setStatus(levelWarn, why)
	return m.answer(by, kind, c, model.Errorf(model.KindInvalid, "%s", why))
}

// answer tells the dialog that asked for a write (by) how it ended.
func (m *Model) answer(by int, kind opKind, c model.Credential, err error) tea.Cmd {
	if by == 0 {
		return nil
	}
	return m.tellDialogs(opDoneMsg{by: by, kind: kind, cred: c, err: err})
}

// toggle switches the selected credential Active↔Inactive — or, right after a
// toggle said "t switches it back", the credential it named, wherever the
// cursor is. Deactivating is instant: it is the panic button, and it is
// reversible. Activating asks once when model says why to think twice (stale,
// extended after expiring), and is refused, saying why, past the expiry date.
func (m *Model) toggle() tea.Cmd {
	c, ok := m.undoTarget()
	if !ok {
		if c, ok = m.writableCred(); !ok {
			return nil
		}
	} else if _, ok := m.guardCred(c, 0, 0); !ok {
		return nil
	}
	now := m.now()
	switch {
	case c.Status == model.Active && c.IsExpired(now):
		m.setStatus(levelWarn, fmt.Sprintf("%s has expired: it cannot be made Active or Inactive. Delete it, or create a new one",
			credLabel(c.UserName, c.Service, c.ID)))
		return nil
	case c.Status == model.Active:
		return m.startToggle(c, model.Inactive, 0, nil) // the panic button: at once, and reversible
	}
	check := model.CheckActivation(c, now, m.maxAge) // Inactive, or Expired by IAM's word
	switch {
	case check.Refused != nil:
		m.setStatus(levelWarn, errorText(check.Refused))
		return nil
	case check.Ask():
		acct, err := m.accountOf(c, 0)
		if err != nil {
			return m.refuse(0, opToggle, c, errorText(err))
		}
		return m.open(m.inAccounts(newActivateConfirm(m.kit, c, check), acct))
	}
	return m.startToggle(c, model.Active, 0, nil)
}

// undoToggle is the credential a toggle's status offers to switch back ("t
// switches it back"): by identity, not by the cursor, which a filter or a
// listing may have moved since. The offer holds while that status line shows
// and no other key was pressed.
type undoToggle struct {
	acct     *account
	user, id string
	seq      int // the status line that offers it
}

// offerUndo records that the status just set offers t on credential id of a.
func (m *Model) offerUndo(a *account, user, id string) {
	m.undo = &undoToggle{acct: a, user: user, id: id, seq: m.status().seq}
}

// undoTarget is the credential the offer of a toggle names, as the cache has
// it now, when t takes it up; false when there is no offer to take up (or its
// credential is gone, which it says).
func (m *Model) undoTarget() (model.Credential, bool) {
	u := m.undo
	m.undo = nil
	if u == nil || u.seq != m.status().seq {
		return model.Credential{}, false
	}
	creds, _ := u.acct.cache.get(u.user)
	for _, c := range creds {
		if c.ID == u.id {
			return c, true
		}
	}
	return model.Credential{}, false
}

func (m *Model) startToggle(c model.Credential, to model.Status, by int, check recheck) tea.Cmd {
	if cmd, ok := m.guardCred(c, opToggle, by); !ok {
		return cmd
	}
	acct, err := m.accountOf(c, by)
	if err != nil {
		return m.refuse(by, opToggle, c, errorText(err))
	}
	op := m.startOp(pendingOp{kind: opToggle, user: c.UserName, credID: c.ID, service: c.Service, to: to, by: by, acct: acct})
	return toggleCmd(m.ctx, acct.client, op, c.UserName, c.ID, to, check)
}

func (m *Model) onToggled(msg toggledMsg) tea.Cmd {
	p := m.endOp(msg.op)
	label := credLabel(msg.user, p.service, msg.id) + m.inAccount(p.acct)
	c := model.Credential{UserName: msg.user, ID: msg.id, Service: p.service, Status: msg.to}
	if msg.err != nil {
		return tea.Batch(m.writeFailed(p.acct, "Could not make "+label+" "+string(msg.to), msg.user, msg.err), m.answer(p.by, opToggle, c, msg.err))
	}
	m.applyConfirmed(p.acct, confirmed{kind: opToggle, cred: c})
	m.written(p.acct, msg.id)
	m.setStatus(levelOK, fmt.Sprintf("%s is now %s%s · t switches it back", label, msg.to, lostReplyNote(msg.lostReply)))
	m.offerUndo(p.acct, msg.user, msg.id)
	return tea.Batch(m.reconcile(p.acct, msg.user), m.answer(p.by, opToggle, c, nil))
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
	acct, err := m.accountOf(c, 0)
	if err != nil {
		return m.refuse(0, opReset, c, errorText(err))
	}
	now := m.now()
	return m.open(m.inAccounts(newResetConfirm(m.kit, c, model.ResetNotes(c, now, m.maxAge), model.CheckActivation(c, now, m.maxAge)), acct))
}

func (m *Model) startReset(c model.Credential, activate bool) tea.Cmd {
	if cmd, ok := m.guardCred(c, opReset, 0); !ok {
		return cmd
	}
	acct, err := m.accountOf(c, 0)
	if err != nil {
		return m.refuse(0, opReset, c, errorText(err))
	}
	op := m.startOp(pendingOp{kind: opReset, user: c.UserName, credID: c.ID, service: c.Service, activate: activate, acct: acct})
	return resetCmd(m.ctx, acct.client, op, c.UserName, c.ID)
}

func (m *Model) onReset(msg resetMsg) tea.Cmd {
	p := m.endOp(msg.op)
	label := credLabel(msg.user, p.service, msg.id) + m.inAccount(p.acct)
	if msg.err != nil {
		return m.writeFailed(p.acct, "Could not reset "+label, msg.user, msg.err)
	}
	m.applyConfirmed(p.acct, confirmed{kind: opReset, cred: msg.cred}) // its new secret shows now
	m.written(p.acct, msg.id)
	m.setStatus(levelOK, "Reset "+label+": the old secret no longer works")
	ws := waitingSecret{secret: msg.secret, reset: true, note: model.ResetSecretNote(msg.cred), acct: p.acct}
	var activate tea.Cmd
	if p.activate && msg.cred.Status == model.Inactive {
		ws.note = "It was Inactive and is being activated now: the new " + msg.cred.ServiceInfo().SecretLabel() + " works once that is done."
		activate = m.startToggle(msg.cred, model.Active, 0, nil)
	}
	return tea.Batch(m.showSecret(ws), m.reconcile(p.acct, msg.user), activate)
}

// openDeleteConfirm asks for the proof before deleting the selected credential.
func (m *Model) openDeleteConfirm() tea.Cmd {
	c, ok := m.writableCred()
	if !ok {
		return nil
	}
	acct, err := m.accountOf(c, 0)
	if err != nil {
		return m.refuse(0, opDelete, c, errorText(err))
	}
	return m.open(m.inAccounts(newDeleteConfirm(m.kit, c), acct))
}

func (m *Model) startDelete(c model.Credential, by int, check recheck) tea.Cmd {
	if cmd, ok := m.guardCred(c, opDelete, by); !ok {
		return cmd
	}
	acct, err := m.accountOf(c, by)
	if err != nil {
		return m.refuse(by, opDelete, c, errorText(err))
	}
	op := m.startOp(pendingOp{kind: opDelete, user: c.UserName, credID: c.ID, service: c.Service, by: by, acct: acct})
	return deleteCmd(m.ctx, acct.client, op, c.UserName, c.ID, check)
}

func (m *Model) onDeleted(msg deletedMsg) tea.Cmd {
	p := m.endOp(msg.op)
	label := credLabel(msg.user, p.service, msg.id) + m.inAccount(p.acct)
	c := model.Credential{UserName: msg.user, ID: msg.id, Service: p.service}
	if msg.err != nil {
		return tea.Batch(m.writeFailed(p.acct, "Could not delete "+label, msg.user, msg.err), m.answer(p.by, opDelete, c, msg.err))
	}
	m.applyConfirmed(p.acct, confirmed{kind: opDelete, cred: c})
	m.setStatus(levelOK, "Deleted "+label+lostReplyNote(msg.lostReply))
	return tea.Batch(m.reconcile(p.acct, msg.user), m.answer(p.by, opDelete, c, nil))
}

// startCreate creates a credential in the account on screen, or, for the
// rotation of a row of the organization view, in that row's account.
func (m *Model) startCreate(r createRequestedMsg) tea.Cmd {
	c := model.Credential{UserName: r.user, Service: r.service}
	if m.writes.creating(r.user, r.service) > 0 {
		return m.refuse(r.by, opCreate, c, fmt.Sprintf("Already creating a %s credential for %s; wait for it", model.LookupService(r.service).Short, r.user))
	}
	acct := m.dialogAccount(r.by)
	if acct == nil {
		acct = m.acct
	}
	op := m.startOp(pendingOp{kind: opCreate, user: r.user, service: r.service, by: r.by, secretOnTop: r.secretOnTop, acct: acct, deliver: r.deliver})
	return createCmd(m.ctx, acct.client, op, r.user, r.service, r.ageDays)
}

func (m *Model) onCreated(msg createdMsg) tea.Cmd {
	p := m.endOp(msg.op)
	if msg.err != nil {
		what := "Could not create a " + model.LookupService(msg.service).Short + " credential for " + msg.user + m.inAccount(p.acct)
		return tea.Batch(m.writeFailed(p.acct, what, msg.user, msg.err), m.answer(p.by, opCreate, model.Credential{UserName: msg.user, Service: msg.service}, msg.err))
	}
	m.applyConfirmed(p.acct, confirmed{kind: opCreate, cred: msg.cred})
	if p.acct == m.acct {
		m.main.selectCred(msg.user, msg.cred.ID)
	}
	m.setStatus(levelOK, "Created "+credLabel(msg.user, msg.service, msg.cred.ID)+m.inAccount(p.acct))
	var show tea.Cmd
	if p.deliver != nil {
		show = m.startRotationDelivery(p, msg.cred, msg.secret)
	} else {
		show = m.showSecret(waitingSecret{secret: msg.secret, by: p.by, onTop: p.secretOnTop, acct: p.acct})
	}
	return tea.Batch(show, m.reconcile(p.acct, msg.user), m.answer(p.by, opCreate, msg.cred, nil))
}

// openRotate opens the rotation of the selected credential, planned from the
// cache (of the row's account, on the organization view), and lists its user
// again so that the plan rests on IAM's latest.
func (m *Model) openRotate() tea.Cmd {
	c, ok := m.writableCred()
	if !ok {
		return nil
	}
	acct, err := m.accountOf(c, 0)
	if err != nil {
		return m.refuse(0, opCreate, c, errorText(err))
	}
	m.dialogTags++
	m.rememberDialogAccount(m.dialogTags, acct)
	held := func() ([]model.Credential, bool) { return acct.cache.get(c.UserName) }
	d := newRotateDialog(m.kit, m.dialogTags, c, held)
	return tea.Batch(m.open(m.inAccounts(d, acct)), m.reconcile(acct, c.UserName), m.planDelivery(d, acct))
}

// confirmed is a write IAM confirmed: its kind and the credential as it now
// is (for a toggle, its user, id and new status; for a delete, its user and id).
type confirmed struct {
	kind opKind
	cred model.Credential
}

// applyConfirmed applies a confirmed write to what is known of account a:
// the one place where single writes and bulk actions, in every view, change
// the cache. A status change leaves a credential past its date Expired (IAM
// reports it so, whatever it was set to); a reset or delete ends its
// secret-lost mark.
func (m *Model) applyConfirmed(a *account, w confirmed) {
	c := w.cred
	switch w.kind {
	case opCreate:
		a.cache.added(c.UserName, c)
	case opToggle:
		now := m.now()
		a.cache.changed(c.UserName, c.ID, func(x *model.Credential) {
			if !x.IsExpired(now) {
				x.Status = c.Status
			}
		})
	case opReset:
		m.lost.forget(c.ID)
		a.cache.changed(c.UserName, c.ID, func(x *model.Credential) { *x = c })
	case opDelete:
		m.deleted[c.ID] = true // its row goes with no word that it went (rows say so otherwise)
		m.lost.forget(c.ID)
		a.cache.removed(c.UserName, c.ID)
	}
}
