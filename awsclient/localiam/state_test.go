package localiam

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func resultOnly(body string) string { return requestIDTag.ReplaceAllString(body, "") }

func TestPersistence(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	s, clock := newServer(t, Config{StatePath: path, AccountID: "444455556666"})
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("state file after New: %v %v", st, err)
	}
	createUser(t, s, "Lena", "Path", "/data/")
	c1 := createCred(t, s, "lena", codecommit)
	c2 := createCred(t, s, "lena", codecommit)
	k := createCred(t, s, "lena", bedrock, "CredentialAgeDays", "7")
	wantOK(t, do(t, s, "Action", "UpdateServiceSpecificCredential", "UserName", "lena", "ServiceSpecificCredentialId", c1.ServiceSpecificCredentialId, "Status", "Inactive"), nil)
	wantOK(t, do(t, s, "Action", "DeleteServiceSpecificCredential", "UserName", "lena", "ServiceSpecificCredentialId", c2.ServiceSpecificCredentialId), nil)
	createUser(t, s, "gone")
	wantOK(t, do(t, s, "Action", "DeleteUser", "UserName", "gone"), nil)

	// Every mutation is on disk before its response: read the file without Close.
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{c1.ServicePassword, c2.ServicePassword, k.ServiceCredentialSecret} {
		if strings.Contains(string(data), secret) {
			t.Fatal("a secret was persisted")
		}
	}
	if !strings.Contains(string(data), c1.ServiceSpecificCredentialId) || strings.Contains(string(data), c2.ServiceSpecificCredentialId) || strings.Contains(string(data), `"gone"`) {
		t.Fatalf("state file does not reflect the changes:\n%s", data)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", st.Mode())
	}
	if tmp, _ := filepath.Glob(filepath.Join(dir, ".state.json.*")); len(tmp) != 0 {
		t.Fatalf("temp files left: %v", tmp)
	}

	before := []string{
		resultOnly(do(t, s, "Action", "ListUsers").body),
		resultOnly(do(t, s, "Action", "ListServiceSpecificCredentials", "AllUsers", "true").body),
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// The seed is ignored when the state file exists, and so is the clock for stored dates.
	clock.Advance(48 * time.Hour)
	s2, err := New(Config{StatePath: path, Seed: "demo", Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	after := []string{
		resultOnly(do(t, s2, "Action", "ListUsers").body),
		resultOnly(do(t, s2, "Action", "ListServiceSpecificCredentials", "AllUsers", "true").body),
	}
	for i := range before {
		if before[i] != after[i] {
			t.Fatalf("reloaded state differs:\n%s\n%s", before[i], after[i])
		}
	}
	// The slot survives: lena's next Git credential takes the freed +1 slot.
	if c := createCred(t, s2, "lena", codecommit); c.ServiceUserName != "Lena+1-at-444455556666" {
		t.Fatalf("after reload: %+v", c)
	}
	if _, err := New(Config{StatePath: path, AccountID: "123456789012"}); err == nil {
		t.Fatal("a state file of another account was accepted")
	}
}

func TestStateFileErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"users":[{"name":"x","colour":"red"}]}`), 0o600)
	if _, err := New(Config{StatePath: bad}); err == nil || !strings.Contains(err.Error(), "colour") {
		t.Fatalf("unknown field: %v", err)
	}
	if _, err := New(Config{StatePath: filepath.Join(dir, "missing-dir", "state.json")}); err == nil {
		t.Fatal("an unwritable state path was accepted")
	}
}

func TestSeedFile(t *testing.T) {
	s, clock := newServer(t, Config{Seed: "testdata/seed-example.json"})
	users := listUsers(t, s)
	if len(users) != 3 || users[0].UserName != "jane+test" || users[1].UserName != "ops.bot@ci" || users[2].Arn != "arn:aws:iam::123456789012:user/engineering/sofia" {
		t.Fatalf("users: %+v", users)
	}
	creds := listAll(t, s, "100", "AllUsers", "true")
	byID := map[string]xmlCred{}
	for _, c := range creds {
		byID[c.ServiceSpecificCredentialId] = c
	}
	if c := byID["ACCAEXAMPLE123EXAMPLE"]; c.UserName != "ops.bot@ci" || c.ServiceUserName != "ops.bot@ci-at-123456789012" ||
		!parseTime(t, c.CreateDate).Equal(clock.Now().Add(-420*24*time.Hour)) {
		t.Fatalf("explicit id: %+v", c)
	}
	statuses := map[string]int{}
	for _, c := range creds {
		statuses[c.ServiceName+" "+c.Status]++
	}
	want := map[string]int{codecommit + " Inactive": 1, codecommit + " Active": 1, bedrock + " Active": 1, keyspaces + " Active": 1, logs + " Expired": 1}
	if len(statuses) != len(want) {
		t.Fatalf("statuses %v", statuses)
	}
	for k, n := range want {
		if statuses[k] != n {
			t.Fatalf("statuses %v, want %v", statuses, want)
		}
	}

	for name, content := range map[string]string{
		"bad name":       `{"users":[{"name":"a b"}]}`,
		"duplicate":      `{"users":[{"name":"ab"},{"name":"AB"}]}`,
		"bad service":    `{"users":[{"name":"a","credentials":[{"service":"lambda.amazonaws.com"}]}]}`,
		"three":          `{"users":[{"name":"a","credentials":[{"service":"codecommit.amazonaws.com"},{"service":"codecommit.amazonaws.com"},{"service":"codecommit.amazonaws.com"}]}]}`,
		"expired status": `{"users":[{"name":"a","credentials":[{"service":"bedrock.amazonaws.com","status":"Expired"}]}]}`,
		"git expiry":     `{"users":[{"name":"a","credentials":[{"service":"codecommit.amazonaws.com","expires":"+3d"}]}]}`,
		"bad time":       `{"users":[{"name":"a","created":"yesterday"}]}`,
		"bad slot":       `{"users":[{"name":"a","credentials":[{"service":"codecommit.amazonaws.com","slot":2}]}]}`,
		"same slot":      `{"users":[{"name":"a","credentials":[{"service":"codecommit.amazonaws.com","slot":1},{"service":"codecommit.amazonaws.com","slot":1}]}]}`,
		"dup cred id":    `{"users":[{"name":"a","credentials":[{"service":"codecommit.amazonaws.com","id":"ACCAAAAAAAAAAAAAAAAAA"},{"service":"cassandra.amazonaws.com","id":"ACCAAAAAAAAAAAAAAAAAA"}]}]}`,
		"bad account":    `{"account_id":"12","users":[]}`,
		"not json":       `users: []`,
	} {
		path := filepath.Join(t.TempDir(), "seed.json")
		os.WriteFile(path, []byte(content), 0o600)
		if _, err := New(Config{Seed: path}); err == nil {
			t.Errorf("%s: seed accepted", name)
		}
	}
}
