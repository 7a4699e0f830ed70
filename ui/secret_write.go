package ui

import (
	"errors"
	"io"
	"io/fs"

	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/internal/safefile"
	"iamcreds/model"
)

// secretWrittenMsg is the outcome of the secret modal's w; the modal that
// asked (secretID) takes it too.
type secretWrittenMsg struct {
	task     int
	secretID int
	what     string
	path     string
	err      error
}

// writeSecretFile writes a secret's record to a new file in a command.
func (m *Model) writeSecretFile(r secretFileRequestedMsg) tea.Cmd {
	task := m.startTask("writing the " + r.what + "…")
	return func() tea.Msg {
		write := func(w io.Writer) error { return model.WriteSecretCSV(w, r.secret) }
		return secretWrittenMsg{task: task, secretID: r.secretID, what: r.what, path: r.path, err: safefile.Create(r.path, write)}
	}
}

// onSecretWritten says where the secret went, or why not; the modal keeps the
// file name input open after a failure.
func (m *Model) onSecretWritten(msg secretWrittenMsg) tea.Cmd {
	m.endTask(msg.task)
	switch {
	case errors.Is(msg.err, fs.ErrExist):
		m.setStatus(levelWarn, msg.path+" exists: not overwritten")
	case msg.err != nil:
		m.setError("Could not write the "+msg.what, msg.err)
	default:
		m.setStatus(levelOK, capitalize(msg.what)+" written to "+msg.path+" (mode 0600)")
	}
	return nil
}
