package ui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// fleetModel is the fleet view with 10,000 credentials at 120x36.
func fleetModel(b *testing.B) *Model {
	m := loadedModel(b, bigInventory(5000))
	m.Update(keyMsg("a"))
	_ = m.View()
	if len(m.fleet.visible) != 10000 {
		b.Fatalf("%d rows", len(m.fleet.visible))
	}
	m.fleet.table.SetCursor(5000)
	return m
}

// BenchmarkFleetCursorMove: a move and its frame in the middle of 10,000 rows.
func BenchmarkFleetCursorMove(b *testing.B) {
	m := fleetModel(b)
	down, up := tea.KeyMsg{Type: tea.KeyDown}, tea.KeyMsg{Type: tea.KeyUp}
	timed(b, func(i int) {
		k := down
		if (i/200)%2 == 1 {
			k = up
		}
		m.Update(k)
		_ = m.View()
	})
}

// BenchmarkFleetSortKeystroke: s (the next sort) and its frame.
func BenchmarkFleetSortKeystroke(b *testing.B) {
	m := fleetModel(b)
	timed(b, func(int) {
		m.Update(keyMsg("s"))
		_ = m.View()
	})
}

// BenchmarkFleetFilterKeystroke: typing into the fleet's text filter.
func BenchmarkFleetFilterKeystroke(b *testing.B) {
	m := fleetModel(b)
	m.Update(keyMsg("/"))
	keys := []tea.KeyMsg{keyMsg("1"), keyMsg("2"), {Type: tea.KeyBackspace}, {Type: tea.KeyBackspace}}
	timed(b, func(i int) {
		m.Update(keys[i%len(keys)])
		_ = m.View()
	})
}
