package model

import (
	"slices"
	"testing"
)

func TestSelectAccounts(t *testing.T) {
	all := []Account{{ID: "111111111111"}, {ID: "222222222222"}, {ID: "333333333333"}}
	sel, unknown := SelectAccounts(all, []string{" 333333333333", "111111111111", "999999999999", "", "000000000000"})
	if len(sel) != 2 || sel[0].ID != "111111111111" || sel[1].ID != "333333333333" || !slices.Equal(unknown, []string{"000000000000", "999999999999"}) {
		t.Fatalf("selected %v, unknown %v", sel, unknown)
	}
}

func TestAccountLabelAndStatus(t *testing.T) {
	for _, c := range []struct {
		a      Account
		label  string
		active bool
	}{
		{Account{ID: "210000000001", Name: "Production", Status: AccountActive}, "Production (210000000001)", true},
		{Account{ID: "210000000002", Status: AccountSuspended}, "210000000002", false},
		{Account{ID: "123456789012", Profile: "prod"}, "profile prod (123456789012)", true},
		{Account{Profile: "broken"}, "profile broken", true},
		{Account{ID: "210000000003", Name: "Old", Status: AccountPendingClosure}, "Old (210000000003)", false},
	} {
		if got := c.a.Label(); got != c.label || c.a.Active() != c.active {
			t.Errorf("%+v: label %q active %v", c.a, got, c.a.Active())
		}
	}
	results := []AccountInventory{{}, {Skipped: "account is SUSPENDED"}, {Err: Errorf(KindAccessDenied, "denied")}}
	if CountFailed(results) != 1 || !results[0].Read() || results[1].Read() || results[2].Read() {
		t.Fatal("CountFailed/Read")
	}
}
