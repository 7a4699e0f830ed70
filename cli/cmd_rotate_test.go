package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"iamcreds/awsclient"
	"iamcreds/awsclient/localiam"
	"iamcreds/model"
)

// rotateSeed is every situation a rotation meets, one user each.
const rotateSeed = `{"users": [
	{"name": "solo", "credentials": [
		{"service": "codecommit.amazonaws.com", "created": "-200d", "id": "ACCASOLOGIT000000OLD1"}]},
	{"name": "pair", "credentials": [
		{"service": "codecommit.amazonaws.com", "status": "Inactive", "created": "-800d", "id": "ACCAPAIRGIT00000INAC"},
		{"service": "codecommit.amazonaws.com", "created": "-35d", "id": "ACCAPAIRGIT00000ACTV"}]},
	{"name": "busy", "credentials": [
		{"service": "codecommit.amazonaws.com", "created": "-200d", "id": "ACCABUSYGIT000000OLD"},
		{"service": "codecommit.amazonaws.com", "created": "-2d", "id": "ACCABUSYGIT000000NEW"}]},
	{"name": "keyuser", "credentials": [
		{"service": "bedrock.amazonaws.com", "created": "-20d", "expires": "+10d", "id": "ACCAKEYUSERBEDROCK01"}]},
	{"name": "nokey", "credentials": [
		{"service": "logs.amazonaws.com", "created": "-20d", "id": "ACCANOKEYLOGS0000001"}]}
]}`

// rotateIAM is a local IAM for rotate's tests, behind a handler that counts the
// requests and can act before a request is served (another admin at work).
type rotateIAM struct {
	url      string
	srv      *localiam.Server
	requests atomic.Int32
	mu       sync.Mutex
	before   func(action string, form url.Values) // runs before each request, if set
	// hold, if set and true for a request, keeps it from IAM until the client
	// gives up: a request held at a proxy that never reaches IAM.
	hold func(action string) bool
	// after runs after each request was served, if set.
	after func(action string)
	// stripSecret removes the secret from the replies to creates.
	stripSecret atomic.Bool
}

func startRotateIAM(t *testing.T, faults localiam.Faults) *rotateIAM {
	t.Helper()
	auditAWSEnv(t)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	seed := filepath.Join(t.TempDir(), "seed.json")
	if err := os.WriteFile(seed, []byte(rotateSeed), 0o600); err != nil {
		t.Fatal(err)
	}
	srv, err := localiam.New(localiam.Config{Seed: seed, Faults: faults, Now: func() time.Time { return auditTestNow }})
	if err != nil {
		t.Fatal(err)
	}
	ri := &rotateIAM{srv: srv}
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ri.requests.Add(1)
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		form, _ := url.ParseQuery(string(body))
		ri.mu.Lock()
		before, hold, after := ri.before, ri.hold, ri.after
		ri.mu.Unlock()
		action := form.Get("Action")
		if before != nil {
			before(action, form)
		}
		if hold != nil && hold(action) {
			<-r.Context().Done()
			return
		}
		if action == "CreateServiceSpecificCredential" && ri.stripSecret.Load() {
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, r)
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.WriteHeader(rec.Code)
			_, _ = w.Write(regexp.MustCompile(`<ServicePassword>[^<]*</ServicePassword>`).ReplaceAll(rec.Body.Bytes(), nil))
		} else {
			srv.ServeHTTP(w, r)
		}
		if after != nil {
			after(action)
		}
	}))
	t.Cleanup(func() { hs.Close(); srv.Close() })
	ri.url = hs.URL
	return ri
}

// call sends one IAM request straight to the server, as another admin would.
func (ri *rotateIAM) call(t *testing.T, form url.Values) int {
	form.Set("Version", "2010-05-08")
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	ri.srv.ServeHTTP(rec, req)
	return rec.Code
}

// held lists user's credentials through the real SDK, as IAM holds them now.
func (ri *rotateIAM) held(t *testing.T, user string) []model.Credential {
	t.Helper()
	c, err := awsclient.New(context.Background(), awsclient.Config{EndpointURL: ri.url})
	if err != nil {
		t.Fatal(err)
	}
	cs, err := c.ListCredentials(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// statuses is user's credentials as "ID Status" lines, sorted.
func (ri *rotateIAM) statuses(t *testing.T, user string) []string {
	var out []string
	for _, c := range ri.held(t, user) {
		out = append(out, c.ID+" "+string(c.Status))
	}
	slices.Sort(out)
	return out
}

type rotateResult struct {
	stdout, stderr string
	code           int
}

// rotate runs `iamcreds rotate args` against ri; terminal says whether stdout
// is a terminal.
func (ri *rotateIAM) rotate(t *testing.T, terminal bool, args ...string) rotateResult {
	t.Helper()
	var out, errOut bytes.Buffer
	return runRotateWith(t, &out, &errOut, terminal, append([]string{"--endpoint-url", ri.url}, args...)...)
}

func runRotateWith(t *testing.T, stdout io.Writer, stderr *bytes.Buffer, terminal bool, args ...string) rotateResult {
	t.Helper()
	env := cliEnv{
		stdout: stdout, stderr: stderr,
		now:        func() time.Time { return auditTestNow },
		isTerminal: func(w io.Writer) bool { return terminal && w == stdout },
	}
	code := execute(context.Background(), append([]string{"rotate"}, args...), env)
	out := ""
	if b, ok := stdout.(*bytes.Buffer); ok {
		out = b.String()
	}
	return rotateResult{out, stderr.String(), code}
}

func (r rotateResult) must(t *testing.T, code int, stderrHas ...string) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
	for _, s := range stderrHas {
		if !strings.Contains(r.stderr, s) {
			t.Fatalf("stderr lacks %q:\n%s", s, r.stderr)
		}
	}
}

// secretRecord reads the CSV secret record: header and one row, as a map.
func secretRecord(t *testing.T, s string) map[string]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	if err != nil || len(recs) != 2 || !slices.Equal(recs[0], model.SecretColumns()) {
		t.Fatalf("not a secret record (%v):\n%s", err, s)
	}
	out := map[string]string{}
	for i, k := range recs[0] {
		out[k] = recs[1][i]
	}
	return out
}

func newID(t *testing.T, before, after []model.Credential) model.Credential {
	t.Helper()
	for _, c := range after {
		if !slices.ContainsFunc(before, func(b model.Credential) bool { return b.ID == c.ID }) {
			return c
		}
	}
	t.Fatal("no new credential")
	return model.Credential{}
}

// Plain: the secret to a pipe as the console's CSV; the old one stays Active.
func TestRotatePlainToAPipe(t *testing.T) {
	ri := startRotateIAM(t, localiam.Faults{})
	before := ri.held(t, "solo")
	r := ri.rotate(t, false, "--user", "solo", "--service", "git")
	r.must(t, exitOK, "step 2: created ", "step 3: password written to stdout", "iamcreds rotate: done\n  new ",
		"old ACCASOLOGIT000000OLD1: Active", "Hand the new password over", "two-active")
	after := ri.held(t, "solo")
	created := newID(t, before, after)
	rec := secretRecord(t, r.stdout)
	if rec["user"] != "solo" || rec["service_name"] != model.CodeCommit || rec["credential_id"] != created.ID ||
		rec["login"] != created.ServiceUserName || !strings.HasPrefix(rec["login"], "solo+1-at-") || len(rec["secret"]) < 20 || rec["expires"] != "" {
		t.Fatalf("record %v, created %+v", rec, created)
	}
	if strings.Contains(r.stderr, rec["secret"]) {
		t.Fatal("the secret reached stderr")
	}
	want := []string{"ACCASOLOGIT000000OLD1 Active", created.ID + " Active"}
	slices.Sort(want)
	if got := ri.statuses(t, "solo"); !slices.Equal(got, want) {
		t.Fatalf("IAM holds %q", got)
	}
}

// No secret on a terminal, however asked; with --secret-file the terminal gets
// none and rotate runs.
func TestRotateRefusesToPrintASecretOnATerminal(t *testing.T) {
	ri := startRotateIAM(t, localiam.Faults{})
	for _, args := range [][]string{
		{"--user", "solo", "--service", "git"},
		{"--user", "solo", "--service", "git", "--output", "json"},
	} {
		r := ri.rotate(t, true, args...)
		r.must(t, exitUsage, "refusing to print a secret to a terminal: use --secret-file FILE, or pipe the output")
		if r.stdout != "" {
			t.Fatalf("stdout %q", r.stdout)
		}
	}
	if ri.requests.Load() != 0 {
		t.Fatalf("a refused rotation sent %d requests", ri.requests.Load())
	}
	file := filepath.Join(t.TempDir(), "new.csv")
	r := ri.rotate(t, true, "--user", "solo", "--service", "git", "--secret-file", file)
	r.must(t, exitOK, "password written to "+file)
	if r.stdout != "" || len(ri.held(t, "solo")) != 2 {
		t.Fatalf("stdout %q, holds %d", r.stdout, len(ri.held(t, "solo")))
	}
}

// --secret-file: a new file, mode 0600, holding the record; never over a file
// that exists, and then nothing is created.
func TestRotateSecretFile(t *testing.T) {
	ri := startRotateIAM(t, localiam.Faults{})
	dir := t.TempDir()
	file := filepath.Join(dir, "solo-git.csv")
	r := ri.rotate(t, false, "--user", "solo", "--service", "git", "--secret-file", file)
	r.must(t, exitOK, "(mode 0600)")
	if r.stdout != "" {
		t.Fatalf("stdout %q", r.stdout)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	rec := secretRecord(t, string(b))
	created := newID(t, []model.Credential{{ID: "ACCASOLOGIT000000OLD1"}}, ri.held(t, "solo"))
	if rec["credential_id"] != created.ID || rec["secret"] == "" {
		t.Fatalf("record %v", rec)
	}
	if fi, _ := os.Stat(file); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", fi.Mode().Perm())
	}

	// The file exists (and so would a third credential): refused before any request.
	n := ri.requests.Load()
	r = ri.rotate(t, false, "--user", "keyuser", "--service", "bedrock", "--secret-file", file)
	r.must(t, exitUsage, "--secret-file: "+file+" exists: rotate never replaces a file")
	if again, _ := os.ReadFile(file); !bytes.Equal(again, b) || ri.requests.Load() != n || len(ri.held(t, "keyuser")) != 1 {
		t.Fatal("a refused --secret-file changed the file or IAM")
	}
	// A file that cannot be created: nothing is created in IAM either.
	r = ri.rotate(t, false, "--user", "keyuser", "--service", "bedrock", "--secret-file", filepath.Join(dir, "no", "such", "dir.csv"))
	r.must(t, exitUsage, "--secret-file: ")
	if len(ri.held(t, "keyuser")) != 1 {
		t.Fatal("a credential was created without a place for its secret")
	}
	// A rotation that stops leaves no empty file behind.
	stopped := filepath.Join(dir, "busy.csv")
	ri.rotate(t, false, "--user", "busy", "--service", "git", "--secret-file", stopped).must(t, exitStopped)
	if _, err := os.Lstat(stopped); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a stopped rotation left %s: %v", stopped, err)
	}
}

// Steps 4 and 5, each and together; only with the secret safe in a file.
func TestRotateDeactivateAndDeleteOld(t *testing.T) {
	for _, tc := range []struct {
		flags []string
		old   string // what becomes of the old one
		says  []string
	}{
		{[]string{"--deactivate-old"}, "Inactive", []string{"step 4: deactivated the old one, ACCASOLOGIT000000OLD1", "delete it; until then it can be activated again"}},
		{[]string{"--delete-old"}, "", []string{"step 5: deleted the old one, ACCASOLOGIT000000OLD1", "the rotation is complete"}},
		{[]string{"--deactivate-old", "--delete-old"}, "", []string{"step 4: deactivated", "step 5: deleted", "old ACCASOLOGIT000000OLD1: deleted"}},
	} {
		t.Run(strings.Join(tc.flags, " "), func(t *testing.T) {
			ri := startRotateIAM(t, localiam.Faults{})
			file := filepath.Join(t.TempDir(), "s.csv")
			r := ri.rotate(t, false, append([]string{"--user", "solo", "--service", "git", "--secret-file", file}, tc.flags...)...)
			r.must(t, exitOK, tc.says...)
			rec := secretRecord(t, readFile(t, file))
			want := []string{rec["credential_id"] + " Active"}
			if tc.old != "" {
				want = append(want, "ACCASOLOGIT000000OLD1 "+tc.old)
			}
			slices.Sort(want)
			if got := ri.statuses(t, "solo"); !slices.Equal(got, want) {
				t.Fatalf("IAM holds %q, want %q", got, want)
			}
			// Without a file they are refused before anything is done.
			n := ri.requests.Load()
			r = ri.rotate(t, false, append([]string{"--user", "keyuser", "--service", "bedrock"}, tc.flags...)...)
			r.must(t, exitUsage, "need --secret-file")
			if ri.requests.Load() != n {
				t.Fatal("a refused command line reached IAM")
			}
		})
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

type rotationDoc struct {
	Result string `json:"result"`
	Step   *struct {
		Number  int    `json:"number"`
		Name    string `json:"name"`
		Outcome string `json:"outcome"`
	} `json:"step"`
	Steps []struct {
		Number  int    `json:"number"`
		Outcome string `json:"outcome"`
	} `json:"steps"`
	Appeared     []map[string]any  `json:"appeared"`
	Message      string            `json:"message"`
	User         string            `json:"user"`
	ServiceName  string            `json:"service_name"`
	State        []string          `json:"state"`
	Next         string            `json:"next"`
	Old          map[string]any    `json:"old"`
	New          map[string]any    `json:"new"`
	OtherDeleted *string           `json:"other_deleted"`
	Secret       map[string]string `json:"secret"`
	SecretFile   *string           `json:"secret_file"`
}

func decodeDoc(t *testing.T, s string) rotationDoc {
	t.Helper()
	var d rotationDoc
	dec := json.NewDecoder(strings.NewReader(s))
	if err := dec.Decode(&d); err != nil || dec.More() {
		t.Fatalf("not one JSON document (%v):\n%s", err, s)
	}
	return d
}

// --output json: one document, with the secret when stdout is where it goes,
// without it when a file holds it.
func TestRotateJSON(t *testing.T) {
	ri := startRotateIAM(t, localiam.Faults{})
	r := ri.rotate(t, false, "--user", "keyuser", "--service", "bedrock", "--output", "json")
	r.must(t, exitOK, "API key written to stdout in the JSON document")
	d := decodeDoc(t, r.stdout)
	created := newID(t, []model.Credential{{ID: "ACCAKEYUSERBEDROCK01"}}, ri.held(t, "keyuser"))
	if d.Result != "done" || d.Step != nil || d.User != "keyuser" || d.ServiceName != model.Bedrock ||
		d.Secret["credential_id"] != created.ID || !strings.HasPrefix(d.Secret["secret"], "ABSK") || d.Secret["login"] != created.Alias ||
		d.New["credential_id"] != created.ID || d.New["status"] != "Active" || d.Old["status"] != "Active" || d.SecretFile != nil ||
		!strings.Contains(d.Next, "Hand the new API key over") {
		t.Fatalf("document %+v\n%s", d, r.stdout)
	}

	file := filepath.Join(t.TempDir(), "k.csv")
	r = ri.rotate(t, false, "--user", "solo", "--service", "git", "--output", "json", "--secret-file", file, "--deactivate-old")
	r.must(t, exitOK)
	d = decodeDoc(t, r.stdout)
	if d.Result != "done" || d.Secret != nil || d.SecretFile == nil || *d.SecretFile != file || d.Old["status"] != "Inactive" ||
		strings.Contains(r.stdout, secretRecord(t, readFile(t, file))["secret"]) {
		t.Fatalf("document %+v\n%s", d, r.stdout)
	}
}

// 2 of 2: an Inactive other goes only with --delete-inactive-other; an Active
// other stops the rotation whatever the flags.
func TestRotateTwoOfTwo(t *testing.T) {
	ri := startRotateIAM(t, localiam.Faults{})
	file := filepath.Join(t.TempDir(), "pair.csv")
	r := ri.rotate(t, false, "--user", "pair", "--service", "git", "--secret-file", file)
	r.must(t, exitStopped, "stopped at step 1 (delete the other credential)", "the other, ACCAPAIRGIT00000INAC, is Inactive: pass --delete-inactive-other", "next: Nothing was changed.")
	want := []string{"ACCAPAIRGIT00000ACTV Active", "ACCAPAIRGIT00000INAC Inactive"}
	if got := ri.statuses(t, "pair"); !slices.Equal(got, want) {
		t.Fatalf("IAM holds %q", got)
	}

	r = ri.rotate(t, false, "--user", "pair", "--service", "git", "--secret-file", file, "--delete-inactive-other")
	r.must(t, exitOK, "step 1: deleted the other CodeCommit credential, ACCAPAIRGIT00000INAC (Inactive)", "other ACCAPAIRGIT00000INAC: deleted")
	created := secretRecord(t, readFile(t, file))["credential_id"]
	want = []string{"ACCAPAIRGIT00000ACTV Active", created + " Active"}
	slices.Sort(want)
	if got := ri.statuses(t, "pair"); !slices.Equal(got, want) {
		t.Fatalf("IAM holds %q", got)
	}

	for _, output := range []string{"text", "json"} {
		r = ri.rotate(t, false, "--user", "busy", "--service", "git", "--delete-inactive-other", "--output", output)
		r.must(t, exitStopped, "stopped at step 1", "both are Active (ACCABUSYGIT000000OLD and ACCABUSYGIT000000NEW): a rotation is in progress")
		if output == "json" {
			d := decodeDoc(t, r.stdout)
			if d.Result != "stopped" || d.Step == nil || d.Step.Number != 1 || d.Secret != nil || !strings.Contains(d.Message, "both are Active") || d.New != nil {
				t.Fatalf("document %+v", d)
			}
		} else if r.stdout != "" {
			t.Fatalf("stdout %q", r.stdout)
		}
	}
	if len(ri.held(t, "busy")) != 2 {
		t.Fatal("a stopped rotation changed busy's credentials")
	}
	// Naming the Inactive one of an Active pair: rotate the Active one instead.
	fresh := startRotateIAM(t, localiam.Faults{})
	fresh.rotate(t, false, "--user", "pair", "--id", "ACCAPAIRGIT00000INAC", "--delete-inactive-other").
		must(t, exitStopped, "ACCAPAIRGIT00000INAC is Inactive and the other, ACCAPAIRGIT00000ACTV, is Active. Rotate the Active one instead")
	// After the rotation above, pair holds two Active: a rotation in progress.
	ri.rotate(t, false, "--user", "pair", "--id", "ACCAPAIRGIT00000ACTV").must(t, exitStopped, "both are Active")
	ri.rotate(t, false, "--user", "pair", "--id", "ACCANOSUCHCREDENTIAL").must(t, exitStopped, "stopped before step 1: pair has no credential ACCANOSUCHCREDENTIAL")
}

// An API key keeps its lifetime; one that never expired needs --expiry-days.
func TestRotateLifetime(t *testing.T) {
	ri := startRotateIAM(t, localiam.Faults{})
	lifetime := func(user, old string) time.Duration { return newLifetime(t, ri, user, old) }
	ri.rotate(t, false, "--user", "keyuser", "--service", "bedrock").must(t, exitOK, ", expires 2026-12-22)")
	if got := lifetime("keyuser", "ACCAKEYUSERBEDROCK01"); got != 30*24*time.Hour {
		t.Fatalf("the new key lasts %v, the old one 30 days", got)
	}

	r := ri.rotate(t, false, "--user", "nokey", "--service", "logs")
	r.must(t, exitStopped, "stopped at step 2 (create the new credential): the old Logs API key never expires", "pass --expiry-days")
	if len(ri.held(t, "nokey")) != 1 || r.stdout != "" {
		t.Fatal("a key without a chosen lifetime was created")
	}
	ri.rotate(t, false, "--user", "nokey", "--service", "logs", "--expiry-days", "45").must(t, exitOK)
	if got := lifetime("nokey", "ACCANOKEYLOGS0000001"); got != 45*24*time.Hour {
		t.Fatalf("--expiry-days 45: %v", got)
	}

	ri2 := startRotateIAM(t, localiam.Faults{})
	ri2.rotate(t, false, "--user", "nokey", "--service", "logs", "--expiry-days", "never").must(t, exitOK)
	if got := newLifetime(t, ri2, "nokey", "ACCANOKEYLOGS0000001"); got != 0 {
		t.Fatalf("--expiry-days never: %v", got)
	}
	ri2.rotate(t, false, "--user", "solo", "--id", "ACCASOLOGIT000000OLD1", "--expiry-days", "30").
		must(t, exitUsage, "--expiry-days: CodeCommit credentials do not expire")
	if len(ri2.held(t, "solo")) != 1 {
		t.Fatal("a refused --expiry-days created a credential")
	}
}

// newLifetime is how long user's credential other than old lasts; 0: never expires.
func newLifetime(t *testing.T, ri *rotateIAM, user, old string) time.Duration {
	c := newID(t, []model.Credential{{ID: old}}, ri.held(t, user))
	if c.Expires.IsZero() {
		return 0
	}
	return c.Expires.Sub(c.Created)
}

// Another admin fills the last slot between rotate's listing and its create:
// IAM's LimitExceeded is a failure, and nothing of rotate's was changed.
func TestRotateLimitExceeded(t *testing.T) {
	ri := startRotateIAM(t, localiam.Faults{})
	var once sync.Once
	ri.before = func(action string, form url.Values) {
		if action == "CreateServiceSpecificCredential" {
			once.Do(func() {
				ri.call(t, url.Values{"Action": {"CreateServiceSpecificCredential"}, "UserName": {"solo"}, "ServiceName": {model.CodeCommit}})
			})
		}
	}
	r := ri.rotate(t, false, "--user", "solo", "--service", "git", "--output", "json")
	r.must(t, exitFailed, "failed at step 2 (create the new credential): solo already has 2 CodeCommit credentials", "new: none created", "next: Nothing was changed.")
	if d := decodeDoc(t, r.stdout); d.Result != "failed" || d.Step.Number != 2 || d.Secret != nil {
		t.Fatalf("document %+v", d)
	}
}

// Denied at each step: exit 3, the state named; what was done stays done.
func TestRotateDenied(t *testing.T) {
	ri := startRotateIAM(t, localiam.Faults{Deny: []string{"CreateServiceSpecificCredential"}})
	file := filepath.Join(t.TempDir(), "s.csv")
	ri.rotate(t, false, "--user", "solo", "--service", "git", "--secret-file", file).
		must(t, exitFailed, "failed at step 2", "access denied: your policy does not allow iam:CreateServiceSpecificCredential", "Nothing was changed.")
	if _, err := os.Lstat(file); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("the reserved secret file was left behind")
	}

	ri = startRotateIAM(t, localiam.Faults{Deny: []string{"UpdateServiceSpecificCredential"}})
	r := ri.rotate(t, false, "--user", "solo", "--service", "git", "--secret-file", file, "--deactivate-old")
	r.must(t, exitFailed, "failed at step 4 (deactivate the old credential): access denied", "its password saved", "old ACCASOLOGIT000000OLD1: Active", "Once it is in use, deactivate the old one")
	created := secretRecord(t, readFile(t, file))["credential_id"]
	if got := ri.statuses(t, "solo"); !slices.Contains(got, created+" Active") || !slices.Contains(got, "ACCASOLOGIT000000OLD1 Active") {
		t.Fatalf("IAM holds %q", got)
	}

	ri = startRotateIAM(t, localiam.Faults{Deny: []string{"DeleteServiceSpecificCredential"}})
	ri.rotate(t, false, "--user", "pair", "--service", "git", "--delete-inactive-other").
		must(t, exitFailed, "failed at step 1 (delete the other credential): access denied", "Nothing was changed.")
	if len(ri.held(t, "pair")) != 2 {
		t.Fatal("pair's credentials changed")
	}

	ri = startRotateIAM(t, localiam.Faults{Deny: []string{"ListServiceSpecificCredentials"}})
	ri.rotate(t, false, "--user", "solo", "--service", "git").must(t, exitFailed, "iamcreds rotate: failed: access denied")
	startRotateIAM(t, localiam.Faults{}).rotate(t, false, "--user", "nobody", "--service", "git").must(t, exitFailed, "iamcreds rotate: failed: IAM user nobody not found\n  next: Nothing was changed.\n")
}

// A secret that cannot be written anywhere takes its credential with it.
func TestRotateTakesBackACredentialWhoseSecretWasNotWritten(t *testing.T) {
	ri := startRotateIAM(t, localiam.Faults{})
	var errOut bytes.Buffer
	r := runRotateWith(t, failingWriter{}, &errOut, false, "--endpoint-url", ri.url, "--user", "solo", "--service", "git")
	r.must(t, exitFailed, "failed at step 3 (save the new secret): writing the password to stdout", "created, then deleted again", "Nothing new exists and the old one still works")
	if got := ri.statuses(t, "solo"); !slices.Equal(got, []string{"ACCASOLOGIT000000OLD1 Active"}) {
		t.Fatalf("IAM holds %q", got)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }

// --read-only refuses before any request.
func TestRotateReadOnly(t *testing.T) {
	ri := startRotateIAM(t, localiam.Faults{})
	ri.rotate(t, false, "--user", "solo", "--service", "git", "--read-only").must(t, exitUsage, "--read-only refuses every change")
	if ri.requests.Load() != 0 {
		t.Fatalf("%d requests", ri.requests.Load())
	}
}

func TestRotateUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--service", "git"}, "--user is required"},
		{[]string{"--user", "a"}, "name the credential to rotate with --service or --id"},
		{[]string{"--user", "a", "--service", "git", "--id", "ACCAEXAMPLE123EXAMPLE"}, "with --service or --id (one of them)"},
		{[]string{"--user", "a b", "--service", "git"}, `--user "a b": user name "a b" may contain only`},
		{[]string{"--user", "a", "--id", "short"}, `--id "short": credential id "short" must be 20 to 128`},
		{[]string{"--user", "a", "--service", "s3"}, `--service "s3": unknown service`},
		{[]string{"--user", "a", "--service", "bedrock", "--expiry-days", "0"}, `--expiry-days "0": not a number of days from 1 to 36600, or never`},
		{[]string{"--user", "a", "--service", "git", "--expiry-days", "30"}, "--expiry-days: CodeCommit credentials do not expire"},
		{[]string{"--user", "a", "--service", "git", "--output", "xml"}, `--output "xml": not text or json`},
		{[]string{"--user", "a", "--service", "git", "--delete-old"}, "need --secret-file"},
		{[]string{"--user", "a", "--service", "git", "extra"}, `unexpected argument "extra"`},
	} {
		r := runCLI(append([]string{"rotate"}, tc.args...)...)
		lines := strings.Split(r.stderr, "\n")
		if r.code != exitUsage || r.stdout != "" || len(lines) != 3 || !strings.HasPrefix(lines[0], "iamcreds rotate: ") ||
			!strings.Contains(lines[0], tc.want) || lines[1] != "Run 'iamcreds rotate --help' for usage." {
			t.Errorf("%q: exit %d, stderr:\n%s\nwant %q", tc.args, r.code, r.stderr, tc.want)
		}
	}
}

// A real process whose stdout reader has gone: the write fails instead of
// SIGPIPE killing rotate between the create and the take-back.
func TestRotateProcessWithAClosedPipe(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGPIPE on Windows")
	}
	ri := startRotateIAM(t, localiam.Faults{})
	bin, env := iamcredsOnPath(t)
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	pr.Close() // the reader is gone before rotate writes
	defer pw.Close()
	cmd := exec.Command(bin, "rotate", "--endpoint-url", ri.url, "--user", "solo", "--service", "git")
	var stderr bytes.Buffer
	cmd.Env, cmd.Stdout, cmd.Stderr = env, pw, &stderr
	_ = cmd.Run()
	if code := cmd.ProcessState.ExitCode(); code != exitFailed || !strings.Contains(stderr.String(), "created, then deleted again") {
		t.Fatalf("exit %d (%v), stderr:\n%s", code, cmd.ProcessState, stderr.String())
	}
	if got := ri.statuses(t, "solo"); !slices.Equal(got, []string{"ACCASOLOGIT000000OLD1 Active"}) {
		t.Fatalf("IAM holds %q", got)
	}
}
