package awsclient

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	neturl "net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"iamcreds/awsclient/localiam"
	"iamcreds/internal/testenv"
	"iamcreds/model"
)

var testCreds = &aws.Credentials{AccessKeyID: "AKIDTEST", SecretAccessKey: "secret"}

// newTestClient serves a fresh local IAM endpoint over HTTP and points the real
// SDK at it.
func newTestClient(t *testing.T, lc localiam.Config, tweak ...func(*Config)) (*Client, *localiam.Server) {
	t.Helper()
	srv, url := serveLocalIAM(t, lc, nil)
	return connectTest(t, url, tweak...), srv
}

// serveLocalIAM serves a fresh local endpoint, through wrap if not nil.
func serveLocalIAM(t testing.TB, lc localiam.Config, wrap func(http.Handler) http.Handler) (*localiam.Server, string) {
	t.Helper()
	srv, err := localiam.New(lc)
	if err != nil {
		t.Fatal(err)
	}
	var h http.Handler = srv
	if wrap != nil {
		h = wrap(srv)
	}
	hs := httptest.NewServer(h)
	t.Cleanup(func() { hs.Close(); srv.Close() })
	return srv, hs.URL
}

// connectTest is a client of the endpoint at url with test keys and fast retries.
func connectTest(t testing.TB, url string, tweak ...func(*Config)) *Client {
	t.Helper()
	cfg := Config{EndpointURL: url, StaticCredentials: testCreds, Region: "us-east-1", MaxBackoff: 5 * time.Millisecond}
	for _, f := range tweak {
		f(&cfg)
	}
	c, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// clientFor serves h over HTTP and points the real SDK at it.
func clientFor(t *testing.T, h http.Handler, tweak ...func(*Config)) *Client {
	t.Helper()
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	return connectTest(t, hs.URL, tweak...)
}

func createUsers(t *testing.T, c *Client, names ...string) {
	t.Helper()
	for _, n := range names {
		if _, err := c.iam.CreateUser(context.Background(), &iam.CreateUserInput{UserName: aws.String(n)}); err != nil {
			t.Fatalf("create user %s: %v", n, err)
		}
	}
}

var credIDRE = regexp.MustCompile(`^ACCA[A-Z2-7]{17}$`)

func TestIdentity(t *testing.T) {
	c, _ := newTestClient(t, localiam.Config{AccountID: "210987654321"})
	id, err := c.Identity(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if id.Account != "210987654321" || !strings.HasPrefix(id.ARN, "arn:aws:iam::210987654321:") {
		t.Fatalf("identity %+v", id)
	}
}

func TestCredentialLifecycle(t *testing.T) {
	ctx := context.Background()
	c, _ := newTestClient(t, localiam.Config{})
	createUsers(t, c, "sofia")

	cred, secret, err := c.CreateCredential(ctx, "sofia", model.CodeCommit, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !credIDRE.MatchString(cred.ID) || cred.ServiceUserName != "sofia-at-123456789012" || cred.Status != model.Active ||
		cred.UserName != "sofia" || cred.Service != model.CodeCommit || cred.Created.IsZero() || !cred.NeverExpires() {
		t.Fatalf("created %+v", cred)
	}
	if len(secret.Reveal()) != 44 || secret.Credential.ID != cred.ID {
		t.Fatalf("password %d chars", len(secret.Reveal()))
	}
	second, _, err := c.CreateCredential(ctx, "sofia", model.CodeCommit, 0)
	if err != nil || second.ServiceUserName != "sofia+1-at-123456789012" {
		t.Fatalf("second: %+v %v", second, err)
	}

	key, keySecret, err := c.CreateCredential(ctx, "sofia", model.Bedrock, 30)
	if err != nil {
		t.Fatal(err)
	}
	if key.Alias == "" || key.ServiceUserName != "" || key.Expires.Sub(key.Created) != 30*24*time.Hour || !strings.HasPrefix(keySecret.Reveal(), "ABSK") {
		t.Fatalf("api key %+v", key)
	}

	if err := c.SetStatus(ctx, "sofia", cred.ID, model.Inactive); err != nil {
		t.Fatal(err)
	}
	reset, newSecret, err := c.Reset(ctx, "sofia", cred.ID)
	if err != nil {
		t.Fatal(err)
	}
	if reset.ID != cred.ID || reset.Status != model.Inactive || reset.ServiceUserName != cred.ServiceUserName || newSecret.Reveal() == secret.Reveal() || newSecret.Empty() {
		t.Fatalf("reset must keep id, name and status and change the password: %+v", reset)
	}

	list, err := c.ListCredentials(ctx, "sofia")
	if err != nil || len(list) != 3 {
		t.Fatalf("list %d %v", len(list), err)
	}
	byID := map[string]model.Credential{}
	for _, l := range list {
		byID[l.ID] = l
	}
	if byID[cred.ID].Status != model.Inactive || byID[key.ID].Alias != key.Alias || !byID[key.ID].Expires.Equal(key.Expires) {
		t.Fatalf("listed %+v", list)
	}

	for _, id := range []string{cred.ID, second.ID, key.ID} {
		if err := c.Delete(ctx, "sofia", id); err != nil {
			t.Fatal(err)
		}
	}
	if list, _ := c.ListCredentials(ctx, "sofia"); len(list) != 0 {
		t.Fatalf("after delete: %+v", list)
	}
}

func TestPaginationWithSmallPages(t *testing.T) {
	ctx := context.Background()
	c, _ := newTestClient(t, localiam.Config{Seed: "scale:250"}, func(cfg *Config) { cfg.PageSize = 7 })
	users, err := c.ListUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, u := range users {
		if seen[u.Name] {
			t.Fatalf("user %s listed twice", u.Name)
		}
		seen[u.Name] = true
		if u.ARN == "" || u.ID == "" || u.Created.IsZero() {
			t.Fatalf("incomplete user %+v", u)
		}
	}
	if len(users) != 250 {
		t.Fatalf("%d users, want 250", len(users))
	}
	// Every credential once, whichever way it is listed.
	inv, err := c.Inventory(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var perUser []model.Credential
	for _, u := range users {
		cs, err := c.ListCredentials(ctx, u.Name)
		if err != nil {
			t.Fatal(err)
		}
		perUser = append(perUser, cs...)
	}
	sortCredentials(perUser)
	if len(inv.Credentials) < 250 || !reflect.DeepEqual(inv.Credentials, perUser) {
		t.Fatalf("AllUsers listing (%d) differs from per-user listing (%d)", len(inv.Credentials), len(perUser))
	}
	ids := map[string]bool{}
	for _, cr := range inv.Credentials {
		if ids[cr.ID] {
			t.Fatalf("credential %s twice", cr.ID)
		}
		ids[cr.ID] = true
	}
}

func TestAllUsersFallbackWhenDenied(t *testing.T) {
	ctx := context.Background()
	// Both endpoints seed from the same clock, or a second boundary between
	// their starts would shift every seeded date.
	fixed := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	now := func() time.Time { return fixed }
	open, _ := newTestClient(t, localiam.Config{Seed: "scale:40", Now: now}, func(cfg *Config) { cfg.PageSize = 9 })
	want, err := open.Inventory(ctx, nil)
	if err != nil || want.PerUser {
		t.Fatalf("inventory via AllUsers: %v perUser=%v", err, want.PerUser)
	}
	wantBedrock, err := open.ListAllCredentials(ctx, model.Bedrock, nil)
	if err != nil {
		t.Fatal(err)
	}

	denied, _ := newTestClient(t, localiam.Config{Seed: "scale:40", Now: now, Faults: localiam.Faults{Deny: []string{"ListServiceSpecificCredentials:AllUsers"}}},
		func(cfg *Config) { cfg.PageSize = 9; cfg.Concurrency = 3 })
	var calls, lastDone, lastTotal int
	got, err := denied.Inventory(ctx, func(done, total int) { calls++; lastDone, lastTotal = done, total })
	if err != nil {
		t.Fatal(err)
	}
	if !got.PerUser || calls != 40 || lastDone != 40 || lastTotal != 40 {
		t.Fatalf("fallback: perUser=%v progress calls=%d last=%d/%d", got.PerUser, calls, lastDone, lastTotal)
	}
	if !reflect.DeepEqual(got.Credentials, want.Credentials) || len(got.Users) != len(want.Users) {
		t.Fatalf("fallback found %d credentials, AllUsers %d", len(got.Credentials), len(want.Credentials))
	}
	gotBedrock, err := denied.ListAllCredentials(ctx, model.Bedrock, nil)
	if err != nil {
		t.Fatal(err)
	}
	sortCredentials(wantBedrock)
	if len(wantBedrock) == 0 || !reflect.DeepEqual(gotBedrock, wantBedrock) {
		t.Fatalf("bedrock fallback %d vs %d", len(gotBedrock), len(wantBedrock))
	}
}

func TestFallbackErrorStopsScan(t *testing.T) {
	c, _ := newTestClient(t, localiam.Config{Seed: "scale:30", Faults: localiam.Faults{Deny: []string{"ListServiceSpecificCredentials"}}})
	_, err := c.Inventory(context.Background(), nil)
	if !errors.Is(err, model.ErrAccessDenied) || !strings.Contains(err.Error(), "iam:ListServiceSpecificCredentials on user ") {
		t.Fatalf("want access denied naming the per-user call, got %v", err)
	}
}

func TestThrottlingAbsorbedByRetries(t *testing.T) {
	ctx := context.Background()
	c, srv := newTestClient(t, localiam.Config{Seed: "scale:20"}, func(cfg *Config) { cfg.MaxAttempts = 12; cfg.PageSize = 5 })
	srv.SetFaults(localiam.Faults{ThrottleRate: 0.4})
	for i := 0; i < 5; i++ {
		if _, err := c.Inventory(ctx, nil); err != nil {
			t.Fatalf("round %d: %v", i, err)
		}
	}
}

func TestErrorMapping(t *testing.T) {
	ctx := context.Background()
	c, srv := newTestClient(t, localiam.Config{}, func(cfg *Config) { cfg.MaxAttempts = 2 })
	createUsers(t, c, "alice")
	first, _, err := c.CreateCredential(ctx, "alice", model.CodeCommit, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.CreateCredential(ctx, "alice", model.CodeCommit, 0); err != nil {
		t.Fatal(err)
	}
	missingID := "ACCA" + strings.Repeat("Q", 17)

	cases := []struct {
		name    string
		faults  localiam.Faults
		call    func() error
		kind    model.ErrorKind
		code    string
		message string
	}{
		{"unknown user", localiam.Faults{}, func() error { _, err := c.ListCredentials(ctx, "nobody"); return err },
			model.KindNotFound, "NoSuchEntity", "IAM user nobody not found"},
		{"unknown credential", localiam.Faults{}, func() error { return c.SetStatus(ctx, "alice", missingID, model.Inactive) },
			model.KindNotFound, "NoSuchEntity", "credential " + missingID + " of alice not found (deleted elsewhere?)"},
		{"unsupported service", localiam.Faults{}, func() error { _, _, err := c.CreateCredential(ctx, "alice", "lambda.amazonaws.com", 0); return err },
			model.KindNotFound, "NoSuchEntity", "service lambda.amazonaws.com does not support service-specific credentials"},
		{"limit", localiam.Faults{}, func() error { _, _, err := c.CreateCredential(ctx, "alice", model.CodeCommit, 0); return err },
			model.KindLimit, "LimitExceeded", "alice already has 2 CodeCommit credentials; delete one first"},
		{"bad id", localiam.Faults{}, func() error { return c.Delete(ctx, "alice", "not-a-valid-credential-id") },
			model.KindInvalid, "ValidationError", "IAM refused the request: 1 validation error detected"},
		{"bad expiry", localiam.Faults{}, func() error { _, _, err := c.CreateCredential(ctx, "alice", model.Bedrock, 36601); return err },
			model.KindInvalid, "ValidationError", "IAM refused the request:"},
		{"denied", localiam.Faults{Deny: []string{"DeleteServiceSpecificCredential"}}, func() error { return c.Delete(ctx, "alice", first.ID) },
			model.KindAccessDenied, "AccessDenied", "access denied: your policy does not allow iam:DeleteServiceSpecificCredential on user alice"},
		{"throttled", localiam.Faults{ThrottleRate: 1}, func() error { _, err := c.ListUsers(ctx); return err },
			model.KindThrottled, "Throttling", "IAM is throttling requests (Throttling) after 2 attempts"},
		// A write answered 5xx is judged by a listing (write_test.go); a read is not.
		{"service failure", localiam.Faults{FailRate: 1}, func() error { _, err := c.ListCredentials(ctx, "alice"); return err },
			model.KindOther, "ServiceFailure", "IAM failed (ServiceFailure) after 2 attempts"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv.SetFaults(tc.faults)
			defer srv.SetFaults(localiam.Faults{})
			err := tc.call()
			var me *model.Error
			if !errors.As(err, &me) {
				t.Fatalf("want *model.Error, got %T %v", err, err)
			}
			if me.Kind != tc.kind || me.Code != tc.code || !strings.HasPrefix(me.Message, tc.message) {
				t.Fatalf("got kind=%v code=%s msg=%q", me.Kind, me.Code, me.Message)
			}
			if me.RequestID == "" || me.Op == "" {
				t.Fatalf("details lost: %q", me.Details())
			}
		})
	}
	// Nothing above changed alice's credentials: faults come before state changes.
	if list, _ := c.ListCredentials(ctx, "alice"); len(list) != 2 || list[0].Status != model.Active || list[1].Status != model.Active {
		t.Fatalf("state changed by failed calls: %+v", list)
	}
}

func TestUnreachableEndpoint(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close() // nothing listens there now
	c, err := New(context.Background(), Config{EndpointURL: url, StaticCredentials: testCreds, MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ListUsers(context.Background())
	if !errors.Is(err, model.ErrUnreachable) || !strings.Contains(err.Error(), "cannot reach "+url) {
		t.Fatalf("got %v", err)
	}
}

// isolateAWSEnv points the SDK's chain at files of the test's making only:
// testenv's isolation, with configText as the shared config file and HOME a
// directory of the test's.
func isolateAWSEnv(t *testing.T, configText string) {
	testenv.AWS(t)
	cfg, _ := testenv.Files()
	if err := os.WriteFile(cfg, []byte(configText), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOME", filepath.Dir(cfg))
}

func TestMissingAndExpiredCredentials(t *testing.T) {
	srv, err := localiam.New(localiam.Config{})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()

	isolateAWSEnv(t, "[profile work]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Admin\nregion = us-east-1\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n")
	ctx := context.Background()

	none, err := New(ctx, Config{EndpointURL: hs.URL, MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	_, err = none.ListUsers(ctx)
	if !errors.Is(err, model.ErrAuth) || !strings.Contains(err.Error(), "no usable AWS credentials") {
		t.Fatalf("no credentials: %v", err)
	}

	sso, err := New(ctx, Config{EndpointURL: hs.URL, Profile: "work", MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	_, err = sso.Identity(ctx)
	if !errors.Is(err, model.ErrAuth) || !strings.Contains(err.Error(), "aws sso login --profile work") {
		t.Fatalf("sso: %v", err)
	}

	_, err = New(ctx, Config{Profile: "missing"})
	if !errors.Is(err, model.ErrAuth) || !strings.Contains(err.Error(), `profile "missing" not found`) {
		t.Fatalf("missing profile: %v", err)
	}
}

func TestReadOnlyRefusedInClient(t *testing.T) {
	ctx := context.Background()
	c, srv := newTestClient(t, localiam.Config{}, func(cfg *Config) { cfg.ReadOnly = true })
	createUsers(t, c, "bob")
	// If a write reached the endpoint it would fail as denied, not read-only.
	srv.SetFaults(localiam.Faults{Deny: []string{"CreateServiceSpecificCredential", "UpdateServiceSpecificCredential", "ResetServiceSpecificCredential", "DeleteServiceSpecificCredential"}})
	id := "ACCA" + strings.Repeat("B", 17)
	errs := []error{
		func() error { _, _, err := c.CreateCredential(ctx, "bob", model.CodeCommit, 0); return err }(),
		c.SetStatus(ctx, "bob", id, model.Inactive),
		func() error { _, _, err := c.Reset(ctx, "bob", id); return err }(),
		c.Delete(ctx, "bob", id),
	}
	for i, err := range errs {
		if !errors.Is(err, model.ErrReadOnly) {
			t.Errorf("write %d: %v", i, err)
		}
	}
	if _, err := c.ListCredentials(ctx, "bob"); err != nil {
		t.Fatalf("reads still work: %v", err)
	}
}

func TestNoSecretInErrors(t *testing.T) {
	ctx := context.Background()
	c, srv := newTestClient(t, localiam.Config{}, func(cfg *Config) { cfg.MaxAttempts = 1 })
	createUsers(t, c, "carol")
	cred, secret, err := c.CreateCredential(ctx, "carol", model.Keyspaces, 0)
	if err != nil {
		t.Fatal(err)
	}
	srv.SetFaults(localiam.Faults{FailRate: 1})
	_, _, err = c.Reset(ctx, "carol", cred.ID)
	if err == nil {
		t.Fatal("want failure")
	}
	var me *model.Error
	errors.As(err, &me)
	for _, s := range []string{err.Error(), fmt.Sprintf("%+v", err), me.Details()} {
		if strings.Contains(s, secret.Reveal()) {
			t.Fatal("secret in error")
		}
	}
}

// A paged listing asks for the next page as soon as a reply's Marker can be
// read, before the SDK has decoded it; the page is used only if it was asked
// for with the Marker the SDK decodes. A reply whose raw text shows another
// Marker (here in a comment the XML decoder skips) costs a request, never a
// wrong listing.
func TestPipelinedPagesFollowTheDecodedMarker(t *testing.T) {
	ctx := context.Background()
	fixed := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	now := func() time.Time { return fixed }
	plain, _ := newTestClient(t, localiam.Config{Seed: "scale:120", Now: now}, func(cfg *Config) { cfg.PageSize = 10 })
	want, err := plain.InventoryWith(ctx, model.InventoryOptions{CredentialsOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		decoy bool
	}{{"marker as decoded", false}, {"decoy marker", true}} {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			markers := map[string]int{} // Marker asked for → times
			_, url := serveLocalIAM(t, localiam.Config{Seed: "scale:120", Now: now}, func(h http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					body, _ := io.ReadAll(r.Body)
					form, _ := neturl.ParseQuery(string(body))
					r.Body = io.NopCloser(bytes.NewReader(body))
					if form.Get("Action") != "ListServiceSpecificCredentials" {
						h.ServeHTTP(w, r)
						return
					}
					mu.Lock()
					markers[form.Get("ServiceName")+" "+form.Get("Marker")]++
					mu.Unlock()
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, r)
					out := rec.Body.Bytes()
					if tc.decoy {
						out = append(out, "<!-- <Marker>decoy</Marker> -->"...)
					}
					for k, v := range rec.Header() {
						w.Header()[k] = v
					}
					w.Header().Set("Content-Length", strconv.Itoa(len(out)))
					w.WriteHeader(rec.Code)
					w.Write(out)
				})
			})
			c := connectTest(t, url, func(cfg *Config) { cfg.PageSize = 10 })
			// A page asked for ahead may be cancelled before it reaches the
			// endpoint (the SDK decoded its page first): the decoy's request is
			// looked for over a few listings, each of which must be right.
			decoys := 0
			for run := 0; run < 20 && (run == 0 || tc.decoy && decoys == 0); run++ {
				mu.Lock()
				clear(markers)
				mu.Unlock()
				got, err := c.InventoryWith(ctx, model.InventoryOptions{CredentialsOnly: true})
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got.Credentials, want.Credentials) {
					t.Fatalf("%d credentials, want %d", len(got.Credentials), len(want.Credentials))
				}
				mu.Lock()
				for k, n := range markers {
					switch {
					case strings.HasSuffix(k, " decoy"):
						decoys += n
					case n != 1:
						t.Errorf("%q asked for %d times", k, n)
					}
				}
				mu.Unlock()
			}
			if tc.decoy != (decoys > 0) {
				t.Errorf("%d requests with the decoy Marker", decoys)
			}
		})
	}
}
