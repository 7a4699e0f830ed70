package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
)

// activateConfirm asks once before activating a credential model has reasons
// to doubt (CheckActivation: older than --max-age, extended after expiring),
// naming them. Cancel has the focus; deactivating never asks.
type activateConfirm struct {
	*kit
	cred    model.Credential
	reasons []string
	ok      bool // the focus is on Activate
}

func newActivateConfirm(k *kit, c model.Credential, check model.ActivationCheck) *activateConfirm {
	return &activateConfirm{kit: k, cred: c, reasons: check.Reasons}
}

var activateCancelled = statusMsg{levelInfo, "Not activated"}

func (a *activateConfirm) Update(msg tea.Msg) reply {
	km, isKey := msg.(tea.KeyMsg)
	if !isKey {
		return reply{}
	}
	k := a.keys
	switch {
	case key.Matches(km, k.Interrupt):
		return ask(quitRequestedMsg{})
	case key.Matches(km, k.Cancel):
		return closeWith(activateCancelled)
	case key.Matches(km, k.Next), key.Matches(km, k.Prev):
		a.ok = !a.ok
	case key.Matches(km, k.Confirm) && !a.ok:
		return closeWith(activateCancelled)
	case key.Matches(km, k.Confirm):
		return closeWith(toggleRequestedMsg{cred: a.cred, to: model.Active})
	}
	return reply{}
}

func (a *activateConfirm) Keys() []key.Binding {
	k := a.keys
	k.Next.SetHelp("tab/←/→", "Cancel/Activate")
	return []key.Binding{k.Next, k.Confirm, k.Cancel}
}

func (a *activateConfirm) View(w, h int) string {
	var why []string
	for _, r := range a.reasons {
		why = append(why, "• It "+r+".")
	}
	focused := 0
	if a.ok {
		focused = 1
	}
	return a.render(box{
		title: "Activate this credential?",
		sections: []section{
			{lines: a.credFields(a.cred, a.inner(w), false), drop: 1},
			{lines: a.warnings(why...)},
			{lines: []string{a.styles.Muted.Render("Whatever holds its " + a.cred.ServiceInfo().SecretLabel() + " can use it again at once.")}, drop: 2},
		},
		footer: []string{a.buttons([]string{"Cancel", "Activate"}, focused, false)},
	}, w, h)
}
