package ui

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// bulkSummary lists what a finished bulk action did and what failed, and why;
// and whose reply was lost: done all the same by IAM's listing, or unknown.
type bulkSummary struct {
	*kit
	action     bulkAction
	ok, failed []string // one line per target, sorted
	unknown    []string // reply lost, outcome not confirmed
	lost       map[string]bool
}

func newBulkSummary(k *kit, run *bulkRun) *bulkSummary {
	s := &bulkSummary{kit: k, action: run.action, ok: run.ok, failed: run.failed, unknown: run.unknown, lost: map[string]bool{}}
	for _, l := range run.lost {
		s.lost[l] = true
	}
	return s
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
	var okLines, failLines, unknownLines []string
	for _, l := range s.ok {
		if s.lost[l] {
			l += " — its reply was lost; IAM's listing shows it done"
		}
		okLines = append(okLines, s.styles.StatusOK.Render("✓ ")+l)
	}
	for _, l := range s.failed {
		failLines = append(failLines, s.styles.Error.Render("✗ ")+l)
	}
	for _, l := range s.unknown {
		unknownLines = append(unknownLines, s.styles.Warning.Render("? ")+l)
	}
	head := fmt.Sprintf("%d succeeded", len(s.ok))
	if len(s.lost) > 0 {
		head += fmt.Sprintf(" (%d after a lost reply)", len(s.lost))
	}
	head += fmt.Sprintf(", %d failed", len(s.failed))
	if len(s.unknown) > 0 {
		head += fmt.Sprintf(", %d unknown", len(s.unknown))
	}
	return s.render(box{
		title:    s.action.name() + ": " + head,
		sections: []section{{lines: failLines}, {lines: unknownLines}, {lines: okLines, drop: 1}},
		footer:   []string{s.styles.Muted.Render("enter/esc close")},
		danger:   len(s.failed)+len(s.unknown) > 0,
	}, w, h)
}
