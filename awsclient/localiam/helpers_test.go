package localiam

import (
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// response is a raw HTTP answer.
type response struct {
	status int
	header http.Header
	body   string
}

// do POSTs a form built from key/value pairs, as the SDKs do.
func do(t testing.TB, h http.Handler, kv ...string) response {
	t.Helper()
	if len(kv)%2 != 0 {
		t.Fatalf("odd key/value list %q", kv)
	}
	form := url.Values{}
	for i := 0; i < len(kv); i += 2 {
		form.Set(kv[i], kv[i+1])
	}
	if form.Get("Version") == "" {
		form.Set("Version", "2010-05-08")
	}
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return response{rec.Code, rec.Header(), rec.Body.String()}
}

type errorResponse struct {
	XMLName xml.Name `xml:"ErrorResponse"`
	Error   struct {
		Type    string
		Code    string
		Message string
	}
	RequestID string `xml:"RequestId"`
}

// wantError checks a complete AWS error: status, code, message (exact, or a
// regexp when it starts with "~"), Type, and the request ID in body and header.
func wantError(t testing.TB, r response, status int, code, message string) {
	t.Helper()
	var e errorResponse
	if err := xml.Unmarshal([]byte(r.body), &e); err != nil {
		t.Fatalf("status %d, body is not an ErrorResponse: %v\n%s", r.status, err, r.body)
	}
	if r.status != status || e.Error.Code != code {
		t.Fatalf("got %d %s %q, want %d %s\n%s", r.status, e.Error.Code, e.Error.Message, status, code, r.body)
	}
	if rx, ok := strings.CutPrefix(message, "~"); ok {
		if !regexp.MustCompile(rx).MatchString(e.Error.Message) {
			t.Fatalf("message %q does not match %q", e.Error.Message, rx)
		}
	} else if e.Error.Message != message {
		t.Fatalf("message:\n got %q\nwant %q", e.Error.Message, message)
	}
	wantType := "Sender"
	if status >= 500 {
		wantType = "Receiver"
	}
	if e.Error.Type != wantType {
		t.Errorf("Type %q, want %q", e.Error.Type, wantType)
	}
	if e.RequestID == "" || e.RequestID != r.header.Get("x-amzn-RequestId") {
		t.Errorf("RequestId %q in body, %q in header", e.RequestID, r.header.Get("x-amzn-RequestId"))
	}
}

// wantOK checks a 200 and decodes the body into v (if not nil).
func wantOK(t testing.TB, r response, v any) {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status %d:\n%s", r.status, r.body)
	}
	if v != nil {
		if err := xml.Unmarshal([]byte(r.body), v); err != nil {
			t.Fatalf("decoding %T: %v\n%s", v, err, r.body)
		}
	}
}

type xmlUser struct {
	Path, UserName, UserId, Arn, CreateDate string
}

type listUsersResponse struct {
	XMLName xml.Name `xml:"https://iam.amazonaws.com/doc/2010-05-08/ ListUsersResponse"`
	Result  struct {
		Users       []xmlUser `xml:"Users>member"`
		IsTruncated string
		Marker      *string
	} `xml:"ListUsersResult"`
	RequestID string `xml:"ResponseMetadata>RequestId"`
}

// userResponse decodes CreateUser and GetUser.
type userResponse struct {
	Created xmlUser `xml:"CreateUserResult>User"`
	Got     xmlUser `xml:"GetUserResult>User"`
}

func (r userResponse) user() xmlUser {
	if r.Created.UserName != "" {
		return r.Created
	}
	return r.Got
}

type xmlCred struct {
	UserName, Status, ServiceUserName, ServicePassword, ServiceCredentialAlias, ServiceCredentialSecret string
	CreateDate, ExpirationDate, ServiceSpecificCredentialId, ServiceName                                string
}

// credResponse decodes Create and Reset.
type credResponse struct {
	Created xmlCred `xml:"CreateServiceSpecificCredentialResult>ServiceSpecificCredential"`
	Reset   xmlCred `xml:"ResetServiceSpecificCredentialResult>ServiceSpecificCredential"`
}

func (r credResponse) cred() xmlCred {
	if r.Created.ServiceSpecificCredentialId != "" {
		return r.Created
	}
	return r.Reset
}

type listCredsResponse struct {
	XMLName xml.Name `xml:"ListServiceSpecificCredentialsResponse"`
	Result  struct {
		Creds       []xmlCred `xml:"ServiceSpecificCredentials>member"`
		IsTruncated string
		Marker      *string
	} `xml:"ListServiceSpecificCredentialsResult"`
}

// newServer returns a Server on a clock the test can move.
func newServer(t testing.TB, cfg Config) (*Server, *testClock) {
	t.Helper()
	clock := &testClock{now: time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)}
	if cfg.Now == nil {
		cfg.Now = clock.Now
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s, clock
}

type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func createUser(t testing.TB, h http.Handler, name string, extra ...string) xmlUser {
	t.Helper()
	var r userResponse
	wantOK(t, do(t, h, append([]string{"Action", "CreateUser", "UserName", name}, extra...)...), &r)
	return r.user()
}

func createCred(t testing.TB, h http.Handler, user, service string, extra ...string) xmlCred {
	t.Helper()
	var r credResponse
	wantOK(t, do(t, h, append([]string{"Action", "CreateServiceSpecificCredential", "UserName", user, "ServiceName", service}, extra...)...), &r)
	return r.cred()
}

func listCreds(t testing.TB, h http.Handler, kv ...string) listCredsResponse {
	t.Helper()
	var r listCredsResponse
	wantOK(t, do(t, h, append([]string{"Action", "ListServiceSpecificCredentials"}, kv...)...), &r)
	return r
}

// listAll follows Marker to the end, checking that only the last page lacks one.
func listAll(t testing.TB, h http.Handler, maxItems string, kv ...string) []xmlCred {
	t.Helper()
	var all []xmlCred
	marker := ""
	for pages := 0; ; pages++ {
		args := append([]string{"MaxItems", maxItems}, kv...)
		if marker != "" {
			args = append(args, "Marker", marker)
		}
		r := listCreds(t, h, args...)
		all = append(all, r.Result.Creds...)
		if r.Result.IsTruncated != "true" {
			if r.Result.Marker != nil || r.Result.IsTruncated != "false" {
				t.Fatalf("last page: IsTruncated %q, Marker %v", r.Result.IsTruncated, r.Result.Marker)
			}
			return all
		}
		if r.Result.Marker == nil || *r.Result.Marker == "" {
			t.Fatal("truncated page without Marker")
		}
		marker = *r.Result.Marker
		if pages > 100000 {
			t.Fatal("paging does not end")
		}
	}
}

var (
	credIDPattern   = regexp.MustCompile(`^ACCA[A-Z2-7]{17}$`)
	userIDPattern   = regexp.MustCompile(`^AIDA[A-Z2-7]{17}$`)
	passwordPattern = regexp.MustCompile(`^[A-Za-z0-9+/]{43}=$`)
	timePattern     = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`)
	requestIDTag    = regexp.MustCompile(`<RequestId>[^<]*</RequestId>`)
)

func parseTime(t testing.TB, s string) time.Time {
	t.Helper()
	if !timePattern.MatchString(s) {
		t.Fatalf("time %q is not YYYY-MM-DDThh:mm:ssZ", s)
	}
	tm, err := time.Parse(timeLayout, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }
