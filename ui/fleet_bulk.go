package ui

import (
	"context"
	"fmt"
	"sort"
	"strconv"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
)

type bulkAction int

const (
	bulkDeactivate bulkAction = iota
	bulkActivate
	bulkDelete
)

func (a bulkAction) name() string {
	return [...]string{"Deactivate", "Activate", "Delete"}[a]
}

// bulkConcurrency bounds the calls in flight: IAM throttles bursts.
const bulkConcurrency = 4

// bulkConfirm shows the count and the first few targets; Cancel is focused.
// A delete also asks to type the count.
type bulkConfirm struct {
	action  bulkAction
	targets []model.Credential
	focus   int // 0 Cancel, 1 the action
	input   textinput.Model
	err     string
}

// bulkTargets: the visible selection (never a row a filter hides), or the row
// under the cursor when none.
func (m *Model) bulkTargets() []model.Credential {
	v := &m.fleet
	var out []model.Credential
	for i := range v.visible {
		if v.sel[v.visible[i].ID] {
			out = append(out, v.visible[i].Credential)
		}
	}
	if len(out) == 0 {
		if r, ok := v.selected(); ok {
			out = append(out, r.Credential)
		}
	}
	return out
}

func (m *Model) openBulkConfirm(a bulkAction) tea.Cmd {
	if m.fleet.bulk != nil {
		m.setStatus(levelWarn, "A bulk action is still running; wait for it to finish")
		return nil
	}
	targets := m.bulkTargets()
	if len(targets) == 0 {
		m.setStatus(levelInfo, "Nothing to act on: space selects rows")
		return nil
	}
	b := &bulkConfirm{action: a, targets: targets}
	m.openOverlay(b)
	if a != bulkDelete {
		return nil
	}
	b.input = textinput.New()
	b.input.Prompt = "› "
	b.input.CharLimit = 7
	b.input.Width = 8
	b.input.Cursor.SetMode(cursor.CursorStatic)
	return b.input.Focus()
}

func (m *Model) bulkConfirmKey(b *bulkConfirm, msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Interrupt):
		return m.requestQuit()
	case key.Matches(msg, k.Cancel):
		m.setStatus(levelInfo, b.action.name()+" cancelled")
		return m.closeOverlay()
	case b.action == bulkDelete && key.Matches(msg, k.Confirm):
		if b.input.Value() != strconv.Itoa(len(b.targets)) {
			b.err = fmt.Sprintf("Type %d to delete, or esc to cancel", len(b.targets))
			return nil
		}
		return tea.Batch(m.closeOverlay(), m.startBulk(b.action, b.targets))
	case b.action == bulkDelete:
		b.err = ""
		var cmd tea.Cmd
		b.input, cmd = b.input.Update(msg)
		return cmd
	case key.Matches(msg, k.Next), key.Matches(msg, k.Prev):
		b.focus = 1 - b.focus
	case key.Matches(msg, k.Confirm):
		if b.focus == 0 {
			m.setStatus(levelInfo, b.action.name()+" cancelled")
			return m.closeOverlay()
		}
		return tea.Batch(m.closeOverlay(), m.startBulk(b.action, b.targets))
	}
	return nil
}

func (b *bulkConfirm) keys(k KeyMap) []key.Binding {
	if b.action == bulkDelete {
		k.Confirm.SetHelp("enter", "delete")
		return []key.Binding{k.Confirm, k.Cancel}
	}
	return []key.Binding{k.Next, k.Confirm, k.Cancel}
}

// bulkPreview is how many targets a confirmation lists.
const bulkPreview = 5

func (m *Model) bulkConfirmView(b *bulkConfirm, w, h int) string {
	n := len(b.targets)
	var items []string
	for i, c := range b.targets {
		if i == bulkPreview {
			items = append(items, m.styles.Muted.Render(fmt.Sprintf("… and %d more", n-bulkPreview)))
			break
		}
		items = append(items, "• "+credLabel(c.UserName, c.Service, c.ID))
	}
	d := dialog{
		title:    fmt.Sprintf("%s %s?", b.action.name(), plural(n, "credential")),
		sections: []section{{lines: items}},
		danger:   b.action != bulkActivate,
	}
	switch b.action {
	case bulkDeactivate:
		d.sections = append(d.sections, section{lines: []string{m.styles.Warning.Render("Apps using them stop working until they are activated again.")}, drop: 1})
	case bulkDelete:
		d.sections = append(d.sections, section{lines: []string{m.styles.Warning.Render("This cannot be undone.")}, drop: 1})
		d.footer = []string{fmt.Sprintf("Type %d to delete: ", n) + b.input.View()}
		if b.err != "" {
			d.footer = append(d.footer, m.styles.Error.Render(b.err))
		}
		return m.render(d, w, h)
	}
	d.footer = []string{m.buttons([]string{"Cancel", b.action.name()}, b.focus, b.action != bulkActivate)}
	return m.render(d, w, h)
}

// bulkRun is a bulk action in flight.
type bulkRun struct {
	id      int
	task    int
	action  bulkAction
	targets []model.Credential
	next    int // the next target to start
	done    int
	ok      []string
	failed  []string
}

func (b *bulkRun) verb() string {
	return [...]string{"deactivating", "activating", "deleting"}[b.action]
}

type bulkDoneMsg struct {
	run, i int
	err    error
}

// bulkCmd applies one target; it takes copies, never the model.
func bulkCmd(ctx context.Context, c IAM, run, i int, a bulkAction, cred model.Credential) tea.Cmd {
	return func() tea.Msg {
		var err error
		switch a {
		case bulkDeactivate:
			err = c.SetStatus(ctx, cred.UserName, cred.ID, model.Inactive)
		case bulkActivate:
			err = c.SetStatus(ctx, cred.UserName, cred.ID, model.Active)
		case bulkDelete:
			err = c.Delete(ctx, cred.UserName, cred.ID)
		}
		return bulkDoneMsg{run: run, i: i, err: err}
	}
}

func (m *Model) startBulk(a bulkAction, targets []model.Credential) tea.Cmd {
	m.nextOp++
	b := &bulkRun{id: m.nextOp, action: a, targets: targets}
	b.task = m.startTask(fmt.Sprintf("%s %s…", b.verb(), plural(len(targets), "credential")))
	m.fleet.bulk = b
	var cmds []tea.Cmd
	for b.next < len(targets) && b.next < bulkConcurrency {
		cmds = append(cmds, bulkCmd(m.ctx, m.client, b.id, b.next, a, targets[b.next]))
		b.next++
	}
	m.relayout()
	return tea.Batch(cmds...)
}

// onBulkDone records one result and starts the next target; a failure does
// not stop the rest. The last result opens the summary.
func (m *Model) onBulkDone(msg bulkDoneMsg) tea.Cmd {
	b := m.fleet.bulk
	if b == nil || b.id != msg.run {
		return nil
	}
	c := b.targets[msg.i]
	label := credLabel(c.UserName, c.Service, c.ID)
	b.done++
	var cmds []tea.Cmd
	if msg.err != nil {
		b.failed = append(b.failed, label+": "+errorText(msg.err))
		cmds = append(cmds, m.reconcileIfGone(c.UserName, msg.err))
	} else {
		b.ok = append(b.ok, label)
		delete(m.fleet.sel, c.ID) // done; failures stay selected for a retry
		switch b.action {
		case bulkDelete:
			m.removeCached(c.UserName, c.ID)
		case bulkDeactivate:
			m.updateCached(c.UserName, c.ID, func(x *model.Credential) { x.Status = model.Inactive })
		case bulkActivate:
			m.updateCached(c.UserName, c.ID, func(x *model.Credential) { x.Status = model.Active })
		}
		m.touch(c.UserName)
		m.refreshUserRow(c.UserName)
	}
	if b.next < len(b.targets) {
		cmds = append(cmds, bulkCmd(m.ctx, m.client, b.id, b.next, b.action, b.targets[b.next]))
		b.next++
	}
	if b.done == len(b.targets) {
		m.endTask(b.task)
		sort.Strings(b.ok) // results arrive in any order; the summary reads by user
		sort.Strings(b.failed)
		m.fleet.bulk = nil
		m.fleet.dirty = true
		m.openOverlay(&bulkSummary{run: b})
		if len(b.failed) == 0 {
			m.setStatus(levelOK, fmt.Sprintf("%s: %d done", b.action.name(), len(b.ok)))
		} else {
			m.setStatus(levelWarn, fmt.Sprintf("%s: %d done, %d failed", b.action.name(), len(b.ok), len(b.failed)))
		}
	}
	return tea.Batch(cmds...)
}

// bulkSummary lists what succeeded and what failed, and why.
type bulkSummary struct{ run *bulkRun }

func (m *Model) bulkSummaryKey(_ *bulkSummary, msg tea.KeyMsg) tea.Cmd {
	if key.Matches(msg, m.keys.Interrupt) {
		return m.requestQuit()
	}
	if key.Matches(msg, m.keys.Close) {
		return m.closeOverlay()
	}
	return nil
}

func (s *bulkSummary) keys(k KeyMap) []key.Binding { return []key.Binding{k.Close} }

func (m *Model) bulkSummaryView(s *bulkSummary, w, h int) string {
	b := s.run
	var okLines, failLines []string
	for _, l := range b.ok {
		okLines = append(okLines, m.styles.StatusOK.Render("✓ ")+l)
	}
	for _, l := range b.failed {
		failLines = append(failLines, m.styles.Error.Render("✗ ")+l)
	}
	head := fmt.Sprintf("%d succeeded, %d failed", len(b.ok), len(b.failed))
	d := dialog{
		title:    b.action.name() + ": " + head,
		sections: []section{{lines: failLines}, {lines: okLines, drop: 1}},
		footer:   []string{m.styles.Muted.Render("enter/esc close")},
		danger:   len(b.failed) > 0,
	}
	return m.render(d, w, h)
}
