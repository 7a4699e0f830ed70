package localiam

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// holdingsOf lists what a user holds besides service-specific credentials, one
// call per list, as the raw bodies' results.
func holdingsOf(t *testing.T, s *Server, user string) []string {
	t.Helper()
	var out []string
	for _, action := range []string{"ListAccessKeys", "ListAttachedUserPolicies", "ListUserPolicies", "ListGroupsForUser"} {
		r := do(t, s, "Action", action, "UserName", user)
		wantOK(t, r, nil)
		out = append(out, resultOnly(r.body))
	}
	r := do(t, s, "Action", "GetLoginProfile", "UserName", user)
	if r.status != 404 {
		wantOK(t, r, nil)
	}
	return append(out, resultOnly(r.body))
}

func TestDemoConsoleUsers(t *testing.T) {
	s, clock := newServer(t, Config{Seed: "demo"})
	byUser := map[string][]xmlCred{}
	for _, c := range listAll(t, s, "100", "AllUsers", "true") {
		byUser[c.UserName] = append(byUser[c.UserName], c)
	}
	var healthy, orphaned, atRisk int
	for _, u := range listUsers(t, s) {
		prefix, policy := "", ""
		switch {
		case strings.HasPrefix(u.UserName, "BedrockAPIKey-"):
			prefix, policy = "BedrockAPIKey-", "AmazonBedrockLimitedAccess"
		case strings.HasPrefix(u.UserName, "AeaApiKey-"):
			prefix, policy = "AeaApiKey-", "AnthropicLimitedAccess"
		default:
			continue
		}
		if len(u.UserName) != len(prefix)+4 {
			t.Errorf("console user name %s", u.UserName)
		}
		h := holdingsOf(t, s, u.UserName)
		if !strings.Contains(h[1], "<PolicyName>"+policy+"</PolicyName>") {
			t.Errorf("%s lacks %s: %s", u.UserName, policy, h[1])
		}
		live := 0
		for _, c := range byUser[u.UserName] {
			if c.Status == "Active" {
				live++
			}
		}
		switch {
		case strings.Contains(h[0], "<AccessKeyId>") && strings.Contains(h[1], "AdministratorAccess"):
			atRisk++
		case live == 0:
			orphaned++
		default:
			healthy++
		}
	}
	if healthy < 1 || orphaned < 2 || atRisk != 1 {
		t.Fatalf("console-made users: %d healthy, %d orphaned, %d at risk", healthy, orphaned, atRisk)
	}
	if n := len(listAll(t, s, "100", "AllUsers", "true", "ServiceName", xray)); n != 2 {
		t.Fatalf("%d X-Ray keys", n)
	}
	// Deterministic, holdings and all.
	again, _ := newServer(t, Config{Seed: "demo", Now: clock.Now})
	if a, b := holdingsOf(t, s, "BedrockAPIKey-r8tn"), holdingsOf(t, again, "BedrockAPIKey-r8tn"); strings.Join(a, "") != strings.Join(b, "") {
		t.Fatalf("demo holdings differ:\n%v\n%v", a, b)
	}
}

func TestScaleConsoleUsers(t *testing.T) {
	s, _ := newServer(t, Config{Seed: "scale:1000"})
	console := 0
	for _, u := range listUsers(t, s) {
		if strings.HasPrefix(u.UserName, "BedrockAPIKey-") || strings.HasPrefix(u.UserName, "AeaApiKey-") {
			console++
		}
	}
	if console != 10 { // 1%
		t.Fatalf("%d console-made users of 1000", console)
	}
	if n := len(listAll(t, s, "1000", "AllUsers", "true", "ServiceName", xray)); n != 10 {
		t.Fatalf("%d X-Ray keys", n)
	}
	// Below the first console-made user, scale:N is what it was.
	small, _ := newServer(t, Config{Seed: "scale:42"})
	for _, u := range listUsers(t, small) {
		if strings.Contains(u.UserName, "APIKey") || strings.Contains(u.UserName, "ApiKey") {
			t.Fatalf("scale:42 has %s", u.UserName)
		}
	}
}

func TestOrgDemoConsoleUser(t *testing.T) {
	s, _ := newServer(t, Config{Seed: "org:demo"})
	prod := s.org.byID["111122223333"]
	if prod.st.user("AeaApiKey-p5vj") == nil || len(prod.st.user("AeaApiKey-p5vj").attached) != 1 {
		t.Fatal("Production has no orphaned Claude Platform user")
	}
}

// TestPersistenceHoldings: access keys, the login profile, policies and groups
// survive a restart from the state file; secrets and passwords are not in it.
func TestPersistenceHoldings(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	seed := filepath.Join(t.TempDir(), "seed.json")
	if err := os.WriteFile(seed, []byte(`{"users": [{"name": "ava"}], "groups": [{"name": "ops", "path": "/team/"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	s, clock := newServer(t, Config{StatePath: path, Seed: seed})
	var created struct {
		Secret string `xml:"CreateAccessKeyResult>AccessKey>SecretAccessKey"`
	}
	wantOK(t, do(t, s, "Action", "CreateAccessKey", "UserName", "ava"), &created)
	for _, kv := range [][]string{
		{"Action", "CreateLoginProfile", "UserName", "ava", "Password", "p4ssw0rd-never-stored"},
		{"Action", "AttachUserPolicy", "UserName", "ava", "PolicyArn", "arn:aws:iam::aws:policy/ReadOnlyAccess"},
		{"Action", "PutUserPolicy", "UserName", "ava", "PolicyName", "p", "PolicyDocument", `{"Version":"2012-10-17"}`},
		{"Action", "AddUserToGroup", "UserName", "ava", "GroupName", "ops"},
	} {
		wantOK(t, do(t, s, kv...), nil)
	}
	before := holdingsOf(t, s, "ava")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	if strings.Contains(string(data), created.Secret) || strings.Contains(string(data), "p4ssw0rd") {
		t.Fatalf("a secret was persisted:\n%s", data)
	}
	s2, _ := newServer(t, Config{StatePath: path, Now: clock.Now})
	if after := holdingsOf(t, s2, "ava"); strings.Join(before, "\n") != strings.Join(after, "\n") {
		t.Fatalf("reloaded holdings differ:\n%v\n%v", before, after)
	}
	wantError(t, do(t, s2, "Action", "DeleteUser", "UserName", "ava"), 409, "DeleteConflict", "Cannot delete entity, must delete login profile first.")
}

func TestUserItemsValidation(t *testing.T) {
	s, _ := newServer(t, Config{Seed: "demo"})
	for _, c := range []struct {
		kv           []string
		status       int
		code, prefix string
	}{
		{[]string{"Action", "ListAccessKeys"}, 400, "ValidationError", "Must specify userName"},
		{[]string{"Action", "UpdateAccessKey", "UserName", "sofia", "AccessKeyId", "AKIA-BAD", "Status", "Active"}, 400, "ValidationError",
			"1 validation error detected: Value at 'accessKeyId' failed to satisfy constraint: Member must have length greater than or equal to 16"},
		{[]string{"Action", "UpdateAccessKey", "UserName", "sofia", "AccessKeyId", "AKIAAAAAAAAAAAAAAAAA", "Status", "Expired"}, 400, "ValidationError", "1 validation error detected: Value at 'status'"},
		{[]string{"Action", "AttachUserPolicy", "UserName", "sofia", "PolicyArn", "not-an-arn-but-long-enough"}, 400, "InvalidInput", "ARN not-an-arn-but-long-enough is not valid."},
		{[]string{"Action", "AttachUserPolicy", "PolicyArn", "arn:aws:iam::aws:policy/ReadOnlyAccess"}, 400, "ValidationError",
			"1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null"},
		{[]string{"Action", "ListAttachedUserPolicies", "UserName", "sofia", "PathPrefix", "no-slash"}, 400, "ValidationError", "1 validation error detected: Value at 'pathPrefix'"},
		{[]string{"Action", "PutUserPolicy", "UserName", "sofia", "PolicyName", "x", "PolicyDocument", `{"a":"` + strings.Repeat("b", 2050) + `"}`}, 409, "LimitExceeded", "Maximum policy size of 2048 bytes exceeded for user sofia"},
		{[]string{"Action", "ListGroupsForUser", "UserName", "sofia", "Marker", "bogus"}, 400, "ValidationError", "Invalid Marker"},
		{[]string{"Action", "AddUserToGroup", "UserName", "ghost", "GroupName", "developers"}, 404, "NoSuchEntity", "The user with name ghost cannot be found."},
	} {
		r := do(t, s, c.kv...)
		wantError(t, r, c.status, c.code, "~^"+regexpQuote(c.prefix))
	}
}

func regexpQuote(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`\.+*?()|[]{}^$`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
