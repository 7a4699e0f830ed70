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

// exportPrompt asks where to write the rows' metadata (never a secret): a name
// that says which account and day, in the working directory, editable; the full
// path and the format show under it before anything is written. When the file
// exists it asks whether to replace it. It stays open until the write has
// answered: an error shows in it, success closes it.
type exportPrompt struct {
	*kit
	rows      []model.AuditRow // what the fleet showed when x was pressed
	meta      model.AuditMeta  // the report's head: account, time, age threshold, filter
	dir       string           // where a relative name goes
	input     textinput.Model
	overwrite bool // asking "overwrite? y/N" about path
	path      string
	writing   bool // a write is in flight
	err       string
}

func newExportPrompt(k *kit, rows []model.AuditRow, meta model.AuditMeta, dir string) *exportPrompt {
	ti := textinput.New()
	ti.Prompt = "› "
	ti.CharLimit = 1024
	ti.Cursor.SetMode(cursor.CursorStatic)
	name := model.AuditFileName(meta, model.FormatCSV)
	if dir != "" {
		name = filepath.Join(dir, name)
	}
	ti.SetValue(name)
	ti.CursorEnd()
	ti.Focus()
	return &exportPrompt{kit: k, rows: rows, meta: meta, dir: dir, input: ti}
}

func (p *exportPrompt) write(overwrite bool) reply {
	p.writing = true
	return ask(exportRequestedMsg{path: p.path, rows: p.rows, meta: p.meta, overwrite: overwrite})
}

func (p *exportPrompt) Update(msg tea.Msg) reply {
	switch msg := msg.(type) {
	case exportDoneMsg:
		return p.done(msg)
	case tea.KeyMsg:
		return p.key(msg)
	case tea.WindowSizeMsg: // a long path scrolls in one line of the box
		p.input.Width = max(1, p.inner(min(msg.Width, maxModalWidth))-3) // prompt and cursor
		p.input.SetCursor(p.input.Position())                            // scrolls to the cursor at the new width
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
	case key.Matches(msg, k.Confirm):
		if p.path = filePath(p.input.Value(), p.dir); p.path == "" {
			p.err = "Type a path"
			return reply{}
		}
		return p.write(false)
	}
	p.err = ""
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	if v := p.input.Value(); !model.IsSafeText(v) { // a pasted bidi control is echoed
		p.input.SetValue(model.SafeText(v))
	}
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
	return closeWith(statusMsg{levelOK, fmt.Sprintf("Exported %s to %s (mode 0600, no secrets)", plural(msg.rows, "row"), msg.path)})
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

// formatNames are the report formats as the prompt names them.
var formatNames = map[model.ExportFormat]string{
	model.FormatCSV: "CSV", model.FormatJSON: "JSON", model.FormatJSONL: "JSON Lines",
	model.FormatMarkdown: "Markdown", model.FormatTable: "a text table",
}

func (p *exportPrompt) View(w, h int) string {
	st := p.styles
	b := box{
		title: fmt.Sprintf("Export %s", plural(len(p.rows), "row")),
		sections: []section{
			{lines: []string{st.Muted.Render("Metadata only, never a secret; the file begins with the account, the time and the age threshold. " +
				".json writes JSON, .jsonl JSON Lines, .md Markdown, .txt a table, anything else CSV. Mode 0600.")}, drop: 1},
		},
		footer: []string{p.input.View()},
	}
	if path := filePath(p.input.Value(), p.dir); path != "" {
		b.footer = append(b.footer, st.Label.Render("Writes ")+st.Value.Render(formatNames[model.FormatForPath(path)])+
			st.Label.Render(" to ")+st.Value.Render(model.SafeText(path)))
	}
	if p.overwrite {
		b.footer = append(b.footer, st.Warning.Render(model.SafeText(p.path)+" exists. Overwrite? y/N"))
	}
	if p.err != "" {
		b.footer = append(b.footer, st.Error.Render("✗ "+p.err))
	}
	return p.render(b, w, h)
}
