package model

import (
	"slices"
	"testing"
	"time"
)

func TestConsoleMade(t *testing.T) {
	for name, want := range map[string]string{
		"BedrockAPIKey-4f7q": Bedrock, "AeaApiKey-p5vj": ClaudePlatform,
		"BedrockAPIKey-": "", "bedrockapikey-4f7q": "", "alice": "", "xBedrockAPIKey-1": "",
	} {
		s, ok := ConsoleMade(name)
		if ok != (want != "") || s.Service != want {
			t.Errorf("ConsoleMade(%q) = %+v, %v; want %q", name, s, ok, want)
		}
	}
	users := []User{{Name: "alice"}, {Name: "BedrockAPIKey-a"}, {Name: "AeaApiKey-b"}}
	if got := SelectConsoleMade(users, ""); len(got) != 2 || got[0].Name != "BedrockAPIKey-a" {
		t.Errorf("SelectConsoleMade: %+v", got)
	}
	if got := SelectConsoleMade(users, ClaudePlatform); len(got) != 1 || got[0].Name != "AeaApiKey-b" {
		t.Errorf("SelectConsoleMade(Claude Platform): %+v", got)
	}
}

func TestJudgeUser(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	own := AttachedPolicy{Name: "AmazonBedrockLimitedAccess", ARN: "arn:aws:iam::aws:policy/AmazonBedrockLimitedAccess"}
	u := User{Name: "BedrockAPIKey-x"}
	live := Credential{UserName: u.Name, Service: Bedrock, Status: Active, Expires: now.Add(24 * time.Hour)}
	off := Credential{UserName: u.Name, Service: Bedrock, Status: Inactive}
	past := Credential{UserName: u.Name, Service: Bedrock, Status: Active, Expires: now.Add(-time.Hour)}
	expired := Credential{UserName: u.Name, Service: Bedrock, Status: Expired}
	for _, tc := range []struct {
		name     string
		h        Holdings
		creds    []Credential
		verdicts []string
		risks    []string
	}{
		{"in use", Holdings{Attached: []AttachedPolicy{own}}, []Credential{live}, []string{"ok"}, nil},
		{"inactive is still live", Holdings{Attached: []AttachedPolicy{own}}, []Credential{off}, []string{"ok"}, nil},
		{"key deleted", Holdings{Attached: []AttachedPolicy{own}, Groups: []string{"g"}}, nil, []string{"orphaned"}, nil},
		{"expired by date and by status", Holdings{}, []Credential{past, expired}, []string{"orphaned"}, nil},
		{"at risk", Holdings{
			AccessKeys:   []AccessKey{{ID: "AKIA1", Status: Inactive}},
			LoginProfile: true,
			Attached: []AttachedPolicy{own, {Name: "AdministratorAccess", ARN: "arn:aws:iam::aws:policy/AdministratorAccess"},
				{Name: "AmazonBedrockLimitedAccess", ARN: "arn:aws:iam::123456789012:policy/AmazonBedrockLimitedAccess"}},
			Inline: []string{"s3"},
		}, []Credential{live}, []string{"at-risk"}, []string{
			"access key AKIA1 (Inactive)", "console password", "policy AdministratorAccess",
			"policy AmazonBedrockLimitedAccess", "inline policy s3",
		}},
		{"orphaned and at risk", Holdings{LoginProfile: true}, nil, []string{"orphaned", "at-risk"}, []string{"console password"}},
	} {
		j := JudgeUser(u, tc.h, tc.creds, now)
		if !slices.Equal(j.Verdicts(), tc.verdicts) || !slices.Equal(j.Risks, tc.risks) || j.Console.Service != Bedrock {
			t.Errorf("%s: verdicts %v risks %q; want %v %q", tc.name, j.Verdicts(), j.Risks, tc.verdicts, tc.risks)
		}
	}
}

func TestJudgeUsers(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	users := []User{{Name: "BedrockAPIKey-b"}, {Name: "BedrockAPIKey-a"}, {Name: "BedrockAPIKey-gone"}}
	hs := []Holdings{{User: "BedrockAPIKey-b"}, {User: "BedrockAPIKey-a"}, {User: "BedrockAPIKey-gone", Gone: true}}
	creds := []Credential{{UserName: "BedrockAPIKey-a", Status: Active}, {UserName: "alice", Status: Active}}
	got := JudgeUsers(users, hs, creds, now)
	if len(got) != 2 || got[0].User.Name != "BedrockAPIKey-a" || got[0].Orphaned || len(got[0].Credentials) != 1 ||
		!got[1].Orphaned || CountFlaggedUsers(got) != 1 {
		t.Fatalf("JudgeUsers: %+v", got)
	}
}
