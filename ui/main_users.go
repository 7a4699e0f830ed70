package ui

import (
	"fmt"
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
// name, each row precomputed, and the positions the filter lets through. A key
// press never rebuilds rows: moving is the table's, filtering is a SetRows.
type usersView struct {
	table tableModel
	specs []colSpec
	keep  []int
	all   []model.User
	index map[string]int // user name → position in all
	lower []string       // lower-case names, for the filter
	// credText is, per user, what the filter also matches: the lower-case ids,
	// Git user names and API-key aliases of the user's credentials, each
	// between NULs (searchText); credTextOf builds it.
	credText   []string
	credTextOf func(user string) string
	cells      [][]string // every column, per user
	rows       [][]string // cells projected to the shown columns
	visible    []int      // positions in all that pass the filter
	visRows    [][]string
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
		v.reproject()
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

func (v *usersView) reproject() {
	v.rows = make([][]string, len(v.cells))
	for i, c := range v.cells {
		v.rows[i] = project(c, v.keep)
	}
}

// setUsers replaces the users; the selection stays on the same name if it can.
func (v *usersView) setUsers(users []model.User, cellsFor func(model.User) []string) {
	sel, hadSel := v.selected()
	all := sortUsers(users)
	v.all = all
	v.index = make(map[string]int, len(all))
	v.lower = make([]string, len(all))
	v.credText = make([]string, len(all))
	v.cells = make([][]string, len(all))
	for i, u := range all {
		v.index[u.Name] = i
		v.lower[i] = strings.ToLower(model.SafeText(u.Name)) // the filter matches what is shown
		v.credText[i] = v.credTextFor(u.Name)
		v.cells[i] = cellsFor(u)
	}
	// Old positions mean nothing now: clear them, then let resize re-project
	// (it may also widen the name column for the new names).
	v.visible, v.visRows, v.keep = nil, nil, nil
	v.resize(v.width, v.table.Height()+1)
	if hadSel {
		v.selectName(sel.Name)
	}
}

// sortUsers orders users by name, ignoring case.
func sortUsers(users []model.User) []model.User {
	all := make([]model.User, len(users))
	copy(all, users)
	sort.SliceStable(all, func(i, j int) bool {
		a, b := strings.ToLower(all[i].Name), strings.ToLower(all[j].Name)
		if a != b {
			return a < b
		}
		return all[i].Name < all[j].Name
	})
	return all
}

// updateRow re-renders one user's row (its counts changed).
func (v *usersView) updateRow(name string, cells []string) {
	i, ok := v.index[name]
	if !ok {
		return
	}
	v.cells[i] = cells
	v.credText[i] = v.credTextFor(name)
	v.rows[i] = project(cells, v.keep)
	if j := sort.SearchInts(v.visible, i); j < len(v.visible) && v.visible[j] == i {
		v.visRows[j] = v.rows[i]
		v.table.SetRow(j, v.rows[i])
	}
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
	v.visRows = v.visRows[:0]
	for i, name := range v.lower {
		if v.filter == "" || strings.Contains(name, v.filter) || strings.Contains(v.credText[i], v.filter) {
			v.visible = append(v.visible, i)
			v.visRows = append(v.visRows, v.rows[i])
		}
	}
	v.table.SetRows(v.visRows)
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
