package ui

import (
	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
)

// cleanupDialog is the guided cleanup of one console-made user, held by its
// account and name. It shows what the user holds, read again when it opens;
// an orphan is removed in the order IAM requires (model.RemovalPlan) once its
// name is typed, an at-risk user's Active access keys are deactivated
// (model.DeactivationPlan: undoable, nothing deleted). Before the first step
// the user is read again: if it now holds something the person did not see,
// or no longer earns the action, nothing is done and the dialog says so. Each
// step is reported done, not done or unknown; a failure stops the rest, and
// the user is read once more to show what is left. The root runs the reads
// and the steps (cleanup*RequestedMsg); the dialog follows them by its tag.
type cleanupDialog struct {
	*kit
	tag      int
	acct     string // the account's key ("" for the one account)
	user     model.JudgedUser
	readOnly bool

	phase   cleanupPhase
	read    bool  // user is the dialog's own reading, not the list's
	gone    bool  // IAM says the user no longer exists
	readErr error // the last reading failed
	action  cleanupAction
	plan    []model.CleanupStep // the steps confirmed, then run
	results []stepResult
	// changed says why the check before the first step did nothing.
	changed string
	input   textinput.Model
	focus   int // the deactivation's buttons: 0 Cancel, 1 Deactivate
	err     string
	// quitAsked: a quit was asked once while steps run; the next one quits.
	quitAsked bool
}

type cleanupPhase int

const (
	phaseReading  cleanupPhase = iota // reading the user (it opened)
	phaseAsk                          // the action can be confirmed
	phaseChecking                     // confirmed: reading it again before the first step
	phaseRunning                      // the steps, one at a time
	phaseDone                         // every step ran, or one stopped the rest
)

type cleanupAction int

const (
	cleanupNone cleanupAction = iota
	cleanupRemove
	cleanupDeactivate
)

// stepResult is how one step went; outcome "" is not reached (yet).
type stepResult struct {
	outcome model.Outcome
	running bool
	gone    bool
	err     error
}

func newCleanupDialog(k *kit, tag int, acct string, j model.JudgedUser, readOnly bool) *cleanupDialog {
	ti := textinput.New()
	ti.Prompt = "› "
	ti.CharLimit = 128 // IAM user names are at most 64
	ti.Cursor.SetMode(cursor.CursorStatic)
	ti.Focus()
	d := &cleanupDialog{kit: k, tag: tag, acct: acct, user: j, readOnly: readOnly, input: ti}
	d.action = actionFor(j)
	return d
}

// actionFor is what the cleanup offers for j: an orphan is removed; a user
// at risk with Active access keys has them deactivated; else nothing.
func actionFor(j model.JudgedUser) cleanupAction {
	switch {
	case j.Orphaned:
		return cleanupRemove
	case len(model.DeactivationPlan(j)) > 0:
		return cleanupDeactivate
	}
	return cleanupNone
}

// planFor is the steps of action for j.
func planFor(a cleanupAction, j model.JudgedUser) []model.CleanupStep {
	switch a {
	case cleanupRemove:
		return model.RemovalPlan(j)
	case cleanupDeactivate:
		return model.DeactivationPlan(j)
	}
	return nil
}

// name is the user's name as IAM has it: what the person types.
func (d *cleanupDialog) name() string { return d.user.User.Name }

// typed reports that the name typed is the user's.
func (d *cleanupDialog) typed() bool { return d.input.Value() == d.name() }

// canAct: the action can be confirmed now.
func (d *cleanupDialog) canAct() bool {
	return d.phase == phaseAsk && !d.gone && d.readErr == nil && d.action != cleanupNone && !d.readOnly
}

func (d *cleanupDialog) Update(msg tea.Msg) reply {
	switch msg := msg.(type) {
	case userReadMsg:
		if msg.by == d.tag {
			return d.onRead(msg)
		}
	case cleanupStepMsg:
		if msg.by == d.tag && d.phase == phaseRunning {
			return d.onStep(msg)
		}
	case tea.KeyMsg:
		return d.onKey(msg)
	}
	return reply{}
}

// onRead takes a reading of the user: on opening, before the first step
// (the check), or after the steps (what is left).
func (d *cleanupDialog) onRead(msg userReadMsg) reply {
	checking := d.phase == phaseChecking
	d.readErr = msg.err
	if msg.err == nil {
		d.gone, d.read = msg.gone, true
		if !msg.gone {
			d.user = msg.judged
		}
	}
	switch d.phase {
	case phaseDone:
		return reply{}
	case phaseReading:
		d.phase = phaseAsk
		d.action = actionFor(d.user)
		return reply{}
	}
	if !checking {
		return reply{}
	}
	d.phase = phaseAsk
	if why := d.check(); why != "" {
		d.changed = why
		d.action = actionFor(d.user)
		d.input.Reset()
		d.focus = 0
		return reply{}
	}
	d.plan = planFor(d.action, d.user) // what is gone meanwhile is not asked for
	d.results = make([]stepResult, len(d.plan))
	if len(d.plan) == 0 {
		d.phase = phaseDone
		return reply{}
	}
	d.phase = phaseRunning
	return d.runStep(0)
}

// check compares the reading before the first step with what the person
// confirmed (d.plan): "" lets the steps go; else why nothing was done.
func (d *cleanupDialog) check() string {
	name := model.SafeText(d.name())
	switch {
	case d.readErr != nil:
		return "Could not read " + name + " again before acting: nothing was done. " + errorText(d.readErr)
	case d.gone:
		return name + " no longer exists (deleted elsewhere): nothing was done."
	case d.action == cleanupRemove && !d.user.Orphaned:
		return name + " is no longer orphaned (it holds a live credential): nothing was done."
	case d.action == cleanupDeactivate && len(model.DeactivationPlan(d.user)) == 0:
		return name + " has no Active access key now: nothing was done."
	}
	confirmed := map[model.CleanupStep]bool{}
	for _, s := range d.plan {
		confirmed[s] = true
	}
	for _, s := range planFor(d.action, d.user) {
		if !confirmed[s] {
			return name + " changed since you confirmed (" + model.SafeText(s.What) + "): nothing was done. Check what it holds and confirm again."
		}
	}
	return ""
}

// runStep asks the root for step i.
func (d *cleanupDialog) runStep(i int) reply {
	d.results[i].running = true
	return ask(cleanupStepRequestedMsg{by: d.tag, acct: d.acct, i: i, step: d.plan[i]})
}

// onStep records a step's outcome and runs the next, or stops at a failure
// and reads the user again to show what is left.
func (d *cleanupDialog) onStep(msg cleanupStepMsg) reply {
	if msg.i < 0 || msg.i >= len(d.results) {
		return reply{}
	}
	d.results[msg.i] = stepResult{outcome: stepOutcome(msg.err), gone: msg.gone, err: msg.err}
	if msg.err == nil && msg.i+1 < len(d.plan) {
		return d.runStep(msg.i + 1)
	}
	d.phase = phaseDone
	return ask(userReadRequestedMsg{by: d.tag, acct: d.acct, user: d.user.User})
}

func (d *cleanupDialog) onKey(km tea.KeyMsg) reply {
	k := d.keys
	if key.Matches(km, k.Interrupt) {
		return ask(quitRequestedMsg{})
	}
	switch d.phase {
	case phaseChecking, phaseRunning:
		if key.Matches(km, k.Cancel) {
			d.err = "The steps are running: wait for them to finish"
		}
		return reply{}
	case phaseDone:
		if key.Matches(km, k.Close) {
			return closeWith(statusMsg{d.outcomeLevel(), d.summary()})
		}
		return reply{}
	}
	if d.readOnly && d.action != cleanupNone && (key.Matches(km, k.Confirm) || key.Matches(km, k.Cancel)) {
		return closeWith(statusMsg{levelWarn, d.readOnlyRefusal()})
	}
	if key.Matches(km, k.Cancel) {
		return closeWith(statusMsg{levelInfo, "Cleanup of " + model.SafeText(d.name()) + " cancelled: nothing was changed"})
	}
	if d.action == cleanupDeactivate {
		switch {
		case key.Matches(km, k.Next), key.Matches(km, k.Prev):
			d.focus = 1 - d.focus
			return reply{}
		case key.Matches(km, k.Confirm) && d.focus == 0:
			return closeWith(statusMsg{levelInfo, "Cleanup of " + model.SafeText(d.name()) + " cancelled: nothing was changed"})
		case key.Matches(km, k.Confirm):
			return d.confirm()
		}
		return reply{}
	}
	if key.Matches(km, k.Confirm) {
		if d.action == cleanupNone {
			return closeWith(nil)
		}
		if !d.typed() && d.canAct() {
			d.err = "Type the user's name to remove it, or esc to cancel"
			return reply{}
		}
		return d.confirm()
	}
	if d.action != cleanupRemove {
		return reply{}
	}
	d.err = ""
	var cmd tea.Cmd
	d.input, cmd = d.input.Update(km)
	return reply{cmd: cmd}
}

// confirm starts the action, or says why it cannot.
func (d *cleanupDialog) confirm() reply {
	switch {
	case d.phase == phaseReading:
		d.err = "Reading " + model.SafeText(d.name()) + " again: wait for what it holds now"
		return reply{}
	case !d.canAct():
		return reply{}
	}
	d.err, d.changed = "", ""
	d.plan = planFor(d.action, d.user)
	d.phase = phaseChecking
	return ask(userReadRequestedMsg{by: d.tag, acct: d.acct, user: d.user.User})
}

// readOnlyRefusal says why nothing can be done, as the other read-only
// refusals do.
func (d *cleanupDialog) readOnlyRefusal() string {
	return "Read-only mode: cleaning up users is off " + d.readOnlyHint()
}

// guardQuit: while steps run, the first quit is held and said: quitting
// then leaves the user part cleaned up.
func (d *cleanupDialog) guardQuit() bool {
	if (d.phase == phaseRunning || d.phase == phaseChecking) && !d.quitAsked {
		d.quitAsked = true
		d.err = "Quitting now leaves " + model.SafeText(d.name()) + " part cleaned up: ctrl+c again quits anyway"
		return true
	}
	return false
}

func (d *cleanupDialog) Keys() []key.Binding {
	k := d.keys
	switch d.phase {
	case phaseChecking, phaseRunning:
		return []key.Binding{k.Interrupt}
	case phaseDone:
		return []key.Binding{k.Close}
	}
	if d.action == cleanupDeactivate && d.canAct() {
		k.Confirm.SetHelp("enter", "the focused button")
		return []key.Binding{k.Next, k.Confirm, k.Cancel}
	}
	if d.action == cleanupRemove && d.canAct() {
		k.Confirm.SetHelp("enter", "remove")
		k.Confirm.SetEnabled(d.typed())
		typ := key.NewBinding(key.WithKeys("type"), key.WithHelp("type", "the user's name"))
		return []key.Binding{typ, k.Confirm, k.Cancel}
	}
	k.Cancel.SetHelp("esc", "close")
	return []key.Binding{k.Cancel}
}
