package ui

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"iamcreds/model"
)

// Users table columns, in the order of the cells built by userCells.
const (
	ucName = iota
	ucCreated
	ucCreds
)

// usersView is the users table and what it is built from: every user sorted by
// name and the positions the filter lets through. A row's cells are built when
// the table first shows the row, and kept until what they show changes (the
// user's credentials, the columns that fit): a load of 20,000 users builds a
// screenful of rows, not 20,000. A key press never rebuilds rows: moving is the
// table's, filtering is a new list of positions.
type usersView struct {
	table    tableModel
	specs    []colSpec
	keep     []int
	all      []model.User
	index    map[string]int // user name → position in all
	lower    []string       // lower-case names, for the filter
	rows     [][]string     // per user, the shown columns' cells; nil until shown
	cellsFor func(model.User) []string
	// credText is, per user, what the filter also matches: the lower-case ids,
	// Git user names and API-key aliases of the user's credentials, each
	// between NULs (searchText); credTextOf builds it. nil until a filter
	// needs it after the users or their credentials changed.
	credText   []string
	credTextOf func(user string) string
	visible    []int  // positions in all that pass the filter
	filter     string // applied, lower-case
	width      int
}

func newUsersView(s Styles) usersView {
	return usersView{
		table: newTable(s.Table),
		index: map[string]int{},
		specs: []colSpec{
			{title: "User", min: 8, max: 24, prio: 0},
			{title: "Created", min: 10, max: 10, prio: 2},
			{title: "Credentials", min: 10, max: 32, prio: 1},
		},
	}
}

// resize fits the columns to the pane's inner width and the table to h lines.
func (v *usersView) resize(w, h int) {
	sel, hadSel := v.selected()
	v.width = w
	v.specs[ucName].max = v.nameWidth()
	cols, keep := fitColumns(v.specs, w)
	v.table.SetWidth(w)
	v.table.SetColumns(cols)
	v.table.SetHeight(max(2, h))
	if !sameKeep(keep, v.keep) {
		v.keep = keep
		clear(v.rows) // built for other columns
		v.rebuildVisible(selName(sel, hadSel))
	}
}

// shows reports whether column c (ucName…) is on screen.
func (v *usersView) shows(c int) bool {
	for _, k := range v.keep {
		if k == c {
			return true
		}
	}
	return false
}

func selName(u model.User, ok bool) string {
	if !ok {
		return ""
	}
	return u.Name
}

// nameWidth is the widest name, bounded, so short names leave room for counts.
func (v *usersView) nameWidth() int {
	w := 8
	for _, u := range v.all {
		w = max(w, len(u.Name))
		if w >= 24 {
			return 24
		}
	}
	return w
}

// row is user i's cells for the shown columns, built on first use.
func (v *usersView) row(i int) []string {
	if v.rows[i] == nil {
		v.rows[i] = project(v.cellsFor(v.all[i]), v.keep)
	}
	return v.rows[i]
}

// setUsers replaces the users; the selection stays on the same name if it can.
// cellsFor renders a user's columns whenever a row is built.
func (v *usersView) setUsers(users []model.User, cellsFor func(model.User) []string) {
	sel, hadSel := v.selected()
	v.all, v.lower = sortUsers(users)
	v.cellsFor = cellsFor
	v.credText = nil
	v.index = make(map[string]int, len(v.all))
	for i, u := range v.all {
		v.index[u.Name] = i
	}
	v.rows = make([][]string, len(v.all))
	// Old positions mean nothing now: clear them, then let resize re-project
	// (it may also widen the name column for the new names).
	v.visible, v.keep = nil, nil
	v.table.SetRowFunc(0, nil)
	v.resize(v.width, v.table.Height()+1)
	if hadSel {
		v.selectName(sel.Name)
	}
}

// sortUsers orders users by name, ignoring case, and returns beside them the
// lower-case names the filter matches, as shown (each name is lowered once,
// not at every comparison).
func sortUsers(users []model.User) ([]model.User, []string) {
	lower := make([]string, len(users))
	idx := make([]int, len(users))
	for i, u := range users {
		lower[i], idx[i] = strings.ToLower(u.Name), i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		if c := strings.Compare(lower[a], lower[b]); c != 0 {
			return c
		}
		return strings.Compare(users[a].Name, users[b].Name)
	})
	all, low := make([]model.User, len(users)), make([]string, len(users))
	for i, j := range idx {
		all[i] = users[j]
		low[i] = lower[j]
		if safe := model.SafeText(users[j].Name); safe != users[j].Name {
			low[i] = strings.ToLower(safe) // the filter matches what is shown
		}
	}
	return all, low
}

// invalidate says a user's row shows something else now (its counts).
func (v *usersView) invalidate(name string) {
	i, ok := v.index[name]
	if !ok {
		return
	}
	v.rows[i] = nil
	if v.credText != nil {
		v.credText[i] = v.credTextFor(name)
	}
	if j := sort.SearchInts(v.visible, i); j < len(v.visible) && v.visible[j] == i {
		v.table.Invalidate(j)
	}
}

// invalidateAll says every row shows something else now (an inventory came).
func (v *usersView) invalidateAll() {
	clear(v.rows)
	v.credText = nil
	v.table.InvalidateAll()
}

func (v *usersView) credTextFor(user string) string {
	if v.credTextOf == nil {
		return ""
	}
	return v.credTextOf(user)
}

// searchText is what the filter matches of a user's credentials besides the
// user's name: each id, Git (or Keyspaces) user name and API-key alias,
// lower-case, between NULs so that no match spans two.
func searchText(creds []model.Credential) string {
	var b strings.Builder
	for _, c := range creds {
		for _, s := range [...]string{c.ID, c.ServiceUserName, c.Alias} {
			if s != "" {
				b.WriteByte(0)
				b.WriteString(strings.ToLower(model.SafeText(s)))
			}
		}
	}
	return b.String()
}

// matchesCred reports whether the filter q (lower-case) matches c's id, user
// name or alias rather than its user's name.
func matchesCred(c model.Credential, q string) bool {
	for _, s := range [...]string{c.ID, c.ServiceUserName, c.Alias} {
		if s != "" && strings.Contains(strings.ToLower(model.SafeText(s)), q) {
			return true
		}
	}
	return false
}

// setFilter applies a case-insensitive substring filter of user names and of
// their credentials' ids, user names and aliases, keeping the selected user
// selected when it still matches.
func (v *usersView) setFilter(q string) {
	sel, ok := v.selected()
	v.filter = strings.ToLower(q)
	v.rebuildVisible(selName(sel, ok))
}

// rebuildVisible applies the filter to the rows and selects sel if it passes.
func (v *usersView) rebuildVisible(sel string) {
	v.visible = v.visible[:0]
	if v.filter != "" && v.credText == nil { // the first filter since a change: every user's, once
		v.credText = make([]string, len(v.all))
		for i, u := range v.all {
			v.credText[i] = v.credTextFor(u.Name)
		}
	}
	for i, name := range v.lower {
		if v.filter == "" || strings.Contains(name, v.filter) || strings.Contains(v.credText[i], v.filter) {
			v.visible = append(v.visible, i)
		}
	}
	v.table.SetRowFunc(len(v.visible), func(j int) []string { return v.row(v.visible[j]) })
	if sel == "" || !v.selectName(sel) {
		v.table.SetCursor(0)
	}
}

// selectName moves the cursor to a visible user.
func (v *usersView) selectName(name string) bool {
	i, ok := v.index[name]
	if !ok {
		return false
	}
	// visible is sorted: binary search for position i.
	j := sort.SearchInts(v.visible, i)
	if j >= len(v.visible) || v.visible[j] != i {
		return false
	}
	v.table.SetCursor(j)
	return true
}

// matchesName reports whether the filter matches the user's own name (not only
// one of its credentials).
func (v *usersView) matchesName(user string) bool {
	i, ok := v.index[user]
	return ok && strings.Contains(v.lower[i], v.filter)
}

// selected is the highlighted user.
func (v *usersView) selected() (model.User, bool) {
	c := v.table.Cursor()
	if c < 0 || c >= len(v.visible) {
		return model.User{}, false
	}
	return v.all[v.visible[c]], true
}

// countsSummary groups API keys together: Git and Keyspaces are passwords a
// person types; every API key is used the same way, as a bearer token.
func countsSummary(creds []model.Credential) string {
	var git, ks, api int
	other := map[string]int{}
	for _, c := range creds {
		switch s := c.ServiceInfo(); {
		case s.Name == model.CodeCommit:
			git++
		case s.Name == model.Keyspaces:
			ks++
		case s.Kind == model.KindAPIKey:
			api++
		default:
			other[strings.TrimSuffix(s.Short, ".amazonaws.com")]++
		}
	}
	var parts []string
	add := func(label string, n int) {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", label, n))
		}
	}
	add("Git", git)
	add("Keyspaces", ks)
	add("API keys", api)
	names := make([]string, 0, len(other))
	for n := range other {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		add(n, other[n])
	}
	return strings.Join(parts, " · ")
}
