package ui

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
)

// IAM shows a new secret once: quitting must not lose one. The secrets that
// arrive while a dialog is open wait their turn; a quit waits for the secrets in
// flight if the person wants, and shows those waiting first.

type waitingSecret struct {
	secret model.Secret
	reset  bool
	// note is a line the modal adds (a reset that leaves it Inactive says so).
	note string
	// by is the dialog following the write; it hears when the modal closes.
	by int
	// onTop: the modal opens at once, over the dialogs: the one that asked
	// for the write waits for it (a rotation's step 3).
	onTop bool
	// acct is the account the secret is of, which the modal names when it is
	// not the account on screen.
	acct *account
}

// showSecret queues a new secret; afterUpdate shows it once no dialog is open.
// One asked for on top shows at once.
func (m *Model) showSecret(w waitingSecret) tea.Cmd {
	if w.onTop {
		return m.openSecret(w)
	}
	m.waiting = append(m.waiting, w)
	cmd := m.tellDialogs(secretReadyMsg{}) // a question about waiting for it is moot
	if !m.dialogs.empty() {
		m.setStatus(levelOK, "A new "+w.secret.Credential.ServiceInfo().SecretLabel()+" is ready: it shows when this dialog closes")
	}
	return cmd
}

// showWaitingSecret opens the next waiting secret's modal once no dialog is open.
func (m *Model) showWaitingSecret() tea.Cmd {
	if !m.dialogs.empty() || len(m.waiting) == 0 {
		return nil
	}
	w := m.waiting[0]
	m.waiting = m.waiting[1:]
	return m.openSecret(w)
}

// openSecret opens a secret's modal; one shown for a dialog tells it when it
// closes (handOver).
func (m *Model) openSecret(w waitingSecret) tea.Cmd {
	m.secretID++
	dir, why := m.opts.secretDir()
	sm := newSecretModal(m.kit, m.secretID, w.secret, w.reset, dir)
	sm.dirNote = why
	sm.credNote = w.note
	m.offerDelivery(sm)
	// The last secret a quit waits for: closing it quits, and says so.
	sm.quitAfter = m.quitWhenDone && len(m.waiting) == 0 && m.writes.secrets() == 0
	if w.by != 0 {
		return m.open(m.inAccounts(handOver{secretModal: sm, by: w.by}, w.acct))
	}
	return m.open(m.inAccounts(sm, w.acct))
}

// requestQuit quits, unless a secret could be lost: a secret modal not yet
// saved asks first, a create or reset still in flight asks whether to wait,
// and secrets waiting to be shown show first.
func (m *Model) requestQuit() tea.Cmd {
	if m.dialogs.dropForQuit() {
		return nil
	}
	if n := m.writes.secrets(); n > 0 {
		if m.quitWhenDone { // asked again while waiting: the person means it
			return m.quit()
		}
		return m.open(newQuitQuestion(m.kit, n))
	}
	if len(m.waiting) > 0 {
		m.quitWhenDone = true // the next shows now; closing the last quits
		return nil
	}
	return m.quit()
}

// quit drops every secret, cancels calls in flight and ends the program.
func (m *Model) quit() tea.Cmd {
	m.dialogs, m.waiting = dialogStack{}, nil
	m.quitting = true
	m.cancel()
	return tea.Quit
}

// Unanswered names the writes still in flight, whose answers nobody will see:
// IAM may have carried them out. The program prints them once the terminal is
// back (the UI is gone by then); they hold no secret, but IAM's names, so
// they go through model.SafeText.
func (m *Model) Unanswered() []string {
	var out []string
	for _, p := range m.writes.ops {
		out = append(out, model.SafeText(p.unanswered()))
	}
	if b := m.bulk; b != nil {
		for i := range b.targets {
			if b.running[i] {
				c := b.targets[i]
				out = append(out, model.SafeText(fmt.Sprintf("a bulk %s of %s's %s credential %s was in flight: check %s's credentials",
					strings.ToLower(b.action.name()), c.UserName, model.LookupService(c.Service).Short, c.ID, c.UserName)))
			}
		}
		if left := len(b.targets) - b.next; left > 0 {
			out = append(out, fmt.Sprintf("the bulk %s stopped with %s not started", strings.ToLower(b.action.name()), plural(left, "credential")))
		}
	}
	return out
}

// maybeQuit ends the program once the quit the person asked for can happen.
func (m *Model) maybeQuit() tea.Cmd {
	if !m.quitWhenDone || m.writes.secrets() > 0 || !m.dialogs.empty() || len(m.waiting) > 0 {
		return nil
	}
	return m.quit()
}
