package ui

import tea "github.com/charmbracelet/bubbletea"

// handle routes the answers of commands and the intents of screens and dialogs.
func (m *Model) handle(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case identityMsg:
		return m.onIdentity(msg)
	case usersMsg:
		return m.onUsers(msg)
	case inventoryMsg:
		return m.onInventory(msg)
	case inventoryProgressMsg:
		return m.onProgress(msg)
	case settleMsg:
		return m.onSettle(msg)
	case credsMsg:
		return m.onCreds(msg)
	case createdMsg:
		return m.onCreated(msg)
	case toggledMsg:
		return m.onToggled(msg)
	case resetMsg:
		return m.onReset(msg)
	case deletedMsg:
		return m.onDeleted(msg)
	case bulkDoneMsg:
		return m.onBulkDone(msg)
	case copiedMsg:
		return m.onCopied(msg)
	case clipboardClearedMsg:
		return m.onClipboardCleared(msg)
	case secretWrittenMsg:
		return m.onSecretWritten(msg)
	case exportDoneMsg:
		m.endTask(msg.task) // the export prompt takes the outcome
	case profilesMsg:
		return m.onProfiles(msg)
	case profileSwitchedMsg:
		return m.onProfileSwitched(msg)

	case statusMsg:
		m.setStatus(msg.level, msg.text)
	case openDialogMsg:
		return m.open(msg.dialog)
	case quitRequestedMsg:
		return m.requestQuit()
	case quitNowMsg:
		return m.quit()
	case quitCancelledMsg:
		m.quitWhenDone = false
	case quitWhenDoneMsg:
		m.quitWhenDone = true
		m.dialogs.dropForQuit() // what a secret modal had over or under it
		if msg.note != "" {
			m.setStatus(levelInfo, msg.note)
		}
	case createRequestedMsg:
		return m.startCreate(msg)
	case resetRequestedMsg:
		return m.startReset(msg.cred, msg.activate)
	case deleteRequestedMsg:
		return m.startDelete(msg.cred, msg.by, msg.check)
	case toggleRequestedMsg:
		return m.startToggle(msg.cred, msg.to, msg.by, msg.check)
	case secretClosedMsg:
		return tea.Batch(m.tellDialogs(msg), m.handle(msg.then))
	case bulkRequestedMsg:
		return m.startBulk(msg.action, msg.targets)
	case copyRequestedMsg:
		return m.copyText(msg)
	case secretFileRequestedMsg:
		return m.writeSecretFile(msg)
	case deliverRequestedMsg:
		return m.deliverSecret(msg)
	case deliveredMsg:
		return m.onDelivered(msg)
	case targetCheckedMsg:
		m.endTask(msg.task) // the rotation dialog takes the answer
	case exportAskedMsg:
		meta := m.auditMeta(msg.filter)
		if msg.meta != nil {
			meta = *msg.meta
		}
		return m.open(newExportPrompt(m.kit, msg.rows, meta, m.opts.WorkDir))
	case exportRequestedMsg:
		return m.startExport(msg)
	case profilesRequestedMsg:
		return m.openProfiles()
	case profileChosenMsg:
		return m.switchProfile(msg.name)
	case openUserMsg:
		return m.openUser(msg.cred)
	case whoisLookupMsg:
		return m.whoisLookup(msg)
	case whoisFoundMsg:
		return m.whoisSelect(msg)
	default:
		if cmd, ok := m.handleUsers(msg); ok {
			return cmd
		}
		return m.handleOrg(msg)
	}
	return nil
}
