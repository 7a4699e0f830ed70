package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
)

// resetConfirm asks before a reset, which breaks every saved copy of the
// secret. Cancel has the focus until the person moves it.
type resetConfirm struct {
	*kit
	cred model.Credential
	ok   bool // the focus is on Reset
}

func newResetConfirm(k *kit, c model.Credential) *resetConfirm {
	return &resetConfirm{kit: k, cred: c}
}

var resetCancelled = statusMsg{levelInfo, "Reset cancelled"}

func (r *resetConfirm) Update(msg tea.Msg) reply {
	km, isKey := msg.(tea.KeyMsg)
	if !isKey {
		return reply{}
	}
	k := r.keys
	switch {
	case key.Matches(km, k.Interrupt):
		return ask(quitRequestedMsg{})
	case key.Matches(km, k.Cancel):
		return closeWith(resetCancelled)
	case key.Matches(km, k.Next), key.Matches(km, k.Prev):
		r.ok = !r.ok
	case key.Matches(km, k.Confirm) && !r.ok:
		return closeWith(resetCancelled)
	case key.Matches(km, k.Confirm):
		return closeWith(resetRequestedMsg{r.cred})
	}
	return reply{}
}

func (r *resetConfirm) Keys() []key.Binding {
	k := r.keys
	k.Next.SetHelp("tab/←/→", "Cancel/Reset")
	return []key.Binding{k.Next, k.Confirm, k.Cancel}
}

func (r *resetConfirm) View(w, h int) string {
	s := r.cred.ServiceInfo()
	label := s.SecretLabel()
	focused := 0
	if r.ok {
		focused = 1
	}
	return r.render(box{
		title:  "Reset this " + label + "?",
		danger: true,
		sections: []section{
			{lines: r.credFields(r.cred, r.inner(w), false), drop: 1},
			{lines: []string{
				r.styles.Warning.Render("IAM makes a new " + label + " and the old one stops working at once."),
				r.styles.Warning.Render("Every saved copy must be updated: " + savedCopies(s) + "."),
			}},
		},
		footer: []string{r.buttons([]string{"Cancel", "Reset"}, focused, r.ok)},
	}, w, h)
}

// savedCopies names where a service's secret is typically kept.
func savedCopies(s model.Service) string {
	switch {
	case s.Name == model.CodeCommit:
		return "Git credential helpers, OS keychains, CI secrets"
	case s.Name == model.Keyspaces:
		return "application and driver configuration, OS keychains, CI secrets"
	case s.BearerEnv != "":
		return s.BearerEnv + " in shells and services, scripts, CI secrets"
	case s.Kind == model.KindAPIKey:
		return "environment variables, scripts, CI secrets"
	}
	return "every place that stores it, such as OS keychains and CI secrets"
}
