package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
)

type createStep int

const (
	stepService createStep = iota
	stepExpiry
	stepCustomDays
	stepConfirm
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

const defaultExpiry = 2 // 30 days

// createForm asks for the service, for API keys the expiry, then confirmation.
type createForm struct {
	user     string
	services []model.Service
	step     createStep
	service  int
	expiry   int
	custom   textinput.Model
	days     int    // the chosen lifetime, once known
	err      string // why the current step cannot go on
	// cancel: the confirm step's focus is on Cancel.
	cancel bool
}

func (m *Model) openCreateForm() tea.Cmd {
	u, ok := m.users.selected()
	if !ok {
		m.setStatus(levelInfo, "Select a user first")
		return nil
	}
	ti := textinput.New()
	ti.Prompt = "days: "
	ti.Placeholder = "1–36600"
	ti.CharLimit = 5
	ti.Width = 8
	ti.Cursor.SetMode(cursor.CursorStatic)
	f := &createForm{user: u.Name, services: model.Catalog(), expiry: defaultExpiry, custom: ti}
	for i, s := range f.services { // start on the first service with room
		if _, _, err := m.limitCheck(u.Name, s.Name); err == nil {
			f.service = i
			break
		}
	}
	m.openOverlay(f)
	return nil
}

func (f *createForm) svc() model.Service { return f.services[f.service] }

// limitCheck applies IAM's per-service limit to what is known of the user,
// counting creates still in flight; known is false when nothing is loaded yet.
func (m *Model) limitCheck(user, service string) (held int, known bool, err error) {
	creds, known := m.cache[user]
	held = model.CountByService(creds)[service]
	for _, p := range m.pending {
		if p.kind == opCreate && p.user == user && p.service == service {
			held++
		}
	}
	if held >= model.MaxPerService {
		return held, known, model.LimitError(user, service)
	}
	return held, known, nil
}

func (m *Model) createFormKey(f *createForm, msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	if key.Matches(msg, k.Interrupt) {
		return m.requestQuit()
	}
	f.err = ""
	switch f.step {
	case stepService:
		switch {
		case key.Matches(msg, k.Cancel):
			return m.closeOverlay()
		case key.Matches(msg, k.Up):
			f.service = (f.service + len(f.services) - 1) % len(f.services)
		case key.Matches(msg, k.Down):
			f.service = (f.service + 1) % len(f.services)
		case key.Matches(msg, k.Confirm), key.Matches(msg, k.Next):
			if _, _, err := m.limitCheck(f.user, f.svc().Name); err != nil {
				f.err = err.Error()
				return nil
			}
			if f.svc().SupportsExpiry() {
				f.step = stepExpiry
			} else {
				f.days, f.step = 0, stepConfirm
			}
		}
	case stepExpiry:
		choices := expiryChoices()
		switch {
		case key.Matches(msg, k.Cancel), key.Matches(msg, k.Prev):
			f.step = stepService
		case key.Matches(msg, k.Up):
			f.expiry = (f.expiry + len(choices) - 1) % len(choices)
		case key.Matches(msg, k.Down):
			f.expiry = (f.expiry + 1) % len(choices)
		case key.Matches(msg, k.Confirm), key.Matches(msg, k.Next):
			c := choices[f.expiry]
			if c.custom {
				f.step = stepCustomDays
				return f.custom.Focus()
			}
			f.days, f.step = c.days, stepConfirm
		}
	case stepCustomDays:
		switch {
		case key.Matches(msg, k.Cancel):
			f.custom.Blur()
			f.step = stepExpiry
		case key.Matches(msg, k.Confirm):
			days, err := parseDays(f.custom.Value())
			if err != nil {
				f.err = err.Error()
				return nil
			}
			f.custom.Blur()
			f.days, f.step = days, stepConfirm
		default:
			if msg.Type == tea.KeyRunes && !allDigits(msg.Runes) {
				f.err = "Digits only: a number of days"
				return nil
			}
			var cmd tea.Cmd
			f.custom, cmd = f.custom.Update(msg)
			return cmd
		}
	case stepConfirm:
		switch {
		case key.Matches(msg, k.Cancel):
			f.cancel = false
			f.step = f.stepBeforeConfirm()
		case key.Matches(msg, k.Next), key.Matches(msg, k.Prev):
			f.cancel = !f.cancel
		case key.Matches(msg, k.Confirm):
			if f.cancel {
				m.setStatus(levelInfo, "Nothing created")
				return m.closeOverlay()
			}
			user, service, days := f.user, f.svc().Name, f.days
			cmd := m.closeOverlay()
			return tea.Batch(cmd, m.startCreate(user, service, days))
		}
	}
	return nil
}

func (f *createForm) stepBeforeConfirm() createStep {
	switch {
	case !f.svc().SupportsExpiry():
		return stepService
	case expiryChoices()[f.expiry].custom:
		return stepCustomDays
	}
	return stepExpiry
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

func (f *createForm) keys(k KeyMap) []key.Binding {
	switch f.step {
	case stepService, stepExpiry:
		k.Confirm.SetHelp("enter", "next")
		back := k.Cancel
		if f.step == stepExpiry {
			back.SetHelp("esc", "back")
		}
		return []key.Binding{k.Choose, k.Confirm, back}
	case stepCustomDays:
		k.Confirm.SetHelp("enter", "next")
		k.Cancel.SetHelp("esc", "back")
		return []key.Binding{k.Confirm, k.Cancel}
	}
	k.Next.SetHelp("tab/←/→", "Cancel/Create")
	k.Cancel.SetHelp("esc", "back")
	return []key.Binding{k.Next, k.Confirm, k.Cancel}
}

// expiryText describes a lifetime for the summary.
func (m *Model) expiryText(days int) string {
	if days == 0 {
		return "never (not recommended)"
	}
	until := m.now().AddDate(0, 0, days)
	return fmt.Sprintf("in %s (%s)", plural(days, "day"), until.In(m.now().Location()).Format(time.DateOnly))
}

func (m *Model) createFormView(f *createForm, w, h int) string {
	st := m.styles
	d := dialog{title: "New credential for " + f.user}
	const lw = 9
	inner := m.modalInner(w)
	// Narrow dialogs get short service names and counts, so that a choice stays
	// on one line.
	compact := inner < 56
	name := func(s model.Service) string {
		if !compact {
			return s.Display
		}
		if s.Kind == model.KindAPIKey {
			return s.Short + " API key"
		}
		return s.Short
	}
	labelW := 0
	for _, s := range f.services {
		labelW = max(labelW, len(name(s)))
	}
	choice := func(active bool, label, note string) string {
		marker, style := "  ", st.Choice
		if active {
			marker, style = markerFocused+" ", st.ChoiceActive
		}
		if note == "" {
			return style.Render(marker + label)
		}
		return style.Render(marker+padRight(label, labelW)) + "  " + st.Muted.Render(note)
	}
	switch f.step {
	case stepService:
		lines := []string{st.Label.Render("Service")}
		for i, s := range f.services {
			held, known, err := m.limitCheck(f.user, s.Name)
			note := ""
			switch {
			case err != nil && compact:
				note = fmt.Sprintf("%d/%d full", held, model.MaxPerService)
			case err != nil:
				note = fmt.Sprintf("%d of %d · limit reached", held, model.MaxPerService)
			case known && compact:
				note = fmt.Sprintf("%d/%d", held, model.MaxPerService)
			case known:
				note = fmt.Sprintf("%d of %d", held, model.MaxPerService)
			}
			lines = append(lines, choice(i == f.service, name(s), note))
		}
		d.sections = append(d.sections, section{lines: lines})
		if _, known := m.cache[f.user]; !known {
			d.sections = append(d.sections, section{lines: []string{st.Muted.Render("Credentials not loaded yet: IAM will enforce its limit of 2 per service.")}, drop: 1})
		}
	case stepExpiry, stepCustomDays:
		d.sections = append(d.sections, section{lines: m.fieldLines("Service", f.svc().Display, lw, inner), drop: 1})
		lines := []string{st.Label.Render("Expires after")}
		for i, c := range expiryChoices() {
			lines = append(lines, choice(i == f.expiry, c.label, ""))
		}
		if f.step == stepCustomDays {
			lines = append(lines, "    "+f.custom.View())
		}
		d.sections = append(d.sections, section{lines: lines})
		if expiryChoices()[f.expiry].days == 0 && !expiryChoices()[f.expiry].custom {
			d.sections = append(d.sections, section{lines: []string{st.Warning.Render("A key that never expires stays valid until someone deletes it. Prefer an expiry and rotate.")}})
		}
	case stepConfirm:
		s := f.svc()
		lines := append(m.fieldLines("IAM user", f.user, lw, inner), m.fieldLines("Service", s.Display, lw, inner)...)
		if s.SupportsExpiry() {
			lines = append(lines, m.fieldLines("Expires", m.expiryText(f.days), lw, inner)...)
		}
		d.sections = append(d.sections, section{lines: lines},
			section{lines: []string{st.Muted.Render(fmt.Sprintf("The %s is shown once, right after it is created.", s.SecretLabel()))}, drop: 1})
		focused := 1
		if f.cancel {
			focused = 0
		}
		d.footer = []string{m.buttons([]string{"Cancel", "Create"}, focused, false)}
	}
	if f.err != "" {
		d.sections = append(d.sections, section{lines: []string{st.Error.Render("✗ " + f.err)}})
	}
	return m.render(d, w, h)
}
