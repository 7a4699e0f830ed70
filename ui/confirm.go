package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
)

// Confirmations of the destructive actions. Cancel has the focus until the
// person moves it (reset) or types the proof (delete).

// resetConfirm asks before a reset, which breaks every saved copy of the secret.
type resetConfirm struct {
	cred model.Credential
	ok   bool // the focus is on Reset
}

func (m *Model) openResetConfirm() tea.Cmd {
	c, ok := m.writableCred()
	if !ok {
		return nil
	}
	if c.IsExpired(m.now()) { // IAM refuses; say so without the round trip
		m.setStatus(levelWarn, credLabel(c.UserName, c.Service, c.ID)+" has expired: it cannot be reset. Delete it, or create a new one")
		return nil
	}
	m.openOverlay(&resetConfirm{cred: c})
	return nil
}

func (m *Model) resetConfirmKey(r *resetConfirm, msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Interrupt):
		return m.requestQuit()
	case key.Matches(msg, k.Cancel):
		m.setStatus(levelInfo, "Reset cancelled")
		return m.closeOverlay()
	case key.Matches(msg, k.Next), key.Matches(msg, k.Prev):
		r.ok = !r.ok
	case key.Matches(msg, k.Confirm):
		if !r.ok {
			m.setStatus(levelInfo, "Reset cancelled")
			return m.closeOverlay()
		}
		c := r.cred
		return tea.Batch(m.closeOverlay(), m.startReset(c))
	}
	return nil
}

func (r *resetConfirm) keys(k KeyMap) []key.Binding {
	k.Next.SetHelp("tab/←/→", "Cancel/Reset")
	return []key.Binding{k.Next, k.Confirm, k.Cancel}
}

// credFields are the lines naming a credential in a dialog inner columns wide;
// proof highlights the id's last characters, which a delete asks for.
func (m *Model) credFields(c model.Credential, inner int, proof bool) []string {
	s := c.ServiceInfo()
	const lw = 10
	var lines []string
	add := func(label, value string) { lines = append(lines, m.fieldLines(label, value, lw, inner)...) }
	add("IAM user", c.UserName)
	add("Service", s.Display)
	id := c.ID
	if proof && len(id) > proofLen {
		id = id[:len(id)-proofLen] + m.styles.ChoiceActive.Render(id[len(id)-proofLen:])
	}
	lines = append(lines, m.styles.Label.Render(padRight("ID", lw))+" "+m.styles.Value.Render(id))
	if c.Login() != "" {
		add(capitalize(s.LoginLabel()), c.Login())
	}
	add("Status", string(c.Status))
	return lines
}

func (m *Model) resetConfirmView(r *resetConfirm, w, h int) string {
	s := r.cred.ServiceInfo()
	label := s.SecretLabel()
	focused := 0
	if r.ok {
		focused = 1
	}
	return m.render(dialog{
		title:  "Reset this " + label + "?",
		danger: true,
		sections: []section{
			{lines: m.credFields(r.cred, m.modalInner(w), false), drop: 1},
			{lines: []string{
				m.styles.Warning.Render("IAM makes a new " + label + " and the old one stops working at once."),
				m.styles.Warning.Render("Every saved copy must be updated: " + savedCopies(s) + "."),
			}},
		},
		footer: []string{m.buttons([]string{"Cancel", "Reset"}, focused, r.ok)},
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

// deleteConfirm asks the person to type the last 4 characters of the id.
type deleteConfirm struct {
	cred  model.Credential
	input textinput.Model
	err   string
}

// proofLen is how many trailing characters of the id the person types.
const proofLen = 4

func (m *Model) openDeleteConfirm() tea.Cmd {
	c, ok := m.writableCred()
	if !ok {
		return nil
	}
	ti := textinput.New()
	ti.Prompt = "› "
	ti.CharLimit = proofLen
	ti.Width = proofLen + 1
	ti.Cursor.SetMode(cursor.CursorStatic)
	d := &deleteConfirm{cred: c, input: ti}
	m.openOverlay(d)
	return d.input.Focus()
}

func (d *deleteConfirm) proven() bool {
	id := d.cred.ID
	return len(id) >= proofLen && strings.EqualFold(d.input.Value(), id[len(id)-proofLen:])
}

func (m *Model) deleteConfirmKey(d *deleteConfirm, msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Interrupt):
		return m.requestQuit()
	case key.Matches(msg, k.Cancel):
		m.setStatus(levelInfo, "Delete cancelled")
		return m.closeOverlay()
	case key.Matches(msg, k.Confirm):
		if !d.proven() {
			d.err = "Type the last 4 characters of the ID to delete, or esc to cancel"
			return nil
		}
		c := d.cred
		return tea.Batch(m.closeOverlay(), m.startDelete(c))
	}
	d.err = ""
	var cmd tea.Cmd
	d.input, cmd = d.input.Update(msg)
	return cmd
}

func (d *deleteConfirm) keys(k KeyMap) []key.Binding {
	k.Confirm.SetHelp("enter", "delete")
	k.Confirm.SetEnabled(d.proven())
	typ := key.NewBinding(key.WithKeys("type"), key.WithHelp("type", "the last 4 of the ID")) // help only
	return []key.Binding{typ, k.Confirm, k.Cancel}
}

func (m *Model) deleteConfirmView(d *deleteConfirm, w, h int) string {
	st := m.styles
	s := d.cred.ServiceInfo()
	focused, off := 0, []int{1}
	if d.proven() {
		focused, off = 1, nil
	}
	sections := []section{
		{lines: m.credFields(d.cred, m.modalInner(w), true)},
		{lines: []string{st.Warning.Render("Deleting is final: whatever uses this " + s.SecretLabel() + " stops working, and it cannot be brought back.")}, drop: 1},
		{lines: []string{st.Label.Render("Type the last 4 characters of the ID to confirm:"), d.input.View()}},
	}
	if d.err != "" {
		sections = append(sections, section{lines: []string{st.Error.Render("✗ " + d.err)}})
	}
	return m.render(dialog{
		title:    "Delete this credential?",
		danger:   true,
		sections: sections,
		footer:   []string{m.buttons([]string{"Cancel", "Delete"}, focused, d.proven(), off...)},
	}, w, h)
}

// quitQuestion is asked when q is pressed while a create or reset runs: its
// secret will be shown once and never again.
type quitQuestion struct{}

func (m *Model) quitQuestionKey(_ *quitQuestion, msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Interrupt):
		return m.quit()
	case key.Matches(msg, k.Yes):
		m.quitWhenDone = true
		m.setStatus(levelInfo, "Quitting once the new secret has been shown (ctrl+c quits at once)")
		cmd := m.closeOverlay()
		return cmd
	case key.Matches(msg, k.No):
		return m.closeOverlay()
	}
	return nil
}

func (q *quitQuestion) keys(k KeyMap) []key.Binding {
	k.Yes.SetHelp("y", "show it, then quit")
	k.No.SetHelp("n/esc", "stay")
	k.Interrupt.SetHelp("ctrl+c", "quit now")
	return []key.Binding{k.Yes, k.No, k.Interrupt}
}

func (m *Model) quitQuestionView(w, h int) string {
	st := m.styles
	what := "A credential is still being created or reset."
	if n := m.secretWritesInFlight(); n > 1 {
		what = "Credentials are still being created or reset."
	}
	return m.render(dialog{
		title: "Quit now?",
		sections: []section{
			{lines: []string{st.Value.Render(what), st.Warning.Render("IAM shows a new secret only once; quitting now would lose it.")}},
		},
		footer: []string{st.Label.Render("y: wait, show the secret, then quit · n: stay · ctrl+c: quit now")},
	}, w, h)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
