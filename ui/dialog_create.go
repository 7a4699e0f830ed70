package ui

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
)

type createStep int

const (
	stepService createStep = iota
	stepExpiry             // the picker, its custom input included
	stepConfirm
)

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
	expiry   expiryPicker
	days     int    // the chosen lifetime, once known
	err      string // why the current step cannot go on
	// cancel: the confirm step's focus is on Cancel.
	cancel bool
}

func newCreateForm(k *kit, user string, room roomFunc) *createForm {
	f := &createForm{kit: k, user: user, room: room, services: model.Catalog(), expiry: newExpiryPicker(expiryChoices(), defaultExpiry)}
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
	if !f.expiry.typing && (key.Matches(msg, k.Cancel) || key.Matches(msg, k.Prev)) {
		f.step = stepService
		return reply{}
	}
	days, picked, cmd, err := f.expiry.key(msg, k)
	switch {
	case err != nil:
		f.err = err.Error()
	case picked:
		f.days, f.step = days, stepConfirm
	}
	return reply{cmd: cmd}
}

func (f *createForm) confirmKey(msg tea.KeyMsg) reply {
	k := f.keys
	switch {
	case key.Matches(msg, k.Cancel):
		f.cancel = false
		f.step = stepService
		if f.svc().SupportsExpiry() {
			f.step = stepExpiry // the custom input, if that was the choice, still has the keys
		}
	case key.Matches(msg, k.Next), key.Matches(msg, k.Prev):
		f.cancel = !f.cancel
	case key.Matches(msg, k.Confirm) && f.cancel:
		return closeWith(statusMsg{levelInfo, "Nothing created"})
	case key.Matches(msg, k.Confirm):
		return closeWith(createRequestedMsg{user: f.user, service: f.svc().Name, ageDays: f.days})
	}
	return reply{}
}

func (f *createForm) Keys() []key.Binding {
	k := f.keys
	switch {
	case f.step == stepExpiry && f.expiry.typing:
		k.Confirm.SetHelp("enter", "next")
		k.Cancel.SetHelp("esc", "back")
		return []key.Binding{k.Confirm, k.Cancel}
	case f.step == stepService, f.step == stepExpiry:
		k.Confirm.SetHelp("enter", "next")
		back := k.Cancel
		if f.step == stepExpiry {
			back.SetHelp("esc", "back")
		}
		return []key.Binding{k.Choose, k.Confirm, back}
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
	case stepExpiry:
		b.sections = append(b.sections, section{lines: f.fieldLines("Service", serviceName(f.svc(), inner-lw-1), lw, inner), drop: 1})
		b.sections = append(b.sections, section{lines: f.expiry.lines(st, func(active bool, label string) string { return choice(active, label, "") })})
		b.sections = append(b.sections, section{lines: f.warnings(f.expiry.neverWarning())})
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
