package localiam

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
)

// Group memberships (ListGroupsForUser, AddUserToGroup, RemoveUserFromGroup).
// Groups themselves come from a seed or state file (fileState.Groups); there
// is no CreateGroup.

var groupNameSpec = strSpec{min: 1, max: 128, ok: isUserNameChar, pattern: `[\w+=,.@-]+`}

// noSuchGroup follows the user message [LS]; the group wording is UNCERTAIN.
func noSuchGroup(name string) *apiError {
	return &apiError{http.StatusNotFound, "NoSuchEntity", fmt.Sprintf("The group with name %s cannot be found.", name)}
}

// notInGroup: what AWS answers for a user that is not a member is UNCERTAIN.
func notInGroup(user, group string) *apiError {
	return &apiError{http.StatusNotFound, "NoSuchEntity", fmt.Sprintf("The user with name %s is not in the group %s.", user, group)}
}

func (a *account) writeGroup(b *xmlBuilder, g *group) {
	b.text("Path", g.path)
	b.text("GroupName", g.name)
	b.text("GroupId", g.id)
	b.text("Arn", g.arn(a.id))
	b.time("CreateDate", g.created)
}

func (a *account) listGroupsForUser(form url.Values) (*xmlBuilder, *apiError) {
	v := newValidator(form)
	marker, hasMarker, maxItems := v.paging()
	u, err := a.targetUser(v, existingUserNameSpec, true, true)
	if err != nil {
		return nil, err
	}
	defer a.mu.RUnlock()
	page, more, next, err := itemPage(u.groups, func(g *group) string { return g.key }, "g", marker, hasMarker, maxItems)
	if err != nil {
		return nil, err
	}
	var b xmlBuilder
	b.list("Groups", len(page), func(i int) { a.writeGroup(&b, page[i]) })
	writePageEnd(&b, more, next)
	return &b, nil
}

// membershipTarget validates GroupName + UserName and finds both: the group
// is looked up first, as the model lists GroupName first (UNCERTAIN). It
// returns with a.mu locked for writing unless it returns an error.
func (a *account) membershipTarget(form url.Values) (*user, *group, *apiError) {
	v := newValidator(form)
	name, _ := v.str("GroupName", "groupName", groupNameSpec, true)
	u, err := a.targetUser(v, existingUserNameSpec, true, false)
	if err != nil {
		return nil, nil, err
	}
	g := a.st.group(name)
	if g == nil {
		a.mu.Unlock()
		return nil, nil, noSuchGroup(name)
	}
	return u, g, nil
}

func (a *account) addUserToGroup(form url.Values) (*xmlBuilder, *apiError) {
	u, g, err := a.membershipTarget(form)
	if err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	switch {
	case slices.Contains(u.groups, g):
		return nil, nil // adding again changes nothing and succeeds
	case len(u.groups) >= maxGroupsPerUser:
		return nil, &apiError{http.StatusConflict, "LimitExceeded",
			fmt.Sprintf("Cannot exceed quota for GroupsPerUser: %d", maxGroupsPerUser)}
	}
	u.groups = insertSorted(u.groups, g, compareGroups)
	a.changed()
	return nil, nil
}

func (a *account) removeUserFromGroup(form url.Values) (*xmlBuilder, *apiError) {
	u, g, err := a.membershipTarget(form)
	if err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	i := slices.Index(u.groups, g)
	if i < 0 {
		return nil, notInGroup(u.name, g.name)
	}
	u.groups = slices.Delete(u.groups, i, i+1)
	a.changed()
	return nil, nil
}
