package ui

import (
	"fmt"
	"strconv"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
)

// bulkConfirm shows the count and the first few targets of a bulk action;
// Cancel is focused. A delete asks to type the count instead.
type bulkConfirm struct {
	*kit
	action  bulkAction
	targets []model.Credential
	// notes are why some targets deserve a second thought (activating them).
	notes []string
	focus int // 0 Cancel, 1 the action
	input textinput.Model
	err   string
}

// bulkPreview is how many targets a confirmation lists.
const bulkPreview = 5

func newBulkConfirm(k *kit, a bulkAction, targets []model.Credential, notes []string) *bulkConfirm {
	b := &bulkConfirm{kit: k, action: a, targets: targets, notes: notes}
	if a == bulkDelete {
		b.input = textinput.New()
		b.input.Prompt = "› "
		b.input.CharLimit = 7
		b.input.Width = 8
		b.input.Cursor.SetMode(cursor.CursorStatic)
		b.input.Focus()
	}
	return b
}

func (b *bulkConfirm) cancelled() reply {
	return closeWith(statusMsg{levelInfo, b.action.name() + " cancelled"})
}

func (b *bulkConfirm) Update(msg tea.Msg) reply {
	km, isKey := msg.(tea.KeyMsg)
	if !isKey {
		return reply{}
	}
	k := b.keys
	start := closeWith(bulkRequestedMsg{action: b.action, targets: b.targets})
	switch {
	case key.Matches(km, k.Interrupt):
		return ask(quitRequestedMsg{})
	case key.Matches(km, k.Cancel):
		return b.cancelled()
	case b.action == bulkDelete && key.Matches(km, k.Confirm):
		if b.input.Value() != strconv.Itoa(len(b.targets)) {
			b.err = fmt.Sprintf("Type %d to delete, or esc to cancel", len(b.targets))
			return reply{}
		}
		return start
	case b.action == bulkDelete:
		b.err = ""
		var cmd tea.Cmd
		b.input, cmd = b.input.Update(km)
		return reply{cmd: cmd}
	case key.Matches(km, k.Next), key.Matches(km, k.Prev):
		b.focus = 1 - b.focus
	case key.Matches(km, k.Confirm) && b.focus == 0:
		return b.cancelled()
	case key.Matches(km, k.Confirm):
		return start
	}
	return reply{}
}

func (b *bulkConfirm) Keys() []key.Binding {
	k := b.keys
	if b.action == bulkDelete {
		k.Confirm.SetHelp("enter", "delete")
		return []key.Binding{k.Confirm, k.Cancel}
	}
	return []key.Binding{k.Next, k.Confirm, k.Cancel}
}

func (b *bulkConfirm) View(w, h int) string {
	n := len(b.targets)
	var items []string
	for i, c := range b.targets {
		if i == bulkPreview {
			items = append(items, b.styles.Muted.Render(fmt.Sprintf("… and %d more", n-bulkPreview)))
			break
		}
		items = append(items, "• "+credLabel(c.UserName, c.Service, c.ID))
	}
	d := box{
		title:    fmt.Sprintf("%s %s?", b.action.name(), plural(n, "credential")),
		sections: []section{{lines: items}},
		danger:   b.action != bulkActivate,
	}
	switch b.action {
	case bulkActivate:
		d.sections = append(d.sections, section{lines: b.noteLines()})
	case bulkDeactivate:
		d.sections = append(d.sections, section{lines: []string{b.styles.Warning.Render("Apps using them stop working until they are activated again.")}, drop: 1})
	case bulkDelete:
		d.sections = append(d.sections, section{lines: []string{b.styles.Warning.Render("This cannot be undone.")}, drop: 1})
		d.footer = []string{fmt.Sprintf("Type %d to delete: ", n) + b.input.View()}
		if b.err != "" {
			d.footer = append(d.footer, b.styles.Error.Render(b.err))
		}
		return b.render(d, w, h)
	}
	d.footer = []string{b.buttons([]string{"Cancel", b.action.name()}, b.focus, b.action != bulkActivate)}
	return b.render(d, w, h)
}

// secondThought heads the notes of n of the total targets, in agreement with
// its number.
func secondThought(n, total int) string {
	switch {
	case total == 1:
		return "It deserves a second thought:"
	case n == 1:
		return "1 of them deserves a second thought:"
	}
	return fmt.Sprintf("%d of them deserve a second thought:", n)
}

// noteLines are the notes under a heading, at most bulkPreview of them.
func (b *bulkConfirm) noteLines() []string {
	if len(b.notes) == 0 {
		return nil
	}
	lines := []string{b.styles.Warning.Render(secondThought(len(b.notes), len(b.targets)))}
	for i, n := range b.notes {
		if i == bulkPreview {
			lines = append(lines, b.styles.Muted.Render(fmt.Sprintf("… and %d more", len(b.notes)-bulkPreview)))
			break
		}
		lines = append(lines, b.styles.Warning.Render("• "+n))
	}
	return lines
}
