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

// roomFunc says how many credentials of a service count against IAM's limit for
// the form's user (held and in flight), whether they are known, and the limit
// error when none is left: model.CheckCanCreate applied to what the root knows.
type roomFunc func(service string) (held int, known bool, err error)

// createForm asks for the service, for API keys the expiry, then confirmation.
type createForm struct {
	*kit
	user     string
	room     roomFunc
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

func newCreateForm(k *kit, user string, room roomFunc) *createForm {
	ti := textinput.New()
	ti.Prompt = "days: "
	ti.Placeholder = "1–36600"
	ti.CharLimit = 5
	ti.Width = 8
	ti.Cursor.SetMode(cursor.CursorStatic)
	f := &createForm{kit: k, user: user, room: room, services: model.Catalog(), expiry: defaultExpiry, custom: ti}
	for i, s := range f.services { // start on the first service with room
		if _, _, err := room(s.Name); err == nil {
			f.service = i
			break
		}
	}
	return f
}

func (f *createForm) svc() model.Service { return f.services[f.service] }

func (f *createForm) Update(msg tea.Msg) reply {
	km, isKey := msg.(tea.KeyMsg)
	if !isKey {
		return reply{}
	}
	if key.Matches(km, f.keys.Interrupt) {
		return ask(quitRequestedMsg{})
	}
	f.err = ""
	switch f.step {
	case stepService:
		return f.serviceKey(km)
	case stepExpiry:
		return f.expiryKey(km)
	case stepCustomDays:
		return f.customKey(km)
	}
	return f.confirmKey(km)
}

func (f *createForm) serviceKey(msg tea.KeyMsg) reply {
	k := f.keys
	switch {
	case key.Matches(msg, k.Cancel):
		return closeWith(nil)
	case key.Matches(msg, k.Up):
		f.service = (f.service + len(f.services) - 1) % len(f.services)
	case key.Matches(msg, k.Down):
		f.service = (f.service + 1) % len(f.services)
	case key.Matches(msg, k.Confirm), key.Matches(msg, k.Next):
		if _, _, err := f.room(f.svc().Name); err != nil {
			f.err = err.Error()
			return reply{}
		}
		if f.svc().SupportsExpiry() {
			f.step = stepExpiry
		} else {
			f.days, f.step = 0, stepConfirm
		}
	}
	return reply{}
}

func (f *createForm) expiryKey(msg tea.KeyMsg) reply {
	k := f.keys
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
			return reply{cmd: f.custom.Focus()}
		}
		f.days, f.step = c.days, stepConfirm
	}
	return reply{}
}

func (f *createForm) customKey(msg tea.KeyMsg) reply {
	k := f.keys
	switch {
	case key.Matches(msg, k.Cancel):
		f.custom.Blur()
		f.step = stepExpiry
	case key.Matches(msg, k.Confirm):
		days, err := parseDays(f.custom.Value())
		if err != nil {
			f.err = err.Error()
			return reply{}
		}
		f.custom.Blur()
		f.days, f.step = days, stepConfirm
	case msg.Type == tea.KeyRunes && !allDigits(msg.Runes):
		f.err = "Digits only: a number of days"
	default:
		var cmd tea.Cmd
		f.custom, cmd = f.custom.Update(msg)
		return reply{cmd: cmd}
	}
	return reply{}
}

func (f *createForm) confirmKey(msg tea.KeyMsg) reply {
	k := f.keys
	switch {
	case key.Matches(msg, k.Cancel):
		f.cancel = false
		f.step = f.stepBeforeConfirm()
	case key.Matches(msg, k.Next), key.Matches(msg, k.Prev):
		f.cancel = !f.cancel
	case key.Matches(msg, k.Confirm) && f.cancel:
		return closeWith(statusMsg{levelInfo, "Nothing created"})
	case key.Matches(msg, k.Confirm):
		return closeWith(createRequestedMsg{user: f.user, service: f.svc().Name, ageDays: f.days})
	}
	return reply{}
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

func (f *createForm) Keys() []key.Binding {
	k := f.keys
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
func (f *createForm) expiryText(days int) string {
	if days == 0 {
		return "never (not recommended)"
	}
	now := f.now()
	until := model.ExpiresAfter(now, days)
	return fmt.Sprintf("in %s (%s)", plural(days, "day"), model.FormatDate(until, now.Location()))
}

func (f *createForm) View(w, h int) string {
	st := f.styles
	b := box{title: "New credential for " + f.user}
	const lw = 9
	inner := f.inner(w)
	// Narrow boxes get short service names and counts, so that a choice stays
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
		known := false
		for i, s := range f.services {
			held, ok, err := f.room(s.Name)
			known = ok
			note := ""
			switch {
			case err != nil && compact:
				note = fmt.Sprintf("%d/%d full", held, model.MaxPerService)
			case err != nil:
				note = fmt.Sprintf("%d of %d · limit reached", held, model.MaxPerService)
			case ok && compact:
				note = fmt.Sprintf("%d/%d", held, model.MaxPerService)
			case ok:
				note = fmt.Sprintf("%d of %d", held, model.MaxPerService)
			}
			lines = append(lines, choice(i == f.service, name(s), note))
		}
		b.sections = append(b.sections, section{lines: lines})
		if !known {
			b.sections = append(b.sections, section{lines: []string{st.Muted.Render("Credentials not loaded yet: IAM will enforce its limit of 2 per service.")}, drop: 1})
		}
	case stepExpiry, stepCustomDays:
		b.sections = append(b.sections, section{lines: f.fieldLines("Service", f.svc().Display, lw, inner), drop: 1})
		lines := []string{st.Label.Render("Expires after")}
		for i, c := range expiryChoices() {
			lines = append(lines, choice(i == f.expiry, c.label, ""))
		}
		if f.step == stepCustomDays {
			lines = append(lines, "    "+f.custom.View())
		}
		b.sections = append(b.sections, section{lines: lines})
		if c := expiryChoices()[f.expiry]; c.days == 0 && !c.custom {
			b.sections = append(b.sections, section{lines: []string{st.Warning.Render("A key that never expires stays valid until someone deletes it. Prefer an expiry and rotate.")}})
		}
	case stepConfirm:
		s := f.svc()
		lines := append(f.fieldLines("IAM user", f.user, lw, inner), f.fieldLines("Service", s.Display, lw, inner)...)
		if s.SupportsExpiry() {
			lines = append(lines, f.fieldLines("Expires", f.expiryText(f.days), lw, inner)...)
		}
		b.sections = append(b.sections, section{lines: lines},
			section{lines: []string{st.Muted.Render(fmt.Sprintf("The %s is shown once, right after it is created.", s.SecretLabel()))}, drop: 1})
		focused := 1
		if f.cancel {
			focused = 0
		}
		b.footer = []string{f.buttons([]string{"Cancel", "Create"}, focused, false)}
	}
	if f.err != "" {
		b.sections = append(b.sections, section{lines: []string{st.Error.Render("✗ " + f.err)}})
	}
	return f.render(b, w, h)
}
