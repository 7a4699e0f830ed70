package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// quitQuestion is asked when q is pressed while a create or reset runs: its
// secret will be shown once and never again. It closes by itself when a secret
// arrives, which then shows instead.
type quitQuestion struct {
	*kit
	writes int // creates, resets and deliveries in flight
}

// secretReadyMsg tells the dialogs that a new secret is waiting to be shown.
type secretReadyMsg struct{}

func newQuitQuestion(k *kit, writes int) *quitQuestion { return &quitQuestion{kit: k, writes: writes} }

func (q *quitQuestion) Update(msg tea.Msg) reply {
	switch msg := msg.(type) {
	case secretReadyMsg:
		return closeWith(nil) // moot: the secret is here
	case tea.KeyMsg:
		k := q.keys
		switch {
		case key.Matches(msg, k.Interrupt):
			return closeWith(quitNowMsg{})
		case key.Matches(msg, k.Yes):
			return closeWith(quitWhenDoneMsg{note: "Quitting once the new secret has been shown (ctrl+c quits at once)"})
		case key.Matches(msg, k.No):
			return closeWith(nil)
		}
	}
	return reply{}
}

func (q *quitQuestion) Keys() []key.Binding {
	k := q.keys
	k.Yes.SetHelp("y", "show it, then quit")
	k.No.SetHelp("n/esc", "stay")
	k.Interrupt.SetHelp("ctrl+c", "quit now")
	return []key.Binding{k.Yes, k.No, k.Interrupt}
}

func (q *quitQuestion) View(w, h int) string {
	st := q.styles
	what := "A credential is still being created or reset (or its new secret delivered)."
	if q.writes > 1 {
		what = "Credentials are still being created or reset (or their new secrets delivered)."
	}
	return q.render(box{
		title: "Quit now?",
		sections: []section{
			{lines: []string{st.Value.Render(what), st.Warning.Render("IAM shows a new secret only once; quitting now would lose it.")}},
		},
		footer: []string{st.Label.Render("y: wait, show the secret, then quit · n: stay · ctrl+c: quit now")},
	}, w, h)
}
