package localiam

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"time"
)

// What an IAM user holds besides service-specific credentials: access keys, a
// console password (login profile), managed policies attached, inline
// policies and group memberships. The console's API-key flow makes users that
// hold these (contract §4.3), and DeleteUser refuses a user until they are gone.

const (
	maxAccessKeysPerUser = 2  // IAM quota AccessKeysPerUser (contract §3.6 quotes its message)
	maxPoliciesPerUser   = 10 // IAM quota "managed policies per user", default 10 [Docs IAM quotas]
	maxGroupsPerUser     = 10 // IAM quota "groups per user" [Docs IAM quotas]
	// maxInlineBytes is the inline policy quota of a user: the sum of its
	// documents, whitespace not counted [Docs IAM quotas: 2,048 characters].
	maxInlineBytes = 2048
)

type accessKey struct {
	id       string
	user     *user
	inactive bool
	created  time.Time
}

// sortKey orders a user's keys by creation, then ID: the order of the listing
// and its markers.
func (k *accessKey) sortKey() string { return fmt.Sprintf("%020d\x00%s", k.created.UnixNano(), k.id) }

func (k *accessKey) status() string {
	if k.inactive {
		return statusInactive
	}
	return statusActive
}

type loginProfile struct {
	created       time.Time
	resetRequired bool
}

type inlinePolicy struct {
	name     string
	document string
}

type group struct {
	name    string // as created; lookups are case-insensitive
	key     string
	path    string
	id      string
	created time.Time
}

func (g *group) arn(account string) string {
	return "arn:aws:iam::" + account + ":group" + g.path + g.name
}

// groupID is the AGPA… ID of a group: derived, so that seeding groups draws
// nothing from the seed's random source and leaves the other IDs as they were.
func groupID(accountID, key string) string { return derivedID("AGPA", 17, "group", accountID, key) }

func (st *state) group(name string) *group { return st.groups[strings.ToLower(name)] }

func (st *state) addAccessKey(k *accessKey) {
	st.accessKeys[k.id] = k
	k.user.keys = insertSorted(k.user.keys, k, compareAccessKeys)
}

func (st *state) removeAccessKey(k *accessKey) {
	delete(st.accessKeys, k.id)
	k.user.keys = removeSorted(k.user.keys, k, compareAccessKeys)
}

func compareAccessKeys(a, b *accessKey) int { return strings.Compare(a.sortKey(), b.sortKey()) }

func compareGroups(a, b *group) int { return strings.Compare(a.key, b.key) }

func compareInline(a, b inlinePolicy) int { return strings.Compare(a.name, b.name) }

// inlineSize is what counts towards maxInlineBytes: the documents without
// whitespace, as IAM counts them.
func (u *user) inlineSize(skip string) int {
	n := 0
	for _, p := range u.inline {
		if p.name == skip {
			continue
		}
		n += len(strings.Join(strings.Fields(p.document), ""))
	}
	return n
}

// remaining names the first thing, in the order the DeleteUser reference lists
// them, that keeps u from being deleted, as the DeleteConflict message says it,
// or "" when nothing does.
//
// The reference's order: password (DeleteLoginProfile), access keys, signing
// certificates, SSH keys, Git credentials (DeleteServiceSpecificCredential),
// MFA devices, inline policies, attached managed policies, group memberships
// [Model DeleteUser doc]. Which conflict AWS reports when several remain is
// UNCERTAIN; the first in that order is chosen. The messages:
//   - login profile: "must delete login profile first." [3P cloud-custodian#1663, aws-nuke#750]
//   - access keys: "must delete access keys first." (UNCERTAIN: by analogy)
//   - service-specific credentials: "must remove referenced objects first." [LS, validated]
//   - inline policies: "must delete policies first." (UNCERTAIN: by analogy)
//   - attached policies: "must detach all policies first." [3P terraform#9900]
//   - groups: "must remove users from group first." [3P mozilla-services/userplex#17]
func (u *user) remaining() string {
	switch {
	case u.login != nil:
		return "must delete login profile first."
	case len(u.keys) > 0:
		return "must delete access keys first."
	case len(u.creds) > 0:
		return "must remove referenced objects first."
	case len(u.inline) > 0:
		return "must delete policies first."
	case len(u.attached) > 0:
		return "must detach all policies first."
	case len(u.groups) > 0:
		return "must remove users from group first."
	}
	return ""
}

// Markers of the per-user lists carry the sort key of the last item returned.

func itemMarker(kind, key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(kind + "\x00" + key))
}

func parseItemMarker(kind, m string) (string, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(m)
	if err != nil {
		return "", false
	}
	return strings.CutPrefix(string(raw), kind+"\x00")
}

// itemPage is one page of a user's sorted list, by the list's marker kind.
func itemPage[T any](list []T, key func(T) string, kind, marker string, hasMarker bool, max int) ([]T, bool, string, *apiError) {
	var after func(T) bool
	if hasMarker {
		last, ok := parseItemMarker(kind, marker)
		if !ok {
			return nil, false, "", errBadMarker
		}
		after = func(v T) bool { return key(v) > last }
	}
	page, more := pageOf(list, after, nil, max)
	next := ""
	if more {
		next = itemMarker(kind, key(page[len(page)-1]))
	}
	return page, more, next, nil
}

// writePageEnd writes IsTruncated, and the Marker when there is more.
func writePageEnd(b *xmlBuilder, more bool, marker string) {
	b.bool("IsTruncated", more)
	if more {
		b.text("Marker", marker)
	}
}

func containsFold(list []string, s string) bool {
	return slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(x, s) })
}
