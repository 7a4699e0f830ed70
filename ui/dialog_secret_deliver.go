package ui

import (
	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
)

// secretDeliver is the secret modal's D: the targets config.toml's [[deliver]]
// rules name for the credential, and a field to type another, checked by
// model.ParseTarget as it is typed. Enter delivers to the chosen one (the root
// runs it: deliver.go); each target's row shows its delivery in flight and how
// it ended. A delivery done and read back the same keeps the secret, as a
// written file does; one that failed or is unknown keeps it in the modal.
type secretDeliver struct {
	rows   []deliverRow
	input  textinput.Model
	cursor int    // a row, or len(rows): the input
	typed  string // why the typed text is not a target ("" when it is, or empty)
	err    string // why enter delivered nothing
}

// deliverRow is one target and its latest delivery.
type deliverRow struct {
	target model.Target
	busy   bool          // its delivery is in flight
	done   model.Outcome // the latest delivery's outcome ("" none yet)
	text   string        // what it said
}

func newSecretDeliver(targets []model.Target) *secretDeliver {
	ti := textinput.New()
	ti.Prompt = "› "
	ti.Placeholder = "secretsmanager:NAME, ssm:/PATH, exec:CMD, file:PATH"
	ti.CharLimit = 2048
	ti.Cursor.SetMode(cursor.CursorStatic)
	sd := &secretDeliver{input: ti}
	for _, t := range targets {
		sd.rows = append(sd.rows, deliverRow{target: t})
	}
	return sd // the cursor on the first target, or on the input when there is none
}

// onInput: the cursor is on the field to type a target.
func (sd *secretDeliver) onInput() bool { return sd.cursor == len(sd.rows) }

// focus gives the input the keys when the cursor is on it.
func (sd *secretDeliver) focus() tea.Cmd {
	if sd.onInput() {
		return sd.input.Focus()
	}
	sd.input.Blur()
	return nil
}

// row is the row of target t, added (as typed) when it has none.
func (sd *secretDeliver) row(t model.Target) int {
	for i, r := range sd.rows {
		if r.target.String() == t.String() {
			return i
		}
	}
	sd.rows = append(sd.rows, deliverRow{target: t})
	return len(sd.rows) - 1
}

// openDeliver opens D's list (as it was left: rows keep their outcomes).
func (sm *secretModal) openDeliver() reply {
	if sm.deliver == nil {
		sm.deliver = newSecretDeliver(sm.targets)
	}
	sm.delivering = true
	sm.sizeDeliverInput()
	return reply{cmd: sm.deliver.focus()}
}

func (sm *secretModal) sizeDeliverInput() {
	if sd := sm.deliver; sd != nil {
		sd.input.Width = max(1, sm.inner(min(sm.w, maxModalWidth))-5) // marker, prompt and cursor
		sd.input.SetCursor(sd.input.Position())
	}
}

// deliverKey: ↑/↓ (tab) choose a target or the input, enter delivers, esc
// goes back to the modal; letters type a target.
func (sm *secretModal) deliverKey(msg tea.KeyMsg) reply {
	k, sd := sm.keys, sm.deliver
	sd.err = ""
	switch {
	case key.Matches(msg, k.Cancel):
		sm.delivering = false
		sd.input.Blur()
		return reply{}
	case msg.Type == tea.KeyUp || msg.Type == tea.KeyShiftTab:
		sd.cursor = (sd.cursor + len(sd.rows)) % (len(sd.rows) + 1)
		return reply{cmd: sd.focus()}
	case msg.Type == tea.KeyDown || msg.Type == tea.KeyTab:
		sd.cursor = (sd.cursor + 1) % (len(sd.rows) + 1)
		return reply{cmd: sd.focus()}
	case key.Matches(msg, k.Confirm):
		return sm.deliverChosen()
	case !sd.onInput() && (msg.Type == tea.KeyRunes || msg.Paste):
		sd.cursor = len(sd.rows) // typing goes to the input
		cmd := sd.focus()
		return reply{cmd: tea.Batch(cmd, sd.update(msg))}
	case sd.onInput():
		return reply{cmd: sd.update(msg)}
	}
	return reply{}
}

// update types into the input and checks what it holds (C0 and C1 are
// dropped by the input; bidi controls are made visible).
func (sd *secretDeliver) update(msg tea.KeyMsg) tea.Cmd {
	var cmd tea.Cmd
	sd.input, cmd = sd.input.Update(msg)
	if v := sd.input.Value(); !model.IsSafeText(v) {
		sd.input.SetValue(model.SafeText(v))
	}
	sd.typed = ""
	if v := sd.input.Value(); v != "" {
		if _, err := model.ParseTarget(v); err != nil {
			sd.typed = errorText(err)
		}
	}
	return cmd
}

// deliverChosen delivers to the chosen row, or to the typed target.
func (sm *secretModal) deliverChosen() reply {
	sd := sm.deliver
	i := sd.cursor
	if sd.onInput() {
		v := sd.input.Value()
		if v == "" {
			sd.err = "Type a target, such as secretsmanager:ci/git"
			return reply{}
		}
		t, err := model.ParseTarget(v)
		if err != nil {
			sd.typed = errorText(err)
			return reply{}
		}
		i = sd.row(t)
		sd.input.SetValue("")
		sd.cursor = i
		sd.input.Blur()
	}
	r := &sd.rows[i]
	switch {
	case r.busy:
		sd.err = "Still delivering to " + r.target.String()
		return reply{}
	case r.done == model.OutcomeDone:
		sd.err = "Already delivered to " + r.target.String()
		return reply{}
	}
	r.busy, r.text = true, ""
	return ask(deliverRequestedMsg{secretID: sm.id, target: r.target, secret: sm.secret})
}

// delivered takes a delivery's outcome, on its row and in the modal's note:
// done and read back keeps the secret; anything else leaves it in the modal.
func (sm *secretModal) delivered(msg deliveredMsg) {
	if sm.deliver == nil {
		sm.deliver = newSecretDeliver(sm.targets)
	}
	r := &sm.deliver.rows[sm.deliver.row(msg.target)]
	r.busy = false
	r.done, r.text = deliveryOutcome(msg.result, msg.err), deliveryShort(msg.result, msg.err)
	sm.note = deliveryText(msg.result, msg.err)
	switch r.done {
	case model.OutcomeDone:
		sm.kept, sm.unchecked = true, nil
		sm.noteLvl = levelOK
	case model.OutcomeNotDone:
		sm.noteLvl = levelError
	default:
		sm.noteLvl = levelWarn
	}
}

// deliverLines are D's rows in the secret modal.
func (sm *secretModal) deliverLines() []string {
	st, sd := sm.styles, sm.deliver
	out := []string{st.Label.Render("Deliver the " + sm.secret.Credential.ServiceInfo().SecretLabel() + " to:")}
	mark := func(i int) string {
		if i == sd.cursor {
			return st.ChoiceActive.Render(markerFocused + " ")
		}
		return "  "
	}
	for i, r := range sd.rows {
		name := st.Choice.Render(r.target.String())
		if i == sd.cursor {
			name = st.ChoiceActive.Render(r.target.String())
		}
		out = append(out, mark(i)+name)
		switch {
		case r.busy:
			out = append(out, "  "+st.Muted.Render("delivering…"))
		case r.done == model.OutcomeDone:
			out = append(out, "  "+st.StatusOK.Render("✓ "+capitalize(r.text)))
		case r.done == model.OutcomeNotDone:
			out = append(out, "  "+st.Error.Render("✗ "+capitalize(r.text)))
		case r.done != "":
			out = append(out, "  "+st.StatusWarn.Render("? "+capitalize(r.text)))
		}
	}
	out = append(out, mark(len(sd.rows))+sd.input.View())
	switch {
	case sd.err != "":
		out = append(out, st.Error.Render("✗ "+sd.err))
	case sd.typed != "":
		out = append(out, st.Error.Render("✗ "+sd.typed))
	}
	return out
}

// deliverNote says where a target without an ARN is, under the rows.
const deliverNote = "A name is in the profile's account and region; an ARN names its own."

// deliverKeys are the help bar's keys while D's list is open.
func (sm *secretModal) deliverKeys() []key.Binding {
	k := sm.keys
	k.Choose.SetHelp("↑/↓", "target")
	k.Confirm.SetHelp("enter", "deliver")
	k.Cancel.SetHelp("esc", "back")
	return []key.Binding{k.Choose, k.Confirm, k.Cancel}
}
