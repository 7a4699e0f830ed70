package ui

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
)

// exportPrompt asks where to write the rows' metadata (never a secret), then,
// when the file exists, whether to replace it. It stays open until the write
// has answered: an error shows in it, success closes it.
type exportPrompt struct {
	*kit
	rows      []model.AuditRow // what the fleet showed when x was pressed
	meta      *model.AuditMeta // the report's metadata, when the screen knows it
	input     textinput.Model
	overwrite bool // asking "overwrite? y/N" about input's path
	writing   bool // a write is in flight
	err       string
}

func newExportPrompt(k *kit, rows []model.AuditRow) *exportPrompt {
	ti := textinput.New()
	ti.Prompt = "› "
	ti.CharLimit = 1024
	ti.Cursor.SetMode(cursor.CursorStatic)
	ti.SetValue(model.DefaultExportName(k.now()))
	ti.CursorEnd()
	ti.Focus()
	return &exportPrompt{kit: k, rows: rows, input: ti}
}

func (p *exportPrompt) write(overwrite bool) reply {
	p.writing = true
	return ask(exportRequestedMsg{path: p.input.Value(), rows: p.rows, overwrite: overwrite, meta: p.meta})
}

func (p *exportPrompt) Update(msg tea.Msg) reply {
	switch msg := msg.(type) {
	case exportDoneMsg:
		return p.done(msg)
	case tea.KeyMsg:
		return p.key(msg)
	}
	return reply{}
}

func (p *exportPrompt) key(msg tea.KeyMsg) reply {
	k := p.keys
	switch {
	case key.Matches(msg, k.Interrupt):
		return ask(quitRequestedMsg{})
	case p.writing:
		return reply{} // a few milliseconds: the answer decides what comes next
	case p.overwrite && key.Matches(msg, k.Yes):
		p.overwrite = false
		return p.write(true)
	case p.overwrite && key.Matches(msg, k.No):
		p.overwrite = false
		p.err = "Not overwritten: choose another path"
		return reply{}
	case p.overwrite:
		return reply{}
	case key.Matches(msg, k.Cancel):
		return closeWith(statusMsg{levelInfo, "Export cancelled"})
	case key.Matches(msg, k.Confirm) && p.input.Value() == "":
		p.err = "Type a path"
		return reply{}
	case key.Matches(msg, k.Confirm):
		return p.write(false)
	}
	p.err = ""
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	return reply{cmd: cmd}
}

// done takes the write's answer: an existing file becomes a question, an error
// shows here, success closes the prompt.
func (p *exportPrompt) done(msg exportDoneMsg) reply {
	if !p.writing {
		return reply{}
	}
	p.writing = false
	switch {
	case errors.Is(msg.err, fs.ErrExist):
		p.overwrite = true
		return reply{}
	case msg.err != nil:
		p.err = errorText(msg.err)
		return reply{}
	}
	where := msg.path
	if abs, err := filepath.Abs(msg.path); err == nil {
		where = abs
	}
	return closeWith(statusMsg{levelOK, fmt.Sprintf("Exported %s to %s (mode 0600, no secrets)", plural(msg.rows, "row"), where)})
}

func (p *exportPrompt) Keys() []key.Binding {
	k := p.keys
	if p.overwrite {
		k.No.SetHelp("n/enter", "no")
		return []key.Binding{k.Yes, k.No}
	}
	k.Confirm.SetHelp("enter", "export")
	return []key.Binding{k.Confirm, k.Cancel}
}

func (p *exportPrompt) View(w, h int) string {
	b := box{
		title: fmt.Sprintf("Export %s", plural(len(p.rows), "row")),
		sections: []section{{lines: []string{
			p.styles.Muted.Render("Metadata only, never a secret. .json writes JSON, anything else CSV. Mode 0600."),
		}}},
		footer: []string{p.input.View()},
	}
	if p.overwrite {
		b.footer = append(b.footer, p.styles.Warning.Render(p.input.Value()+" exists. Overwrite? y/N"))
	}
	if p.err != "" {
		b.footer = append(b.footer, p.styles.Error.Render(p.err))
	}
	return p.render(b, w, h)
}
