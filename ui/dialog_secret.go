package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"iamcreds/model"
)

// secretModal shows the one-time secret of a create or reset. The secret lives
// only here: closing the modal drops it, and closing it before the secret was
// copied or shown asks first, as does a quit (it is a quitGuard).
type secretModal struct {
	*kit
	id     int // copies name it, so that their outcome reaches this modal
	secret model.Secret
	reset  bool // from a reset, not a create
	shown  bool
	// saved: the secret was copied or shown, so closing needs no question.
	saved bool
	// asking: "Close without saving?" is on screen.
	asking bool
	// quitAfter: the close was asked for by quitting.
	quitAfter bool
	// credNote is a line about the credential, such as a reset's "it stays
	// Inactive".
	credNote string
}

func newSecretModal(k *kit, id int, s model.Secret, reset bool) *secretModal {
	return &secretModal{kit: k, id: id, secret: s, reset: reset}
}

func (sm *secretModal) Update(msg tea.Msg) reply {
	switch msg := msg.(type) {
	case copiedMsg:
		// Only a copy read back disarms the close guard: OSC 52 cannot be checked.
		if msg.err == nil && msg.secretID == sm.id && msg.result.Confirmed {
			sm.saved = true
		}
	case tea.KeyMsg:
		return sm.key(msg)
	}
	return reply{}
}

func (sm *secretModal) key(msg tea.KeyMsg) reply {
	k := sm.keys
	if key.Matches(msg, k.Interrupt) {
		return ask(quitRequestedMsg{}) // guardQuit asks if the secret is unsaved
	}
	if sm.asking {
		switch {
		case key.Matches(msg, k.Yes):
			return sm.close()
		case key.Matches(msg, k.No):
			sm.asking, sm.quitAfter = false, false
		}
		return reply{}
	}
	info := sm.secret.Credential.ServiceInfo()
	switch {
	case key.Matches(msg, k.Close) && !sm.saved:
		sm.asking = true
	case key.Matches(msg, k.Close):
		return sm.close()
	case key.Matches(msg, k.ShowSecret):
		sm.shown = !sm.shown
		sm.saved = true
	case key.Matches(msg, k.CopySecret):
		return ask(copyRequestedMsg{secretID: sm.id, what: info.SecretLabel(), text: sm.secret.Reveal()})
	case key.Matches(msg, k.CopyLogin):
		return ask(copyRequestedMsg{what: info.LoginLabel(), text: sm.secret.Credential.Login()})
	case key.Matches(msg, k.CopyExport) && sm.secret.BearerExport() != "":
		return ask(copyRequestedMsg{secretID: sm.id, what: "export line", text: sm.secret.BearerExport()})
	}
	return reply{}
}

// close drops the secret; quitting goes on if that is why it closed.
func (sm *secretModal) close() reply {
	sm.secret = model.Secret{}
	if sm.quitAfter {
		return closeWith(quitWhenDoneMsg{})
	}
	return closeWith(nil)
}

// guardQuit: a saved secret may go; an unsaved one asks first.
func (sm *secretModal) guardQuit() bool {
	if sm.saved {
		return false
	}
	sm.asking, sm.quitAfter = true, true
	return true
}

func (sm *secretModal) Keys() []key.Binding {
	k := sm.keys
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

func (sm *secretModal) View(w, h int) string {
	st := sm.styles
	c := sm.secret.Credential
	info := c.ServiceInfo()
	label := info.SecretLabel()
	title := "New " + info.Short + " " + label + " for " + c.UserName
	if sm.reset {
		title = "Reset: new " + info.Short + " " + label + " for " + c.UserName
	}
	const lw = 10
	inner := sm.inner(w)
	warning := "Save it now: IAM shows it only this once. It cannot be retrieved again."
	if inner < 60 {
		warning = "It cannot be retrieved again."
	}
	b := box{title: title, sections: []section{
		{lines: []string{st.Warning.Render(warning)}},
		{lines: sm.warnings(sm.credNote), tight: true},
		{lines: sm.fieldLines("Service", info.Display, lw, inner), drop: 2},
		{lines: append(sm.fieldLines("IAM user", c.UserName, lw, inner), sm.fieldLines(capitalize(info.LoginLabel()), c.Login(), lw, inner)...), tight: true},
		{lines: sm.secretLines(capitalize(label), lw, inner), tight: true},
	}}
	if exp := sm.secret.BearerExport(); exp != "" {
		b.sections = append(b.sections, section{lines: []string{st.Muted.Render("e copies: export " + info.BearerEnv + "=…")}, drop: 3})
	}
	if sm.asking {
		b.footer = []string{st.Error.Render("Close without saving? It cannot be retrieved again. (y/N)")}
	} else {
		b.footer = []string{st.Muted.Render(sm.hint(info))}
	}
	return sm.render(b, w, h)
}

// secretLines shows the secret masked (one line: the mask says nothing but its
// length) or in full, wrapped under its label, or below it when the box is
// narrow, so that it is cut as little as possible.
func (sm *secretModal) secretLines(label string, lw, inner int) []string {
	st := sm.styles
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

// hint is the modal's own key line (the help bar repeats it).
func (sm *secretModal) hint(info model.Service) string {
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
