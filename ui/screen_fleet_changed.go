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
	ids   map[string]bool
	under fleetView // the view they were changed in
}

// mark records a change to id made while v was shown.
func (c *changedRows) mark(id string, v fleetView) {
	c.settle(v)
	if c.ids == nil {
		c.ids, c.under = map[string]bool{}, v
	}
	c.ids[id] = true
}

// settle forgets every row once the view is no longer the one they were
// changed in.
func (c *changedRows) settle(v fleetView) {
	if c.ids != nil && c.under != v {
		c.ids = nil
	}
}

func (c *changedRows) has(id string) bool { return c.ids[id] }

func (c *changedRows) count() int { return len(c.ids) }

// forget drops id (deleted: there is no row to keep).
func (c *changedRows) forget(id string) { delete(c.ids, id) }
