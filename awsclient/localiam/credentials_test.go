package localiam

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCredentialLifecycle(t *testing.T) {
	s, clock := newServer(t, Config{})
	createUser(t, s, "sofia")
	first := createCred(t, s, "sofia", codecommit)
	clock.Advance(5 * time.Second)
	second := createCred(t, s, "sofia", codecommit)

	for i, c := range []xmlCred{first, second} {
		wantName := []string{"sofia-at-123456789012", "sofia+1-at-123456789012"}[i]
		if c.ServiceUserName != wantName || c.UserName != "sofia" || c.Status != "Active" || c.ServiceName != codecommit ||
			!credIDPattern.MatchString(c.ServiceSpecificCredentialId) || !passwordPattern.MatchString(c.ServicePassword) ||
			c.ServiceCredentialAlias != "" || c.ServiceCredentialSecret != "" || c.ExpirationDate != "" {
			t.Fatalf("credential %d: %+v", i, c)
		}
		parseTime(t, c.CreateDate)
	}
	if first.ServicePassword == second.ServicePassword || first.ServiceSpecificCredentialId == second.ServiceSpecificCredentialId {
		t.Fatal("passwords or IDs repeat")
	}
	wantError(t, do(t, s, "Action", "CreateServiceSpecificCredential", "UserName", "sofia", "ServiceName", codecommit),
		409, "LimitExceeded", "Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: 2")
	createCred(t, s, "sofia", keyspaces) // the limit is per service

	l := listCreds(t, s, "UserName", "sofia", "ServiceName", codecommit)
	if len(l.Result.Creds) != 2 || l.Result.IsTruncated != "false" || l.Result.Marker != nil {
		t.Fatalf("list: %+v", l.Result)
	}
	for i, c := range l.Result.Creds {
		want := []xmlCred{first, second}[i]
		want.ServicePassword = ""
		if c != want {
			t.Fatalf("listed %+v\nwant %+v", c, want)
		}
	}
	r := do(t, s, "Action", "ListServiceSpecificCredentials", "UserName", "sofia")
	if strings.Contains(r.body, first.ServicePassword) || strings.Contains(r.body, "ServicePassword") {
		t.Fatal("List returned a secret")
	}
	if n := strings.Count(r.body, "<member>"); n != 3 {
		t.Fatalf("all services: %d credentials", n)
	}
	if l := listCreds(t, s, "UserName", "sofia", "ServiceName", bedrock); len(l.Result.Creds) != 0 ||
		!strings.Contains(do(t, s, "Action", "ListServiceSpecificCredentials", "UserName", "sofia", "ServiceName", bedrock).body, "<ServiceSpecificCredentials/>") {
		t.Fatal("empty list is not <ServiceSpecificCredentials/>")
	}

	id := first.ServiceSpecificCredentialId
	upd := do(t, s, "Action", "UpdateServiceSpecificCredential", "UserName", "sofia", "ServiceSpecificCredentialId", id, "Status", "Inactive")
	wantOK(t, upd, nil)
	if !strings.Contains(upd.body, "<UpdateServiceSpecificCredentialResponse") || strings.Contains(upd.body, "Result>") {
		t.Errorf("update body: %s", upd.body)
	}
	if got := listCreds(t, s, "UserName", "sofia", "ServiceName", codecommit).Result.Creds[0]; got.Status != "Inactive" {
		t.Fatalf("after update: %+v", got)
	}

	clock.Advance(time.Hour)
	var reset credResponse
	wantOK(t, do(t, s, "Action", "ResetServiceSpecificCredential", "UserName", "sofia", "ServiceSpecificCredentialId", id), &reset)
	rc := reset.cred()
	if rc.ServiceSpecificCredentialId != id || rc.ServiceUserName != first.ServiceUserName || rc.Status != "Inactive" ||
		rc.CreateDate != first.CreateDate || rc.UserName != "sofia" || !passwordPattern.MatchString(rc.ServicePassword) ||
		rc.ServicePassword == first.ServicePassword {
		t.Fatalf("reset: %+v\nfirst: %+v", rc, first)
	}

	wantOK(t, do(t, s, "Action", "UpdateServiceSpecificCredential", "UserName", "sofia", "ServiceSpecificCredentialId", id, "Status", "Active"), nil)
	wantOK(t, do(t, s, "Action", "DeleteServiceSpecificCredential", "UserName", "SOFIA", "ServiceSpecificCredentialId", id), nil)
	wantError(t, do(t, s, "Action", "DeleteServiceSpecificCredential", "UserName", "sofia", "ServiceSpecificCredentialId", id),
		404, "NoSuchEntity", "No such credential "+id+" exists")
	// The freed slot is reused: the next credential is sofia-at- again.
	if again := createCred(t, s, "sofia", codecommit); again.ServiceUserName != "sofia-at-123456789012" {
		t.Fatalf("slot reuse: %+v", again)
	}
}

func TestCheckOrdering(t *testing.T) {
	s, _ := newServer(t, Config{})
	createUser(t, s, "gina")
	createUser(t, s, "hal")
	halCred := createCred(t, s, "hal", codecommit)
	id := halCred.ServiceSpecificCredentialId
	unknownID := "ACCAZZZZZZZZZZZZZZZZZ"
	cases := []struct {
		kv      []string
		status  int
		code    string
		message string
	}{
		// user before service
		{[]string{"Action", "CreateServiceSpecificCredential", "UserName", "nobody", "ServiceName", "lambda.amazonaws.com"},
			404, "NoSuchEntity", "The user with name nobody cannot be found."},
		{[]string{"Action", "CreateServiceSpecificCredential", "UserName", "gina", "ServiceName", "lambda.amazonaws.com"},
			404, "NoSuchEntity", "No such service lambda.amazonaws.com is supported for Service Specific Credentials"},
		{[]string{"Action", "ListServiceSpecificCredentials", "UserName", "nobody", "ServiceName", "o3on3n3onosneo"},
			404, "NoSuchEntity", "The user with name nobody cannot be found."},
		{[]string{"Action", "ListServiceSpecificCredentials", "UserName", "gina", "ServiceName", "o3on3n3onosneo"},
			404, "NoSuchEntity", "No such service o3on3n3onosneo is supported for Service Specific Credentials"},
		{[]string{"Action", "ListServiceSpecificCredentials", "AllUsers", "true", "ServiceName", "lambda.amazonaws.com"},
			404, "NoSuchEntity", "No such service lambda.amazonaws.com is supported for Service Specific Credentials"},
		// service before the age check
		{[]string{"Action", "CreateServiceSpecificCredential", "UserName", "gina", "ServiceName", "x", "CredentialAgeDays", "5"},
			404, "NoSuchEntity", "No such service x is supported for Service Specific Credentials"},
		// syntax before any lookup
		{[]string{"Action", "UpdateServiceSpecificCredential", "UserName", "nobody", "ServiceSpecificCredentialId", "bad-id-bad-id-bad-id-", "Status", "Active"},
			400, "ValidationError", `1 validation error detected: Value at 'serviceSpecificCredentialId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w]+`},
		{[]string{"Action", "UpdateServiceSpecificCredential", "UserName", "nobody", "ServiceSpecificCredentialId", unknownID, "Status", "Gone"},
			400, "ValidationError", "1 validation error detected: Value at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive, Expired]"},
		{[]string{"Action", "CreateServiceSpecificCredential", "UserName", "nobody", "ServiceName", "x", "CredentialAgeDays", "0"},
			400, "ValidationError", "1 validation error detected: Value at 'credentialAgeDays' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		// user before credential
		{[]string{"Action", "UpdateServiceSpecificCredential", "UserName", "nobody", "ServiceSpecificCredentialId", unknownID, "Status", "Active"},
			404, "NoSuchEntity", "The user with name nobody cannot be found."},
		{[]string{"Action", "ResetServiceSpecificCredential", "UserName", "gina", "ServiceSpecificCredentialId", unknownID},
			404, "NoSuchEntity", "No such credential " + unknownID + " exists"},
		// another user's credential does not exist for this one
		{[]string{"Action", "DeleteServiceSpecificCredential", "UserName", "gina", "ServiceSpecificCredentialId", id},
			404, "NoSuchEntity", "No such credential " + id + " exists"},
		{[]string{"Action", "CreateServiceSpecificCredential", "UserName", "gina", "ServiceName", codecommit, "CredentialAgeDays", "5"},
			400, "InvalidInput", "~^CredentialAgeDays is valid only for services that use API keys \\(bedrock.amazonaws.com, logs.amazonaws.com, .*\\), not for codecommit.amazonaws.com.$"},
		{[]string{"Action", "CreateServiceSpecificCredential", "UserName", "gina", "ServiceName", keyspaces, "CredentialAgeDays", "5"},
			400, "InvalidInput", "~not for cassandra.amazonaws.com.$"},
	}
	for i, c := range cases {
		t.Run(fmt.Sprint(i, c.kv[1]), func(t *testing.T) { wantError(t, do(t, s, c.kv...), c.status, c.code, c.message) })
	}
	if l := listCreds(t, s, "UserName", "gina"); len(l.Result.Creds) != 0 {
		t.Fatal("a refused create created something")
	}
	if l := listCreds(t, s, "UserName", "hal"); len(l.Result.Creds) != 1 {
		t.Fatal("hal's credential was touched")
	}
}

func TestAPIKeys(t *testing.T) {
	s, clock := newServer(t, Config{})
	createUser(t, s, "ivy")
	k := createCred(t, s, "ivy", bedrock, "CredentialAgeDays", "30")
	if k.ServiceCredentialAlias != "ivy-at-123456789012" || k.ServiceUserName != "" || k.ServicePassword != "" || k.Status != "Active" {
		t.Fatalf("bedrock key: %+v", k)
	}
	created, expires := parseTime(t, k.CreateDate), parseTime(t, k.ExpirationDate)
	if !created.Equal(clock.Now()) || expires.Sub(created) != 30*24*time.Hour {
		t.Fatalf("created %v expires %v", created, expires)
	}
	secret, ok := strings.CutPrefix(k.ServiceCredentialSecret, "ABSK")
	payload, err := base64.StdEncoding.DecodeString(secret)
	if !ok || err != nil || !strings.HasPrefix(string(payload), "ivy-at-123456789012:") || len(payload) < 40 {
		t.Fatalf("secret %q decodes to %q (%v)", k.ServiceCredentialSecret, payload, err)
	}

	forever := createCred(t, s, "ivy", bedrock)
	if forever.ServiceCredentialAlias != "ivy+1-at-123456789012" || forever.ExpirationDate != "" {
		t.Fatalf("second key: %+v", forever)
	}
	wantError(t, do(t, s, "Action", "CreateServiceSpecificCredential", "UserName", "ivy", "ServiceName", bedrock), 409, "LimitExceeded",
		"Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: 2")

	for _, svc := range []string{logs, cloudwatch, "aws-external-anthropic.amazonaws.com"} {
		c := createCred(t, s, "ivy", svc, "CredentialAgeDays", "36600")
		if c.ServiceCredentialAlias != "ivy-at-123456789012" || len(c.ServiceCredentialSecret) < 40 || strings.HasPrefix(c.ServiceCredentialSecret, "ABSK") ||
			parseTime(t, c.ExpirationDate).Sub(parseTime(t, c.CreateDate)) != 36600*24*time.Hour {
			t.Fatalf("%s key: %+v", svc, c)
		}
	}

	l := listCreds(t, s, "UserName", "ivy", "ServiceName", bedrock)
	i := slices.IndexFunc(l.Result.Creds, func(c xmlCred) bool { return c.ServiceSpecificCredentialId == k.ServiceSpecificCredentialId })
	if len(l.Result.Creds) != 2 || i < 0 {
		t.Fatalf("listed: %+v", l.Result.Creds)
	}
	got := l.Result.Creds[i]
	if got.ServiceCredentialAlias != k.ServiceCredentialAlias || got.ExpirationDate != k.ExpirationDate || got.ServiceCredentialSecret != "" {
		t.Fatalf("listed: %+v", got)
	}

	var reset credResponse
	wantOK(t, do(t, s, "Action", "ResetServiceSpecificCredential", "UserName", "ivy", "ServiceSpecificCredentialId", k.ServiceSpecificCredentialId), &reset)
	rk := reset.cred()
	if rk.ServiceCredentialAlias != k.ServiceCredentialAlias || rk.ExpirationDate != k.ExpirationDate || rk.CreateDate != k.CreateDate ||
		!strings.HasPrefix(rk.ServiceCredentialSecret, "ABSK") || rk.ServiceCredentialSecret == k.ServiceCredentialSecret {
		t.Fatalf("reset key: %+v", rk)
	}
}

func TestExpiry(t *testing.T) {
	s, clock := newServer(t, Config{})
	createUser(t, s, "jo")
	k := createCred(t, s, "jo", bedrock, "CredentialAgeDays", "1")
	id := k.ServiceSpecificCredentialId
	status := func() string { return listCreds(t, s, "UserName", "jo").Result.Creds[0].Status }

	clock.Advance(24*time.Hour - time.Second)
	if got := status(); got != "Active" {
		t.Fatalf("a second before expiry: %s", got)
	}
	clock.Advance(time.Second)
	if got := status(); got != "Expired" {
		t.Fatalf("at expiry: %s", got)
	}
	if all := listCreds(t, s, "AllUsers", "true", "ServiceName", bedrock); all.Result.Creds[0].Status != "Expired" {
		t.Fatal("AllUsers listing disagrees")
	}
	wantError(t, do(t, s, "Action", "UpdateServiceSpecificCredential", "UserName", "jo", "ServiceSpecificCredentialId", id, "Status", "Active"),
		400, "InvalidInput", "The service-specific credential "+id+" expired on "+k.ExpirationDate+" and cannot be reactivated; delete it and create a new one.")
	wantError(t, do(t, s, "Action", "ResetServiceSpecificCredential", "UserName", "jo", "ServiceSpecificCredentialId", id),
		400, "InvalidInput", "The service-specific credential "+id+" has expired; delete it and create a new one.")
	// Deactivating it is harmless, and it still reads Expired.
	wantOK(t, do(t, s, "Action", "UpdateServiceSpecificCredential", "UserName", "jo", "ServiceSpecificCredentialId", id, "Status", "Inactive"), nil)
	if got := status(); got != "Expired" {
		t.Fatalf("expired and inactive: %s", got)
	}
	// An expired key still counts towards the limit until deleted.
	createCred(t, s, "jo", bedrock)
	wantError(t, do(t, s, "Action", "CreateServiceSpecificCredential", "UserName", "jo", "ServiceName", bedrock), 409, "LimitExceeded",
		"Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: 2")
	wantOK(t, do(t, s, "Action", "DeleteServiceSpecificCredential", "UserName", "jo", "ServiceSpecificCredentialId", id), nil)
}

func TestListAllUsers(t *testing.T) {
	s, _ := newServer(t, Config{Seed: "scale:300"})
	perUser := map[string]xmlCred{}
	for _, u := range listUsers(t, s) {
		for _, c := range listCreds(t, s, "UserName", u.UserName, "MaxItems", "1000").Result.Creds {
			perUser[c.ServiceSpecificCredentialId] = c
		}
	}
	if len(perUser) < 300 {
		t.Fatalf("scale:300 has only %d credentials", len(perUser))
	}
	check := func(name string, got []xmlCred, service string) {
		t.Helper()
		want := 0
		for _, c := range perUser {
			if service == "" || c.ServiceName == service {
				want++
			}
		}
		seen := map[string]bool{}
		for i, c := range got {
			if seen[c.ServiceSpecificCredentialId] || perUser[c.ServiceSpecificCredentialId] != c || service != "" && c.ServiceName != service {
				t.Fatalf("%s: unexpected or repeated %+v", name, c)
			}
			seen[c.ServiceSpecificCredentialId] = true
			if i > 0 && strings.ToLower(got[i-1].UserName) > strings.ToLower(c.UserName) {
				t.Fatalf("%s: not ordered by user at %d", name, i)
			}
		}
		if len(got) != want {
			t.Fatalf("%s: %d credentials, want %d", name, len(got), want)
		}
	}
	check("all services", listAll(t, s, "7", "AllUsers", "true"), "")
	check("all services, one page", listAll(t, s, "1000", "AllUsers", "true"), "")
	for _, svc := range []string{codecommit, keyspaces, bedrock, logs, cloudwatch} {
		check(svc, listAll(t, s, "7", "AllUsers", "true", "ServiceName", svc), svc)
	}
	// A marker stays valid when the item it names is deleted.
	first := listCreds(t, s, "AllUsers", "true", "MaxItems", "3")
	last := first.Result.Creds[2]
	wantOK(t, do(t, s, "Action", "DeleteServiceSpecificCredential", "UserName", last.UserName, "ServiceSpecificCredentialId", last.ServiceSpecificCredentialId), nil)
	next := listCreds(t, s, "AllUsers", "true", "MaxItems", "3", "Marker", *first.Result.Marker)
	all := listAll(t, s, "1000", "AllUsers", "true")
	if next.Result.Creds[0] != all[2] {
		t.Fatalf("after deleting the marker's credential: %+v, want %+v", next.Result.Creds[0], all[2])
	}
}

func listUsers(t testing.TB, s http.Handler) []xmlUser {
	t.Helper()
	var users []xmlUser
	marker := ""
	for {
		args := []string{"Action", "ListUsers", "MaxItems", "1000"}
		if marker != "" {
			args = append(args, "Marker", marker)
		}
		var lu listUsersResponse
		wantOK(t, do(t, s, args...), &lu)
		users = append(users, lu.Result.Users...)
		if lu.Result.Marker == nil {
			return users
		}
		marker = *lu.Result.Marker
	}
}

func TestUserCredentialPaging(t *testing.T) {
	s, clock := newServer(t, Config{})
	createUser(t, s, "kai")
	var ids []string
	for _, svc := range services {
		for range 2 {
			ids = append(ids, createCred(t, s, "kai", svc.Name).ServiceSpecificCredentialId)
			clock.Advance(time.Second)
		}
	}
	var got []string
	for _, c := range listAll(t, s, "5", "UserName", "kai") {
		got = append(got, c.ServiceSpecificCredentialId)
	}
	if !slices.Equal(got, ids) { // ordered by creation
		t.Fatalf("paged %v\nwant %v", got, ids)
	}
	if got := listAll(t, s, "1", "UserName", "kai", "ServiceName", bedrock); len(got) != 2 {
		t.Fatalf("bedrock: %d", len(got))
	}
}
