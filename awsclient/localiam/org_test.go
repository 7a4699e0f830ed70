package localiam

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// creds are the keys a request is signed with; the signature itself is not checked.
type creds struct{ key, token string }

func (c creds) sign(req *http.Request) {
	if c.key != "" {
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+c.key+
			"/20260314/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123")
	}
	if c.token != "" {
		req.Header.Set("X-Amz-Security-Token", c.token)
	}
}

// doAs is do, signed with c.
func doAs(t testing.TB, h http.Handler, c creds, kv ...string) response {
	t.Helper()
	form := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		form.Set(kv[i], kv[i+1])
	}
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	c.sign(req)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return response{rec.Code, rec.Header(), rec.Body.String()}
}

// doJSON sends one Organizations request.
func doJSON(t testing.TB, h http.Handler, c creds, op, body string) response {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSOrganizationsV20161128."+op)
	c.sign(req)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return response{rec.Code, rec.Header(), rec.Body.String()}
}

// wantJSONError checks an Organizations error: status, __type, Message, Reason.
func wantJSONError(t testing.TB, r response, status int, code, message, reason string) {
	t.Helper()
	var e map[string]string
	if err := json.Unmarshal([]byte(r.body), &e); err != nil {
		t.Fatalf("status %d, body is not JSON: %v\n%s", r.status, err, r.body)
	}
	if r.status != status || e["__type"] != code || e["Message"] != message || e["Reason"] != reason {
		t.Fatalf("got %d %v, want %d %s %q %s", r.status, e, status, code, message, reason)
	}
	if r.header.Get("Content-Type") != "application/x-amz-json-1.1" || r.header.Get("x-amzn-RequestId") == "" {
		t.Fatalf("headers %v", r.header)
	}
}

type orgPage struct {
	Accounts []struct {
		ID              string `json:"Id"`
		Arn, Email      string
		Name, Status    string
		State           string
		JoinedMethod    string
		JoinedTimestamp json.Number
	}
	NextToken *string
}

func listAccountsPage(t testing.TB, h http.Handler, c creds, body string) orgPage {
	t.Helper()
	r := doJSON(t, h, c, "ListAccounts", body)
	if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/x-amz-json-1.1" {
		t.Fatalf("ListAccounts: %d %s", r.status, r.body)
	}
	dec := json.NewDecoder(strings.NewReader(r.body))
	dec.UseNumber()
	var p orgPage
	if err := dec.Decode(&p); err != nil {
		t.Fatal(err)
	}
	return p
}

type assumeRoleResponse struct {
	XMLName xml.Name `xml:"https://sts.amazonaws.com/doc/2011-06-15/ AssumeRoleResponse"`
	Result  struct {
		User struct {
			AssumedRoleId, Arn string
		} `xml:"AssumedRoleUser"`
		Credentials struct {
			AccessKeyId, SecretAccessKey, SessionToken, Expiration string
		}
	} `xml:"AssumeRoleResult"`
}

func assumeRole(t testing.TB, h http.Handler, c creds, roleARN string, extra ...string) creds {
	t.Helper()
	var r assumeRoleResponse
	wantOK(t, doAs(t, h, c, append([]string{"Action", "AssumeRole", "Version", "2011-06-15",
		"RoleArn", roleARN, "RoleSessionName", "iamcreds-test"}, extra...)...), &r)
	k := r.Result.Credentials
	if !regexp.MustCompile(`^ASIA[A-Z2-7]{16}$`).MatchString(k.AccessKeyId) || len(k.SecretAccessKey) != 40 || len(k.SessionToken) < 100 {
		t.Fatalf("credentials %+v", k)
	}
	return creds{k.AccessKeyId, k.SessionToken}
}

type callerIdentity struct {
	Result struct{ Arn, UserId, Account string } `xml:"GetCallerIdentityResult"`
}

func whoAmI(t testing.TB, h http.Handler, c creds) callerIdentity {
	t.Helper()
	var id callerIdentity
	wantOK(t, doAs(t, h, c, "Action", "GetCallerIdentity", "Version", "2011-06-15"), &id)
	return id
}

func accountInfo(t testing.TB, s *Server, id string) AccountInfo {
	t.Helper()
	for _, a := range s.Accounts() {
		if a.ID == id {
			return a
		}
	}
	t.Fatalf("no account %s", id)
	return AccountInfo{}
}

func TestOrgSeedGrammar(t *testing.T) {
	for _, seed := range []string{"org:", "org:x", "org:0x5", "org:1001x1", "org:2x-1", "org:ax3", "org:3x", "org:1000x1001", "org:demo2"} {
		if _, err := New(Config{Seed: seed}); err == nil || !strings.Contains(err.Error(), "org:ACCOUNTSxUSERS") {
			t.Errorf("seed %q: %v", seed, err)
		}
	}
	if _, err := New(Config{Seed: "org:3x1", StatePath: filepath.Join(t.TempDir(), "s.json")}); err == nil || !strings.Contains(err.Error(), "one account") {
		t.Errorf("org seed with a state file: %v", err)
	}
	if _, err := New(Config{Seed: "org:3x1", MemberRole: "bad role"}); err == nil {
		t.Error("a member role with a space was accepted")
	}
	if _, err := New(Config{Seed: "org:demo", AccountID: "111122223333"}); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("management account equal to a member: %v", err)
	}
}

func TestOrgSeedAccounts(t *testing.T) {
	s, clock := newServer(t, Config{Seed: "org:41x3"})
	accounts := s.Accounts()
	if len(accounts) != 41 {
		t.Fatalf("%d accounts", len(accounts))
	}
	mgmt := accounts[0]
	if !mgmt.Management || mgmt.ID != "123456789012" || mgmt.Name != "Management" || len(mgmt.Roles) != 0 || mgmt.Status != "ACTIVE" {
		t.Fatalf("management %+v", mgmt)
	}
	var suspended []string
	emails := map[string]bool{}
	for i, a := range accounts[1:] {
		if a.Management || !slices.Equal(a.Roles, []string{DefaultMemberRole}) || !regexp.MustCompile(`^AKIA[A-Z2-7]{16}$`).MatchString(a.AccessKeyID) {
			t.Fatalf("member %d: %+v", i+1, a)
		}
		if a.Status == "SUSPENDED" {
			suspended = append(suspended, a.ID)
		}
		emails[a.Email] = true
	}
	// Members 20 and 40 (the last) are suspended.
	if !slices.Equal(suspended, []string{"210000000020", "210000000040"}) || len(emails) != 40 || accounts[1].ID != "210000000001" {
		t.Fatalf("suspended %v, %d emails, first member %s", suspended, len(emails), accounts[1].ID)
	}
	again, _ := newServer(t, Config{Seed: "org:41x3", Now: clock.Now})
	if !slices.EqualFunc(accounts, again.Accounts(), func(a, b AccountInfo) bool { return a.ID == b.ID && a.AccessKeyID == b.AccessKeyID && a.Name == b.Name }) {
		t.Fatal("org seed is not deterministic")
	}
	// Each account has its own users, named for the account.
	for _, a := range []AccountInfo{accounts[0], accounts[7]} {
		c := creds{key: a.AccessKeyID}
		var lu listUsersResponse
		wantOK(t, doAs(t, s, c, "Action", "ListUsers"), &lu)
		if len(lu.Result.Users) != 3 || !strings.HasPrefix(lu.Result.Users[0].Arn, "arn:aws:iam::"+a.ID+":user/") {
			t.Fatalf("account %s users %+v", a.ID, lu.Result.Users)
		}
		var lc listCredsResponse
		wantOK(t, doAs(t, s, c, "Action", "ListServiceSpecificCredentials", "AllUsers", "true"), &lc)
		for _, cr := range lc.Result.Creds {
			if !strings.HasSuffix(cr.ServiceUserName+cr.ServiceCredentialAlias, "-at-"+a.ID) {
				t.Fatalf("account %s credential %+v", a.ID, cr)
			}
		}
		ra := resultOnly(doAs(t, s, c, "Action", "ListServiceSpecificCredentials", "AllUsers", "true").body)
		if rb := resultOnly(doAs(t, again, c, "Action", "ListServiceSpecificCredentials", "AllUsers", "true").body); ra != rb {
			t.Fatalf("account %s differs between two servers", a.ID)
		}
	}
	u0 := listUsers(t, s)[0].UserName
	if other := resultOnly(doAs(t, s, creds{key: accounts[7].AccessKeyID}, "Action", "ListUsers").body); strings.Contains(other, "<UserName>"+u0+"</UserName>") {
		t.Fatalf("member account lists the management account's user %s", u0)
	}
}

func TestOrgDemoSeed(t *testing.T) {
	s, _ := newServer(t, Config{Seed: "org:demo"})
	demo, _ := newServer(t, Config{Seed: "demo"})
	// The management account is the demo account.
	if a, b := resultOnly(do(t, s, "Action", "ListUsers").body), resultOnly(do(t, demo, "Action", "ListUsers").body); a != b {
		t.Fatal("org:demo's management account is not the demo account")
	}
	byName := map[string]AccountInfo{}
	for _, a := range s.Accounts() {
		byName[a.Name] = a
	}
	if len(byName) != 6 || byName["Sandbox"].Roles != nil || byName["Legacy"].Status != "SUSPENDED" || byName["Production"].Status != "ACTIVE" {
		t.Fatalf("demo org %+v", byName)
	}
	for _, name := range []string{"Production", "Staging", "Data platform"} {
		c := assumeRole(t, s, creds{}, "arn:aws:iam::"+byName[name].ID+":role/OrganizationAccountAccessRole")
		if creds := listAll(t, authed{s, c}, "100", "AllUsers", "true"); len(creds) < 3 {
			t.Fatalf("%s has %d credentials", name, len(creds))
		}
	}
}

// authed signs every request made through do with c.
type authed struct {
	h http.Handler
	c creds
}

func (a authed) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.c.sign(r)
	a.h.ServeHTTP(w, r)
}

func TestListAccounts(t *testing.T) {
	s, _ := newServer(t, Config{Seed: "org:25x0"})
	mgmt := creds{key: "AKIAIOSFODNN7EXAMPLE"} // an unknown long-term key acts for the management account
	var ids []string
	var token *string
	for pages := 1; ; pages++ {
		body := `{"MaxResults":7}`
		if token != nil {
			b, _ := json.Marshal(map[string]any{"MaxResults": 7, "NextToken": *token})
			body = string(b)
		}
		p := listAccountsPage(t, s, mgmt, body)
		for _, a := range p.Accounts {
			ids = append(ids, a.ID)
		}
		if p.NextToken == nil {
			if pages != 4 || len(p.Accounts) != 4 {
				t.Fatalf("%d pages, last has %d", pages, len(p.Accounts))
			}
			break
		}
		if len(p.Accounts) != 7 || *p.NextToken == "" {
			t.Fatalf("page %d: %d accounts, token %q", pages, len(p.Accounts), *p.NextToken)
		}
		token = p.NextToken
	}
	if len(ids) != 25 || ids[0] != "123456789012" || len(slices.Compact(slices.Sorted(slices.Values(ids)))) != 25 {
		t.Fatalf("accounts %v", ids)
	}

	// No MaxResults: pages of 20; an empty body is an empty input.
	first := listAccountsPage(t, s, mgmt, "")
	if len(first.Accounts) != 20 || first.NextToken == nil {
		t.Fatalf("default page: %d accounts", len(first.Accounts))
	}
	a := first.Accounts[3]
	joined, err := a.JoinedTimestamp.Float64()
	if a.Arn != "arn:aws:organizations::123456789012:account/"+orgIDOf(t, first.Accounts[0].Arn)+"/"+a.ID ||
		a.Email != "aws+development@example.com" || a.Name != "Development" || a.Status != "ACTIVE" || a.State != "ACTIVE" ||
		a.JoinedMethod != "INVITED" || err != nil || joined < 1e9 || joined > float64(time.Now().Unix()) {
		t.Fatalf("account %+v", a)
	}
	b, _ := json.Marshal(map[string]string{"NextToken": *first.NextToken})
	rest := listAccountsPage(t, s, mgmt, string(b))
	if first.Accounts[0].JoinedMethod != "INVITED" || first.Accounts[1].JoinedMethod != "CREATED" || len(rest.Accounts) != 5 || rest.NextToken != nil ||
		rest.Accounts[0].Status != "SUSPENDED" || rest.Accounts[1].Status != "ACTIVE" || rest.Accounts[4].Status != "SUSPENDED" || rest.Accounts[4].State != "SUSPENDED" {
		t.Fatalf("accounts %+v then %+v", first.Accounts, rest.Accounts)
	}

	wantJSONError(t, doJSON(t, s, mgmt, "ListAccounts", `{"MaxResults":21}`), 400, "InvalidInputException",
		"You provided a value that exceeds the maximum allowed value.", "MAX_VALUE_EXCEEDED")
	wantJSONError(t, doJSON(t, s, mgmt, "ListAccounts", `{"MaxResults":0}`), 400, "InvalidInputException",
		"You provided a value that is less than the minimum allowed value.", "MIN_VALUE_EXCEEDED")
	wantJSONError(t, doJSON(t, s, mgmt, "ListAccounts", `{"NextToken":"bm9wZQ"}`), 400, "InvalidInputException",
		"You specified an invalid value for nextToken. You must get the value from the response to a previous call to the API.", "INVALID_NEXT_TOKEN")
	wantJSONError(t, doJSON(t, s, mgmt, "ListAccounts", `{"MaxResults":"7"}`), 400, "SerializationException",
		"The request body is not a JSON object of the operation's input.", "")
	wantJSONError(t, doJSON(t, s, mgmt, "DescribeOrganization", `{}`), 400, "UnknownOperationException", "", "")

	// A member account's caller, or a role session in a member account, is denied.
	member := accountInfo(t, s, "210000000002")
	denied := "You don't have permissions to access this resource."
	wantJSONError(t, doJSON(t, s, creds{key: member.AccessKeyID}, "ListAccounts", `{}`), 400, "AccessDeniedException", denied, "")
	session := assumeRole(t, s, mgmt, "arn:aws:iam::210000000002:role/OrganizationAccountAccessRole")
	wantJSONError(t, doJSON(t, s, session, "ListAccounts", `{}`), 400, "AccessDeniedException", denied, "")
	wantJSONError(t, doJSON(t, s, creds{key: session.key}, "ListAccounts", `{}`), 400, "UnrecognizedClientException",
		"The security token included in the request is invalid.", "")

	// A standalone account is in no organization.
	single, _ := newServer(t, Config{Seed: "demo"})
	wantJSONError(t, doJSON(t, single, mgmt, "ListAccounts", `{}`), 400, "AWSOrganizationsNotInUseException",
		"Your account is not a member of an organization.", "")

	s.SetFaults(Faults{Deny: []string{"organizations:ListAccounts"}})
	wantJSONError(t, doJSON(t, s, mgmt, "ListAccounts", `{}`), 400, "AccessDeniedException", denied, "")
	s.SetFaults(Faults{ThrottleRate: 1})
	wantJSONError(t, doJSON(t, s, mgmt, "ListAccounts", `{}`), 400, "TooManyRequestsException", "Rate exceeded", "")
	s.SetFaults(Faults{FailRate: 1})
	wantJSONError(t, doJSON(t, s, mgmt, "ListAccounts", `{}`), 500, "ServiceException",
		"AWS Organizations can't complete your request because of an internal service error. Try again later.", "")
}

func orgIDOf(t *testing.T, arn string) string {
	t.Helper()
	m := regexp.MustCompile(`^arn:aws:organizations::\d{12}:account/(o-[a-z0-9]{10,32})/\d{12}$`).FindStringSubmatch(arn)
	if m == nil {
		t.Fatalf("account ARN %q", arn)
	}
	return m[1]
}

func TestAssumeRole(t *testing.T) {
	s, clock := newServer(t, Config{Seed: "org:5x4", Faults: Faults{DenyAssume: []string{"210000000003"}}})
	mgmt := creds{key: accountInfo(t, s, "123456789012").AccessKeyID}
	const target = "210000000002"
	roleARN := "arn:aws:iam::" + target + ":role/OrganizationAccountAccessRole"

	var r assumeRoleResponse
	wantOK(t, doAs(t, s, mgmt, "Action", "AssumeRole", "RoleArn", roleARN, "RoleSessionName", "iamcreds-1700000000", "DurationSeconds", "900"), &r)
	u := r.Result.User
	if u.Arn != "arn:aws:sts::"+target+":assumed-role/OrganizationAccountAccessRole/iamcreds-1700000000" ||
		!regexp.MustCompile(`^AROA[A-Z2-7]{17}:iamcreds-1700000000$`).MatchString(u.AssumedRoleId) {
		t.Fatalf("assumed role user %+v", u)
	}
	if exp := parseTime(t, r.Result.Credentials.Expiration); !exp.Equal(clock.Now().Add(900 * time.Second)) {
		t.Fatalf("expires %v", exp)
	}
	session := creds{r.Result.Credentials.AccessKeyId, r.Result.Credentials.SessionToken}

	// The session acts in the target account: identity, users, credential names.
	if id := whoAmI(t, s, session); id.Result.Account != target || id.Result.Arn != u.Arn || id.Result.UserId != u.AssumedRoleId {
		t.Fatalf("caller identity %+v", id)
	}
	if id := whoAmI(t, s, mgmt); id.Result.Account != "123456789012" || id.Result.Arn != "arn:aws:iam::123456789012:user/iamcreds-demo" {
		t.Fatalf("management identity %+v", id)
	}
	as := authed{s, session}
	createUser(t, as, "only-in-"+target)
	if c := createCred(t, as, "only-in-"+target, codecommit); c.ServiceUserName != "only-in-"+target+"-at-"+target {
		t.Fatalf("credential %+v", c)
	}
	if strings.Contains(do(t, s, "Action", "ListUsers").body, "only-in-") {
		t.Fatal("a user created in a member account shows in the management account")
	}
	if users := listUsers(t, as); len(users) != 5 {
		t.Fatalf("%d users in %s", len(users), target)
	}

	deniedMsg := func(caller, arn string) string {
		return "User: " + caller + " is not authorized to perform: sts:AssumeRole on resource: " + arn
	}
	mgmtARN := "arn:aws:iam::123456789012:user/iamcreds-demo"
	for _, arn := range []string{
		"arn:aws:iam::210000000002:role/NoSuchRole",                         // no such role
		"arn:aws:iam::210000000002:role/team/OrganizationAccountAccessRole", // another path is another role
		"arn:aws:iam::210000000003:role/OrganizationAccountAccessRole",      // DenyAssume
		"arn:aws:iam::210000000004:role/OrganizationAccountAccessRole",      // SUSPENDED
		"arn:aws:iam::999999999999:role/OrganizationAccountAccessRole",      // not in the organization
		"arn:aws:iam::123456789012:role/OrganizationAccountAccessRole",      // the management account has none
	} {
		wantError(t, doAs(t, s, mgmt, "Action", "AssumeRole", "RoleArn", arn, "RoleSessionName", "x1"), 403, "AccessDenied", deniedMsg(mgmtARN, arn))
	}
	// The role trusts the management account only: no chaining from a member.
	other := "arn:aws:iam::210000000001:role/OrganizationAccountAccessRole"
	wantError(t, doAs(t, s, session, "Action", "AssumeRole", "RoleArn", other, "RoleSessionName", "x1"), 403, "AccessDenied", deniedMsg(u.Arn, other))
	wantError(t, doAs(t, s, creds{key: accountInfo(t, s, "210000000001").AccessKeyID}, "Action", "AssumeRole", "RoleArn", roleARN, "RoleSessionName", "x1"),
		403, "AccessDenied", deniedMsg("arn:aws:iam::210000000001:user/iamcreds-demo", roleARN))

	// Validation comes first.
	wantError(t, doAs(t, s, mgmt, "Action", "AssumeRole", "RoleArn", roleARN, "RoleSessionName", "x"), 400, "ValidationError",
		"1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2")
	wantError(t, doAs(t, s, mgmt, "Action", "AssumeRole", "RoleArn", roleARN, "RoleSessionName", "a b"), 400, "ValidationError",
		`1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*`)
	wantError(t, doAs(t, s, mgmt, "Action", "AssumeRole", "RoleSessionName", "ab", "DurationSeconds", "60"), 400, "ValidationError",
		"2 validation errors detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null; "+
			"Value at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900")
	wantError(t, doAs(t, s, mgmt, "Action", "AssumeRole", "RoleArn", "arn:aws:s3:::some-bucket-name", "RoleSessionName", "ab"), 400, "ValidationError",
		"arn:aws:s3:::some-bucket-name is not a valid role ARN (arn:aws:iam::ACCOUNT:role/NAME)")
	wantError(t, doAs(t, s, mgmt, "Action", "AssumeRole", "RoleArn", roleARN, "RoleSessionName", "ab", "DurationSeconds", "7200"), 400, "ValidationError",
		"The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")

	// A session needs its token, and ends.
	wantError(t, doAs(t, s, creds{key: session.key}, "Action", "ListUsers"), 403, "InvalidClientTokenId", "The security token included in the request is invalid.")
	wantError(t, doAs(t, s, creds{session.key, session.token + "x"}, "Action", "ListUsers"), 403, "InvalidClientTokenId", "The security token included in the request is invalid.")
	wantError(t, doAs(t, s, creds{key: "ASIAZZZZZZZZZZZZZZZZ", token: "t"}, "Action", "GetCallerIdentity"), 403, "InvalidClientTokenId", "The security token included in the request is invalid.")
	clock.Advance(899 * time.Second)
	whoAmI(t, s, session)
	clock.Advance(time.Second)
	wantError(t, doAs(t, s, session, "Action", "ListUsers"), 400, "ExpiredToken", "The security token included in the request is expired")
	wantJSONError(t, doJSON(t, s, session, "ListAccounts", "{}"), 400, "ExpiredTokenException", "The security token included in the request is expired", "")

	// Faults: a denied AssumeRole names the role; the session's ARN is the caller of a denied IAM call.
	fresh := assumeRole(t, s, mgmt, roleARN)
	s.SetFaults(Faults{Deny: []string{"sts:AssumeRole", "ListUsers"}})
	wantError(t, doAs(t, s, mgmt, "Action", "AssumeRole", "RoleArn", roleARN, "RoleSessionName", "ab"), 403, "AccessDenied", deniedMsg(mgmtARN, roleARN))
	wantError(t, doAs(t, s, fresh, "Action", "ListUsers"), 403, "AccessDenied",
		"User: arn:aws:sts::"+target+":assumed-role/OrganizationAccountAccessRole/iamcreds-test is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::"+target+":user/")
}

func TestSingleAccountHasNoOrganization(t *testing.T) {
	s, _ := newServer(t, Config{Seed: "demo"})
	// Any key, even a temporary one, still acts for the one account.
	if id := whoAmI(t, s, creds{key: "ASIAZZZZZZZZZZZZZZZZ"}); id.Result.Account != "123456789012" {
		t.Fatalf("identity %+v", id)
	}
	arn := "arn:aws:iam::123456789012:role/OrganizationAccountAccessRole"
	wantError(t, do(t, s, "Action", "AssumeRole", "RoleArn", arn, "RoleSessionName", "ab"), 403, "AccessDenied",
		"User: arn:aws:iam::123456789012:user/iamcreds-demo is not authorized to perform: sts:AssumeRole on resource: "+arn)
	if a := s.Accounts(); len(a) != 1 || a[0].Management || a[0].Status != "" || a[0].ID != "123456789012" {
		t.Fatalf("accounts %+v", a)
	}
	if err := (Faults{DenyAssume: []string{"12345"}}).Validate(); err == nil {
		t.Fatal("DenyAssume accepted a short account ID")
	}
}
