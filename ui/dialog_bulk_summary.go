package ui

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// bulkSummary lists what a finished bulk action did and what failed, and why.
type bulkSummary struct {
	*kit
	action     bulkAction
	ok, failed []string // one line per target, sorted
}

func newBulkSummary(k *kit, run *bulkRun) *bulkSummary {
	return &bulkSummary{kit: k, action: run.action, ok: run.ok, failed: run.failed}
}

func (s *bulkSummary) Update(msg tea.Msg) reply {
	km, isKey := msg.(tea.KeyMsg)
	switch {
	case !isKey:
	case key.Matches(km, s.keys.Interrupt):
		return ask(quitRequestedMsg{})
	case key.Matches(km, s.keys.Close):
		return closeWith(nil)
	}
	return reply{}
}

func (s *bulkSummary) Keys() []key.Binding { return []key.Binding{s.keys.Close} }

func (s *bulkSummary) View(w, h int) string {
	var okLines, failLines []string
	for _, l := range s.ok {
		okLines = append(okLines, s.styles.StatusOK.Render("✓ ")+l)
	}
	for _, l := range s.failed {
		failLines = append(failLines, s.styles.Error.Render("✗ ")+l)
	}
	head := fmt.Sprintf("%d succeeded, %d failed", len(s.ok), len(s.failed))
	return s.render(box{
		title:    s.action.name() + ": " + head,
		sections: []section{{lines: failLines}, {lines: okLines, drop: 1}},
		footer:   []string{s.styles.Muted.Render("enter/esc close")},
		danger:   len(s.failed) > 0,
	}, w, h)
}
