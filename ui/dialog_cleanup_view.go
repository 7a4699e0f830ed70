package ui

import (
	"fmt"
	"strings"

	"iamcreds/model"
)

// What the cleanup dialog draws: the user, what it holds, the action and,
// once confirmed, each step with its outcome.

func (d *cleanupDialog) View(w, h int) string {
	st := d.styles
	inner := d.inner(w)
	j := d.user
	sections := []section{{
		lines: d.userFields(inner), drop: 3,
		short: []string{st.Value.Render(model.SafeText(d.name()) + " · " + strings.Join(j.Verdicts(), ", "))},
	}}
	if l := d.readLine(); l != "" {
		sections = append(sections, section{lines: []string{l}})
	}
	if d.phase == phaseRunning || d.phase == phaseDone {
		sections = append(sections, section{lines: d.stepLines()})
		if left := d.leftLines(); len(left) > 0 {
			sections = append(sections, section{lines: left})
		}
	} else if !d.gone {
		sections = append(sections, section{lines: d.holdingLines(), drop: 2,
			short: []string{st.Label.Render("It holds: ") + st.Value.Render(model.SafeText(j.HoldsText()))}})
		if len(j.Risks) > 0 {
			sections = append(sections, section{lines: []string{st.Warning.Render("At risk: " + model.SafeText(strings.Join(j.Risks, ", ")))}, drop: 1})
		}
		sections = append(sections, section{lines: d.warnings(d.actionLines()...), drop: 1})
	}
	if d.changed != "" {
		sections = append(sections, section{lines: []string{st.Warning.Render("! " + d.changed)}})
	}
	if d.err != "" {
		sections = append(sections, section{lines: []string{st.Error.Render("✗ " + d.err)}})
	}
	return d.render(box{title: d.title(), danger: d.action == cleanupRemove, sections: sections, footer: d.footer(inner)}, w, h)
}

func (d *cleanupDialog) title() string {
	name := d.name()
	switch {
	case d.phase == phaseChecking:
		return "Reading " + name + " again before acting…"
	case d.phase == phaseRunning && d.action == cleanupRemove:
		return "Removing " + name + "…"
	case d.phase == phaseRunning:
		return "Deactivating " + name + "'s access keys…"
	case d.phase == phaseDone && d.stopped() >= 0:
		return "Cleanup of " + name + " stopped"
	case d.phase == phaseDone && d.action == cleanupRemove:
		return "Removed " + name
	case d.phase == phaseDone:
		return "Deactivated " + name + "'s access keys"
	case d.action == cleanupRemove:
		return "Remove " + name + "?"
	case d.action == cleanupDeactivate:
		return "Deactivate " + name + "'s access keys?"
	}
	return "Console-made user " + name
}

// userFields name the user, its service and its judgement.
func (d *cleanupDialog) userFields(inner int) []string {
	const lw = 8
	j := d.user
	var lines []string
	add := func(label, value string) { lines = append(lines, d.fieldLines(label, value, lw, inner)...) }
	add("User", j.User.Name)
	add("Service", serviceName(model.LookupService(j.Console.Service), inner-lw-1))
	add("Verdict", strings.Join(j.Verdicts(), ", "))
	add("Created", d.fmtDate(j.User.Created))
	return lines
}

// readLine says how fresh what the dialog shows is.
func (d *cleanupDialog) readLine() string {
	st := d.styles
	switch {
	case d.readErr != nil:
		return st.Error.Render("✗ Could not read it again: " + errorText(d.readErr))
	case d.gone && d.phase == phaseDone:
		return st.Value.Render("It no longer exists.")
	case d.gone:
		return st.Warning.Render("It no longer exists (deleted elsewhere).")
	case d.phase == phaseReading:
		return st.Muted.Render("Reading it again: what it holds may have changed…")
	case d.phase == phaseChecking:
		return st.Muted.Render("Reading it again: another admin may have changed it…")
	}
	return ""
}

// holdingLines name everything the user holds, in the order a removal takes.
func (d *cleanupDialog) holdingLines() []string {
	j := d.user
	h := j.Holdings
	var items []string
	if h.LoginProfile {
		items = append(items, "console password (set "+d.fmtDate(h.LoginCreated)+")")
	}
	for _, k := range h.AccessKeys {
		items = append(items, "access key "+k.ID+" ("+string(k.Status)+")")
	}
	now := d.now()
	for _, c := range j.Credentials {
		status := string(c.Status)
		if c.IsExpired(now) && c.Status != model.Expired {
			status += ", expired"
		}
		items = append(items, c.ServiceInfo().Noun()+" "+c.ID+" ("+status+")")
	}
	for _, p := range h.Inline {
		items = append(items, "inline policy "+p)
	}
	for _, p := range h.Attached {
		items = append(items, "policy "+p.Name+" (attached)")
	}
	for _, g := range h.Groups {
		items = append(items, "group "+g)
	}
	st := d.styles
	lines := []string{st.Label.Render("It holds:")}
	if len(items) == 0 {
		return append(lines, st.Value.Render("  nothing but the user itself"))
	}
	for _, it := range items {
		lines = append(lines, st.Value.Render("• "+model.SafeText(it)))
	}
	return lines
}

// actionLines say what the action does, or why there is none.
func (d *cleanupDialog) actionLines() []string {
	j := d.user
	switch d.action {
	case cleanupRemove:
		return []string{fmt.Sprintf("Removing is final: %s in the order IAM requires (DeleteUser last; IAM refuses it while the user holds anything). Whatever uses the user stops working.",
			plural(len(model.RemovalPlan(j)), "step"))}
	case cleanupDeactivate:
		keys := model.DeactivationPlan(j)
		id := "KEY-ID"
		if len(keys) == 1 {
			id = keys[0].Target
		}
		lines := []string{fmt.Sprintf("Makes %s Inactive: nothing is deleted. Undo: %s", plural(len(keys), "access key"), undoCommand(j.User.Name, id))}
		if j.Holdings.LoginProfile || len(j.Risks) > len(keys) {
			lines = append(lines, "The other risks are left for a person to judge.")
		}
		return lines
	}
	if len(j.Risks) > 0 {
		return []string{"Nothing here to deactivate (no Active access key): a console password or a policy is left for a person to judge (aws iam delete-login-profile, detach-user-policy)."}
	}
	if d.phase == phaseReading {
		return nil
	}
	return []string{"It has a live credential and nothing beyond its service's policy: nothing to clean up."}
}

// undoCommand is how to make an access key Active again.
func undoCommand(user, keyID string) string {
	return "aws iam update-access-key --user-name " + model.SafeText(user) + " --access-key-id " + model.SafeText(keyID) + " --status Active"
}

// stepLines are the steps with their outcomes.
func (d *cleanupDialog) stepLines() []string {
	st := d.styles
	lines := make([]string, 0, len(d.plan))
	for i, s := range d.plan {
		r := d.results[i]
		what := model.SafeText(s.What)
		var line string
		switch {
		case r.running && r.outcome == "":
			line = st.Muted.Render("… " + what)
		case r.outcome == model.OutcomeDone && r.gone:
			line = st.Value.Render("✓ done: " + what + " (gone already)")
		case r.outcome == model.OutcomeDone:
			line = st.Value.Render("✓ done: " + what)
		case r.outcome == model.OutcomeUnknown:
			line = st.Warning.Render("? unknown: " + what + ": " + errorWithCode(r.err))
		case r.outcome == model.OutcomeNotDone:
			line = st.Error.Render("✗ not done: " + what + ": " + errorWithCode(r.err))
		default:
			line = st.Muted.Render("· not reached: " + what)
		}
		lines = append(lines, fmt.Sprintf("%d. ", i+1)+line)
	}
	return lines
}

// stopped is the step that stopped the rest, -1 if none did.
func (d *cleanupDialog) stopped() int {
	for i, r := range d.results {
		if r.outcome == model.OutcomeNotDone || r.outcome == model.OutcomeUnknown {
			return i
		}
	}
	return -1
}

// leftLines say, after the steps, what is left: the steps not done, and what
// the user holds as read again.
func (d *cleanupDialog) leftLines() []string {
	st := d.styles
	if d.phase != phaseDone {
		return nil
	}
	var lines []string
	if i := d.stopped(); i >= 0 {
		// A step not done is left; one of unknown outcome is not said left
		// (IAM may have done it): the steps after it are.
		unknown := d.results[i].outcome == model.OutcomeUnknown
		from, label := i, "left"
		if unknown {
			from, label = i+1, "not reached"
		}
		var left []string
		for _, s := range d.plan[from:] {
			left = append(left, s.What)
		}
		line := "Stopped at step " + fmt.Sprint(i+1)
		if len(left) > 0 {
			line += "; " + label + ": " + model.SafeText(strings.Join(left, "; "))
		}
		lines = append(lines, st.Warning.Render(line))
		if unknown {
			lines = append(lines, st.Warning.Render("Step "+fmt.Sprint(i+1)+" may or may not have happened: what the user holds below is IAM's answer since."))
		}
	}
	switch {
	case d.gone:
	case d.readErr != nil:
	case d.action == cleanupDeactivate:
		for i, s := range d.plan {
			if d.results[i].outcome == model.OutcomeDone {
				lines = append(lines, st.Muted.Render("Undo: "+undoCommand(d.name(), s.Target)))
			}
		}
	case d.read:
		lines = append(lines, st.Label.Render("It holds now: ")+st.Value.Render(model.SafeText(d.user.HoldsText())))
	}
	return lines
}

// footer is the typed name and the buttons, the deactivation's buttons, or
// Close.
func (d *cleanupDialog) footer(inner int) []string {
	st := d.styles
	switch {
	case d.phase == phaseChecking || d.phase == phaseRunning:
		return []string{st.Muted.Render("Wait: each step is reported as it ends.")}
	case d.readOnly && d.action != cleanupNone && d.phase != phaseDone:
		return []string{st.Warning.Render(d.readOnlyRefusal()), d.buttons([]string{"Close"}, 0, false)}
	case d.phase == phaseDone || !d.canAct():
		return []string{d.buttons([]string{"Close"}, 0, false)}
	case d.action == cleanupDeactivate:
		return []string{d.buttons([]string{"Cancel", "Deactivate keys"}, d.focus, true)}
	}
	d.input.Width = max(4, min(inner-3, len(d.name())+1))
	focused, off := 0, []int{1}
	if d.typed() {
		focused, off = 1, nil
	}
	return []string{
		st.Label.Render("Type the user's name to remove it:"), d.inputView(),
		d.buttons([]string{"Cancel", "Remove user"}, focused, d.typed(), off...),
	}
}

// summary is the status line when the dialog closes after its steps.
func (d *cleanupDialog) summary() string {
	name := model.SafeText(d.name())
	if i := d.stopped(); i >= 0 {
		return fmt.Sprintf("Cleanup of %s stopped at step %d of %d (%s: %s)", name, i+1, len(d.plan),
			model.SafeText(d.plan[i].What), strings.ReplaceAll(string(d.results[i].outcome), "_", " "))
	}
	if d.action == cleanupRemove {
		return fmt.Sprintf("Removed %s (%s done)", name, plural(len(d.plan), "step"))
	}
	id := "KEY-ID"
	if len(d.plan) == 1 {
		id = d.plan[0].Target
	}
	return fmt.Sprintf("Deactivated %s of %s (undo: %s)", plural(len(d.plan), "access key"), name, undoCommand(d.name(), id))
}

func (d *cleanupDialog) outcomeLevel() level {
	if i := d.stopped(); i >= 0 {
		if d.results[i].outcome == model.OutcomeUnknown {
			return levelWarn
		}
		return levelError
	}
	return levelOK
}

// inputView is the typed name as the input draws it, made safe: what is
// pasted there may carry controls (a hostile name, typed to match).
func (d *cleanupDialog) inputView() string {
	in := d.input
	in.SetValue(model.SafeText(in.Value()))
	in.SetCursor(len(in.Value()))
	return in.View()
}
