package ui

import "iamcreds/model"

// fleetView is what decides which rows the fleet shows, and in which order.
type fleetView struct {
	sortKey model.SortKey
	reverse bool
	filter  model.AuditFilter
}

// changedRows are the credentials a bulk action just changed. They stay on
// screen, marked, even where the view would now hide them (a row deactivated
// under "flagged only" is flagged no more), so that the person sees what was
// done; a change to the filter or the sort lets them go.
type changedRows struct {
	ids   map[rowKey]bool
	under fleetView // the view they were changed in
}

// mark records a change to row k made while v was shown.
func (c *changedRows) mark(k rowKey, v fleetView) {
	c.settle(v)
	if c.ids == nil {
		c.ids, c.under = map[rowKey]bool{}, v
	}
	c.ids[k] = true
}

// settle forgets every row once the view is no longer the one they were
// changed in.
func (c *changedRows) settle(v fleetView) {
	if c.ids != nil && c.under != v {
		c.ids = nil
	}
}

func (c *changedRows) has(k rowKey) bool { return c.ids[k] }

func (c *changedRows) count() int { return len(c.ids) }

// forget drops row k (deleted: there is no row to keep).
func (c *changedRows) forget(k rowKey) { delete(c.ids, k) }

// rowKey is a row's identity: its account (empty in one account's fleet) and
// its credential id. The cursor, the selection and the changed rows hold rows
// by it, never by their index, which a sort, a filter or a listing changes.
type rowKey struct{ acct, id string }

func keyOf(r *model.AuditRow) rowKey { return rowKey{r.AccountID(), r.ID} }
