package ui

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"
)

// copyText copies text in a command; a secret's copy (secretID set) is cleared
// from the clipboard later, if it still holds it.
func (m *Model) copyText(r copyRequestedMsg) tea.Cmd {
	if r.text == "" {
		m.setStatus(levelWarn, "Nothing to copy: this credential has no "+r.what)
		return nil
	}
	clearAfter := m.opts.ClipboardClear
	if r.secretID == 0 {
		clearAfter = 0
	}
	return copyCmd(m.clip, m.startTask(""), r.secretID, r.what, r.text, clearAfter)
}

// onCopied says where the copy went and whether it was read back (a ✓ only
// then); the secret modal that asked hears of it too.
func (m *Model) onCopied(msg copiedMsg) tea.Cmd {
	m.endTask(msg.task)
	if msg.err != nil {
		m.setError("Could not copy the "+msg.what, msg.err)
		return nil
	}
	text := capitalize(msg.what) + " " + msg.result.String()
	if msg.clear != nil {
		text += fmt.Sprintf(" · cleared in %s if unchanged", m.opts.ClipboardClear)
	}
	lvl := levelOK
	if !msg.result.Confirmed {
		lvl = levelWarn
	}
	m.setStatus(lvl, text)
	return msg.clear
}

func (m *Model) onClipboardCleared(msg clipboardClearedMsg) tea.Cmd {
	switch {
	case msg.err != nil:
		m.setError("Could not clear the clipboard", msg.err)
	case msg.cleared.String() != "":
		m.setStatus(levelInfo, msg.cleared.String())
	}
	return nil
}
