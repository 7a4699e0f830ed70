package ui

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
)

// Credentials table columns, in the order of the cells built by credCells.
const (
	ccService = iota
	ccID
	ccLogin
	ccStatus
	ccCreated
	ccAge
	ccExpires
)

// credsView is the highlighted user's credentials table. Its rows are rebuilt
// from the cache whenever the user, the cache or a write in flight changes: a
// user has at most a few credentials.
type credsView struct {
	table tableModel
	specs []colSpec
	keep  []int
	user  string             // whose credentials the rows show
	creds []model.Credential // one per row, in row order; creates in flight follow
	cells [][]string         // every column, per row
	width int
	// details: the pane is tall enough for the details block.
	details bool
}

func newCredsView(s Styles) credsView {
	return credsView{
		table: newTable(s.Table),
		specs: []colSpec{
			{title: "Service", min: 4, max: 9, prio: 0},
			{title: "ID", min: 8, max: 21, prio: 2, tail: true},
			{title: "User name / alias", min: 10, max: 26, prio: 4},
			{title: "Status", min: 8, max: 11, prio: 1},
			{title: "Created", min: 10, max: 10, prio: 6},
			{title: "Age", min: 5, max: 5, prio: 5},
			{title: "Expires", min: 7, max: 9, prio: 3},
		},
	}
}

// detailLines is the height of the highlighted credential's details under the
// table: a blank line and six fields. They show only when the pane has room.
const detailLines = 7

func (v *credsView) resize(w, h int) {
	v.width = w
	v.details = h-detailLines >= 4
	if v.details {
		h -= detailLines
	}
	cols, keep := fitColumns(v.specs, w)
	v.keep = keep
	v.table.SetWidth(w)
	v.table.SetColumns(cols)
	v.table.SetHeight(max(2, h))
	v.setCells(v.cells)
}

// setCells projects the rows to the shown columns.
func (v *credsView) setCells(cells [][]string) {
	v.cells = cells
	rows := make([][]string, len(cells))
	cols := v.table.Columns()
	for i, c := range cells {
		rows[i] = project(c, v.keep)
		keepTail(rows[i], v.specs, v.keep, cols)
	}
	v.table.SetRows(rows)
}

// rebuildCreds shows the selected user's credentials, keeping the cursor on the
// same credential when it is still there.
func (m *Model) rebuildCreds() {
	v := &m.creds
	user := ""
	if u, ok := m.users.selected(); ok {
		user = u.Name
	}
	selID, cursor := "", v.table.Cursor()
	if c, ok := m.selectedCred(); ok && v.user == user {
		selID = c.ID
	}
	if v.user != user {
		cursor = 0
	}
	creds := sortedCreds(m.cache[user])
	now := m.now()
	cells := make([][]string, 0, len(creds)+1)
	for _, c := range creds {
		cells = append(cells, m.credCells(c, now))
	}
	for _, p := range m.pending {
		if p.kind == opCreate && p.user == user {
			cells = append(cells, []string{model.LookupService(p.service).Short, "", "", m.spinner.View() + " creating", "", "", ""})
		}
	}
	v.user, v.creds = user, creds
	v.setCells(cells)
	for i, c := range creds {
		if c.ID == selID {
			cursor = i
		}
	}
	v.table.SetCursor(cursor)
}

// sortedCreds orders a user's credentials by service (catalog order), then age.
func sortedCreds(in []model.Credential) []model.Credential {
	out := make([]model.Credential, len(in))
	copy(out, in)
	rank := map[string]int{}
	for i, s := range model.Catalog() {
		rank[s.Name] = i + 1
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		ra, rb := rank[a.Service], rank[b.Service]
		if ra == 0 {
			ra = len(rank) + 1
		}
		if rb == 0 {
			rb = len(rank) + 1
		}
		switch {
		case ra != rb:
			return ra < rb
		case a.Service != b.Service:
			return a.Service < b.Service
		case !a.Created.Equal(b.Created):
			return a.Created.Before(b.Created)
		}
		return a.ID < b.ID
	})
	return out
}

// credCells renders a credential's columns; a write in flight shows on its status.
func (m *Model) credCells(c model.Credential, now time.Time) []string {
	status := string(c.Status)
	if c.Status != model.Expired && c.IsExpired(now) {
		status = string(model.Expired)
	}
	if p, ok := m.pendingFor(c.UserName, c.ID); ok {
		status = m.spinner.View() + " " + p.verb()
	}
	return []string{
		c.ServiceInfo().Short,
		c.ID,
		c.Login(),
		status,
		m.fmtDate(c.Created),
		fmt.Sprintf("%dd", c.AgeDays(now)),
		expiresCell(c, now),
	}
}

func expiresCell(c model.Credential, now time.Time) string {
	switch days, ok := daysLeft(c, now); {
	case !ok:
		return "never"
	case c.IsExpired(now):
		return "expired"
	case days == 0:
		return "in <1d"
	default:
		return fmt.Sprintf("in %dd", days)
	}
}

// daysLeft counts the days before expiry, a part day as a whole one (a key made
// for 30 days shows 30, not 29), and 0 for less than a day; ok is false for
// never.
func daysLeft(c model.Credential, now time.Time) (int, bool) {
	if c.NeverExpires() {
		return 0, false
	}
	d := c.Expires.Sub(now)
	if d < 24*time.Hour {
		return 0, true
	}
	return int((d + 24*time.Hour - 1) / (24 * time.Hour)), true
}

// fmtDate shows a date in the clock's time zone (UTC in tests).
func (m *Model) fmtDate(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(m.now().Location()).Format("2006-01-02")
}

// selectedCred is the highlighted credential (not a create still in flight).
func (m *Model) selectedCred() (model.Credential, bool) {
	if m.fleet.on { // t/r/d act on the fleet's row
		r, ok := m.fleet.selected()
		return r.Credential, ok
	}
	c := m.creds.table.Cursor()
	if c < 0 || c >= len(m.creds.creds) {
		return model.Credential{}, false
	}
	return m.creds.creds[c], true
}

// credsKey handles keys while the credentials table has focus.
func (m *Model) credsKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	t := &m.creds.table
	if t.navigate(msg, k) {
		return nil
	}
	switch {
	case key.Matches(msg, k.Back), key.Matches(msg, k.Switch):
		m.setFocus(focusUsers)
	case key.Matches(msg, k.Toggle):
		return m.toggle()
	case key.Matches(msg, k.Reset):
		return m.openResetConfirm()
	case key.Matches(msg, k.Delete):
		return m.openDeleteConfirm()
	}
	return nil
}

// setFocus moves the keys to a table; the focused table shows the bright marker.
func (m *Model) setFocus(f focusArea) {
	m.focus = f
	m.applyFocus()
	m.relayout()
}

func (m *Model) applyFocus() {
	if m.focus == focusUsers {
		m.users.table.Focus()
		m.creds.table.Blur()
		return
	}
	m.users.table.Blur()
	m.creds.table.Focus()
}

// credsPane renders the highlighted user's credentials in their box.
func (m *Model) credsPane(w, h int) []string {
	u, ok := m.users.selected()
	title := "Credentials"
	if ok {
		title = "Credentials of " + u.Name
		if !m.users.shows(ucCreated) { // the users table has no room for it
			title += " · user since " + m.fmtDate(u.Created)
		}
	}
	var body []string
	_, cached := m.cache[u.Name]
	switch {
	case !ok && !m.load.everLoaded:
		body = []string{}
	case !ok:
		body = m.placeholder("No user selected.")
	case !cached && m.listErr[u.Name] != nil:
		body = m.placeholder("Could not list the credentials:", errorText(m.listErr[u.Name]), "ctrl+r tries again.")
	case !cached:
		body = m.placeholder("Loading credentials…")
	case len(m.creds.table.Rows()) == 0:
		body = m.placeholder(u.Name + " has no service-specific credentials.")
		if !m.opts.ReadOnly {
			body = append(body, m.placeholder("n creates one.")...)
		}
	default:
		body = trimBlank(m.creds.table.Lines())
		if c, ok := m.selectedCred(); ok && m.creds.details {
			body = append(body, "")
			body = append(body, m.credDetails(c)...)
		}
	}
	if !m.lay.split && ok {
		title += "  (← users)"
	}
	return m.pane(title, body, w, h, m.focus == focusCreds && m.overlay == nil && !m.filtering)
}

// trimBlank drops trailing lines that are only spaces (the table pads its
// height), so that the details follow the last row.
func trimBlank(lines []string) []string {
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// credDetails shows every field of a credential, including those the table has
// no room for, with dates in full.
func (m *Model) credDetails(c model.Credential) []string {
	now := m.now()
	info := c.ServiceInfo()
	const lw = 10
	f := func(label, value string) string { return " " + m.field(label, value, lw) }
	status := string(c.Status)
	if c.Status != model.Expired && c.IsExpired(now) {
		status = string(model.Expired)
	}
	if p, ok := m.pendingFor(c.UserName, c.ID); ok {
		status += " (" + p.verb() + "…)"
	}
	login := c.Login()
	if login == "" {
		login = "—"
	}
	age := c.AgeDays(now)
	created := m.fmtDate(c.Created) + " · " + plural(age, "day") + " ago"
	if age == 0 {
		created = m.fmtDate(c.Created) + " · today"
	}
	return []string{
		f("Service", info.Display),
		f("ID", c.ID),
		f(capitalize(info.LoginLabel()), login),
		f("Status", status),
		f("Created", created),
		f("Expires", m.expiryDetail(c, now)),
	}
}

func (m *Model) expiryDetail(c model.Credential, now time.Time) string {
	days, ok := daysLeft(c, now)
	date := m.fmtDate(c.Expires)
	switch {
	case !ok && c.ServiceInfo().SupportsExpiry():
		return "never (an API key without expiry: consider rotating it)"
	case !ok:
		return "never"
	case c.IsExpired(now):
		ago := int(now.Sub(c.Expires) / (24 * time.Hour)) // whole days since
		if ago <= 0 {
			return date + " · expired within the last day"
		}
		return date + " · expired " + plural(ago, "day") + " ago"
	case days == 0:
		return date + " · in less than a day"
	}
	return date + " · in " + plural(days, "day")
}
