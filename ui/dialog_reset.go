package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
)

// resetConfirm asks before a reset, which breaks every saved copy of the
// secret. Cancel has the focus until the person moves it. A reset keeps an
// Inactive credential Inactive, so the new secret would not work: it says so,
// and offers to activate it too.
type resetConfirm struct {
	*kit
	cred  model.Credential
	notes []string // model.ResetNotes
	// activation is what activating it takes; offered when it is Inactive and
	// IAM would activate it.
	activation model.ActivationCheck
	focus      int // an index of buttons()
}

func newResetConfirm(k *kit, c model.Credential, notes []string, activation model.ActivationCheck) *resetConfirm {
	return &resetConfirm{kit: k, cred: c, notes: notes, activation: activation}
}

var resetCancelled = statusMsg{levelInfo, "Reset cancelled"}

// offersActivate: the credential is Inactive and may be activated.
func (r *resetConfirm) offersActivate() bool {
	return r.cred.Status == model.Inactive && r.activation.Refused == nil
}

func (r *resetConfirm) buttons() []string {
	if r.offersActivate() {
		return []string{"Cancel", "Reset", "Reset and activate"}
	}
	return []string{"Cancel", "Reset"}
}

func (r *resetConfirm) Update(msg tea.Msg) reply {
	km, isKey := msg.(tea.KeyMsg)
	if !isKey {
		return reply{}
	}
	k := r.keys
	n := len(r.buttons())
	switch {
	case key.Matches(km, k.Interrupt):
		return ask(quitRequestedMsg{})
	case key.Matches(km, k.Cancel):
		return closeWith(resetCancelled)
	case key.Matches(km, k.Next):
		r.focus = (r.focus + 1) % n
	case key.Matches(km, k.Prev):
		r.focus = (r.focus + n - 1) % n
	case key.Matches(km, k.Confirm) && r.focus == 0:
		return closeWith(resetCancelled)
	case key.Matches(km, k.Confirm):
		return closeWith(resetRequestedMsg{cred: r.cred, activate: r.focus == 2})
	}
	return reply{}
}

func (r *resetConfirm) Keys() []key.Binding {
	k := r.keys
	k.Next.SetHelp("tab/←/→", strings.Join(r.buttons(), "/"))
	return []key.Binding{k.Next, k.Confirm, k.Cancel}
}

func (r *resetConfirm) View(w, h int) string {
	s := r.cred.ServiceInfo()
	label := s.SecretLabel()
	// In a short box, which credential it is comes first: its fields give way
	// to one line naming it, and the notes go before the warning.
	sections := []section{
		{lines: r.credFields(r.cred, r.inner(w), false), drop: 1, short: []string{r.styles.Value.Render(model.SafeText(credSummary(r.cred)))}},
		{lines: r.warnings("IAM makes a new " + label + " and the old one stops working at once.")},
		{lines: r.warnings("Every saved copy must be updated: " + savedCopies(s) + "."), drop: 2, tight: true},
		{lines: r.warnings(r.notes...), drop: 3},
	}
	if r.focus == 2 && r.activation.Ask() {
		sections = append(sections, section{lines: r.warnings("Activating it: it " + strings.Join(r.activation.Reasons, "; and it ") + ".")})
	}
	return r.render(box{
		title:    "Reset this " + label + "?",
		danger:   true,
		sections: sections,
		footer:   []string{r.kit.buttons(r.buttons(), r.focus, r.focus > 0)},
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
