package ui

import (
	"testing"

	"iamcreds/model"
)

// whoisOrg is the organization view with twins (a user twin in Production and
// in Staging), each holding a Bedrock key too; keys are the keys, by account.
func whoisOrg(t *testing.T) (*orgRun, *whoisRun, map[string]model.Credential, map[string]string) {
	t.Helper()
	r := startOrg(t, orgSetup{before: twins})
	creds, keys := map[string]model.Credential{}, map[string]string{}
	for _, id := range []string{orgProduction, orgStaging} {
		creds[id], keys[id] = mint(t, r.as(id), "twin")
	}
	r.keys_("ctrl+r") // the organization view reads the new keys
	w := &whoisRun{driver: r.driver}
	w.watch(120, 36)
	return r, w, creds, keys
}

// bedrockOf is twin's Bedrock key in account, as the account holds it.
func bedrockOf(r *orgRun, account string) model.Credential {
	r.t.Helper()
	for _, c := range r.creds(account, "twin") {
		if c.Service == bedrockService {
			return c
		}
	}
	r.t.Fatalf("twin has no Bedrock key in %s", account)
	return model.Credential{}
}

// On the organization view, the key of Staging's twin selects Staging's row
// (not Production's twin), clearing the account filter that hid it; the
// deactivation goes to Staging through Staging's role.
func TestWhoisOnTheOrgViewSelectsTheRow(t *testing.T) {
	t.Parallel()
	r, w, creds, keys := whoisOrg(t)
	r.keys_("c") // the first account alone: Data platform
	if r.m.orgView.filter.Account == "" || r.m.orgView.filter.Account == orgStaging {
		t.Fatalf("account filter %q", r.m.orgView.filter.Account)
	}
	w.paste(keys[orgStaging])
	row, ok := r.m.orgView.row()
	if !ok || row.AccountID() != orgStaging || row.ID != creds[orgStaging].ID || r.m.active != screenOrg {
		t.Fatalf("row %+v on screen %v, want Staging's %s", row, r.m.active, creds[orgStaging].ID)
	}
	if r.m.orgView.filter.Account != "" {
		t.Fatal("the account filter that hid the row stays")
	}
	mustContain(t, r.m, "[▸Deactivate now◂]", "Staging (444455556666)", "Filters cleared")
	r.keys_("enter")
	if c := bedrockOf(r, orgStaging); c.Status != model.Inactive {
		t.Fatalf("Staging's twin key is %s", c.Status)
	}
	if c := bedrockOf(r, orgProduction); c.Status != model.Active {
		t.Fatalf("Production's twin key changed: %s", c.Status)
	}
	mustContain(t, r.m, "in Staging (444455556666) is now Inactive")
	w.holdsNoKey()
}

// In an account opened from the organization view, a key of another account
// opens that account, with the key's credential selected on its main screen.
func TestWhoisInAnOpenAccountSwitchesToTheKeys(t *testing.T) {
	t.Parallel()
	r, w, creds, keys := whoisOrg(t)
	r.toRow(orgProduction, "maria")
	r.keys_("enter")
	if r.m.acct.info.ID != orgProduction {
		t.Fatalf("open account %s", r.m.acct.info.ID)
	}
	w.paste(keys[orgStaging])
	if r.m.acct.info.ID != orgStaging || r.m.active != screenMain {
		t.Fatalf("account %s, screen %v", r.m.acct.info.ID, r.m.active)
	}
	if c, ok := selectedCred(r.m); !ok || c.ID != creds[orgStaging].ID {
		t.Fatalf("selected %+v, want %s", c, creds[orgStaging].ID)
	}
	mustContain(t, r.m, "account Staging (444455556666)", "[▸Deactivate now◂]")
	r.keys_("enter")
	if c := bedrockOf(r, orgStaging); c.Status != model.Inactive {
		t.Fatalf("Staging's twin key is %s", c.Status)
	}
	if c := bedrockOf(r, orgProduction); c.Status != model.Active {
		t.Fatalf("Production's twin key changed: %s", c.Status)
	}
	w.holdsNoKey()
}

// A key of an account that is not in the organization, or that could not be
// read, is said so; nothing is selected or written.
func TestWhoisOrgKeyOfAnAccountNotRead(t *testing.T) {
	t.Parallel()
	r, w, _, _ := whoisOrg(t)
	for key, want := range map[string]string{
		handMade("x-at-999999999999"):    "belongs to account 999999999999, which is not among",
		handMade("x-at-" + orgSandbox):   "which could not be read",
		handMade("nobody-at-" + orgData): "Not found (deleted, or another account): no user nobody",
	} {
		w.paste(key)
		d := r.m.dialogs.top().(*whoisDialog)
		says(t, r.m, d, want)
		r.keys_("enter")
		w.holdsNoKey(d)
	}
	if r.m.active != screenOrg {
		t.Fatalf("screen %v", r.m.active)
	}
}
