package localiam

import (
	"cmp"
	"encoding/base64"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

const (
	statusActive   = "Active"
	statusInactive = "Inactive"
	statusExpired  = "Expired"

	maxCredsPerService = 2   // per user and service (contract §4.2)
	defaultMaxItems    = 100 // IAM's default page size
)

type user struct {
	name    string // as created; lookups are case-insensitive
	key     string // lower-cased name: the identity and the sort key
	path    string
	id      string
	created time.Time
	creds   []*cred // sorted by credCompare

	keys     []*accessKey   // sorted by compareAccessKeys
	login    *loginProfile  // nil: no console password
	attached []string       // managed policy ARNs, sorted
	inline   []inlinePolicy // sorted by name
	groups   []*group       // sorted by key
}

func (u *user) arn(account string) string {
	return "arn:aws:iam::" + account + ":user" + u.path + u.name
}

type cred struct {
	id       string
	service  string
	user     *user
	slot     int  // 0 → "name-at-acct", 1 → "name+1-at-acct"
	inactive bool // the stored status; Expired is derived from expires
	created  time.Time
	expires  time.Time // zero: never
}

// status is computed at read time so that a key past its ExpirationDate reads
// Expired without any background job.
func (c *cred) status(now time.Time) string {
	switch {
	case c.expired(now):
		return statusExpired
	case c.inactive:
		return statusInactive
	}
	return statusActive
}

func (c *cred) expired(now time.Time) bool {
	return !c.expires.IsZero() && !now.Before(c.expires)
}

// serviceUserName is both the ServiceUserName of password credentials and the
// ServiceCredentialAlias of API keys (contract §4.2, §4.3).
func (c *cred) serviceUserName(account string) string {
	if c.slot == 0 {
		return c.user.name + "-at-" + account
	}
	return c.user.name + "+" + strconv.Itoa(c.slot) + "-at-" + account
}

// credKey is a credential's position in the stable listing order: user name, then
// creation time, then ID.
type credKey struct {
	user    string
	created int64
	id      string
}

func (c *cred) key() credKey { return credKey{c.user.key, c.created.UnixNano(), c.id} }

func compareCredKeys(a, b credKey) int {
	if c := strings.Compare(a.user, b.user); c != 0 {
		return c
	}
	if c := cmp.Compare(a.created, b.created); c != 0 {
		return c
	}
	return strings.Compare(a.id, b.id)
}

func credCompare(a, b *cred) int { return compareCredKeys(a.key(), b.key()) }

func userCompare(a, b *user) int { return strings.Compare(a.key, b.key) }

// state is the account's users and credentials with the indexes that keep every
// list request O(log n + page): sorted slices, maintained on each mutation.
type state struct {
	account   string
	users     map[string]*user // by key
	userIDs   map[string]*user
	userList  []*user          // sorted by key
	creds     map[string]*cred // by ID
	all       []*cred          // sorted by credCompare
	byService map[string][]*cred

	accessKeys map[string]*accessKey // by ID
	groups     map[string]*group     // by key (the lower-cased name)
}

func newState(account string) *state {
	return &state{
		account:   account,
		users:     map[string]*user{},
		userIDs:   map[string]*user{},
		creds:     map[string]*cred{},
		byService: map[string][]*cred{},

		accessKeys: map[string]*accessKey{},
		groups:     map[string]*group{},
	}
}

func (st *state) user(name string) *user { return st.users[strings.ToLower(name)] }

func insertSorted[T any](list []T, v T, compare func(T, T) int) []T {
	i, _ := slices.BinarySearchFunc(list, v, compare)
	return slices.Insert(list, i, v)
}

func removeSorted[T comparable](list []T, v T, compare func(T, T) int) []T {
	i, found := slices.BinarySearchFunc(list, v, compare)
	if found && list[i] == v {
		return slices.Delete(list, i, i+1)
	}
	return list
}

func (st *state) userIDTaken(id string) bool { return st.userIDs[id] != nil }

func (st *state) addUser(u *user) {
	st.users[u.key] = u
	st.userIDs[u.id] = u
	st.userList = insertSorted(st.userList, u, userCompare)
}

func (st *state) removeUser(u *user) {
	delete(st.users, u.key)
	delete(st.userIDs, u.id)
	st.userList = removeSorted(st.userList, u, userCompare)
}

func (st *state) addCred(c *cred) {
	st.creds[c.id] = c
	c.user.creds = insertSorted(c.user.creds, c, credCompare)
	st.all = insertSorted(st.all, c, credCompare)
	st.byService[c.service] = insertSorted(st.byService[c.service], c, credCompare)
}

func (st *state) removeCred(c *cred) {
	delete(st.creds, c.id)
	c.user.creds = removeSorted(c.user.creds, c, credCompare)
	st.all = removeSorted(st.all, c, credCompare)
	st.byService[c.service] = removeSorted(st.byService[c.service], c, credCompare)
}

// freeSlot returns the lowest unused name slot of u for service, or -1 at the
// limit. Every credential counts, whatever its status (contract §4.2: UNCERTAIN,
// recommended "they count").
func (u *user) freeSlot(service string) int {
	used := make([]bool, maxCredsPerService)
	for _, c := range u.creds {
		if c.service == service && c.slot < maxCredsPerService {
			used[c.slot] = true
		}
	}
	return slices.Index(used, false)
}

// Markers are opaque to clients; they carry the key of the last item returned so
// that the next page starts after it even if the list changed in between.

func userMarker(u *user) string {
	return base64.RawURLEncoding.EncodeToString([]byte("u\x00" + u.key))
}

func parseUserMarker(m string) (string, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(m)
	if err != nil {
		return "", false
	}
	key, ok := strings.CutPrefix(string(raw), "u\x00")
	return key, ok
}

func credMarker(c *cred) string {
	k := c.key()
	return base64.RawURLEncoding.EncodeToString([]byte("c\x00" + k.user + "\x00" + strconv.FormatInt(k.created, 10) + "\x00" + k.id))
}

func parseCredMarker(m string) (credKey, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(m)
	if err != nil {
		return credKey{}, false
	}
	parts := strings.Split(string(raw), "\x00")
	if len(parts) != 4 || parts[0] != "c" {
		return credKey{}, false
	}
	created, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil {
		return credKey{}, false
	}
	return credKey{parts[1], created, parts[3]}, true
}

// pageOf returns up to max items of the sorted list that satisfy keep, starting at
// the first item for which after is true (after is monotonic; nil: from the
// start), and whether more such items follow.
func pageOf[T any](list []T, after func(T) bool, keep func(T) bool, max int) (page []T, truncated bool) {
	start := 0
	if after != nil {
		start = sort.Search(len(list), func(i int) bool { return after(list[i]) })
	}
	for _, v := range list[start:] {
		if keep != nil && !keep(v) {
			continue
		}
		if len(page) == max {
			return page, true
		}
		page = append(page, v)
	}
	return page, false
}
