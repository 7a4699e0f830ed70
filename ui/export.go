package ui

import (
	"io"
	"time"

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

func (m *Model) startExport(r exportRequestedMsg) tea.Cmd {
	if r.meta != nil {
		return exportReportCmd(m.startTask("exporting…"), r.path, r.rows, *r.meta, r.overwrite)
	}
	return exportCmd(m.startTask("exporting…"), r.path, r.rows, m.now(), r.overwrite)
}

// exportReportCmd is exportCmd of a report with its metadata.
func exportReportCmd(task int, path string, rows []model.AuditRow, meta model.AuditMeta, overwrite bool) tea.Cmd {
	return func() tea.Msg {
		write := func(w io.Writer) error { return model.WriteAuditReport(w, rows, model.FormatForPath(path), meta) }
		save := safefile.Create
		if overwrite {
			save = safefile.Replace
		}
		return exportDoneMsg{task: task, path: path, rows: len(rows), err: save(path, write)}
	}
}

// exportCmd writes the rows, in the format the path's extension names, to a 0600
// file. Unless overwrite is set it never replaces a file (an fs.ErrExist error
// becomes a question).
func exportCmd(task int, path string, rows []model.AuditRow, now time.Time, overwrite bool) tea.Cmd {
	return func() tea.Msg {
		write := func(w io.Writer) error { return model.WriteAudit(w, rows, now, model.FormatForPath(path)) }
		save := safefile.Create
		if overwrite {
			save = safefile.Replace
		}
		return exportDoneMsg{task: task, path: path, rows: len(rows), err: save(path, write)}
	}
}
