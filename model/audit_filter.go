package model

import "strings"

// AuditFilter selects rows; zero fields select everything.
type AuditFilter struct {
	// Text matches, case-insensitively, a substring of the user, the service's
	// display, short or raw name, the credential id, the login, the status, the
	// expiry text or a flag's name.
	Text        string
	Status      Status // "" = any
	Service     string // raw IAM service name (see ResolveService); "" = any
	FlaggedOnly bool
	Account     string // an account ID, in a report across accounts; "" = any
}

// Match reports whether r passes every part of the filter.
func (f AuditFilter) Match(r AuditRow) bool {
	return f.match(&r, strings.ToLower(strings.TrimSpace(f.Text)))
}

func (f AuditFilter) match(r *AuditRow, text string) bool {
	switch {
	case f.Status != "" && r.Status != f.Status:
		return false
	case f.Service != "" && r.Service != f.Service:
		return false
	case f.FlaggedOnly && r.Flags == 0:
		return false
	case f.Account != "" && r.AccountID() != f.Account:
		return false
	case text == "":
		return true
	}
	if r.search == "" {
		r.search = r.haystack()
	}
	hay := r.search
	return strings.Contains(hay, text)
}

// MatchRow is Match without a copy of the row.
func (f AuditFilter) MatchRow(r *AuditRow) bool {
	return f.match(r, strings.ToLower(strings.TrimSpace(f.Text)))
}

// Apply returns the rows that match, in order, in a new slice.
func (f AuditFilter) Apply(rows []AuditRow) []AuditRow { return f.AppendMatches(nil, rows) }

// AppendMatches appends the rows that match to dst: a view that filters on every
// keystroke passes dst[:0] of its last result and allocates nothing.
func (f AuditFilter) AppendMatches(dst, rows []AuditRow) []AuditRow {
	text := strings.ToLower(strings.TrimSpace(f.Text))
	for i := range rows {
		if f.match(&rows[i], text) {
			dst = append(dst, rows[i])
		}
	}
	return dst
}

// AppendMatching appends a pointer to each row that matches: a view of many
// rows keeps its filtered list without a second copy of them. The pointers
// are into rows: reordering rows (SortAudit) moves what they point at.
func (f AuditFilter) AppendMatching(dst []*AuditRow, rows []AuditRow) []*AuditRow {
	text := strings.ToLower(strings.TrimSpace(f.Text))
	for i := range rows {
		if f.match(&rows[i], text) {
			dst = append(dst, &rows[i])
		}
	}
	return dst
}

// ResolveService turns what a person types into a raw IAM service name: the raw
// name itself, a catalog short name ("git", "bedrock"), or the raw name's first
// label ("codecommit", "cassandra"). Any other name with a dot is taken as a raw
// name, so services newer than the catalog still work.
func ResolveService(name string) (string, bool) {
	n := strings.ToLower(strings.TrimSpace(name))
	if n == "" {
		return "", false
	}
	for _, s := range catalog {
		label, _, _ := strings.Cut(s.Name, ".")
		if n == s.Name || n == strings.ToLower(s.Short) || n == label {
			return s.Name, true
		}
	}
	if strings.Contains(n, ".") {
		return n, true
	}
	return "", false
}

// AuditServices lists the distinct services of rows in catalog order, unknown ones
// after by name: the choices of a service quick filter.
func AuditServices(rows []AuditRow) []string {
	seen := map[string]bool{}
	var out []string
	for i := range rows {
		if s := rows[i].Service; !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	ServiceOrder(out)
	return out
}
