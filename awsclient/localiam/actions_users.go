package localiam

import (
	"crypto/rand"
	"net/url"
	"strings"
)

func (a *account) writeUser(b *xmlBuilder, u *user) {
	b.text("Path", u.path)
	b.text("UserName", u.name)
	b.text("UserId", u.id)
	b.text("Arn", u.arn(a.id))
	b.time("CreateDate", u.created)
}

func (a *account) listUsers(form url.Values) (*xmlBuilder, *apiError) {
	v := newValidator(form)
	prefix, hasPrefix := v.str("PathPrefix", "pathPrefix", pathPrefixSpec, false)
	marker, hasMarker, maxItems := v.paging()
	if err := v.err(); err != nil {
		return nil, err
	}
	var after, keep func(*user) bool
	if hasMarker {
		key, ok := parseUserMarker(marker)
		if !ok {
			return nil, errBadMarker
		}
		after = func(u *user) bool { return u.key > key }
	}
	if hasPrefix {
		keep = func(u *user) bool { return strings.HasPrefix(u.path, prefix) }
	}

	a.mu.RLock()
	defer a.mu.RUnlock()
	page, more := pageOf(a.st.userList, after, keep, maxItems)
	var b xmlBuilder
	b.list("Users", len(page), func(i int) { a.writeUser(&b, page[i]) })
	b.bool("IsTruncated", more)
	if more { // the Go paginator loops for as long as a Marker is present
		b.text("Marker", userMarker(page[len(page)-1]))
	}
	return &b, nil
}

func (a *account) getUser(form url.Values) (*xmlBuilder, *apiError) {
	v := newValidator(form)
	name, hasName := v.str("UserName", "userName", existingUserNameSpec, false)
	if err := v.err(); err != nil {
		return nil, err
	}
	if !hasName {
		return nil, errNoCaller
	}
	a.mu.RLock()
	defer a.mu.RUnlock()
	u := a.st.user(name)
	if u == nil {
		return nil, noSuchUser(name)
	}
	var b xmlBuilder
	b.open("User")
	a.writeUser(&b, u)
	b.close("User")
	return &b, nil
}

func (a *account) createUser(form url.Values) (*xmlBuilder, *apiError) {
	v := newValidator(form)
	name, _ := v.str("UserName", "userName", userNameSpec, true)
	path, hasPath := v.str("Path", "path", pathSpec, false)
	if err := v.err(); err != nil {
		return nil, err
	}
	if !hasPath {
		path = "/"
	}

	a.mu.Lock()
	defer a.mu.Unlock()
	if a.st.user(name) != nil { // names are unique case-insensitively
		return nil, userExists(name)
	}
	u := &user{name: name, key: strings.ToLower(name), path: path, id: a.newUserID(), created: a.clock()}
	a.st.addUser(u)
	var b xmlBuilder
	b.open("User")
	a.writeUser(&b, u)
	b.close("User")
	a.changed()
	return &b, nil
}

func (a *account) deleteUser(form url.Values) (*xmlBuilder, *apiError) {
	v := newValidator(form)
	name, _ := v.str("UserName", "userName", existingUserNameSpec, true)
	if err := v.err(); err != nil {
		return nil, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	u := a.st.user(name)
	if u == nil {
		return nil, noSuchUser(name)
	}
	if what := u.remaining(); what != "" {
		return nil, deleteConflict(what)
	}
	a.st.removeUser(u)
	a.changed()
	return nil, nil
}

// newUserID returns an unused AIDA… ID. Callers hold a.mu.
func (a *account) newUserID() string {
	for {
		id := randomID(rand.Reader, "AIDA")
		if !a.st.userIDTaken(id) {
			return id
		}
	}
}
