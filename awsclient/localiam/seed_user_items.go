package localiam

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// The seed and state file's groups, and what a user holds besides
// service-specific credentials (seed.go describes the format).

func buildGroup(st *state, fg fileGroup, now time.Time) error {
	if !groupNameSpec.valid(fg.Name) || fg.Name == "" || len(fg.Name) > groupNameSpec.max {
		return fmt.Errorf("group name must be 1-128 characters of %s", groupNameSpec.pattern)
	}
	g := &group{name: fg.Name, key: strings.ToLower(fg.Name), path: fg.Path}
	if st.groups[g.key] != nil {
		return fmt.Errorf("duplicate group name (names are case-insensitive)")
	}
	if g.path == "" {
		g.path = "/"
	}
	if !isPath(g.path) || len(g.path) > pathSpec.max {
		return fmt.Errorf("path %q must be / or /…/", g.path)
	}
	var err error
	if g.created, err = parseWhen(fg.Created, now); err != nil {
		return fmt.Errorf("created: %w", err)
	}
	g.id = groupID(st.account, g.key)
	st.groups[g.key] = g
	return nil
}

// buildUserItems adds fu's access keys, login profile, policies and groups to u.
func buildUserItems(st *state, u *user, fu fileUser, now time.Time, ids io.Reader) error {
	if len(fu.AccessKeys) > maxAccessKeysPerUser {
		return fmt.Errorf("more than %d access keys", maxAccessKeysPerUser)
	}
	for j, fk := range fu.AccessKeys {
		k := &accessKey{id: fk.ID, user: u}
		switch fk.Status {
		case "", statusActive:
		case statusInactive:
			k.inactive = true
		default:
			return fmt.Errorf("access_keys[%d]: status %q must be Active or Inactive", j, fk.Status)
		}
		var err error
		if k.created, err = parseWhen(fk.Created, now); err != nil {
			return fmt.Errorf("access_keys[%d]: created: %w", j, err)
		}
		if k.id == "" {
			k.id = randomIDN(ids, "AKIA", 16)
		}
		if !accessKeyIDSpec.valid(k.id) || len(k.id) < accessKeyIDSpec.min || len(k.id) > accessKeyIDSpec.max {
			return fmt.Errorf("access_keys[%d]: id %q must be 16-128 characters of [A-Za-z0-9_]", j, k.id)
		}
		if st.accessKeys[k.id] != nil {
			return fmt.Errorf("access_keys[%d]: duplicate access key id %s", j, k.id)
		}
		st.addAccessKey(k)
	}
	if fl := fu.LoginProfile; fl != nil {
		created, err := parseWhen(fl.Created, now)
		if err != nil {
			return fmt.Errorf("login_profile: created: %w", err)
		}
		u.login = &loginProfile{created: created, resetRequired: fl.ResetRequired}
	}
	for _, p := range fu.Attached {
		arn := p
		if !strings.HasPrefix(arn, "arn:") {
			arn = awsPolicyPrefix + p
		}
		if !policyExists(arn) {
			return fmt.Errorf("attached_policies: %s is not an AWS managed policy the endpoint knows", p)
		}
		if !slices.Contains(u.attached, arn) {
			u.attached = insertSorted(u.attached, arn, strings.Compare)
		}
	}
	if len(u.attached) > maxPoliciesPerUser {
		return fmt.Errorf("more than %d attached policies", maxPoliciesPerUser)
	}
	for j, fi := range fu.Inline {
		if !policyNameSpec.valid(fi.Name) || fi.Name == "" || len(fi.Name) > policyNameSpec.max || !json.Valid([]byte(fi.Document)) {
			return fmt.Errorf("inline_policies[%d]: want a name of %s and a JSON document", j, policyNameSpec.pattern)
		}
		p := inlinePolicy{name: fi.Name, document: fi.Document}
		i, found := slices.BinarySearchFunc(u.inline, p, compareInline)
		if found {
			return fmt.Errorf("inline_policies[%d]: duplicate name %s", j, fi.Name)
		}
		u.inline = slices.Insert(u.inline, i, p)
	}
	for _, name := range fu.Groups {
		g := st.group(name)
		if g == nil {
			return fmt.Errorf("groups: no group %q in the file's groups", name)
		}
		if !slices.Contains(u.groups, g) {
			u.groups = insertSorted(u.groups, g, compareGroups)
		}
	}
	return nil
}

// marshalUserItems writes back what buildUserItems reads.
func marshalUserItems(fu *fileUser, u *user) {
	for _, k := range u.keys {
		fk := fileAccessKey{ID: k.id, Created: stamp(k.created)}
		if k.inactive {
			fk.Status = statusInactive
		}
		fu.AccessKeys = append(fu.AccessKeys, fk)
	}
	if u.login != nil {
		fu.LoginProfile = &fileLoginProfile{Created: stamp(u.login.created), ResetRequired: u.login.resetRequired}
	}
	fu.Attached = slices.Clone(u.attached)
	for _, p := range u.inline {
		fu.Inline = append(fu.Inline, fileInline{Name: p.name, Document: p.document})
	}
	for _, g := range u.groups {
		fu.Groups = append(fu.Groups, g.name)
	}
}

// marshalGroups writes the account's groups, by name.
func (st *state) marshalGroups() []fileGroup {
	out := make([]fileGroup, 0, len(st.groups))
	for _, g := range st.groups {
		out = append(out, fileGroup{Name: g.name, Path: g.path, Created: stamp(g.created)})
	}
	slices.SortFunc(out, func(a, b fileGroup) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	return out
}
