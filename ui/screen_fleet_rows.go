package ui

import (
	"fmt"
	"strconv"
	"strings"

	"iamcreds/model"
)

// The fleet screen's rows and what it draws around them.

// Fleet columns; the cells are plain text (the table pads them).
const (
	fcSel = iota
	fcUser
	fcService
	fcID
	fcLogin
	fcStatus
	fcCreated
	fcAge
	fcExpires
	fcFlags
)

// rebuild recomputes the rows from the cache: after a load or a write. The
// rows are built straight from the cache's credentials (no copy of them first)
// and their cells only when the table shows them.
func (s *fleetScreen) rebuild() {
	s.built, s.lostAt = s.acct.cache.mark(), s.lost.version
	cur, had := s.row()
	if era := s.acct.cache.era(); era != s.era { // another account (a profile, an account opened): nothing to hold
		s.era, had = era, false
	}
	s.all, s.visible = nil, nil // the old rows can go while the new are built
	now := s.now()
	rows := make([]model.AuditRow, 0, s.acct.cache.count())
	s.acct.cache.each(func(creds []model.Credential) {
		for _, c := range creds {
			rows = append(rows, model.NewAuditRow(c, now, s.maxAge))
		}
	})
	model.MarkTwoActive(rows, now)
	model.MarkSecretLost(rows, s.lost.has)
	s.unscanned = unscannedOf(rows, scanned(s.acct.client))
	s.all = rows
	s.forgetGone()
	model.SortAudit(s.all, s.sortKey, s.reverse)
	s.refilterHolding(cur, had, "")
}

// refilterHolding filters again and puts the cursor back on cur, the row it
// was on before the rows changed; if cur is no longer shown, the cursor stays
// at its place — on the row now there, or the last — and the note says why, in
// the words of acct (" in Production (…)", or "").
func (s *fleetScreen) refilterHolding(cur model.AuditRow, had bool, acct string) {
	at := s.table.Cursor()
	if s.refilterAt(keyOf(&cur), had) || !had {
		return
	}
	label := credLabel(cur.UserName, cur.Service, cur.ID) + acct
	where := neighbourNote(at, s.table.Cursor())
	if r := s.find(keyOf(&cur)); r != nil {
		s.note = fmt.Sprintf("%s is %s now, which the filter hides; %s", label, r.Status, where)
		return
	}
	if s.deleted[cur.ID] {
		return // this session deleted it, and its status says so
	}
	s.note = label + " is gone (deleted elsewhere); " + where
}

// neighbourNote says where the cursor went when its row went: it stays at
// index at (the row now there), else comes back to the last row, now.
func neighbourNote(at, now int) string {
	switch {
	case now < 0:
		return "no rows left"
	case now < at:
		return "cursor on the row before"
	}
	return "cursor on the next row"
}

// find is the row of k among every row (shown or not), nil if none.
func (s *fleetScreen) find(k rowKey) *model.AuditRow {
	for i := range s.all {
		if keyOf(&s.all[i]) == k {
			return &s.all[i]
		}
	}
	return nil
}

// forgetGone drops from the selection and the changed rows the credentials
// the rows no longer have (deleted: nothing to select or keep in view).
func (s *fleetScreen) forgetGone() {
	if len(s.sel) == 0 && s.changed.count() == 0 {
		return
	}
	live := make(map[rowKey]bool, len(s.sel)+s.changed.count())
	for i := range s.all {
		if k := keyOf(&s.all[i]); s.sel[k] || s.changed.has(k) {
			live[k] = true
		}
	}
	for k := range s.sel {
		if !live[k] {
			delete(s.sel, k)
		}
	}
	for k := range s.changed.ids {
		if !live[k] {
			s.changed.forget(k)
		}
	}
}

// resort sorts and filters again, keeping the cursor on the same credential.
func (s *fleetScreen) resort() {
	cur, had := s.row() // before the sort moves what visible points at
	model.SortAudit(s.all, s.sortKey, s.reverse)
	s.refilterAt(keyOf(&cur), had)
}

func (s *fleetScreen) refilter() {
	cur, had := s.row()
	s.refilterAt(keyOf(&cur), had)
}

// refilterAt filters again and puts the cursor back on row k (if had); it
// reports whether a row shows k.
func (s *fleetScreen) refilterAt(k rowKey, had bool) bool {
	s.filter.Text = s.text.value()
	s.changed.settle(s.shownAs())
	if s.changed.count() == 0 {
		s.visible = s.filter.AppendMatching(s.visible[:0], s.all)
	} else { // the rows a bulk action changed stay, whatever the filter says now
		s.visible = s.visible[:0]
		for i := range s.all {
			if r := &s.all[i]; s.changed.has(keyOf(r)) || s.filter.MatchRow(r) {
				s.visible = append(s.visible, r)
			}
		}
	}
	s.flagged = 0
	for _, r := range s.visible {
		if r.Flags != 0 {
			s.flagged++
		}
	}
	s.table.SetRowFunc(len(s.visible), s.cellsAt)
	return had && s.moveTo(k)
}

// matchingRows is a copy of the visible rows the filter selects, in order: not
// the changed rows it now hides.
func (s *fleetScreen) matchingRows() []model.AuditRow {
	out := make([]model.AuditRow, 0, len(s.visible))
	for _, r := range s.visible {
		if s.filter.MatchRow(r) {
			out = append(out, *r)
		}
	}
	return out
}

// cellsAt is visible row i's cells, with its mark: selected (●) or changed by
// a bulk action (✓).
func (s *fleetScreen) cellsAt(i int) []string {
	r := s.visible[i]
	cells := s.cellsOf(r)
	if mark := s.mark(keyOf(r)); mark != "" {
		cells[fcSel] = mark
	}
	return cells
}

func (s *fleetScreen) mark(k rowKey) string {
	switch {
	case s.sel[k]:
		return "●"
	case s.changed.has(k):
		return "✓"
	}
	return ""
}

func (s *fleetScreen) rowCells(r *model.AuditRow) []string {
	login := r.ServiceUserName
	if login == "" {
		login = r.Alias
	}
	return []string{
		" ", r.UserName, r.Info.Short, r.ID, login, string(r.Status),
		s.fmtDate(r.Created), strconv.Itoa(r.AgeDays), r.Expiry, strings.Join(r.Flags.Names(), " "),
	}
}
