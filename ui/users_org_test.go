package ui

import (
	"context"
	"net/url"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
)

// The organization view counts every account's console-made users and lists
// them with their account. A user of one name in two accounts is held by
// account and name: the cleanup of Staging's goes to Staging, through its
// role, and Production's stays.
func TestOrgCleansUpInTheRowsAccount(t *testing.T) {
	t.Parallel()
	r := startOrg(t, orgSetup{w: 160, h: 36, before: func(r *orgRun) {
		r.post(orgStaging, url.Values{"Action": {"CreateUser"}, "UserName": {"AeaApiKey-p5vj"}})
	}})
	mustContain(t, r.m, "Console-made users: 4 orphaned, 1 at risk in 3 accounts — U lists them")
	r.keys_("U")
	mustContain(t, r.m, "Console-made users · 7 of 7 users · 4 orphaned · 1 at risk", "Management", "Production", "Staging")
	l := r.m.orgView.users
	found := false
	for i, row := range l.visible {
		if row.acct.info.ID == orgStaging && row.j.User.Name == "AeaApiKey-p5vj" {
			l.table.SetCursor(i)
			found = true
		}
	}
	if !found {
		t.Fatalf("Staging's user is not listed:\n%s", screenText(r.m))
	}
	r.keys_("enter")
	mustContain(t, r.m, "Account: Staging (444455556666)", "Remove AeaApiKey-p5vj?", "nothing but the user itself")
	r.Send(keyRunes("AeaApiKey-p5vj"))
	r.settle()
	r.keys_("enter")
	mustContain(t, r.m, "Removed AeaApiKey-p5vj", "1. ✓ done: delete the user")
	has := func(account string) bool {
		users, err := r.as(account).ListUsers(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range users {
			if u.Name == "AeaApiKey-p5vj" {
				return true
			}
		}
		return false
	}
	if has(orgStaging) || !has(orgProduction) {
		t.Fatalf("after the cleanup Staging has it: %v, Production has it: %v", has(orgStaging), has(orgProduction))
	}
	r.keys_("enter")
	mustContain(t, r.m, "6 of 6 users · 3 orphaned")
}

// The organization view names, as the fleet does, a service a user's own
// listing showed that an account's scan does not list.
func TestOrgNamesAnUnscannedService(t *testing.T) {
	t.Parallel()
	r := startOrg(t, orgSetup{w: 200, h: 36})
	a := r.m.org.byKey[orgProduction]
	a.cache.applyListing("maria", a.cache.tag(), []model.Credential{{ID: "ACCANEXT", UserName: "maria", Service: "next.amazonaws.com", Status: model.Active}}, nil)
	r.settle()
	r.keys_("g") // any key: the view syncs
	mustContain(t, r.m, "next.amazonaws.com is not scanned", `services = ["next.amazonaws.com"]`)
}

// keyRunes is text typed at once.
func keyRunes(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }
