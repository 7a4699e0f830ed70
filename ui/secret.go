package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"iamcreds/model"
)

// secretModal shows the one-time secret of a create or reset. The secret lives
// only here: closing the modal drops it.
type secretModal struct {
	id     int
	secret model.Secret
	reset  bool // from a reset, not a create
	shown  bool
	// saved: the secret was copied or shown, so closing needs no question.
	saved bool
	// asking: "Close without saving?" is on screen.
	asking bool
	// quitAfter: the close was asked for by quitting.
	quitAfter bool
}

// showSecret opens the modal, or queues it behind the overlay that is open.
func (m *Model) showSecret(s model.Secret, reset bool) tea.Cmd {
	m.secretID++
	sm := &secretModal{id: m.secretID, secret: s, reset: reset}
	switch m.overlay.(type) {
	case nil, *quitQuestion: // the question is moot once the secret is here
		m.openOverlay(sm)
	default:
		m.secrets = append(m.secrets, sm)
		m.setStatus(levelOK, "A new "+s.Credential.ServiceInfo().SecretLabel()+" is ready: it shows when this dialog closes")
	}
	return nil
}

func (m *Model) secretKey(sm *secretModal, msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	if key.Matches(msg, k.Interrupt) {
		return m.requestQuit()
	}
	if sm.asking {
		switch {
		case key.Matches(msg, k.Yes):
			return m.closeSecret(sm)
		case key.Matches(msg, k.No):
			sm.asking, sm.quitAfter = false, false
		}
		return nil
	}
	info := sm.secret.Credential.ServiceInfo()
	switch {
	case key.Matches(msg, k.Close):
		if !sm.saved {
			sm.asking = true
			return nil
		}
		return m.closeSecret(sm)
	case key.Matches(msg, k.ShowSecret):
		sm.shown = !sm.shown
		sm.saved = true
	case key.Matches(msg, k.CopySecret):
		return m.copyText(sm.id, info.SecretLabel(), sm.secret.Reveal(), true)
	case key.Matches(msg, k.CopyLogin):
		return m.copyText(0, info.LoginLabel(), sm.secret.Credential.Login(), false)
	case key.Matches(msg, k.CopyExport) && sm.secret.BearerExport() != "":
		return m.copyText(sm.id, "export line", sm.secret.BearerExport(), true)
	}
	return nil
}

// closeSecret drops the secret; quitting goes on if that is why it closed.
func (m *Model) closeSecret(sm *secretModal) tea.Cmd {
	quit := sm.quitAfter
	sm.secret = model.Secret{}
	cmd := m.closeOverlay()
	if quit {
		m.quitWhenDone = true
		return m.maybeQuit()
	}
	return cmd
}

// copyText copies text in a command; secrets are cleared from the clipboard later.
func (m *Model) copyText(secretID int, what, text string, secret bool) tea.Cmd {
	if text == "" {
		m.setStatus(levelWarn, "Nothing to copy: this credential has no "+what)
		return nil
	}
	clearAfter := m.opts.ClipboardClear
	if !secret {
		clearAfter = 0
	}
	return copyCmd(m.clip, m.startTask(""), secretID, what, text, clearAfter)
}

func (m *Model) onCopied(msg copiedMsg) tea.Cmd {
	m.endTask(msg.task)
	if msg.err != nil {
		m.setError("Could not copy the "+msg.what, msg.err)
		return nil
	}
	if sm, ok := m.overlay.(*secretModal); ok && msg.secretID != 0 && sm.id == msg.secretID {
		sm.saved = true
	}
	text := capitalize(msg.what) + " " + msg.method.String()
	if msg.clear != nil {
		text += fmt.Sprintf(" · cleared in %s if unchanged", m.opts.ClipboardClear)
	}
	m.setStatus(levelOK, text)
	return msg.clear
}

func (m *Model) onClipboardCleared(msg clipboardClearedMsg) tea.Cmd {
	switch {
	case msg.err != nil:
		m.setError("Could not clear the clipboard", msg.err)
	case msg.cleared:
		m.setStatus(levelInfo, "Clipboard cleared: it still held the secret")
	}
	return nil
}

func (sm *secretModal) keys(k KeyMap) []key.Binding {
	if sm.asking {
		k.Yes.SetHelp("y", "close without saving")
		k.No.SetHelp("n/enter", "back")
		return []key.Binding{k.Yes, k.No}
	}
	info := sm.secret.Credential.ServiceInfo()
	k.CopySecret.SetHelp("c", "copy "+info.SecretLabel())
	k.CopyLogin.SetHelp("u", "copy "+info.LoginLabel())
	k.CopyExport.SetEnabled(sm.secret.BearerExport() != "")
	if sm.shown {
		k.ShowSecret.SetHelp("s", "hide")
	} else {
		k.ShowSecret.SetHelp("s", "show")
	}
	return []key.Binding{k.ShowSecret, k.CopySecret, k.CopyLogin, k.CopyExport, k.Close}
}

func (m *Model) secretView(sm *secretModal, w, h int) string {
	st := m.styles
	c := sm.secret.Credential
	info := c.ServiceInfo()
	label := info.SecretLabel()
	title := "New " + info.Short + " " + label + " for " + c.UserName
	if sm.reset {
		title = "Reset: new " + info.Short + " " + label + " for " + c.UserName
	}
	const lw = 10
	inner := m.modalInner(w)
	warning := "Save it now: IAM shows it only this once. It cannot be retrieved again."
	if inner < 60 {
		warning = "It cannot be retrieved again."
	}
	d := dialog{title: title, sections: []section{
		{lines: []string{st.Warning.Render(warning)}},
		{lines: m.fieldLines("Service", info.Display, lw, inner), drop: 2},
		{lines: append(m.fieldLines("IAM user", c.UserName, lw, inner), m.fieldLines(capitalize(info.LoginLabel()), c.Login(), lw, inner)...), tight: true},
		{lines: m.secretLines(sm, capitalize(label), lw, inner), tight: true},
	}}
	if exp := sm.secret.BearerExport(); exp != "" {
		d.sections = append(d.sections, section{lines: []string{st.Muted.Render("e copies: export " + info.BearerEnv + "=…")}, drop: 3})
	}
	if sm.asking {
		d.footer = []string{st.Error.Render("Close without saving? It cannot be retrieved again. (y/N)")}
	} else {
		d.footer = []string{st.Muted.Render(secretHint(sm, info))}
	}
	return m.render(d, w, h)
}

// secretLines shows the secret masked (one line: the mask says nothing but its
// length) or in full, wrapped under its label, or below it when the dialog is
// narrow, so that it is cut as little as possible.
func (m *Model) secretLines(sm *secretModal, label string, lw, inner int) []string {
	st := m.styles
	vw := max(1, inner-lw-1)
	head := st.Label.Render(padRight(label, lw)) + " "
	if !sm.shown {
		return []string{head + st.Secret.Render(ansi.Truncate(sm.secret.Masked(), vw, ""))}
	}
	value := sm.secret.Reveal()
	if len(value) > vw && vw < 40 {
		out := []string{st.Label.Render(label)}
		for _, ch := range hardChunks(value, inner) {
			out = append(out, st.Secret.Render(ch))
		}
		return out
	}
	chunks := hardChunks(value, vw)
	out := make([]string, len(chunks))
	for i, ch := range chunks {
		if i > 0 {
			head = strings.Repeat(" ", lw+1)
		}
		out[i] = head + st.Secret.Render(ch)
	}
	return out
}

// secretHint is the modal's own key line (the help bar repeats it).
func secretHint(sm *secretModal, info model.Service) string {
	parts := []string{"s show", "c copy " + info.SecretLabel(), "u copy " + info.LoginLabel()}
	if sm.shown {
		parts[0] = "s hide"
	}
	if sm.secret.BearerExport() != "" {
		parts = append(parts, "e copy export")
	}
	return strings.Join(append(parts, "enter close"), " · ")
}

// hardChunks cuts s into pieces of at most n cells (a secret has no spaces).
func hardChunks(s string, n int) []string {
	if s == "" {
		return []string{""}
	}
	return strings.Split(ansi.Hardwrap(s, n, true), "\n")
}
