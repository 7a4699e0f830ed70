package ui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
)

// expiryChoice is one lifetime an API key can be given; days 0 means never.
type expiryChoice struct {
	label  string
	days   int
	custom bool
}

func expiryChoices() []expiryChoice {
	return []expiryChoice{
		{label: "1 day", days: 1},
		{label: "5 days", days: 5},
		{label: "30 days", days: 30},
		{label: "90 days", days: 90},
		{label: "365 days", days: 365},
		{label: fmt.Sprintf("Custom (%d–%d days)", model.MinAgeDays, model.MaxAgeDays), custom: true},
		{label: "Never — not recommended", days: 0},
	}
}

// defaultExpiry is 30 days in expiryChoices.
const defaultExpiry = 2

// expiryPicker chooses an API key's lifetime from a list of choices, one of
// which opens an input for a number of days. The create form and the
// rotation's step 2 both use it.
type expiryPicker struct {
	choices []expiryChoice
	cur     int
	custom  textinput.Model
	typing  bool // the custom input has the keys
}

func newExpiryPicker(choices []expiryChoice, cur int) expiryPicker {
	ti := textinput.New()
	ti.Prompt = "days: "
	ti.Placeholder = fmt.Sprintf("%d–%d", model.MinAgeDays, model.MaxAgeDays)
	ti.CharLimit = 5
	ti.Width = 8
	ti.Cursor.SetMode(cursor.CursorStatic)
	return expiryPicker{choices: choices, cur: cur, custom: ti}
}

func (p *expiryPicker) choice() expiryChoice { return p.choices[p.cur] }

// key handles a key: up and down choose, enter picks the highlighted lifetime
// (the custom one opens the input; enter there reads it), esc leaves the
// input. picked reports a lifetime chosen; err, why the typed one is not.
func (p *expiryPicker) key(msg tea.KeyMsg, k KeyMap) (days int, picked bool, cmd tea.Cmd, err error) {
	if p.typing {
		return p.customKey(msg, k)
	}
	n := len(p.choices)
	switch {
	case key.Matches(msg, k.Up):
		p.cur = (p.cur + n - 1) % n
	case key.Matches(msg, k.Down):
		p.cur = (p.cur + 1) % n
	case key.Matches(msg, k.Confirm), key.Matches(msg, k.Next):
		if c := p.choice(); !c.custom {
			return c.days, true, nil, nil
		}
		p.typing = true
		return 0, false, p.custom.Focus(), nil
	}
	return 0, false, nil, nil
}

func (p *expiryPicker) customKey(msg tea.KeyMsg, k KeyMap) (int, bool, tea.Cmd, error) {
	switch {
	case key.Matches(msg, k.Cancel):
		p.typing = false
		p.custom.Blur()
	case key.Matches(msg, k.Confirm):
		days, err := parseDays(p.custom.Value())
		return days, err == nil, nil, err
	case msg.Type == tea.KeyRunes && !allDigits(msg.Runes):
		return 0, false, nil, model.Errorf(model.KindInvalid, "Digits only: a number of days")
	default:
		var cmd tea.Cmd
		p.custom, cmd = p.custom.Update(msg)
		return 0, false, cmd, nil
	}
	return 0, false, nil, nil
}

// lines draws the choices with choice (the caller's marker and style), the
// input while it has the keys, and a warning on never.
func (p *expiryPicker) lines(st Styles, choice func(active bool, label string) string) []string {
	lines := []string{st.Label.Render("Expires after")}
	for i, c := range p.choices {
		lines = append(lines, choice(i == p.cur, c.label))
	}
	if p.typing {
		lines = append(lines, "    "+p.custom.View())
	}
	return lines
}

// neverWarning is the line to show while never is highlighted, else "".
func (p *expiryPicker) neverWarning() string {
	if c := p.choice(); c.days == 0 && !c.custom {
		return "A key that never expires stays valid until someone deletes it. Prefer an expiry and rotate."
	}
	return ""
}

func allDigits(rs []rune) bool {
	for _, r := range rs {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// parseDays reads a custom lifetime: a whole number of days within IAM's bounds.
func parseDays(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < model.MinAgeDays {
		return 0, model.Errorf(model.KindInvalid, "Enter a whole number of days from %d to %d", model.MinAgeDays, model.MaxAgeDays)
	}
	if err := model.ValidateAgeDays(n); err != nil {
		return 0, err
	}
	return n, nil
}
