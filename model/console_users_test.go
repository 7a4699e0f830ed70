package model

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
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

// Every format has the users' section when AuditMeta.Users is set, none
// when it is nil; JSON stays one valid document, CSV's users stay comment
// lines without a comma (IAM allows one in a name).
func TestUsersSection(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	u := JudgeUser(User{Name: "BedrockAPIKey-a,b", Created: now.Add(-48 * time.Hour)},
		Holdings{LoginProfile: true, Groups: []string{"g"}}, nil, now)
	rows := []AuditRow{NewAuditRow(Credential{ID: "ACCAEXAMPLEEXAMPLE01", UserName: "alice", Service: CodeCommit, Status: Active, Created: now}, now, 0)}
	for _, f := range ExportFormats {
		var with, without strings.Builder
		if err := WriteAuditReport(&with, rows, f, AuditMeta{GeneratedAt: now, Users: []JudgedUser{u}}); err != nil {
			t.Fatal(err)
		}
		if err := WriteAuditReport(&without, rows, f, AuditMeta{GeneratedAt: now}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(with.String(), "BedrockAPIKey-a") || strings.Contains(without.String(), "BedrockAPIKey") ||
			!strings.Contains(with.String(), "console password") {
			t.Errorf("%s: with users\n%s\nwithout\n%s", f, with.String(), without.String())
		}
		switch f {
		case FormatJSON:
			var doc struct{ Users []map[string]any }
			if err := json.Unmarshal([]byte(with.String()), &doc); err != nil || len(doc.Users) != 1 ||
				fmt.Sprint(doc.Users[0]["verdicts"]) != "[orphaned at-risk]" {
				t.Errorf("JSON users %v: %v\n%s", doc.Users, err, with.String())
			}
		case FormatJSONL:
			for _, l := range strings.Split(strings.TrimSpace(with.String()), "\n") {
				if !json.Valid([]byte(l)) {
					t.Errorf("JSON Line %q", l)
				}
			}
		case FormatCSV:
			r := csv.NewReader(strings.NewReader(with.String()))
			r.Comment = '#'
			recs, err := r.ReadAll()
			if err != nil || len(recs) != 2 {
				t.Errorf("CSV: %d records, %v", len(recs), err)
			}
			for _, l := range strings.Split(with.String(), "\n") {
				if strings.HasPrefix(l, "#") && strings.ContainsAny(l, `,"`) {
					t.Errorf("CSV comment line with a comma or quote: %q", l)
				}
			}
		}
	}
}
