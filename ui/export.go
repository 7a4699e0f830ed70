package ui

import (
	"io"

	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/internal/safefile"
	"iamcreds/model"
)

// exportDoneMsg is the outcome of writing an export; the export prompt, which
// asked, takes it.
type exportDoneMsg struct {
	task int
	path string
	rows int
	err  error
}

// auditMeta heads a report of the rows filter selects, made now.
func (m *Model) auditMeta(filter model.AuditFilter) model.AuditMeta {
	meta := model.AuditMeta{GeneratedAt: m.now(), MaxAge: m.maxAge, Filter: filter}
	if m.identityOK {
		meta.Account = m.identity.Account
	}
	return meta
}

func (m *Model) startExport(r exportRequestedMsg) tea.Cmd {
	return exportCmd(m.startTask("exporting…"), r.path, r.rows, r.meta, r.overwrite)
}

// exportCmd writes the rows, headed by meta, in the format the path's extension
// names, to a 0600 file. Unless overwrite is set it never replaces a file (an
// fs.ErrExist error becomes a question).
func exportCmd(task int, path string, rows []model.AuditRow, meta model.AuditMeta, overwrite bool) tea.Cmd {
	return func() tea.Msg {
		write := func(w io.Writer) error { return model.WriteAuditReport(w, rows, model.FormatForPath(path), meta) }
		save := safefile.Create
		if overwrite {
			save = safefile.Replace
		}
		return exportDoneMsg{task: task, path: path, rows: len(rows), err: save(path, write)}
	}
}
