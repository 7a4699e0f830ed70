package ui

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/internal/safefile"
	"iamcreds/model"
)

// exportPrompt asks where to write the visible rows' metadata (never a secret),
// then, when the file exists, whether to overwrite it.
type exportPrompt struct {
	input     textinput.Model
	overwrite bool // asking "overwrite? y/N" about input's path
	err       string
}

func (m *Model) openExportPrompt() tea.Cmd {
	ti := textinput.New()
	ti.Prompt = "› "
	ti.CharLimit = 1024
	ti.Cursor.SetMode(cursor.CursorStatic)
	ti.SetValue(model.DefaultExportName(m.now()))
	ti.CursorEnd()
	p := &exportPrompt{input: ti}
	m.openOverlay(p)
	return p.input.Focus()
}

type exportedMsg struct {
	path      string
	rows      int
	overwrite bool
	err       error
}

// exportCmd writes a copy of the rows, in the format the path's extension names,
// to a 0600 file: the view may change while it runs. Unless overwrite is set it
// never replaces a file (an fs.ErrExist error becomes a question).
func exportCmd(path string, rows []model.AuditRow, now time.Time, overwrite bool) tea.Cmd {
	rows = append([]model.AuditRow(nil), rows...)
	return func() tea.Msg {
		write := func(w io.Writer) error { return model.WriteAudit(w, rows, now, model.FormatForPath(path)) }
		save := safefile.Create
		if overwrite {
			save = safefile.Replace
		}
		err := save(path, write)
		return exportedMsg{path: path, rows: len(rows), overwrite: overwrite, err: err}
	}
}

func (m *Model) exportPromptKey(p *exportPrompt, msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Interrupt):
		return m.requestQuit()
	case p.overwrite && key.Matches(msg, k.Yes):
		return tea.Batch(m.closeOverlay(), m.startExport(p.input.Value(), true))
	case p.overwrite && key.Matches(msg, k.No):
		p.overwrite = false
		p.err = "Not overwritten: choose another path"
		return nil
	case p.overwrite:
		return nil
	case key.Matches(msg, k.Cancel):
		m.setStatus(levelInfo, "Export cancelled")
		return m.closeOverlay()
	case key.Matches(msg, k.Confirm):
		if p.input.Value() == "" {
			p.err = "Type a path"
			return nil
		}
		return m.startExport(p.input.Value(), false)
	}
	p.err = ""
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	return cmd
}

func (m *Model) startExport(path string, overwrite bool) tea.Cmd {
	id := m.startTask("exporting…")
	cmd := exportCmd(path, m.fleet.visible, m.now(), overwrite)
	return func() tea.Msg {
		msg := cmd().(exportedMsg)
		return exportDoneMsg{task: id, exportedMsg: msg}
	}
}

type exportDoneMsg struct {
	task int
	exportedMsg
}

func (m *Model) onExported(msg exportDoneMsg) tea.Cmd {
	m.endTask(msg.task)
	if errors.Is(msg.err, fs.ErrExist) {
		if p, ok := m.overlay.(*exportPrompt); ok {
			p.overwrite = true
			return nil
		}
	}
	if msg.err != nil {
		if p, ok := m.overlay.(*exportPrompt); ok {
			p.err = errorText(msg.err)
			return nil
		}
		m.setError("Could not export", msg.err)
		return nil
	}
	if _, ok := m.overlay.(*exportPrompt); ok {
		m.closeOverlay()
	}
	where := msg.path
	if abs, err := filepath.Abs(msg.path); err == nil {
		where = abs
	}
	m.setStatus(levelOK, fmt.Sprintf("Exported %s to %s (mode 0600, no secrets)", plural(msg.rows, "row"), where))
	return nil
}

func (p *exportPrompt) keys(k KeyMap) []key.Binding {
	if p.overwrite {
		k.No.SetHelp("n/enter", "no")
		return []key.Binding{k.Yes, k.No}
	}
	k.Confirm.SetHelp("enter", "export")
	return []key.Binding{k.Confirm, k.Cancel}
}

func (m *Model) exportPromptView(p *exportPrompt, w, h int) string {
	d := dialog{
		title: fmt.Sprintf("Export %s", plural(len(m.fleet.visible), "row")),
		sections: []section{{lines: []string{
			m.styles.Muted.Render("Metadata only, never a secret. .json writes JSON, anything else CSV. Mode 0600."),
		}}},
	}
	d.footer = []string{p.input.View()}
	if p.overwrite {
		d.footer = append(d.footer, m.styles.Warning.Render(p.input.Value()+" exists. Overwrite? y/N"))
	}
	if p.err != "" {
		d.footer = append(d.footer, m.styles.Error.Render(p.err))
	}
	return m.render(d, w, h)
}
