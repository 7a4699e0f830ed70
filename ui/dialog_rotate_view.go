package ui

import (
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/x/ansi"

	"iamcreds/model"
)

// What the rotation dialog draws: the plan with each step's mark, the current
// step's question, and how it ended.

func (d *rotateDialog) View(w, h int) string {
	st := d.styles
	inner := d.inner(w)
	b := box{title: "Rotate " + credLabel(d.old.UserName, d.old.Service, d.old.ID), danger: d.phase == rotFailed}
	b.sections = append(b.sections, section{lines: d.planLines(inner), drop: 1}, d.deliverySection())
	b.sections = append(b.sections, d.body(inner)...)
	if d.err != "" {
		b.sections = append(b.sections, section{lines: []string{st.Error.Render("✗ " + d.err)}})
	}
	b.footer = d.footer()
	return d.render(b, w, h)
}

// planLines are the plan's steps: ✓ done, ▸ at, ✗ failed, ? unknown, · not done; a
// step's text wraps under itself.
func (d *rotateDialog) planLines(inner int) []string {
	st := d.styles
	p := d.rot.Plan
	if p.Old.ID == "" {
		return nil
	}
	lines := []string{st.Label.Render("Plan")}
	for _, step := range p.Steps() {
		mark, style := "·", st.Muted
		switch {
		case d.rot.Outcome(step) == model.OutcomeUnknown:
			mark, style = "?", st.Warning
		case d.phase == rotFailed && step == d.failedAt:
			mark, style = "✗", st.Error
		case d.stepDone(step):
			mark, style = "✓", st.StatusOK
		case step == d.phase.step():
			mark, style = markerFocused, st.ChoiceActive
		}
		head := fmt.Sprintf("%s %d. ", mark, int(step))
		indent := strings.Repeat(" ", ansi.StringWidth(head))
		text := ansi.Wrap(model.SafeText(d.describe(step)), max(1, inner-len(indent)), " ")
		for i, l := range strings.Split(text, "\n") {
			if i == 0 {
				l = head + l
			} else {
				l = indent + l
			}
			lines = append(lines, style.Render(l))
		}
	}
	return lines
}

func (d *rotateDialog) stepDone(step model.RotationStep) bool {
	return d.rot.Outcome(step) == model.OutcomeDone
}

// body is what the current step asks, or how the rotation ended.
func (d *rotateDialog) body(inner int) []section {
	st := d.styles
	p := d.rot.Plan
	secret := d.old.ServiceInfo().SecretLabel()
	muted := func(s string) []string { return []string{st.Muted.Render(model.SafeText(s))} }
	if d.busy {
		return []section{{lines: muted(d.busyLine())}}
	}
	switch d.phase {
	case rotStopped:
		return []section{
			{lines: []string{st.Error.Render("✗ Cannot rotate: " + model.SafeText(errorText(d.why)))}},
			{lines: muted("Nothing was changed.")},
		}
	case rotDeleteOther:
		return []section{
			{lines: d.credFields(p.Other, inner, true), drop: 2},
			{lines: []string{
				st.Warning.Render(fmt.Sprintf("Step 1: %s holds %d, IAM's limit. Deleting the other one is final: whatever still uses it stops working.",
					d.old.UserName, model.MaxPerService)),
				st.Label.Render("Type the last 4 characters of its ID to delete it:"), d.proof.View(),
			}},
		}
	case rotCreate:
		if !d.apiKey() {
			return []section{{lines: muted(d.createLine())}}
		}
		lines := d.expiry.lines(st, func(active bool, label string) string {
			if active {
				return st.ChoiceActive.Render(markerFocused + " " + label)
			}
			return st.Choice.Render("  " + label)
		})
		return []section{{lines: lines}, {lines: d.warnings(d.expiry.neverWarning())}}
	case rotHandOver:
		return []section{{lines: d.warnings(d.delivery)}, {lines: muted(fmt.Sprintf("Step 3: the new %s is shown over this dialog.", secret))}}
	case rotNotSaved:
		return []section{
			{lines: d.warnings(fmt.Sprintf("The new %s was closed without being saved: IAM cannot show it again.", secret))},
			{lines: muted(d.rot.Next())},
			{lines: muted("Saved it after all (a copy the terminal could not confirm)? Go on.")},
		}
	case rotDeactivate:
		return []section{
			{lines: []string{st.Label.Render("Step 4: is the new one in use?")}},
			{lines: muted(fmt.Sprintf("Deactivating the old one, %s, stops whatever still uses it (t switches it back). "+
				"Later leaves both Active: the fleet view flags them (two-active) until then.", p.Old.ID))},
		}
	case rotDeleteOld:
		return []section{{lines: []string{
			st.Label.Render(fmt.Sprintf("Step 5: delete the old one, %s?", model.SafeText(p.Old.ID))),
			st.Muted.Render(fmt.Sprintf("Type its last 4 to delete it, or enter to keep it %s.", d.rot.OldStatus)),
			d.proof.View(),
		}}}
	case rotFailed:
		failed := st.Error.Render(model.SafeText(fmt.Sprintf("✗ Step %d (%s) failed: %s", int(d.failedAt), d.failedAt, errorWithCode(d.why))))
		if d.unconfirmed() {
			// The state and what next say the rest: here only the cause.
			failed = st.Warning.Render(model.SafeText(fmt.Sprintf("? Step %d (%s): outcome unknown (%s); ctrl+r lists %s's credentials again.",
				int(d.failedAt), d.failedAt, errorWithCode(causeOf(d.why)), d.old.UserName)))
		}
		return []section{{lines: []string{failed}}, d.stateSection(), {lines: muted(d.rot.Next())}}
	}
	head := "Left at step " + fmt.Sprint(int(d.lastStep()))
	if d.rot.OldDeleted {
		head = "Rotation complete"
	}
	return []section{{lines: []string{st.Label.Render(head)}}, d.stateSection(), {lines: muted(d.rot.Next())}}
}

// lastStep is the step the person left at: the first not done.
func (d *rotateDialog) lastStep() model.RotationStep {
	for _, s := range d.rot.Plan.Steps() {
		if !d.stepDone(s) {
			return s
		}
	}
	return model.StepDeleteOld
}

// stateSection is what exists now, one line per credential.
func (d *rotateDialog) stateSection() section {
	var lines []string
	for _, l := range d.rot.State() {
		lines = append(lines, d.styles.Value.Render("• "+model.SafeText(l)))
	}
	return section{lines: lines}
}

func (d *rotateDialog) footer() []string {
	st := d.styles
	if d.busy {
		return nil
	}
	switch d.phase {
	case rotDeleteOther, rotDeleteOld:
		c, keep := d.rot.Plan.Other, "Leave"
		if d.phase == rotDeleteOld {
			c, keep = d.rot.Plan.Old, "Keep it "+string(d.rot.OldStatus)
		}
		if model.ConfirmsDelete(c.ID, d.proof.Value()) {
			return []string{d.buttons([]string{keep, "Delete"}, 1, true)}
		}
		return []string{d.buttons([]string{keep, "Delete"}, 0, false, 1)}
	case rotCreate:
		return []string{d.buttons([]string{"Leave", "Create"}, 1, false)}
	case rotNotSaved:
		return []string{d.buttons([]string{"Leave", "Saved: go on"}, d.focus, false)}
	case rotDeactivate:
		return []string{d.buttons([]string{"Later", "Deactivate the old one"}, d.focus, d.focus == 1)}
	case rotHandOver:
		return nil
	}
	return []string{st.Muted.Render("enter close")}
}

func (d *rotateDialog) Keys() []key.Binding {
	k := d.keys
	if d.busy {
		k.Cancel.SetHelp("esc", "leave (the step goes on)")
		return []key.Binding{k.Cancel}
	}
	switch d.phase {
	case rotDeleteOther, rotDeleteOld:
		typ := key.NewBinding(key.WithKeys("type"), key.WithHelp("type", "the last 4 of the ID")) // help only
		k.Confirm.SetHelp("enter", "delete")
		k.Cancel.SetHelp("esc", "leave")
		if d.phase == rotDeleteOld {
			k.Confirm.SetHelp("enter", "delete, or keep if empty")
			k.Cancel.SetHelp("esc", "keep it")
		}
		return []key.Binding{typ, k.Confirm, k.Cancel}
	case rotCreate:
		k.Confirm.SetHelp("enter", "create")
		k.Cancel.SetHelp("esc", "leave")
		if d.expiry.typing {
			k.Cancel.SetHelp("esc", "back")
			return []key.Binding{k.Confirm, k.Cancel}
		}
		k.Choose.SetEnabled(d.apiKey())
		k.Choose.SetHelp("↑/↓", "lifetime")
		return []key.Binding{k.Choose, k.Confirm, k.Cancel}
	case rotNotSaved, rotDeactivate:
		k.Next.SetHelp("tab/←/→", "choose")
		k.Cancel.SetHelp("esc", "leave")
		if d.phase == rotDeactivate {
			k.Cancel.SetHelp("esc", "later")
		}
		return []key.Binding{k.Next, k.Confirm, k.Cancel}
	case rotHandOver:
		return nil
	}
	return []key.Binding{k.Close}
}

// causeOf is what made a write's outcome unknown: the error of the call
// itself, under the client's judgement of it.
func causeOf(err error) error {
	var me *model.Error
	if errors.As(err, &me) && me.Err != nil {
		return me.Err
	}
	return err
}
