package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"iamcreds/model"
)

// What the main screen draws: its two panes, their rows and the details of the
// highlighted credential.

func (s *mainScreen) view() []string {
	h := s.h
	if h <= 0 {
		return nil
	}
	switch {
	case s.split:
		left := s.usersPane(s.usersW, h)
		right := s.credsPane(s.credsW, h)
		out := make([]string, h)
		for i := range out {
			out[i] = left[i] + right[i]
		}
		return out
	case s.focus == focusCreds:
		return s.credsPane(s.w, h)
	default:
		return s.usersPane(s.w, h)
	}
}

// usersPane renders the users table in its box, with the filter line on top.
func (s *mainScreen) usersPane(w, h int) []string {
	title := "Users"
	switch {
	case !s.load.everLoaded:
	case s.users.filter != "":
		title = fmt.Sprintf("Users %d of %d", len(s.users.visible), len(s.users.all))
	default:
		title = fmt.Sprintf("Users %d", len(s.users.all))
	}
	var body []string
	if s.filterLines() > 0 {
		body = append(body, s.filterView())
	}
	switch {
	case !s.load.everLoaded && s.load.usersErr != nil:
		body = append(body, s.placeholder(w, "Could not list users.", "ctrl+r tries again.")...)
	case !s.load.everLoaded:
		body = append(body, s.placeholder(w, "Loading users…")...)
	case len(s.users.all) == 0:
		body = append(body, s.placeholder(w, "This account has no IAM users.")...)
	case len(s.users.visible) == 0:
		body = append(body, s.placeholder(w, fmt.Sprintf("No user name, credential id, Git user name or API-key alias contains %q.", s.filter.value()))...)
	default:
		body = append(body, s.users.table.Lines()...)
	}
	return s.pane([]string{title}, body, w, h, s.focus == focusUsers || s.filter.typing)
}

// credsPane renders the highlighted user's credentials in their box.
func (s *mainScreen) credsPane(w, h int) []string {
	u, ok := s.users.selected()
	titles := []string{"Credentials"}
	if ok {
		// The longest title that fits: the way back, when the users table is
		// hidden, before the user's creation date, when it has no room for it.
		base, since, back := "Credentials of "+u.Name, "", ""
		if !s.users.shows(ucCreated) {
			since = " · user since " + s.fmtDate(u.Created)
		}
		if !s.split {
			back = "  (← users)"
		}
		titles = []string{base + since + back, base + back, base}
	}
	var body []string
	_, cached := s.acct.cache.get(u.Name)
	switch {
	case !ok && !s.load.everLoaded:
		body = []string{}
	case !ok:
		body = s.placeholder(w, "No user selected.")
	case !cached && s.acct.cache.err(u.Name) != nil:
		body = s.placeholder(w, "Could not list the credentials:", errorText(s.acct.cache.err(u.Name)), "ctrl+r tries again.")
	case !cached:
		body = s.placeholder(w, "Loading credentials…")
	case s.creds.table.Len() == 0:
		body = s.placeholder(w, u.Name+" has no service-specific credentials.")
		if !s.readOnly {
			body = append(body, s.placeholder(w, "n creates one.")...)
		}
	default:
		body = trimBlank(s.creds.table.Lines())
		if c, ok := s.highlighted(); ok && s.creds.details {
			body = append(body, "")
			body = append(body, s.credDetails(c, w-2)...)
		}
	}
	return s.pane(titles, body, w, h, s.focus == focusCreds && !s.filter.typing)
}

// placeholder renders lines shown in a pane w wide (borders included) instead
// of its table, wrapped at words with a column of margin on each side; they
// may quote a user name or an error.
func (s *mainScreen) placeholder(w int, lines ...string) []string {
	var out []string
	for _, l := range lines {
		for _, part := range strings.Split(ansi.Wrap(model.SafeText(l), max(1, w-4), " "), "\n") {
			out = append(out, " "+s.styles.Placeholder.Render(part))
		}
	}
	return out
}

// pane draws a rounded box of w×h with a title in its top border: the first
// of titles that fits, else the last cut short. A line of border stays on each
// side of it, so it never touches a corner.
func (s *mainScreen) pane(titles []string, body []string, w, h int, focused bool) []string {
	if w < 2 || h < 2 {
		return fitLines(nil, max(w, 0), max(h, 0))
	}
	border, titleStyle := s.styles.PaneBorder, s.styles.PaneTitle
	if focused {
		border, titleStyle = s.styles.PaneBorderFocused, s.styles.PaneTitleFocused
	}
	inner := w - 2
	room := max(0, inner-4) // "─ " before the title, " ─" after it
	var title string
	for _, t := range titles {
		title = model.SafeText(t) // titles name users
		if ansi.StringWidth(title) <= room {
			break
		}
	}
	title = ansi.Truncate(title, room, "…")
	fill := max(0, inner-1-ansi.StringWidth(title)-2)
	top := border.Render("╭─") + titleStyle.Render(" "+title+" ") + border.Render(strings.Repeat("─", fill)+"╮")
	if title == "" {
		top = border.Render("╭" + strings.Repeat("─", inner) + "╮")
	}
	side := border.Render("│")
	out := make([]string, 0, h)
	out = append(out, fitWidth(top, w))
	for i := 0; i < h-2; i++ {
		line := ""
		if i < len(body) {
			line = body[i]
		}
		out = append(out, side+fitWidth(line, inner)+side)
	}
	out = append(out, border.Render("╰"+strings.Repeat("─", inner)+"╯"))
	return out
}

// trimBlank drops trailing lines that are only spaces (the table pads its
// height), so that the details follow the last row.
func trimBlank(lines []string) []string {
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// userCells renders a user's columns; counts reflect what is known so far.
func (s *mainScreen) userCells(u model.User) []string {
	return []string{u.Name, s.fmtDate(u.Created), s.countsCell(u.Name)}
}

// countsCell is the per-service summary, e.g. "Git 2 · Keyspaces 1 · API keys 1".
func (s *mainScreen) countsCell(user string) string {
	creds, ok := s.acct.cache.get(user)
	if !ok {
		if s.load.invPending || !s.load.everLoaded {
			return "…"
		}
		return "?"
	}
	if len(creds)+len(s.writes.creates(user)) == 0 {
		return "none"
	}
	return countsSummary(creds)
}

// rebuildCreds shows the selected user's credentials, keeping the cursor on the
// same credential when it is still there; when it went, the cursor stays at its
// place and the note says so. A user has at most a few.
func (s *mainScreen) rebuildCreds() {
	v := &s.creds
	user := ""
	if u, ok := s.users.selected(); ok {
		user = u.Name
	}
	sel, had, cursor := model.Credential{}, false, v.table.Cursor()
	if c, ok := s.highlighted(); ok && v.user == user {
		sel, had = c, true
	}
	if v.user != user {
		cursor = 0
	}
	if era := s.acct.cache.era(); v.era != era { // another account (a profile, an account opened)
		v.era, had = era, false
	}
	cached, _ := s.acct.cache.get(user)
	creds := sortedCreds(cached)
	now := s.now()
	cells := make([][]string, 0, len(creds)+1)
	for _, c := range creds {
		cells = append(cells, s.credCells(c, now))
	}
	for _, p := range s.writes.creates(user) {
		cells = append(cells, []string{model.LookupService(p.service).Short, "", "", s.spin.View() + " creating", "", "", ""})
	}
	v.user, v.creds = user, creds
	v.setCells(cells)
	found := false
	for i, c := range creds {
		if had && c.ID == sel.ID {
			cursor, found = i, true
		}
	}
	v.table.SetCursor(cursor)
	if had && !found && !s.deleted[sel.ID] {
		s.note = credLabel(sel.UserName, sel.Service, sel.ID) + " is gone (deleted elsewhere); " +
			neighbourNote(cursor, min(cursor, len(creds)-1))
	}
}

// credCells renders a credential's columns; a write in flight shows on its status.
func (s *mainScreen) credCells(c model.Credential, now time.Time) []string {
	status := string(c.StatusAt(now))
	if p, ok := s.writes.on(c.UserName, c.ID); ok {
		status = s.spin.View() + " " + p.verb()
	}
	return []string{
		c.ServiceInfo().Short,
		c.ID,
		c.Login(),
		status,
		s.fmtDate(c.Created),
		fmt.Sprintf("%dd", c.AgeDays(now)),
		model.ExpiryShort(c, now),
	}
}

// credDetails shows every field of a credential, including those the table has
// no room for, with the exact dates (model's detail lines), wrapped at words
// in w columns.
func (s *mainScreen) credDetails(c model.Credential, w int) []string {
	now := s.now()
	info := c.ServiceInfo()
	const lw = 10
	var lines []string
	f := func(label, value string) {
		for _, l := range s.fieldLines(label, value, lw, max(1, w-1)) {
			lines = append(lines, " "+l)
		}
	}
	status := string(c.StatusAt(now))
	if p, ok := s.writes.on(c.UserName, c.ID); ok {
		status += " (" + p.verb() + "…)"
	}
	if s.lost.has(c.ID) {
		status += " · secret-lost: reset it or delete it" // the fleet's legend says why
	}
	login := c.Login()
	if login == "" {
		login = "—"
	}
	f("Service", info.Display)
	f("ID", c.ID)
	f(capitalize(info.LoginLabel()), login)
	f("Status", status)
	f("Created", model.CreatedDetail(c, now))
	f("Expires", model.ExpiryDetail(c, now))
	return lines
}
