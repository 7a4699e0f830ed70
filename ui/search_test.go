package ui

import (
	"strings"
	"testing"

	"iamcreds/awsclient/localiam"
	"iamcreds/model"
)

// typeFilter types q into the users filter and keeps it (enter).
func (d *driver) typeFilter(q string) {
	d.t.Helper()
	d.keys("/")
	for _, r := range q {
		d.keys(string(r))
	}
	d.keys("enter")
}

// / in the main view finds a user by a credential's id, Git user name or API
// key alias too; a match on a credential highlights it, and the user.
func TestFilterMatchesCredentials(t *testing.T) {
	t.Parallel()
	d, e, _ := start(t, localiam.Faults{}, false)
	find := func(user, login string) model.Credential {
		for _, c := range e.creds(t, user) {
			if strings.HasPrefix(c.Login(), login) {
				return c
			}
		}
		t.Fatalf("%s has no credential %s…", user, login)
		return model.Credential{}
	}
	var bedrock model.Credential // priya's Git credential comes first in the table
	for _, c := range e.creds(t, "priya") {
		if model.IsAPIKey(c) {
			bedrock = c
		}
	}
	for _, tc := range []struct {
		name, query, user string
		cred              model.Credential
	}{
		{"credential id", strings.ToLower(bedrock.ID[len(bedrock.ID)-6:]), "priya", bedrock},
		{"Git user name", "sofia+1-at", "sofia", find("sofia", "sofia+1-at")},
		{"API-key alias", "amara-at-1234", "amara", find("amara", "amara-at")},
	} {
		d.keys("esc") // no filter, the users table
		d.typeFilter(tc.query)
		u, ok := d.m.main.users.selected()
		if !ok || u.Name != tc.user || len(d.m.main.users.visible) != 1 {
			t.Fatalf("%s %q: selected %q of %d users, want %s alone:\n%s", tc.name, tc.query, u.Name, len(d.m.main.users.visible), tc.user, screenText(d.m))
		}
		if c, ok := d.m.main.highlighted(); !ok || c.ID != tc.cred.ID {
			t.Fatalf("%s %q: the highlighted credential is %s, want %s:\n%s", tc.name, tc.query, c.ID, tc.cred.ID, screenText(d.m))
		}
	}
	// sofia has two Git credentials: "sofia-at" matches her first one's user
	// name, the name "sofia" alone keeps the cursor where it was.
	d.keys("esc")
	d.typeFilter("sofia-at")
	if c, _ := d.m.main.highlighted(); c.ServiceUserName != "sofia-at-123456789012" {
		t.Fatalf("sofia-at highlights %s (%s)", c.ID, c.ServiceUserName)
	}
	d.keys("esc")
	d.typeFilter("zzz")
	// The message says what is searched, wrapped in the pane.
	mustContain(t, d.m, "No user name, credential id, Git user", `alias contains "zzz".`)
}
