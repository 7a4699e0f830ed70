package model

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestParseTarget(t *testing.T) {
	cases := []struct {
		in   string
		want Target
	}{
		{"secretsmanager:ci/git", Target{Kind: TargetSecretsManager, Ref: "ci/git"}},
		{"secretsmanager:ci/git?create", Target{Kind: TargetSecretsManager, Ref: "ci/git", CreateSecret: true}},
		{"secretsmanager:ci/git?create=false&kms=alias/ci", Target{Kind: TargetSecretsManager, Ref: "ci/git", KMSKey: "alias/ci"}},
		{"SecretsManager:a?kms=arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab&create",
			Target{Kind: TargetSecretsManager, Ref: "a", CreateSecret: true, KMSKey: "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}},
		{"secretsmanager:arn:aws:secretsmanager:eu-west-1:111122223333:secret:ci/git-AbCdEf",
			Target{Kind: TargetSecretsManager, Ref: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:ci/git-AbCdEf"}},
		{"ssm:/ci/git", Target{Kind: TargetSSM, Ref: "/ci/git", SSMForm: SSMFormJSON}},
		{"ssm:/ci/git?form=secret&kms=alias/x", Target{Kind: TargetSSM, Ref: "/ci/git", SSMForm: SSMFormSecret, KMSKey: "alias/x"}},
		{"ssm:arn:aws:ssm:us-west-2:111122223333:parameter/ci/git", Target{Kind: TargetSSM, Ref: "arn:aws:ssm:us-west-2:111122223333:parameter/ci/git", SSMForm: SSMFormJSON}},
		{"exec:gh secret set GIT_PASSWORD --repo 'o/r?x'", Target{Kind: TargetExec, Ref: "gh secret set GIT_PASSWORD --repo 'o/r?x'", Timeout: DefaultExecTimeout}},
		{"file:./new?.csv", Target{Kind: TargetFile, Ref: "./new?.csv"}},
	}
	for _, c := range cases {
		got, err := ParseTarget(c.in)
		if err != nil {
			t.Errorf("ParseTarget(%q): %v", c.in, err)
			continue
		}
		if got != c.want {
			t.Errorf("ParseTarget(%q) = %+v, want %+v", c.in, got, c.want)
		}
		again, err := ParseTarget(got.String())
		if err != nil || again != got {
			t.Errorf("ParseTarget(%q.String() = %q) = %+v, %v: does not round-trip", c.in, got.String(), again, err)
		}
	}
}

func TestParseTargetRefuses(t *testing.T) {
	for _, in := range []string{
		"", "ci/git", "vault:x", "secretsmanager:", "secretsmanager:has space", "secretsmanager:a?form=json",
		"secretsmanager:a?create&create", "secretsmanager:a?kms=", "secretsmanager:a?kms", "secretsmanager:a?create=maybe",
		"secretsmanager:arn:aws:secretsmanager:eu-west-1:1111:secret:x", "ssm:/ci/git?create", "ssm:/ci/git?form=yaml",
		"ssm:/aws/reference/x", "ssm:ssm-x", "ssm:/a//b", "ssm:/a/", "ssm:/" + strings.Repeat("a/", 15) + "b", "ssm:/a b",
		"exec:", "exec:   ", "file:", "secretsmanager:\x1b[31mred",
	} {
		if got, err := ParseTarget(in); err == nil {
			t.Errorf("ParseTarget(%q) = %+v, want an error", in, got)
		} else if strings.Contains(err.Error(), "\x1b") {
			t.Errorf("ParseTarget(%q): error %q holds a raw escape", in, err)
		}
	}
}

func TestTargetARNParts(t *testing.T) {
	tg, err := ParseTarget("secretsmanager:arn:aws:secretsmanager:eu-west-1:111122223333:secret:ci/git-AbCdEf")
	if err != nil {
		t.Fatal(err)
	}
	if tg.Region() != "eu-west-1" || tg.Account() != "111122223333" || tg.Name() != "ci/git-AbCdEf" {
		t.Errorf("region %q account %q name %q", tg.Region(), tg.Account(), tg.Name())
	}
	p, _ := ParseTarget("ssm:arn:aws:ssm:us-west-2:111122223333:parameter/ci/git")
	if p.Region() != "us-west-2" || p.Account() != "111122223333" || p.Name() != "/ci/git" {
		t.Errorf("region %q account %q name %q", p.Region(), p.Account(), p.Name())
	}
	n, _ := ParseTarget("ssm:/ci/git")
	if n.Region() != "" || n.Account() != "" || n.Name() != "/ci/git" {
		t.Errorf("by name: region %q account %q name %q", n.Region(), n.Account(), n.Name())
	}
	e, _ := ParseTarget("exec:arn:aws:secretsmanager:eu-west-1:111122223333:secret:x")
	if e.Region() != "" || e.IsAWS() {
		t.Errorf("exec target read as an ARN: %q", e.Region())
	}
}

func TestMatchDelivery(t *testing.T) {
	rules := []DeliveryRule{
		{User: "ci-bot", Service: "git", To: "secretsmanager:ci/git"},
		{User: "ci-bot", Service: "bedrock.amazonaws.com", To: "ssm:/ci/bedrock?form=secret"},
		{User: "*", Service: "keyspaces", To: "exec:store-it"},
		{User: "ci-bot", Service: "*", To: "file:never.csv"}, // after the specific ones
	}
	cases := []struct {
		c    Credential
		want string
		ok   bool
	}{
		{Credential{UserName: "ci-bot", Service: CodeCommit}, "secretsmanager:ci/git", true},
		{Credential{UserName: "ci-bot", Service: Bedrock}, "ssm:/ci/bedrock?form=secret", true},
		{Credential{UserName: "alice", Service: Keyspaces}, "exec:store-it", true},
		{Credential{UserName: "ci-bot", Service: Logs}, "file:never.csv", true},
		{Credential{UserName: "alice", Service: CodeCommit}, "", false},
		{Credential{UserName: "ci-bot2", Service: CodeCommit}, "", false},
	}
	for _, c := range cases {
		got, ok := MatchDelivery(rules, c.c)
		if ok != c.ok || got.String() != c.want {
			t.Errorf("MatchDelivery(%s %s) = %q, %v; want %q, %v", c.c.UserName, c.c.Service, got, ok, c.want, c.ok)
		}
	}
	if _, ok := MatchDelivery([]DeliveryRule{{User: "*", Service: "*", To: "bogus"}}, Credential{UserName: "a"}); ok {
		t.Error("a rule whose target does not parse matched")
	}
}

func TestDeliveryRuleValidate(t *testing.T) {
	good := DeliveryRule{User: "ci-bot", Service: "git", To: "secretsmanager:ci/git"}
	if err := good.Validate(); err != nil {
		t.Errorf("%+v: %v", good, err)
	}
	for _, r := range []DeliveryRule{
		{User: "", Service: "git", To: "ssm:/a"},
		{User: "bad user", Service: "git", To: "ssm:/a"},
		{User: "a", Service: "nope", To: "ssm:/a"},
		{User: "a", Service: "git", To: "ssm:"},
	} {
		if r.Validate() == nil {
			t.Errorf("%+v validated", r)
		}
	}
}

func TestDeliveryDocument(t *testing.T) {
	created := time.Date(2026, 12, 7, 22, 0, 0, 0, time.FixedZone("x", 3600))
	c := Credential{ID: "ACCAEXAMPLE123EXAMPLE", UserName: "ci-bot", Service: CodeCommit, ServiceUserName: "ci-bot-at-111122223333", Created: created}
	s := NewSecret(c, `pa"ss\u202e`)
	doc := DeliveryDocument(s)
	want := `{"user":"ci-bot","service":"codecommit.amazonaws.com","credential_id":"ACCAEXAMPLE123EXAMPLE",` +
		`"login":"ci-bot-at-111122223333","secret":"pa\"ss\\u202e","created":"2026-12-07T21:00:00Z","expires":null}`
	if string(doc) != want {
		t.Errorf("document\n got %s\nwant %s", doc, want)
	}
	var back map[string]any
	if err := json.Unmarshal(doc, &back); err != nil || back["secret"] != s.Reveal() {
		t.Errorf("decoded %v, %v", back, err)
	}
	key := NewSecret(Credential{ID: "ACCAEXAMPLE123EXAMPLE", UserName: "ci-bot", Service: Bedrock, Alias: "ci-bot-at-111122223333",
		Created: created, Expires: created.AddDate(0, 0, 30)}, "ABSKsecret")
	var k map[string]any
	_ = json.Unmarshal(DeliveryDocument(key), &k)
	if k["login"] != "ci-bot-at-111122223333" || k["expires"] != "2027-01-06T21:00:00Z" {
		t.Errorf("API key document: %v", k)
	}
}

func TestDeliveryPayload(t *testing.T) {
	s := NewSecret(Credential{ID: "ACCAEXAMPLE123EXAMPLE", UserName: "u", Service: Bedrock, Alias: "u-at-1"}, "ABSKsecret")
	for in, want := range map[string]string{
		"secretsmanager:x":       string(DeliveryDocument(s)),
		"ssm:/x":                 string(DeliveryDocument(s)),
		"ssm:/x?form=secret":     "ABSKsecret",
		"exec:cat":               "ABSKsecret",
		"file:x.csv":             "user,service_name,credential_id,login,secret,expires\nu,bedrock.amazonaws.com,ACCAEXAMPLE123EXAMPLE,u-at-1,ABSKsecret,\n",
		"ssm:/x?form=json&kms=k": string(DeliveryDocument(s)),
	} {
		tg, err := ParseTarget(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := string(DeliveryPayload(tg, s)); got != want {
			t.Errorf("%s: payload %q, want %q", in, got, want)
		}
	}
}

func TestSameDelivered(t *testing.T) {
	if !SameDelivered([]byte("abc"), []byte("abc")) || SameDelivered([]byte("abc"), []byte("abd")) || SameDelivered(nil, []byte("x")) {
		t.Error("SameDelivered compares wrongly")
	}
}
