package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"iamcreds/awsclient/localiam"
	"iamcreds/internal/testenv"
)

// Registered only if no other test file of the package has: two would panic.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files in testdata/")
	}
}

func updatingGoldens() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

var auditTestNow = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

const denyAllUsers = "ListServiceSpecificCredentials:AllUsers"

// auditAWSEnv keeps the developer's AWS setup out of the tests: dummy keys, no
// profile, no config files, no endpoint overrides.
func auditAWSEnv(t testing.TB) {
	testenv.AWS(t)
	dir := t.TempDir()
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "test", "AWS_SESSION_TOKEN": "",
		"AWS_REGION": "us-east-1", "AWS_PROFILE": "", "AWS_DEFAULT_PROFILE": "",
		"AWS_CONFIG_FILE": filepath.Join(dir, "config"), "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "credentials"),
		"AWS_ENDPOINT_URL": "", "AWS_ENDPOINT_URL_IAM": "", "AWS_ENDPOINT_URL_STS": "",
	} {
		t.Setenv(k, v)
	}
}

// startAuditIAM serves a local IAM with seed on the fixed clock and returns its URL.
func startAuditIAM(t testing.TB, seed string, faults localiam.Faults) string {
	t.Helper()
	url, _ := serveAuditIAM(t, localiam.Config{Seed: seed, Faults: faults})
	return url
}

// serveAuditIAM serves a local IAM of cfg, on the fixed clock unless cfg has one.
func serveAuditIAM(t testing.TB, cfg localiam.Config) (string, *localiam.Server) {
	t.Helper()
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return auditTestNow }
	}
	srv, err := localiam.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { hs.Close(); srv.Close() })
	return hs.URL, srv
}

type auditRun struct {
	stdout, stderr string
	code           int
}

func runAuditTest(t testing.TB, terminal bool, args ...string) auditRun {
	t.Helper()
	var out, errOut bytes.Buffer
	env := cliEnv{
		stdout:     &out,
		stderr:     &errOut,
		now:        func() time.Time { return auditTestNow },
		isTerminal: func(w io.Writer) bool { return terminal && w == &errOut },
	}
	code := execute(context.Background(), append([]string{"audit"}, args...), env)
	return auditRun{out.String(), errOut.String(), code}
}

func auditGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if updatingGoldens() {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -run Audit . -update writes it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s:\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestAuditFormatsGolden(t *testing.T) {
	auditAWSEnv(t)
	url := startAuditIAM(t, "demo", localiam.Faults{})
	for _, format := range []string{"table", "csv", "json", "jsonl", "markdown"} {
		r := runAuditTest(t, false, "--endpoint-url", url, "--format", format)
		if r.code != exitOK || r.stderr != "" {
			t.Fatalf("%s: exit %d, stderr %q", format, r.code, r.stderr)
		}
		auditGolden(t, "audit_"+format+".golden", r.stdout)
	}
}

// The fallback must give byte-for-byte the same report as AllUsers.
func TestAuditFallbackWhenAllUsersDenied(t *testing.T) {
	auditAWSEnv(t)
	url := startAuditIAM(t, "demo", localiam.Faults{Deny: []string{denyAllUsers}})
	for _, format := range []string{"table", "csv", "json", "jsonl", "markdown"} {
		r := runAuditTest(t, false, "--endpoint-url", url, "--format", format, "--concurrency", "3")
		if r.code != exitOK || r.stderr != "" {
			t.Fatalf("%s: exit %d, stderr %q", format, r.code, r.stderr)
		}
		auditGolden(t, "audit_"+format+".golden", r.stdout)
	}
	// On a terminal, the fallback says so on stderr, never on stdout.
	r := runAuditTest(t, true, "--endpoint-url", url, "--format", "csv")
	if !strings.Contains(r.stderr, "refused AllUsers") || strings.Contains(r.stdout, "refused") {
		t.Fatalf("fallback note: stderr %q", r.stderr)
	}
	auditGolden(t, "audit_csv.golden", r.stdout)
	// A single service falls back on its own too.
	all := runAuditTest(t, false, "--endpoint-url", url, "--format", "csv", "--service", "keyspaces")
	if all.code != exitOK || len(csvRecords(t, all.stdout)) != 5 { // liam, chen.wei ×2, oliver
		t.Fatalf("--service through the fallback: exit %d\n%s%s", all.code, all.stdout, all.stderr)
	}
}

func TestAuditFailOnFlagged(t *testing.T) {
	auditAWSEnv(t)
	demo := startAuditIAM(t, "demo", localiam.Faults{})
	r := runAuditTest(t, false, "--endpoint-url", demo, "--format", "csv", "--fail-on-flagged")
	if r.code != exitFlagged || len(csvRecords(t, r.stdout)) != 23 {
		t.Fatalf("demo: exit %d, want %d, and the whole report\n%s", r.code, exitFlagged, r.stdout)
	}
	// Without --fail-on-flagged the same report exits 0.
	if r := runAuditTest(t, false, "--endpoint-url", demo, "--format", "csv"); r.code != exitOK {
		t.Fatalf("exit %d without --fail-on-flagged", r.code)
	}
	// Only the filtered report counts: the demo's Active Keyspaces credentials are
	// 160 to 520 days old, so with a 1000-day max age none is flagged.
	if r := runAuditTest(t, false, "--endpoint-url", demo, "--service", "keyspaces", "--max-age", "1000d", "--fail-on-flagged"); r.code != exitOK {
		t.Fatalf("keyspaces with --max-age 1000d: exit %d\n%s", r.code, r.stdout)
	}

	empty := startAuditIAM(t, "empty", localiam.Faults{})
	r = runAuditTest(t, false, "--endpoint-url", empty, "--format", "csv", "--fail-on-flagged")
	if r.code != exitOK || strings.Count(r.stdout, "\n") != 3 || !strings.HasSuffix(r.stdout, "\n# Users the console made: 0 (0 flagged).\n") {
		t.Fatalf("empty account: exit %d\n%s", r.code, r.stdout)
	}

	seed := filepath.Join(t.TempDir(), "clean.json")
	clean := `{"users": [{"name": "dev", "created": "-30d", "credentials": [
		{"service": "codecommit.amazonaws.com", "created": "-10d"},
		{"service": "bedrock.amazonaws.com", "created": "-2d", "expires": "+30d"},
		{"service": "cassandra.amazonaws.com", "created": "-200d", "status": "Inactive"}]}]}`
	if err := os.WriteFile(seed, []byte(clean), 0o600); err != nil {
		t.Fatal(err)
	}
	r = runAuditTest(t, false, "--endpoint-url", startAuditIAM(t, seed, localiam.Faults{}), "--format", "csv", "--fail-on-flagged")
	if r.code != exitOK || len(csvRecords(t, r.stdout)) != 4 {
		t.Fatalf("clean account: exit %d\n%s", r.code, r.stdout)
	}
}

func TestAuditServiceAndFlaggedFilters(t *testing.T) {
	auditAWSEnv(t)
	url := startAuditIAM(t, "demo", localiam.Faults{})
	full := csvRecords(t, runAuditTest(t, false, "--endpoint-url", url, "--format", "csv").stdout)
	col := func(name string) int {
		for i, c := range full[0] {
			if c == name {
				return i
			}
		}
		t.Fatalf("no column %s", name)
		return -1
	}
	service, flags := col("service_name"), col("flags")
	subset := func(keep func([]string) bool) [][]string {
		out := [][]string{full[0]}
		for _, rec := range full[1:] {
			if keep(rec) {
				out = append(out, rec)
			}
		}
		return out
	}
	// check compares a filtered report with the full one's rows, and its
	// comment line with the filter it names.
	check := func(args []string, filter string, want [][]string) {
		t.Helper()
		r := runAuditTest(t, false, append([]string{"--endpoint-url", url, "--format", "csv"}, args...)...)
		comment, _, _ := strings.Cut(r.stdout, "\n")
		if r.code != exitOK || !strings.HasSuffix(comment, "; filter "+filter) {
			t.Errorf("%v: exit %d, comment %q, want it to end with the filter %q", args, r.code, comment, filter)
		}
		if got := csvRecords(t, r.stdout); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%v:\n%v\nwant\n%v", args, got, want)
		}
	}
	for _, name := range []string{"git", "codecommit", "CodeCommit.amazonaws.com"} {
		check([]string{"--service", name}, "service=codecommit.amazonaws.com",
			subset(func(rec []string) bool { return rec[service] == "codecommit.amazonaws.com" }))
	}
	check([]string{"--flagged"}, "flagged", subset(func(rec []string) bool { return rec[flags] != "" }))
	want := subset(func(rec []string) bool { return rec[flags] != "" && rec[service] == "bedrock.amazonaws.com" })
	if len(want) < 3 {
		t.Fatalf("the demo has %d flagged Bedrock keys", len(want)-1)
	}
	check([]string{"--flagged", "--service", "bedrock"}, "service=bedrock.amazonaws.com flagged", want)
}

// Every format names the account (from STS), the time and the threshold.
func TestAuditMetadata(t *testing.T) {
	auditAWSEnv(t)
	srv, err := localiam.New(localiam.Config{Seed: "demo", AccountID: "210987654321", Now: func() time.Time { return auditTestNow }})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { hs.Close(); srv.Close() })
	const line = "account 210987654321; generated 2026-11-22T12:00:00Z; max age 30d"
	for format, want := range map[string]string{
		"csv":      "# iamcreds audit; " + line + "\n",
		"table":    "iamcreds audit; " + line + "\n\n",
		"markdown": "iamcreds audit; " + line + "\n\n",
		"json":     "{\n  \"account\": \"210987654321\",\n  \"generated_at\": \"2026-11-22T12:00:00Z\",\n  \"max_age\": \"30d\",\n",
		"jsonl":    `{"account":"210987654321","generated_at":"2026-11-22T12:00:00Z","max_age":"30d","user":`,
	} {
		r := runAuditTest(t, false, "--endpoint-url", hs.URL, "--format", format, "--max-age", "720h")
		if r.code != exitOK || !strings.HasPrefix(r.stdout, want) {
			t.Errorf("%s: exit %d, starts\n%.200s\nwant\n%s", format, r.code, r.stdout, want)
		}
		if format == "jsonl" && strings.Count(r.stdout, want) != strings.Count(r.stdout, "\n") {
			t.Errorf("jsonl: not every line carries the metadata:\n%s", r.stdout)
		}
	}
}

// An audit that cannot say which account it covers fails (exit 3) and prints
// no report: in CI an unnamed report is worse than none.
func TestAuditWithoutIdentityFails(t *testing.T) {
	auditAWSEnv(t)
	url := startAuditIAM(t, "demo", localiam.Faults{Deny: []string{"sts:GetCallerIdentity"}})
	r := runAuditTest(t, false, "--endpoint-url", url, "--format", "csv")
	if r.code != exitFailed || r.stdout != "" ||
		!strings.Contains(r.stderr, "cannot name the account the report covers") || !strings.Contains(r.stderr, "GetCallerIdentity") {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

func TestAuditMaxAgeAndSort(t *testing.T) {
	auditAWSEnv(t)
	url := startAuditIAM(t, "demo", localiam.Faults{})
	stale := func(args ...string) int {
		r := runAuditTest(t, false, append([]string{"--endpoint-url", url, "--format", "csv"}, args...)...)
		if r.code != exitOK {
			t.Fatalf("%v: exit %d %s", args, r.code, r.stderr)
		}
		return strings.Count(r.stdout, "stale")
	}
	def, year, month := stale(), stale("--max-age", "365d"), stale("--max-age", "720h")
	if !(year < def && def < month) || stale("--max-age", "90d") != def {
		t.Fatalf("stale counts: 30 days %d, default %d, a year %d", month, def, year)
	}
	r := runAuditTest(t, false, "--endpoint-url", url, "--format", "csv", "--sort", "age")
	recs := csvRecords(t, r.stdout)
	for i := 2; i < len(recs); i++ {
		if recs[i-1][6] > recs[i][6] { // created, RFC 3339 UTC: oldest first
			t.Fatalf("--sort age: %s before %s", recs[i-1][6], recs[i][6])
		}
	}
}

func TestAuditHelp(t *testing.T) {
	r := runAuditTest(t, false, "--help")
	if r.code != exitOK || !strings.Contains(r.stdout, "Exit status:") || !strings.Contains(r.stdout, "no last-used date") {
		t.Fatalf("--help: exit %d\n%s", r.code, r.stdout)
	}
}

func TestAuditAWSErrorExits3(t *testing.T) {
	auditAWSEnv(t)
	// The per-user fallback needs the user list, which IAM denies too.
	url := startAuditIAM(t, "demo", localiam.Faults{Deny: []string{"ListUsers", denyAllUsers}})
	r := runAuditTest(t, false, "--endpoint-url", url)
	if r.code != exitFailed || r.stdout != "" || !strings.Contains(r.stderr, "ListUsers") {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

// Through AllUsers the report needs no user list: ListUsers is not asked for,
// so a policy without it still gets the whole report.
func TestAuditNeedsNoListUsersThroughAllUsers(t *testing.T) {
	auditAWSEnv(t)
	url := startAuditIAM(t, "demo", localiam.Faults{Deny: []string{"ListUsers"}})
	r := runAuditTest(t, false, "--endpoint-url", url, "--format", "csv")
	if r.code != exitOK || len(csvRecords(t, r.stdout)) != 23 {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

func TestAuditProgressOnlyOnTerminalStderr(t *testing.T) {
	auditAWSEnv(t)
	url := startAuditIAM(t, "scale:300", localiam.Faults{Deny: []string{denyAllUsers}})
	quiet := runAuditTest(t, false, "--endpoint-url", url, "--format", "csv", "--concurrency", "2")
	loud := runAuditTest(t, true, "--endpoint-url", url, "--format", "csv", "--concurrency", "2")
	if quiet.stderr != "" || quiet.stdout != loud.stdout || quiet.code != exitOK {
		t.Fatalf("progress leaked: exit %d stderr %q", quiet.code, quiet.stderr)
	}
	if !strings.Contains(loud.stderr, "listing users one by one: ") || !strings.Contains(loud.stderr, " of 300") {
		t.Fatalf("no progress on a terminal: %q", loud.stderr)
	}
}

func TestAuditDemoFlag(t *testing.T) {
	auditAWSEnv(t)
	r := runAuditTest(t, false, "--demo", "--format", "json", "--fail-on-flagged")
	if r.code != exitFlagged || !strings.Contains(r.stdout, `"service_name": "bedrock.amazonaws.com"`) {
		t.Fatalf("--demo: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func TestParseMaxAge(t *testing.T) {
	for in, want := range map[string]time.Duration{"90d": 90 * 24 * time.Hour, "1d": 24 * time.Hour, "720h": 720 * time.Hour, "36h30m": 36*time.Hour + 30*time.Minute} {
		if got, err := parseMaxAge(in); err != nil || got != want {
			t.Errorf("%s: %v %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "d", "1.5d", "90", "0h", "-1d", "9999999999d"} {
		if _, err := parseMaxAge(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// csvRecords parses a CSV report, skipping its "# iamcreds audit" comment as
// pandas' comment='#' does.
func csvRecords(t testing.TB, s string) [][]string {
	t.Helper()
	r := csv.NewReader(strings.NewReader(s))
	r.Comment = '#'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v\n%s", err, s)
	}
	return recs
}

// BenchmarkAuditLoad is issue 4's load figure: the whole audit (load, flags, CSV)
// of scale:5000 behind 20 ms of latency per request, through AllUsers and through
// the per-user fallback capped at --concurrency 8. Targets: ≤ 1 s and ≤ 15 s.
// Issue 12's figures, with the AWS CLI beside them: bench/perf.sh.
func BenchmarkAuditLoad(b *testing.B) {
	auditAWSEnv(b)
	for _, tc := range []struct {
		name string
		deny []string
	}{{"AllUsers", nil}, {"PerUserFallback", []string{denyAllUsers}}} {
		b.Run(tc.name, func(b *testing.B) {
			url := startAuditIAM(b, "scale:5000", localiam.Faults{Latency: 20 * time.Millisecond, Deny: tc.deny})
			var rows int
			for b.Loop() {
				r := runAuditTest(b, false, "--endpoint-url", url, "--format", "csv", "--concurrency", "8")
				if r.code != exitOK {
					b.Fatalf("exit %d: %s", r.code, r.stderr)
				}
				rows = strings.Count(r.stdout, "\n") - 2
			}
			b.ReportMetric(float64(rows), "credentials")
		})
	}
}

// --debug logs the calls to a file only its owner can read, even one that
// existed with a looser mode; the report itself is unchanged.
func TestAuditDebugLog(t *testing.T) {
	path := filepath.Join(t.TempDir(), "debug.log")
	if err := os.WriteFile(path, []byte("earlier run\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runAuditTest(t, false, "--demo", "--format", "csv", "--debug", path)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", st.Mode().Perm())
	}
	log, _ := os.ReadFile(path)
	for _, want := range []string{"earlier run", "Action=GetCallerIdentity", "Action=ListServiceSpecificCredentials"} {
		if !strings.Contains(string(log), want) {
			t.Errorf("the log lacks %q:\n%.2000s", want, log)
		}
	}
	if strings.Contains(string(log), "Signature=") {
		t.Errorf("the log holds signing material:\n%.2000s", log)
	}
	if r := runAuditTest(t, false, "--demo", "--debug", filepath.Join(path, "no", "dir")); r.code != exitFailed || !strings.Contains(r.stderr, "--debug") {
		t.Errorf("an unwritable --debug file: exit %d, stderr %q", r.code, r.stderr)
	}
}

// --fail-on-flagged counts the console-made users too: an account whose
// credentials are all clean fails on an orphaned user, and on an at-risk one,
// and passes with the user in use and nothing beyond its policy.
func TestAuditFailOnFlaggedUsers(t *testing.T) {
	auditAWSEnv(t)
	for _, tc := range []struct {
		name, user string
		want       int
		verdict    string
	}{
		{"in use", `{"name": "BedrockAPIKey-ab12", "created": "-20d", "attached_policies": ["AmazonBedrockLimitedAccess"],
			"credentials": [{"service": "bedrock.amazonaws.com", "created": "-2d", "expires": "+30d"}]}`, exitOK, "ok"},
		{"orphaned", `{"name": "BedrockAPIKey-ab12", "created": "-20d", "attached_policies": ["AmazonBedrockLimitedAccess"]}`,
			exitFlagged, "orphaned"},
		{"at risk", `{"name": "BedrockAPIKey-ab12", "created": "-20d", "login_profile": {"created": "-1d"},
			"attached_policies": ["AmazonBedrockLimitedAccess"],
			"credentials": [{"service": "bedrock.amazonaws.com", "created": "-2d", "expires": "+30d"}]}`, exitFlagged, "at-risk"},
	} {
		seed := filepath.Join(t.TempDir(), "users.json")
		doc := `{"users": [{"name": "dev", "created": "-30d", "credentials": [
			{"service": "codecommit.amazonaws.com", "created": "-10d"}]}, ` + tc.user + `]}`
		if err := os.WriteFile(seed, []byte(doc), 0o600); err != nil {
			t.Fatal(err)
		}
		url := startAuditIAM(t, seed, localiam.Faults{})
		r := runAuditTest(t, false, "--endpoint-url", url, "--format", "json", "--fail-on-flagged")
		var report struct {
			Credentials []map[string]any
			Users       []struct {
				User     string
				Verdicts []string
				Risks    []string
			}
		}
		if err := json.Unmarshal([]byte(r.stdout), &report); err != nil {
			t.Fatalf("%s: %v\n%s", tc.name, err, r.stdout)
		}
		if r.code != tc.want || len(report.Credentials) < 1 || len(report.Users) != 1 || report.Users[0].User != "BedrockAPIKey-ab12" ||
			fmt.Sprint(report.Users[0].Verdicts) != "["+tc.verdict+"]" {
			t.Errorf("%s: exit %d (want %d), users %+v\n%s", tc.name, r.code, tc.want, report.Users, r.stderr)
		}
		if tc.verdict == "at-risk" && fmt.Sprint(report.Users[0].Risks) != "[console password]" {
			t.Errorf("at risk: risks %q", report.Users[0].Risks)
		}
		// --flagged keeps only the flagged users.
		r = runAuditTest(t, false, "--endpoint-url", url, "--format", "jsonl", "--flagged")
		if got, want := strings.Contains(r.stdout, `"user":"BedrockAPIKey-ab12"`), tc.verdict != "ok"; got != want {
			t.Errorf("%s --flagged: user listed %v, want %v\n%s", tc.name, got, want, r.stdout)
		}
	}
}

// IAM refusing what a user holds leaves the users unjudged, with a warning,
// and the credentials' report whole.
func TestAuditUsersDenied(t *testing.T) {
	auditAWSEnv(t)
	url := startAuditIAM(t, "demo", localiam.Faults{Deny: []string{"ListAccessKeys"}})
	r := runAuditTest(t, false, "--endpoint-url", url, "--format", "json", "--fail-on-flagged")
	if r.code != exitFlagged || !strings.Contains(r.stderr, "warning: console-made users not judged") ||
		!strings.Contains(r.stderr, "ListAccessKeys") || strings.Contains(r.stdout, `"users"`) || !strings.Contains(r.stdout, `"credentials"`) {
		t.Fatalf("exit %d\nstderr %s\n%s", r.code, r.stderr, r.stdout)
	}
}
