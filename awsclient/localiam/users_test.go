package localiam

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestEnvelope(t *testing.T) {
	s, _ := newServer(t, Config{})
	r := do(t, s, "Action", "ListUsers")
	var lu listUsersResponse // XMLName pins the root and its namespace
	wantOK(t, r, &lu)
	if ct := r.header.Get("Content-Type"); ct != "text/xml" {
		t.Errorf("Content-Type %q", ct)
	}
	if lu.RequestID == "" || lu.RequestID != r.header.Get("x-amzn-RequestId") {
		t.Errorf("RequestId %q in body, %q in header", lu.RequestID, r.header.Get("x-amzn-RequestId"))
	}
	if !strings.HasPrefix(r.body, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<ListUsersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListUsersResult><Users/><IsTruncated>false</IsTruncated></ListUsersResult><ResponseMetadata><RequestId>`) {
		t.Errorf("body:\n%s", r.body)
	}
	if again := do(t, s, "Action", "ListUsers"); again.header.Get("x-amzn-RequestId") == r.header.Get("x-amzn-RequestId") {
		t.Error("request IDs repeat")
	}
}

func TestUsers(t *testing.T) {
	s, clock := newServer(t, Config{AccountID: "111122223333"})
	u := createUser(t, s, "Alice.B@ex", "Path", "/engineering/")
	if u.UserName != "Alice.B@ex" || u.Path != "/engineering/" || u.Arn != "arn:aws:iam::111122223333:user/engineering/Alice.B@ex" ||
		!userIDPattern.MatchString(u.UserId) || !parseTime(t, u.CreateDate).Equal(clock.Now()) {
		t.Fatalf("created %+v", u)
	}
	if d := createUser(t, s, "bob"); d.Path != "/" || d.Arn != "arn:aws:iam::111122223333:user/bob" {
		t.Fatalf("default path: %+v", d)
	}
	wantError(t, do(t, s, "Action", "CreateUser", "UserName", "alice.b@EX"), 409, "EntityAlreadyExists", "User with name alice.b@EX already exists.")

	var got userResponse
	wantOK(t, do(t, s, "Action", "GetUser", "UserName", "ALICE.B@EX"), &got) // case-insensitive lookup, stored case kept
	if got.user() != u {
		t.Fatalf("GetUser %+v, want %+v", got.user(), u)
	}
	wantError(t, do(t, s, "Action", "GetUser", "UserName", "carol"), 404, "NoSuchEntity", "The user with name carol cannot be found.")
	wantError(t, do(t, s, "Action", "GetUser"), 400, "ValidationError", "Must specify userName when calling with non-User credentials")

	var lu listUsersResponse
	wantOK(t, do(t, s, "Action", "ListUsers", "PathPrefix", "/eng"), &lu)
	if len(lu.Result.Users) != 1 || lu.Result.Users[0] != u {
		t.Fatalf("PathPrefix /eng: %+v", lu.Result.Users)
	}

	r := do(t, s, "Action", "DeleteUser", "UserName", "alice.b@ex")
	wantOK(t, r, nil)
	if !strings.Contains(r.body, "<DeleteUserResponse") || strings.Contains(r.body, "DeleteUserResult") {
		t.Errorf("DeleteUser body: %s", r.body)
	}
	wantError(t, do(t, s, "Action", "DeleteUser", "UserName", "alice.b@ex"), 404, "NoSuchEntity", "The user with name alice.b@ex cannot be found.")
	createUser(t, s, "alice.b@ex") // the name is free again
}

func TestDeleteUserWithCredentials(t *testing.T) {
	s, _ := newServer(t, Config{})
	createUser(t, s, "dana")
	c := createCred(t, s, "dana", codecommit)
	wantError(t, do(t, s, "Action", "DeleteUser", "UserName", "dana"), 409, "DeleteConflict", "Cannot delete entity, must remove referenced objects first.")
	wantOK(t, do(t, s, "Action", "DeleteServiceSpecificCredential", "UserName", "dana", "ServiceSpecificCredentialId", c.ServiceSpecificCredentialId), nil)
	wantOK(t, do(t, s, "Action", "DeleteUser", "UserName", "dana"), nil)
}

func TestListUsersPaging(t *testing.T) {
	s, _ := newServer(t, Config{})
	want := map[string]bool{}
	for i := range 250 {
		name := fmt.Sprintf("user%03d", (i*37)%250) // created out of order
		createUser(t, s, name)
		want[name] = true
	}
	seen := map[string]int{}
	var order []string
	marker, pages := "", 0
	for {
		args := []string{"Action", "ListUsers", "MaxItems", "7"}
		if marker != "" {
			args = append(args, "Marker", marker)
		}
		var lu listUsersResponse
		wantOK(t, do(t, s, args...), &lu)
		pages++
		if n := len(lu.Result.Users); n > 7 || n < 7 && lu.Result.IsTruncated == "true" {
			t.Fatalf("page %d has %d users, truncated %s", pages, n, lu.Result.IsTruncated)
		}
		for _, u := range lu.Result.Users {
			seen[u.UserName]++
			order = append(order, u.UserName)
		}
		if lu.Result.IsTruncated == "false" {
			if lu.Result.Marker != nil {
				t.Fatal("last page has a Marker")
			}
			break
		}
		if lu.Result.IsTruncated != "true" || lu.Result.Marker == nil {
			t.Fatalf("page %d: IsTruncated %q Marker %v", pages, lu.Result.IsTruncated, lu.Result.Marker)
		}
		marker = *lu.Result.Marker
	}
	if pages != 36 || len(seen) != 250 {
		t.Fatalf("%d pages, %d distinct users", pages, len(seen))
	}
	for name, n := range seen {
		if n != 1 || !want[name] {
			t.Fatalf("%s seen %d times", name, n)
		}
	}
	for i := 1; i < len(order); i++ {
		if order[i-1] >= order[i] {
			t.Fatalf("not sorted at %d: %s, %s", i, order[i-1], order[i])
		}
	}
	// The default page is 100.
	var lu listUsersResponse
	wantOK(t, do(t, s, "Action", "ListUsers"), &lu)
	if len(lu.Result.Users) != 100 || lu.Result.IsTruncated != "true" {
		t.Fatalf("default page: %d users, truncated %s", len(lu.Result.Users), lu.Result.IsTruncated)
	}
}

func TestValidation(t *testing.T) {
	s, _ := newServer(t, Config{})
	createUser(t, s, "erin")
	long := strings.Repeat("a", 65)
	const v1 = "1 validation error detected: "
	cases := []struct {
		name    string
		kv      []string
		message string
	}{
		{"create user without name", []string{"Action", "CreateUser"},
			v1 + "Value null at 'userName' failed to satisfy constraint: Member must not be null"},
		{"empty user name", []string{"Action", "CreateUser", "UserName", ""},
			v1 + "Value at 'userName' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"long user name", []string{"Action", "CreateUser", "UserName", long},
			v1 + "Value at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64"},
		{"bad user name", []string{"Action", "CreateUser", "UserName", "a b"},
			v1 + `Value at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`},
		{"bad path", []string{"Action", "CreateUser", "UserName", "x", "Path", "/no-trailing"},
			v1 + `Value at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: (\u002F)|(\u002F[\u0021-\u007E]+\u002F)`},
		{"two errors", []string{"Action", "CreateUser", "UserName", "a b", "Path", "x"},
			`2 validation errors detected: Value at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+; ` +
				`Value at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: (\u002F)|(\u002F[\u0021-\u007E]+\u002F)`},
		{"get user 128 is fine but 129 is not", []string{"Action", "GetUser", "UserName", strings.Repeat("b", 129)},
			v1 + "Value at 'userName' failed to satisfy constraint: Member must have length less than or equal to 128"},
		{"max items 0", []string{"Action", "ListUsers", "MaxItems", "0"},
			v1 + "Value at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"max items 1001", []string{"Action", "ListServiceSpecificCredentials", "UserName", "erin", "MaxItems", "1001"},
			v1 + "Value at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000"},
		{"max items text", []string{"Action", "ListUsers", "MaxItems", "ten"},
			v1 + "Value at 'maxItems' failed to satisfy constraint: Member must be an integer"},
		{"path prefix", []string{"Action", "ListUsers", "PathPrefix", "engineering"},
			v1 + `Value at 'pathPrefix' failed to satisfy constraint: Member must satisfy regular expression pattern: \u002F[\u0021-\u007F]*`},
		{"empty marker", []string{"Action", "ListUsers", "Marker", ""},
			v1 + "Value at 'marker' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"bad marker", []string{"Action", "ListUsers", "Marker", "not-a-marker"},
			"Invalid Marker: pass the Marker value of the previous response unchanged."},
		{"cred marker on ListUsers", []string{"Action", "ListUsers", "Marker", credMarker(&cred{id: "ACCAAAAAAAAAAAAAAAAAA", user: &user{key: "erin"}})},
			"Invalid Marker: pass the Marker value of the previous response unchanged."},
		{"all users bool", []string{"Action", "ListServiceSpecificCredentials", "AllUsers", "yes"},
			v1 + "Value at 'allUsers' failed to satisfy constraint: Member must be a boolean"},
		{"all users with user", []string{"Action", "ListServiceSpecificCredentials", "AllUsers", "true", "UserName", "erin"},
			"AllUsers cannot be specified together with UserName."},
		{"list without user", []string{"Action", "ListServiceSpecificCredentials"},
			"Must specify userName when calling with non-User credentials"},
		{"list AllUsers=false without user", []string{"Action", "ListServiceSpecificCredentials", "AllUsers", "false"},
			"Must specify userName when calling with non-User credentials"},
		{"create without service", []string{"Action", "CreateServiceSpecificCredential", "UserName", "erin"},
			v1 + "Value null at 'serviceName' failed to satisfy constraint: Member must not be null"},
		{"age 0", []string{"Action", "CreateServiceSpecificCredential", "UserName", "erin", "ServiceName", bedrock, "CredentialAgeDays", "0"},
			v1 + "Value at 'credentialAgeDays' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"age 36601", []string{"Action", "CreateServiceSpecificCredential", "UserName", "erin", "ServiceName", bedrock, "CredentialAgeDays", "36601"},
			v1 + "Value at 'credentialAgeDays' failed to satisfy constraint: Member must have value less than or equal to 36600"},
		{"update without id", []string{"Action", "UpdateServiceSpecificCredential", "UserName", "erin", "Status", "Active"},
			v1 + "Value null at 'serviceSpecificCredentialId' failed to satisfy constraint: Member must not be null"},
		{"short id", []string{"Action", "UpdateServiceSpecificCredential", "UserName", "erin", "ServiceSpecificCredentialId", "ACCA123", "Status", "Active"},
			v1 + "Value at 'serviceSpecificCredentialId' failed to satisfy constraint: Member must have length greater than or equal to 20"},
		{"long id", []string{"Action", "ResetServiceSpecificCredential", "UserName", "erin", "ServiceSpecificCredentialId", strings.Repeat("A", 129)},
			v1 + "Value at 'serviceSpecificCredentialId' failed to satisfy constraint: Member must have length less than or equal to 128"},
		{"hyphenated id", []string{"Action", "DeleteServiceSpecificCredential", "UserName", "erin", "ServiceSpecificCredentialId", "ACCA-BAD-ID-WITH-HYPHENS"},
			v1 + `Value at 'serviceSpecificCredentialId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w]+`},
		{"bad status", []string{"Action", "UpdateServiceSpecificCredential", "UserName", "erin", "ServiceSpecificCredentialId", "ACCAAAAAAAAAAAAAAAAAA", "Status", "Disabled"},
			v1 + "Value at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive, Expired]"},
		{"status Expired is not settable", []string{"Action", "UpdateServiceSpecificCredential", "UserName", "erin", "ServiceSpecificCredentialId", "ACCAAAAAAAAAAAAAAAAAA", "Status", "Expired"},
			v1 + "Value at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive, Expired]"},
		{"status is case-sensitive", []string{"Action", "UpdateServiceSpecificCredential", "UserName", "erin", "ServiceSpecificCredentialId", "ACCAAAAAAAAAAAAAAAAAA", "Status", "active"},
			v1 + "Value at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive, Expired]"},
		{"missing status", []string{"Action", "UpdateServiceSpecificCredential", "UserName", "erin", "ServiceSpecificCredentialId", "ACCAAAAAAAAAAAAAAAAAA"},
			v1 + "Value null at 'status' failed to satisfy constraint: Member must not be null"},
		{"update without user", []string{"Action", "UpdateServiceSpecificCredential", "ServiceSpecificCredentialId", "ACCAAAAAAAAAAAAAAAAAA", "Status", "Active"},
			"Must specify userName when calling with non-User credentials"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantError(t, do(t, s, c.kv...), http.StatusBadRequest, "ValidationError", c.message)
		})
	}
}

func TestTransportErrors(t *testing.T) {
	s, _ := newServer(t, Config{})
	send := func(method, contentType, body string) response {
		req, _ := http.NewRequest(method, "http://local/", strings.NewReader(body))
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		rec := newRecorder()
		s.ServeHTTP(rec, req)
		return response{rec.Code, rec.Header(), rec.Body.String()}
	}
	const notQuery = "This endpoint accepts only POST requests with an application/x-www-form-urlencoded body (the IAM Query protocol)."
	wantError(t, send("GET", "", ""), 400, "InvalidRequest", notQuery)
	wantError(t, send("POST", "application/json", `{"Action":"ListUsers"}`), 400, "InvalidRequest", notQuery)
	wantError(t, send("POST", "", "Action=ListUsers"), 400, "InvalidRequest", notQuery)
	// botocore adds a charset; the Go SDK does not.
	wantOK(t, send("POST", "application/x-www-form-urlencoded; charset=utf-8", "Action=ListUsers&Version=2010-05-08"), nil)
	wantError(t, send("POST", "application/x-www-form-urlencoded", "Action=ListUsers&UserName=%zz"), 400, "MalformedQueryString", "The request body is not a valid form-encoded query string.")
	big := "Action=ListUsers&Pad=" + strings.Repeat("x", maxBodyBytes)
	wantError(t, send("POST", "application/x-www-form-urlencoded", big), 413, "RequestEntityTooLarge", "The request body exceeds 1048576 bytes.")
	wantError(t, send("POST", "application/x-www-form-urlencoded", "Version=2010-05-08"), 400, "MissingAction", "Missing Action")
	wantError(t, do(t, s, "Action", "ListRoles"), 400, "InvalidAction", "Could not find operation ListRoles for version 2010-05-08")
	// Parameters in the URL query are not the request's.
	req, _ := http.NewRequest("POST", "http://local/?Action=CreateUser&UserName=q", strings.NewReader("Action=ListUsers"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := newRecorder()
	s.ServeHTTP(rec, req)
	wantOK(t, response{rec.Code, rec.Header(), rec.Body.String()}, nil)
	wantError(t, do(t, s, "Action", "GetUser", "UserName", "q"), 404, "NoSuchEntity", "The user with name q cannot be found.")
}

func TestEscaping(t *testing.T) {
	s, _ := newServer(t, Config{})
	createUser(t, s, "fay")
	r := do(t, s, "Action", "CreateServiceSpecificCredential", "UserName", "fay", "ServiceName", "<x>&\"\x00\xff")
	wantError(t, r, 404, "NoSuchEntity", "No such service <x>&\"\uFFFD\uFFFD is supported for Service Specific Credentials")
	wantError(t, do(t, s, "Action", "<Nope>&"), 400, "InvalidAction", "Could not find operation <Nope>& for version 2010-05-08")
}

func TestCallerIdentity(t *testing.T) {
	s, _ := newServer(t, Config{AccountID: "210987654321"})
	r := do(t, s, "Action", "GetCallerIdentity", "Version", "2011-06-15")
	var out struct {
		XMLName xml.Name                              `xml:"https://sts.amazonaws.com/doc/2011-06-15/ GetCallerIdentityResponse"`
		Result  struct{ Arn, UserId, Account string } `xml:"GetCallerIdentityResult"`
		ID      string                                `xml:"ResponseMetadata>RequestId"`
	}
	wantOK(t, r, &out)
	if out.Result.Arn != "arn:aws:iam::210987654321:user/iamcreds-demo" || out.Result.Account != "210987654321" ||
		!userIDPattern.MatchString(out.Result.UserId) || out.ID != r.header.Get("x-amzn-RequestId") {
		t.Fatalf("%+v", out)
	}
	s2, _ := newServer(t, Config{AccountID: "210987654321"})
	if b := do(t, s2, "Action", "GetCallerIdentity"); !strings.Contains(b.body, out.Result.UserId) {
		t.Error("caller UserId is not stable")
	}
}

func TestNewErrors(t *testing.T) {
	for _, cfg := range []Config{
		{AccountID: "12345"},
		{Seed: "scale:x"},
		{Seed: "scale:-1"},
		{Seed: "/nonexistent/seed.json"},
		{Faults: Faults{ThrottleRate: 1.5}},
		{Faults: Faults{FailRate: -0.1}},
		{Faults: Faults{Latency: -time.Second}},
		{Faults: Faults{Deny: []string{"ListRoles"}}},
		{Faults: Faults{Deny: []string{"ListUsers:AllUsers"}}},
		{Faults: Faults{Deny: []string{"ListServiceSpecificCredentials:Bob"}}},
		{Seed: "testdata/seed-example.json", AccountID: "999999999999"},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("New(%+v) succeeded", cfg)
		}
	}
}
