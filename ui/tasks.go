package ui

import (
	"fmt"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
)

// The calls in flight, for the status bar's label and the spinner.

// task is one call in flight. A label shows in the status bar; quiet tasks
// (background refreshes) show nothing.
type task struct {
	label   string
	started time.Time
}

func (m *Model) startTask(label string) int {
	m.nextTask++
	m.tasks[m.nextTask] = task{label: model.SafeText(label), started: m.now()}
	return m.nextTask
}

func (m *Model) endTask(id int) { delete(m.tasks, id) }

// busyLabel is the newest labelled task, "" when none, with the time it has
// been running once that is long enough to matter (IAM retrying, throttling).
func (m *Model) busyLabel() (string, int) {
	best, n := -1, 0
	var cur task
	for id, t := range m.tasks {
		if t.label == "" {
			continue
		}
		n++
		if id > best {
			best, cur = id, t
		}
	}
	if since := m.now().Sub(cur.started); n > 0 && since >= 3*time.Second {
		return fmt.Sprintf("%s %ds", cur.label, int(since.Seconds())), n
	}
	return cur.label, n
}

// startSpinner starts the tick loop if something visible is running.
func (m *Model) startSpinner() tea.Cmd {
	if m.ticking || !m.needsSpinner() {
		return nil
	}
	m.ticking = true
	return m.spin.Tick
}

func (m *Model) needsSpinner() bool {
	if m.writes.any() {
		return true
	}
	label, _ := m.busyLabel()
	return label != ""
}

func (m *Model) tick(msg spinner.TickMsg) tea.Cmd {
	if !m.needsSpinner() {
		m.ticking = false
		return nil
	}
	var cmd tea.Cmd
	m.spin, cmd = m.spin.Update(msg) // the main screen's sync redraws the spinners on the rows
	return cmd
}
