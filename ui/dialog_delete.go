package ui

import (
	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
)

// deleteConfirm asks the person to type the last 4 characters of the id: a
// delete is final.
type deleteConfirm struct {
	*kit
	cred  model.Credential
	input textinput.Model
	err   string
}

func newDeleteConfirm(k *kit, c model.Credential) *deleteConfirm {
	return &deleteConfirm{kit: k, cred: c, input: newProofInput()}
}

// newProofInput is the input for the last 4 characters of an ID, focused.
func newProofInput() textinput.Model {
	ti := textinput.New()
	ti.Prompt = "› "
	ti.CharLimit = model.DeleteProofLen
	ti.Width = model.DeleteProofLen + 1
	ti.Cursor.SetMode(cursor.CursorStatic)
	ti.Focus()
	return ti
}

func (d *deleteConfirm) proven() bool { return model.ConfirmsDelete(d.cred.ID, d.input.Value()) }

func (d *deleteConfirm) Update(msg tea.Msg) reply {
	km, isKey := msg.(tea.KeyMsg)
	if !isKey {
		return reply{}
	}
	k := d.keys
	switch {
	case key.Matches(km, k.Interrupt):
		return ask(quitRequestedMsg{})
	case key.Matches(km, k.Cancel):
		return closeWith(statusMsg{levelInfo, "Delete cancelled"})
	case key.Matches(km, k.Confirm) && !d.proven():
		d.err = "Type the last 4 characters of the ID to delete, or esc to cancel"
		return reply{}
	case key.Matches(km, k.Confirm):
		// Listed again just before the delete: one shown Inactive that another
		// client has activated since is refused, saying so.
		shown, now := d.cred, d.now()
		return closeWith(deleteRequestedMsg{cred: d.cred, check: func(held []model.Credential) error {
			return model.CheckDelete(shown, held, now)
		}})
	}
	d.err = ""
	var cmd tea.Cmd
	d.input, cmd = d.input.Update(km)
	return reply{cmd: cmd}
}

func (d *deleteConfirm) Keys() []key.Binding {
	k := d.keys
	k.Confirm.SetHelp("enter", "delete")
	k.Confirm.SetEnabled(d.proven())
	typ := key.NewBinding(key.WithKeys("type"), key.WithHelp("type", "the last 4 of the ID")) // help only
	return []key.Binding{typ, k.Confirm, k.Cancel}
}

func (d *deleteConfirm) View(w, h int) string {
	st := d.styles
	s := d.cred.ServiceInfo()
	focused, off := 0, []int{1}
	if d.proven() {
		focused, off = 1, nil
	}
	sections := []section{
		// In a short box, one line names it, with the id's tail to type.
		{lines: d.credFields(d.cred, d.inner(w), true), drop: 2, short: []string{st.Value.Render(model.SafeText(credSummary(d.cred)))}},
		{lines: []string{st.Warning.Render("Deleting is final: whatever uses this " + s.SecretLabel() + " stops working, and it cannot be brought back.")}, drop: 1},
		{lines: []string{st.Label.Render("Type the ID's last 4 characters:"), d.input.View()}},
	}
	if d.err != "" {
		sections = append(sections, section{lines: []string{st.Error.Render("✗ " + d.err)}})
	}
	return d.render(box{
		title:    "Delete this credential?",
		danger:   true,
		sections: sections,
		footer:   []string{d.buttons([]string{"Cancel", "Delete"}, focused, d.proven(), off...)},
	}, w, h)
}
