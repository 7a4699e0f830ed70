package localiam

import (
	"crypto/rand"
	"net/url"
	"strings"
)

func (s *Server) writeUser(b *xmlBuilder, u *user) {
	b.text("Path", u.path)
	b.text("UserName", u.name)
	b.text("UserId", u.id)
	b.text("Arn", u.arn(s.account))
	b.time("CreateDate", u.created)
}

func (s *Server) listUsers(form url.Values) (*xmlBuilder, *apiError) {
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

	s.mu.RLock()
	defer s.mu.RUnlock()
	page, more := pageOf(s.st.userList, after, keep, maxItems)
	var b xmlBuilder
	b.list("Users", len(page), func(i int) { s.writeUser(&b, page[i]) })
	b.bool("IsTruncated", more)
	if more { // the Go paginator loops for as long as a Marker is present
		b.text("Marker", userMarker(page[len(page)-1]))
	}
	return &b, nil
}

func (s *Server) getUser(form url.Values) (*xmlBuilder, *apiError) {
	v := newValidator(form)
	name, hasName := v.str("UserName", "userName", existingUserNameSpec, false)
	if err := v.err(); err != nil {
		return nil, err
	}
	if !hasName {
		return nil, errNoCaller
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	u := s.st.user(name)
	if u == nil {
		return nil, noSuchUser(name)
	}
	var b xmlBuilder
	b.open("User")
	s.writeUser(&b, u)
	b.close("User")
	return &b, nil
}

func (s *Server) createUser(form url.Values) (*xmlBuilder, *apiError) {
	v := newValidator(form)
	name, _ := v.str("UserName", "userName", userNameSpec, true)
	path, hasPath := v.str("Path", "path", pathSpec, false)
	if err := v.err(); err != nil {
		return nil, err
	}
	if !hasPath {
		path = "/"
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.user(name) != nil { // names are unique case-insensitively
		return nil, userExists(name)
	}
	u := &user{name: name, key: strings.ToLower(name), path: path, id: s.newUserID(), created: s.clock()}
	s.st.addUser(u)
	var b xmlBuilder
	b.open("User")
	s.writeUser(&b, u)
	b.close("User")
	s.changed()
	return &b, nil
}

func (s *Server) deleteUser(form url.Values) (*xmlBuilder, *apiError) {
	v := newValidator(form)
	name, _ := v.str("UserName", "userName", existingUserNameSpec, true)
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.st.user(name)
	switch {
	case u == nil:
		return nil, noSuchUser(name)
	case len(u.creds) > 0:
		return nil, deleteConflict()
	}
	s.st.removeUser(u)
	s.changed()
	return nil, nil
}

// newUserID returns an unused AIDA… ID. Callers hold s.mu.
func (s *Server) newUserID() string {
	for {
		id := randomID(rand.Reader, "AIDA")
		if !s.st.userIDTaken(id) {
			return id
		}
	}
}
