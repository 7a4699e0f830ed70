package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"iamcreds/awsclient/localiam"
	"iamcreds/model"
)

// store sends one JSON 1.1 request (secretsmanager.X or AmazonSSM.X) straight
// to the local endpoint, in the test keys' account and us-east-1, and decodes
// the reply.
func (ri *rotateIAM) store(t *testing.T, target string, body any) map[string]any {
	t.Helper()
	b, _ := json.Marshal(body)
	req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", target)
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261207/us-east-1/x/aws4_request, SignedHeaders=host, Signature=0")
	rec := httptest.NewRecorder()
	ri.srv.ServeHTTP(rec, req)
	var out map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || rec.Code != http.StatusOK {
		t.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
	}
	return out
}

// secretStages is the secret's version id by staging label.
func (ri *rotateIAM) secretStages(t *testing.T, name string) map[string]string {
	t.Helper()
	out := map[string]string{}
	desc := ri.store(t, "secretsmanager.DescribeSecret", map[string]string{"SecretId": name})
	for id, stages := range desc["VersionIdsToStages"].(map[string]any) {
		for _, s := range stages.([]any) {
			out[s.(string)] = id
		}
	}
	return out
}

// secretDoc is the delivery document a secret's version holds.
func (ri *rotateIAM) secretDoc(t *testing.T, name, version string) map[string]any {
	t.Helper()
	got := ri.store(t, "secretsmanager.GetSecretValue", map[string]string{"SecretId": name, "VersionId": version})
	var doc map[string]any
	if err := json.Unmarshal([]byte(got["SecretString"].(string)), &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// noSecretIn fails when a run's output holds any secret the stores hold.
func noSecretIn(t *testing.T, r rotateResult, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if s != "" && (strings.Contains(r.stdout, s) || strings.Contains(r.stderr, s)) {
			t.Fatalf("the secret is in the output:\nstdout %s\nstderr %s", r.stdout, r.stderr)
		}
	}
}

// Two rotations into one secret: the newest credential AWSCURRENT, the one
// before AWSPREVIOUS; nothing on stdout, the old one deactivated only after
// the read-back.
func TestRotateDeliverSecretsManagerTwice(t *testing.T) {
	ri := startRotateIAM(t, localiam.Faults{})
	r := ri.rotate(t, true, "--user", "solo", "--service", "git", "--deliver", "secretsmanager:ci/git?create", "--deactivate-old")
	r.must(t, 0, "the new secret goes to secretsmanager:ci/git?create (--deliver)", "step 3: password delivered", "verified")
	if r.stdout != "" {
		t.Fatalf("stdout %q", r.stdout)
	}
	first := ri.secretStages(t, "ci/git")["AWSCURRENT"]
	doc1 := ri.secretDoc(t, "ci/git", first)
	if got := ri.statuses(t, "solo"); !slices.Contains(got, "ACCASOLOGIT000000OLD1 Inactive") || doc1["credential_id"] == "ACCASOLOGIT000000OLD1" {
		t.Fatalf("after the first rotation: %v, document %v", got, doc1["credential_id"])
	}
	r2 := ri.rotate(t, true, "--user", "solo", "--service", "git", "--deliver", "secretsmanager:ci/git", "--delete-inactive-other", "--output", "json")
	r2.must(t, 0, "step 3: password delivered")
	st := ri.secretStages(t, "ci/git")
	var rep struct {
		Secret   any                `json:"secret"`
		Delivery *model.DeliveryDoc `json:"delivery"`
	}
	if err := json.Unmarshal([]byte(r2.stdout), &rep); err != nil || rep.Secret != nil || rep.Delivery == nil ||
		!rep.Delivery.Verified || rep.Delivery.Version != st["AWSCURRENT"] || rep.Delivery.Outcome != model.OutcomeDone {
		t.Fatalf("report %+v %v:\n%s", rep.Delivery, err, r2.stdout)
	}
	doc2 := ri.secretDoc(t, "ci/git", st["AWSCURRENT"])
	if st["AWSPREVIOUS"] != first || doc2["credential_id"] == doc1["credential_id"] {
		t.Fatalf("stages %v (first %s); documents %v, %v", st, first, doc1["credential_id"], doc2["credential_id"])
	}
	noSecretIn(t, r, doc1["secret"].(string))
	noSecretIn(t, r2, doc1["secret"].(string), doc2["secret"].(string))
}

// A denied PutSecretValue after the create: the new credential is deleted
// again, the old one untouched, exit 4.
func TestRotateDeliverDeniedDeletesTheNewOne(t *testing.T) {
	ri := startRotateIAM(t, localiam.Faults{Deny: []string{"secretsmanager:PutSecretValue", "secretsmanager:CreateSecret"}})
	before := ri.statuses(t, "solo")
	r := ri.rotate(t, true, "--user", "solo", "--service", "git", "--deliver", "secretsmanager:ci/git?create", "--deactivate-old", "--delete-old")
	r.must(t, exitStopped, "delivery to secretsmanager:ci/git?create failed (not written)", "secretsmanager:PutSecretValue",
		"again: its password reached nobody", "old ACCASOLOGIT000000OLD1: Active")
	if after := ri.statuses(t, "solo"); !slices.Equal(before, after) {
		t.Fatalf("credentials %v -> %v", before, after)
	}
}

// A missing secret without ?create stops before anything is created.
func TestRotateDeliverCheckedFirst(t *testing.T) {
	ri := startRotateIAM(t, localiam.Faults{})
	before := ri.statuses(t, "solo")
	r := ri.rotate(t, true, "--user", "solo", "--service", "git", "--deliver", "secretsmanager:ci/missing")
	r.must(t, exitStopped, "stopped before step 1", "does not exist", "?create", "Nothing was changed.")
	if after := ri.statuses(t, "solo"); !slices.Equal(before, after) {
		t.Fatalf("credentials %v -> %v", before, after)
	}
}

// A config.toml rule delivers to Parameter Store, and the plan says so.
func TestRotateDeliverByRule(t *testing.T) {
	ri := startRotateIAM(t, localiam.Faults{})
	cfg := filepath.Join(t.TempDir(), "config.toml")
	rules := "[[deliver]]\nuser = \"solo\"\nservice = \"git\"\nto = \"ssm:/ci/git?form=secret\"\n"
	if err := os.WriteFile(cfg, []byte(rules), 0o600); err != nil {
		t.Fatal(err)
	}
	debug := filepath.Join(t.TempDir(), "debug.log")
	r := ri.rotate(t, true, "--config", cfg, "--debug", debug, "--user", "solo", "--service", "git", "--deactivate-old")
	r.must(t, 0, "goes to ssm:/ci/git?form=secret (the [[deliver]] rule of "+cfg+")", "SecureString, read back and verified")
	p := ri.store(t, "AmazonSSM.GetParameter", map[string]any{"Name": "/ci/git", "WithDecryption": true})["Parameter"].(map[string]any)
	secret := p["Value"].(string)
	if len(secret) != 44 || p["Type"] != "SecureString" {
		t.Fatalf("parameter %v", p["Type"])
	}
	noSecretIn(t, r, secret)
	if log := readFile(t, debug); !strings.Contains(log, "PutParameter") || strings.Contains(log, secret) {
		t.Fatalf("the debug log shows no PutParameter, or holds the secret")
	}
	// --no-deliver: the rule is ignored, and the terminal refused.
	ri.rotate(t, true, "--config", cfg, "--user", "keyuser", "--service", "bedrock", "--no-deliver").must(t, exitUsage, "refusing to print a secret to a terminal")
}

// exec: the secret alone on the command's stdin.
func TestRotateDeliverExec(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("sh")
	}
	ri := startRotateIAM(t, localiam.Faults{})
	out := filepath.Join(t.TempDir(), "got")
	r := ri.rotate(t, true, "--user", "solo", "--service", "git", "--deliver", `exec:sh -c 'cat > "$1"' sh `+out)
	r.must(t, 0, "exit status 0")
	got, err := os.ReadFile(out)
	if err != nil || len(got) != 44 {
		t.Fatalf("the command got %d bytes, %v", len(got), err)
	}
	noSecretIn(t, r, string(got))
	failing := ri.rotate(t, true, "--user", "keyuser", "--service", "bedrock", "--deliver", `exec:sh -c 'cat >/dev/null; echo refused >&2; exit 3'`)
	failing.must(t, exitStopped, "exit status 3", "it said: refused", "deleted the new one")
}

// create and reset: a failed create's delivery deletes the credential; a
// failed reset's delivery keeps the secret in --secret-file, exit 4.
func TestCreateAndResetDeliver(t *testing.T) {
	ri := startRotateIAM(t, localiam.Faults{})
	terminal := true // stdout is a terminal, unless a test says otherwise
	run := func(args ...string) rotateResult {
		var out, errOut bytes.Buffer
		env := cliEnv{stdout: &out, stderr: &errOut, now: func() time.Time { return auditTestNow }, isTerminal: func(w io.Writer) bool { return terminal && w == &out }}
		code := execute(t.Context(), append(args[:1:1], append([]string{"--endpoint-url", ri.url}, args[1:]...)...), env)
		return rotateResult{out.String(), errOut.String(), code}
	}
	r := run("create", "--user", "nokey", "--service", "git", "--deliver", "secretsmanager:ci/nokey?create", "--output", "json")
	r.must(t, 0, "iamcreds create: done", "delivered to secretsmanager:ci/nokey")
	var doc map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || doc["secret"] != nil || doc["delivery"].(map[string]any)["verified"] != true {
		t.Fatalf("document %v %v", doc, err)
	}
	id := doc["credential_id"].(string)

	ri.srv.SetFaults(localiam.Faults{Deny: []string{"ssm:PutParameter"}})
	before := ri.statuses(t, "nokey")
	run("create", "--user", "nokey", "--service", "git", "--deliver", "ssm:/ci/nokey").must(t, exitStopped, "ssm:PutParameter", "deleted again")
	if after := ri.statuses(t, "nokey"); !slices.Equal(before, after) {
		t.Fatalf("create's failed delivery left %v (was %v)", after, before)
	}
	fallback := filepath.Join(t.TempDir(), "fallback.csv")
	run("reset", "--user", "nokey", "--service", "git", "--deliver", "ssm:/ci/nokey").must(t, exitUsage, "a reset cannot be undone")
	r = run("reset", "--user", "nokey", "--id", id, "--deliver", "ssm:/ci/nokey", "--secret-file", fallback)
	r.must(t, exitStopped, "not delivered (not written); kept in "+fallback, "Deliver the password kept in "+fallback)
	if rec := secretRecord(t, readFile(t, fallback)); rec["credential_id"] != id || len(rec["secret"]) != 44 {
		t.Fatalf("fallback file %v", rec["credential_id"])
	}
	noSecretIn(t, r, secretRecord(t, readFile(t, fallback))["secret"])
	// On a pipe with --output json, the kept secret is in the document, which says stopped.
	terminal = false
	r = run("reset", "--user", "nokey", "--id", id, "--deliver", "ssm:/ci/nokey", "--output", "json")
	terminal = true
	r.must(t, exitStopped, "kept on stdout")
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || doc["result"] != "stopped" || doc["secret"] == nil ||
		!strings.Contains(doc["message"].(string), "ssm:PutParameter") || doc["delivery"].(map[string]any)["outcome"] != "not_done" {
		t.Fatalf("document %v %v", doc, err)
	}

	run("create", "--read-only", "--user", "nokey", "--service", "git").must(t, exitUsage, "refuses every change")
	run("reset", "--read-only", "--user", "nokey", "--id", id).must(t, exitUsage, "refuses every change")
	run("rotate", "--read-only", "--user", "nokey", "--id", id, "--deliver", "ssm:/x").must(t, exitUsage, "refuses every change")
}
