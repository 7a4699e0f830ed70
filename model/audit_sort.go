package model

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// SortKey is the column the fleet report is sorted by.
type SortKey int

const (
	SortAge     SortKey = iota // oldest first; an unknown creation date last
	SortUser                   // A to Z
	SortService                // catalog order, unknown services after by name
	SortStatus                 // Active, Inactive, Expired
	SortExpiry                 // soonest (or already expired) first, never-expiring last
	SortAccount                // by account name, then ID (a report across accounts)
	numSortKeys
)

var sortKeyNames = [numSortKeys]string{"age", "user", "service", "status", "expiry", "account"}

func (k SortKey) String() string {
	if k < 0 || k >= numSortKeys {
		return fmt.Sprintf("SortKey(%d)", int(k))
	}
	return sortKeyNames[k]
}

// Next is the key after k among those of one account's rows, wrapping round:
// what `s` cycles through in the fleet view.
func (k SortKey) Next() SortKey {
	if k+1 >= SortAccount {
		return SortAge
	}
	return k + 1
}

// NextAcross is the key after k among every key, account included: what `s`
// cycles through in the view across accounts.
func (k SortKey) NextAcross() SortKey { return (k + 1) % numSortKeys }

// ParseSortKey reads a key by name: age, user, service, status, expiry or account.
func ParseSortKey(s string) (SortKey, error) {
	for i, n := range sortKeyNames {
		if strings.EqualFold(s, n) {
			return SortKey(i), nil
		}
	}
	return 0, Errorf(KindInvalid, "unknown sort %q (age, user, service, status, expiry or account)", s)
}

// SortAudit sorts rows in place by key; reverse flips that key only, and ties are
// always broken by user, service (catalog order), id and account ID ascending,
// then by the rows' prior order. Rows already in that tie order — BuildAudit's output, or any
// filtered subset of it — sort fastest.
func SortAudit(rows []AuditRow, key SortKey, reverse bool) {
	if !tieOrdered(rows) {
		sortByTie(rows)
	}
	// The rows are in tie order now, so a row's index is its tie-break: packing the
	// primary key and the index into one integer sorts 10,000 rows in well under a
	// millisecond, where comparing fields costs several.
	const idxBits = 21
	if len(rows) >= 1<<idxBits {
		sortPrimaryLarge(rows, key, reverse)
		return
	}
	keys := primaryKeys(rows, key, reverse)
	for i := range keys {
		keys[i] = keys[i]<<idxBits | uint64(i)
	}
	slices.Sort(keys)
	idx := make([]int32, len(keys))
	for i, k := range keys {
		idx[i] = int32(k & (1<<idxBits - 1))
	}
	permute(rows, idx)
}

// sortPrimaryLarge is SortAudit's primary sort for more rows than fit the packing.
func sortPrimaryLarge(rows []AuditRow, key SortKey, reverse bool) {
	keys := primaryKeys(rows, key, reverse)
	idx := make([]int32, len(rows))
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortFunc(idx, func(i, j int32) int {
		if c := cmp.Compare(keys[i], keys[j]); c != 0 {
			return c
		}
		return cmp.Compare(i, j)
	})
	permute(rows, idx)
}

// maxKey bounds a primary key so that it leaves room for the row index.
const maxKey = 1<<42 - 1

// primaryKeys maps each row's primary key to an integer below maxKey that orders
// the same way; rows must be in tie order (the user key relies on it).
func primaryKeys(rows []AuditRow, key SortKey, reverse bool) []uint64 {
	keys := make([]uint64, len(rows))
	switch key {
	case SortAge: // oldest first: creation ascending is age descending
		for i := range rows {
			keys[i] = timeKey(rows[i].Created)
		}
	case SortUser: // tie order is user order: rank users as they come
		for i := 1; i < len(rows); i++ {
			keys[i] = keys[i-1]
			if rows[i].UserName != rows[i-1].UserName {
				keys[i]++
			}
		}
	case SortService:
		rankValues(rows, keys, func(r *AuditRow) string { return r.Service }, func(a, b string) int {
			return cmp.Or(cmp.Compare(serviceRank(a), serviceRank(b)), strings.Compare(a, b))
		})
	case SortStatus:
		rankValues(rows, keys, func(r *AuditRow) string { return string(r.Status) }, func(a, b string) int {
			return cmp.Or(cmp.Compare(statusRank(Status(a)), statusRank(Status(b))), strings.Compare(a, b))
		})
	case SortAccount:
		rankAccounts(rows, keys)
	case SortExpiry: // expired without a date first, never-expiring last
		for i := range rows {
			r := &rows[i]
			switch {
			case r.Status == Expired && r.Expires.IsZero():
				keys[i] = 0
			default:
				keys[i] = timeKey(r.Expires)
			}
		}
	}
	if reverse {
		for i := range keys {
			keys[i] = maxKey - keys[i]
		}
	}
	return keys
}

// timeKey is t in Unix seconds shifted to be positive (IAM's dates have no finer
// grain), within [1, maxKey-1]; the zero time is maxKey, after every date.
func timeKey(t time.Time) uint64 {
	if t.IsZero() {
		return maxKey
	}
	return uint64(min(max(t.Unix()+1<<40, 1), maxKey-1))
}

// rankValues sets keys[i] to the rank of rows[i]'s value among the distinct values,
// which are few (services, statuses).
func rankValues(rows []AuditRow, keys []uint64, value func(*AuditRow) string, compare func(a, b string) int) {
	rank := map[string]uint64{}
	for i := range rows {
		rank[value(&rows[i])] = 0
	}
	distinct := make([]string, 0, len(rank))
	for v := range rank {
		distinct = append(distinct, v)
	}
	slices.SortFunc(distinct, compare)
	for i, v := range distinct {
		rank[v] = uint64(i)
	}
	for i := range rows {
		keys[i] = rank[value(&rows[i])]
	}
}

// rankAccounts sets keys[i] to the rank of rows[i]'s account by name (without
// case), then ID; a row of no account comes first. Rows of one account share
// its pointer, so there are as many distinct values as accounts.
func rankAccounts(rows []AuditRow, keys []uint64) {
	order := func(a *Account) string {
		if a == nil {
			return ""
		}
		return strings.ToLower(a.DisplayName()) + "\x00" + a.ID
	}
	rank := map[*Account]uint64{}
	for i := range rows {
		rank[rows[i].Account] = 0
	}
	distinct := make([]*Account, 0, len(rank))
	for a := range rank {
		distinct = append(distinct, a)
	}
	slices.SortFunc(distinct, func(a, b *Account) int { return strings.Compare(order(a), order(b)) })
	for i, a := range distinct {
		rank[a] = uint64(i)
	}
	for i := range rows {
		keys[i] = rank[rows[i].Account]
	}
}

func tieOrdered(rows []AuditRow) bool {
	for i := 1; i < len(rows); i++ {
		if compareTie(&rows[i-1], &rows[i]) > 0 {
			return false
		}
	}
	return true
}

// sortByTie sorts rows by user, service, id and account, keeping the prior order
// of equal rows. The fields are copied out first: compact keys stay in cache,
// rows do not.
func sortByTie(rows []AuditRow) {
	type tieKey struct {
		user, service, id, account string
		svc                        int
	}
	keys := make([]tieKey, len(rows))
	idx := make([]int32, len(rows))
	for i := range rows {
		r := &rows[i]
		keys[i] = tieKey{r.UserName, r.Service, r.ID, r.AccountID(), serviceRank(r.Service)}
		idx[i] = int32(i)
	}
	slices.SortFunc(idx, func(i, j int32) int {
		a, b := &keys[i], &keys[j]
		if c := strings.Compare(a.user, b.user); c != 0 {
			return c
		}
		if c := cmp.Compare(a.svc, b.svc); c != 0 {
			return c
		}
		if c := strings.Compare(a.service, b.service); c != 0 {
			return c
		}
		return cmp.Or(strings.Compare(a.id, b.id), strings.Compare(a.account, b.account), cmp.Compare(i, j))
	})
	permute(rows, idx)
}

func compareTie(a, b *AuditRow) int {
	if a.UserName != b.UserName {
		return strings.Compare(a.UserName, b.UserName)
	}
	if a.Service != b.Service {
		if c := cmp.Compare(serviceRank(a.Service), serviceRank(b.Service)); c != 0 {
			return c
		}
		return strings.Compare(a.Service, b.Service)
	}
	if a.ID != b.ID {
		return strings.Compare(a.ID, b.ID)
	}
	return strings.Compare(a.AccountID(), b.AccountID())
}

// permute puts rows[idx[i]] at i, in place, following each cycle once: no second
// copy of the rows and their GC write barriers.
func permute(rows []AuditRow, idx []int32) {
	for start := range idx {
		if idx[start] < 0 || int(idx[start]) == start {
			continue
		}
		tmp := rows[start]
		i := start
		for {
			j := int(idx[i])
			idx[i] = -1
			if j == start {
				rows[i] = tmp
				break
			}
			rows[i] = rows[j]
			i = j
		}
	}
}

func statusRank(s Status) int {
	switch s {
	case Active:
		return 0
	case Inactive:
		return 1
	case Expired:
		return 2
	}
	return 3
}

func serviceRank(name string) int {
	for i, s := range catalog {
		if s.Name == name {
			return i
		}
	}
	return len(catalog)
}
