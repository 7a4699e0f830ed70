package ui

import (
	"sort"

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
	keep  []int
	user  string             // whose credentials the rows show
	era   cacheEra           // the cache's era they came from: another is another account
	creds []model.Credential // one per row, in row order; creates in flight follow
	cells [][]string         // every column, per row
	width int
	// details: the pane is tall enough for the details block.
	details bool
}

func newCredsView(s Styles) credsView {
	return credsView{table: newTable(s.Table)}
}

// credSteps are the credentials table's columns in the order they get room
// (fitSteps): the service and the id's last characters tell a user's
// credentials apart; then the status, the expiry, the full id, the login.
var credSteps = []fitStep{
	{ccService, 9}, {ccID, 6}, {ccStatus, 8}, {ccExpires, 9}, {ccID, 21}, {ccStatus, 11},
	{ccLogin, 10}, {ccLogin, 18}, {ccAge, 5}, {ccCreated, 10}, {ccLogin, 26},
}

// credColumns fits the columns to w; the login (else the expiry) takes what is
// left. keep lists the columns shown, in order.
func credColumns(w int) (cols []column, keep []int) {
	widths := fitSteps(ccExpires+1, credSteps, []int{ccLogin, ccExpires}, w)
	titles := [...]string{"Service", "ID", "User name / alias", "Status", "Created", "Age", "Expires"}
	for i, t := range titles {
		if widths[i] > 0 {
			cols = append(cols, column{title: t, width: widths[i], tail: i == ccID})
			keep = append(keep, i)
		}
	}
	return cols, keep
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
	cols, keep := credColumns(w)
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
	for i, c := range cells {
		rows[i] = project(c, v.keep)
	}
	v.table.SetRows(rows)
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
