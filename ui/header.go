package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"iamcreds/model"
)

// headerView: who and where — account, principal, profile or endpoint — and the
// DEMO and READ-ONLY badges, which are never dropped. When the line is too
// narrow the least useful parts go first. Every value came from outside (STS,
// the config files, a flag): value makes it safe.
func (m *Model) headerView(w int) string {
	st := m.styles
	value := func(s string) string { return st.HeaderValue.Render(model.SafeText(s)) }
	account := "…"
	switch {
	case m.identityOK:
		account = m.identity.Account
	case m.identityErr != nil:
		account = "unknown"
	}
	type part struct {
		text string
		prio int // higher goes first when space is short
	}
	parts := []part{{st.HeaderLabel.Render("account ") + value(account), 0}}
	if m.identityOK && m.identity.ARN != "" {
		parts = append(parts, part{value(m.identity.ARN), 3})
	}
	if m.opts.Profile != "" {
		parts = append(parts, part{st.HeaderLabel.Render("profile ") + value(m.opts.Profile), 1})
	}
	if m.opts.Endpoint != "" {
		parts = append(parts, part{st.HeaderLabel.Render("endpoint ") + value(m.opts.Endpoint), 2})
	}
	var badges []string
	if m.opts.Demo {
		badges = append(badges, st.BadgeDemo.Render("DEMO"))
	}
	if m.opts.ReadOnly {
		badges = append(badges, st.BadgeRO.Render("READ-ONLY"))
	}
	right := strings.Join(badges, " ")
	sep := st.HeaderSep.Render(" │ ")
	build := func() string {
		s := []string{st.AppName.Render("iamcreds")}
		for _, p := range parts {
			s = append(s, p.text)
		}
		return strings.Join(s, sep)
	}
	room := w - ansi.StringWidth(right)
	if right != "" {
		room--
	}
	left := build()
	for ansi.StringWidth(left) > room && len(parts) > 1 {
		drop := 0
		for i, p := range parts {
			if p.prio > parts[drop].prio {
				drop = i
			}
		}
		parts = append(parts[:drop], parts[drop+1:]...)
		left = build()
	}
	if right == "" {
		return fitWidth(ansi.Truncate(left, w, "…"), w)
	}
	if room < 1 {
		return fitWidth(ansi.Truncate(right, w, ""), w)
	}
	return fitWidth(ansi.Truncate(left, room, "…"), room) + " " + right
}
