package cli

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"iamcreds/awsclient/localiam"
)

// scanKeyFor is a long-term Bedrock key of alias, as AWS shapes one.
func scanKeyFor(alias string) string {
	return "ABSK" + base64.StdEncoding.EncodeToString([]byte(alias+":c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA=="))
}

// startScanIAM serves a local IAM where alice's Bedrock key is Active, bob's
// Inactive and carol has none.
func startScanIAM(t *testing.T) string {
	t.Helper()
	auditAWSEnv(t)
	seed := filepath.Join(t.TempDir(), "seed.json")
	writeFile(t, seed, `{"account_id": "210987654321", "users": [
	  {"name": "alice", "credentials": [{"service": "bedrock.amazonaws.com", "id": "ACCAALICE00000000001", "created": "-10d"}]},
	  {"name": "bob", "credentials": [{"service": "bedrock.amazonaws.com", "id": "ACCABOB0000000000001", "status": "Inactive", "created": "-10d"}]},
	  {"name": "carol"}]}`)
	url, _ := serveAuditIAM(t, localiam.Config{Seed: seed})
	return url
}

// The keys found are looked up, each once: a live one exits 1, and the
// report names each credential and its status, never the key.
func TestScanLooksKeysUp(t *testing.T) {
	url := startScanIAM(t)
	alice, bob, carol := scanKeyFor("alice-at-210987654321"), scanKeyFor("bob-at-210987654321"), scanKeyFor("carol-at-210987654321")
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "deploy.env"), "A="+alice+"\nB="+bob+"\n")
	writeFile(t, filepath.Join(dir, "old", "notes.txt"), carol+"\n"+alice+"\n")
	r := runScanTest(t, dir, 0, "--endpoint-url", url, "--format", "json")
	for _, k := range []string{alice, bob, carol} {
		if strings.Contains(r.stdout+r.stderr, k[10:]) {
			t.Fatalf("a key was printed:\n%s%s", r.stdout, r.stderr)
		}
	}
	if r.code != exitFlagged {
		t.Fatalf("exit %d, want 1 (alice's key is live)\n%s", r.code, r.stderr)
	}
	var got struct {
		Findings []struct {
			Location, Status string
			Live             bool
			Credential       *struct{ ID, User, Status string }
		}
		Summary map[string]any
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, f := range got.Findings {
		id := "-"
		if f.Credential != nil {
			id = f.Credential.ID
		}
		rows = append(rows, f.Location+" "+id+" "+f.Status)
	}
	want := []string{
		"deploy.env:1 ACCAALICE00000000001 Active",
		"deploy.env:2 ACCABOB0000000000001 Inactive",
		"old/notes.txt:1 - not found (deleted, or another account)",
		"old/notes.txt:2 ACCAALICE00000000001 Active",
	}
	if strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
	if got.Summary["live"] != 1.0 || got.Summary["distinct_keys"] != 3.0 {
		t.Errorf("summary %v", got.Summary)
	}

	// SARIF of the same: the live key an error, the others notes.
	r = runScanTest(t, dir, 0, "--endpoint-url", url, "--format", "sarif")
	var levels []string
	for _, res := range checkSARIF(t, r.stdout) {
		levels = append(levels, res["level"].(string))
	}
	if strings.Join(levels, ",") != "error,note,note,error" || r.code != exitFlagged {
		t.Errorf("levels %v, exit %d", levels, r.code)
	}
}

// Nothing live: exit 0; an endpoint that fails: exit 3, the keys unknown.
func TestScanExitWithoutLiveKey(t *testing.T) {
	url := startScanIAM(t)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.txt"), scanKeyFor("bob-at-210987654321")+"\n")
	if r := runScanTest(t, dir, 0, "--endpoint-url", url); r.code != exitOK || !strings.Contains(r.stdout, "Inactive") {
		t.Errorf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r := runScanTest(t, dir, 0, "--endpoint-url", "http://127.0.0.1:1", "--timeout", "2s")
	if r.code != exitFailed || !strings.Contains(r.stdout, "unknown:") || !strings.Contains(r.stderr, "could not be looked up") {
		t.Errorf("dead endpoint: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// --git: a live key a later commit removed is found in the history, at the
// commit that added it.
func TestScanGitFindsARemovedLiveKey(t *testing.T) {
	needTool(t, "git")
	url := startScanIAM(t)
	dir := t.TempDir()
	t.Setenv("GIT_CONFIG_GLOBAL", filepath.Join(t.TempDir(), "gitconfig"))
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	git := func(args ...string) {
		cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.com"}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q", "-b", "main")
	writeFile(t, filepath.Join(dir, "app.cfg"), "x\nkey="+scanKeyFor("alice-at-210987654321")+"\n")
	git("add", "-A")
	git("commit", "-qm", "leak")
	if err := os.WriteFile(filepath.Join(dir, "app.cfg"), []byte("x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	git("commit", "-qam", "remove")
	if r := runScanTest(t, dir, 0, "--endpoint-url", url); r.code != exitOK {
		t.Errorf("the working tree has no key: exit %d\n%s", r.code, r.stdout)
	}
	r := runScanTest(t, dir, 0, "--endpoint-url", url, "--git")
	if r.code != exitFlagged || !strings.Contains(r.stdout, ":app.cfg:2") || !strings.Contains(r.stdout, "ACCAALICE00000000001") {
		t.Errorf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// The README's try-it: the demo's leaked keys, looked up in the demo account.
func TestScanDemo(t *testing.T) {
	auditAWSEnv(t)
	demo, err := filepath.Abs("../docs/demo")
	if err != nil {
		t.Fatal(err)
	}
	r := runScanTest(t, demo, 0, "--demo")
	if r.code != exitFlagged || !strings.Contains(r.stdout, "amara@123456789012") || !strings.Contains(r.stdout, "ACCAS4TRXRJVWDVYQZXOS  Active\n") ||
		!strings.Contains(r.stdout, "bedrock-short-term:") {
		t.Errorf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := runScanTest(t, demo, 0, "--demo", "--offline"); r.code != exitUsage {
		t.Errorf("--demo --offline: exit %d", r.code)
	}
}
