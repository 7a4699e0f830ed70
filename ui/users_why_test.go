package ui

import (
	"strings"
	"testing"
	"time"

	"iamcreds/model"
)

// A user both orphaned and at risk shows its risks first: the Why cell is
// cut at the table's width, and what it holds (the access key again, the
// service's own policy) must not push the risk out of sight.
func TestUserWhyPutsTheRisksFirst(t *testing.T) {
	j := model.JudgedUser{
		User:     model.User{Name: "BedrockAPIKey-k2wd"},
		Orphaned: true,
		Holdings: model.Holdings{
			AccessKeys: []model.AccessKey{{ID: "AKIAEXAMPLE", Status: model.Active}},
			Attached:   []model.AttachedPolicy{{Name: "AmazonBedrockLimitedAccess"}, {Name: "ReadOnlyAccess"}},
		},
		Risks: []string{"access key AKIAEXAMPLE (Active)", "policy ReadOnlyAccess"},
	}
	got := userWhy(j, time.Now())
	if !strings.HasPrefix(got, "access key AKIAEXAMPLE (Active); policy ReadOnlyAccess; no live credential; holds ") {
		t.Fatalf("why: %q", got)
	}
}
