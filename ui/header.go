package ui

import (
	"sort"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"iamcreds/model"
)

// headerPart is a piece of the header line.
type headerPart struct {
	text string
	prio int // lower is more useful: kept first when space is short
	// cut: when it does not fit whole, it is cut short ("endpoint http://…")
	// rather than dropped, if the room left shows at least its label.
	cut bool
}

// headerView: who and where — account, principal, profile, region, endpoint — and the
// DEMO and READ-ONLY badges, which are never dropped. When the line is too
// narrow the least useful parts go first. The endpoint, which says that this
// is not AWS, comes right after the account, cut short rather than dropped
// while its label fits. Every value came from outside (STS, the config files,
// a flag): value makes it safe.
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
	type part = headerPart
	parts := []part{{text: st.HeaderLabel.Render("account ") + value(account)}}
	if m.identityOK && m.identity.ARN != "" {
		parts = append(parts, part{text: value(m.identity.ARN), prio: 3})
	}
	if m.opts.Profile != "" {
		parts = append(parts, part{text: st.HeaderLabel.Render("profile ") + value(m.opts.Profile), prio: 2})
	}
	if m.opts.Region != "" {
		parts = append(parts, part{text: st.HeaderLabel.Render("region ") + value(m.opts.Region), prio: 4})
	}
	if m.org != nil {
		parts = m.orgHeaderParts(parts)
	}
	if m.opts.Endpoint != "" {
		parts = append(parts, part{text: st.HeaderLabel.Render("endpoint ") + value(m.opts.Endpoint), prio: 1, cut: true})
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
	room := w - ansi.StringWidth(right)
	if right != "" {
		room--
	}
	// The parts that fit, the most useful first; they keep their order.
	byUse := make([]int, len(parts))
	for i := range byUse {
		byUse[i] = i
	}
	sort.SliceStable(byUse, func(a, b int) bool { return parts[byUse[a]].prio < parts[byUse[b]].prio })
	keep := make([]bool, len(parts))
	used := ansi.StringWidth(st.AppName.Render("iamcreds"))
	for _, i := range byUse {
		pw := ansi.StringWidth(sep + parts[i].text)
		switch left := room - used - ansi.StringWidth(sep); {
		case used+pw <= room || parts[i].prio == 0:
		case parts[i].cut && left >= len("endpoint ")+4:
			parts[i].text = ansi.Truncate(parts[i].text, left, "…")
			pw = ansi.StringWidth(sep + parts[i].text)
		default:
			continue
		}
		keep[i] = true
		used += pw
	}
	s := []string{st.AppName.Render("iamcreds")}
	for i, p := range parts {
		if keep[i] {
			s = append(s, p.text)
		}
	}
	left := strings.Join(s, sep)
	if right == "" {
		return fitWidth(ansi.Truncate(left, w, "…"), w)
	}
	if room < 1 {
		return fitWidth(ansi.Truncate(right, w, ""), w)
	}
	return fitWidth(ansi.Truncate(left, room, "…"), room) + " " + right
}
