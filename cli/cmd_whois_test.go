package cli

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"iamcreds/awsclient"
	"iamcreds/awsclient/localiam"
	"iamcreds/internal/bedrockkeytest"
	"iamcreds/model"
)

func runWhoisTest(t *testing.T, stdin string, args ...string) auditRun {
	t.Helper()
	var out, errOut bytes.Buffer
	env := cliEnv{stdout: &out, stderr: &errOut, stdin: strings.NewReader(stdin), now: func() time.Time { return auditTestNow },
		isTerminal: func(io.Writer) bool { return false }}
	code := execute(context.Background(), append([]string{"whois"}, args...), env)
	return auditRun{out.String(), errOut.String(), code}
}

// whoisSetup serves an account with users holding Bedrock and Claude Platform
// keys and returns the endpoint, a client of it and the keys' secrets by name.
func whoisSetup(t *testing.T, faults localiam.Faults) (string, *awsclient.Client, map[string]model.Credential, map[string]string) {
	t.Helper()
	auditAWSEnv(t)
	url, _ := serveAuditIAM(t, localiam.Config{Seed: "empty", Faults: faults})
	c, err := awsclient.New(context.Background(), awsclient.Config{EndpointURL: url, NoSharedFiles: true,
		StaticCredentials: &aws.Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "test"}})
	if err != nil {
		t.Fatal(err)
	}
	raw := iam.New(iam.Options{Region: "us-east-1", BaseEndpoint: aws.String(url),
		Credentials: credentials.NewStaticCredentialsProvider("AKIAIOSFODNN7EXAMPLE", "test", "")})
	creds, secrets := map[string]model.Credential{}, map[string]string{}
	for _, k := range []struct{ name, user, service string }{
		{"first", "alice", model.Bedrock}, {"second", "alice", model.Bedrock}, {"claude", "ops.bot@ci", model.ClaudePlatform},
	} {
		if _, err := raw.CreateUser(context.Background(), &iam.CreateUserInput{UserName: aws.String(k.user)}); err != nil && k.name != "second" {
			t.Fatal(err)
		}
		cred, secret, err := c.CreateCredential(context.Background(), k.user, k.service, 30)
		if err != nil {
			t.Fatal(err)
		}
		creds[k.name], secrets[k.name] = cred, secret.Reveal()
	}
	return url, c, creds, secrets
}

// noSecret fails when any output holds a secret or the part after its prefix.
func noSecret(t *testing.T, secrets map[string]string, outs ...string) {
	t.Helper()
	for _, s := range secrets {
		for _, o := range outs {
			if strings.Contains(o, s[4:]) || strings.Contains(o, s[len(s)/2:len(s)/2+16]) {
				t.Fatalf("a secret is in the output:\n%s", o)
			}
		}
	}
}

func TestWhoisFindsTheExactCredential(t *testing.T) {
	url, _, creds, secrets := whoisSetup(t, localiam.Faults{})
	in := "# from a .env file\nexport AWS_BEARER_TOKEN_BEDROCK=" + secrets["second"] + "\n\n" + secrets["claude"] + "\nnot a key at all\n"
	r := runWhoisTest(t, in, "--endpoint-url", url)
	if r.code != exitFlagged {
		t.Fatalf("exit %d, want 1 (live): %s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{creds["second"].ID + "  user alice  bedrock.amazonaws.com  Active", "the user's second (+1) key",
		creds["claude"].ID + "  user ops.bot@ci", "live         yes"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, creds["first"].ID) {
		t.Errorf("the user's other key is named:\n%s", r.stdout)
	}
	if !strings.Contains(r.stderr, "line 5: skipped: not a key") || strings.Contains(r.stderr, "not a key at all") {
		t.Errorf("stderr %q", r.stderr)
	}
	noSecret(t, secrets, r.stdout, r.stderr)

	j := runWhoisTest(t, secrets["first"]+"\n", "--endpoint-url", url, "--format", "json")
	var doc struct {
		Keys []struct {
			Fingerprint, Kind, Lookup, Account string
			Decoded                            struct {
				User, Alias, Account string
				Slot                 int
			}
			Credential *struct {
				ID, User, Service, Status string
				Created                   time.Time
				Expires                   *time.Time
			}
			Live bool
		}
	}
	if err := json.Unmarshal([]byte(j.stdout), &doc); err != nil || len(doc.Keys) != 1 {
		t.Fatalf("json: %v\n%s", err, j.stdout)
	}
	k := doc.Keys[0]
	if k.Kind != "bedrock-long-term" || k.Lookup != "found" || !k.Live || k.Credential == nil || k.Credential.ID != creds["first"].ID ||
		k.Credential.Expires == nil || k.Decoded.Slot != 1 || k.Decoded.User != "alice" || !strings.HasPrefix(k.Fingerprint, "bedrock-long-term:ABSK") {
		t.Errorf("json key %+v", k)
	}
	noSecret(t, secrets, j.stdout, j.stderr)
}

func TestWhoisDeactivateThenInactiveInIAM(t *testing.T) {
	url, c, creds, secrets := whoisSetup(t, localiam.Faults{})
	debug := filepath.Join(t.TempDir(), "debug.log")
	r := runWhoisTest(t, secrets["first"]+"\n", "--endpoint-url", url, "--deactivate", "--debug", debug)
	if r.code != exitOK {
		t.Fatalf("exit %d: %s%s", r.code, r.stdout, r.stderr)
	}
	id := creds["first"].ID
	if !strings.Contains(r.stdout, "deactivate   done: "+id+" is Inactive now") ||
		!strings.Contains(r.stdout, "undo         aws iam update-service-specific-credential --user-name alice --service-specific-credential-id "+id+" --status Active") {
		t.Errorf("stdout:\n%s", r.stdout)
	}
	listed, err := c.ListCredentials(context.Background(), "alice")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range listed {
		want := model.Active
		if l.ID == id {
			want = model.Inactive
		}
		if l.Status != want {
			t.Errorf("%s is %s, want %s", l.ID, l.Status, want)
		}
	}
	log, err := os.ReadFile(debug)
	if err != nil || !strings.Contains(string(log), "UpdateServiceSpecificCredential") {
		t.Fatalf("debug log: %v\n%s", err, log)
	}
	noSecret(t, secrets, r.stdout, r.stderr, string(log))
	// Again: nothing to do, and nothing live.
	again := runWhoisTest(t, secrets["first"]+"\n", "--endpoint-url", url, "--deactivate")
	if again.code != exitOK || !strings.Contains(again.stdout, "nothing to do: "+id+" is Inactive already") {
		t.Errorf("again: exit %d\n%s", again.code, again.stdout)
	}
}

func TestWhoisDelete(t *testing.T) {
	url, c, creds, secrets := whoisSetup(t, localiam.Faults{})
	if r := runWhoisTest(t, secrets["second"]+"\n", "--endpoint-url", url, "--delete"); r.code != exitUsage || !strings.Contains(r.stderr, "add --yes") {
		t.Fatalf("--delete on a pipe without --yes: exit %d: %s", r.code, r.stderr)
	}
	r := runWhoisTest(t, secrets["second"]+"\n", "--endpoint-url", url, "--delete", "--yes", "--format", "json")
	if r.code != exitOK || !strings.Contains(r.stdout, `"outcome": "done"`) || !strings.Contains(r.stdout, `"requested": "delete"`) {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	listed, _ := c.ListCredentials(context.Background(), "alice")
	if len(listed) != 1 || listed[0].ID != creds["first"].ID {
		t.Fatalf("after delete: %+v", listed)
	}
	gone := runWhoisTest(t, secrets["second"]+"\n", "--endpoint-url", url)
	if gone.code != exitOK || !strings.Contains(gone.stdout, "not found (deleted, or another account): searched account 123456789012") {
		t.Errorf("deleted key: exit %d\n%s", gone.code, gone.stdout)
	}
	noSecret(t, secrets, r.stdout, r.stderr, gone.stdout, gone.stderr)
}

func TestWhoisRefusesKeysOnTheCommandLine(t *testing.T) {
	url, _, _, secrets := whoisSetup(t, localiam.Faults{})
	for name, args := range map[string][]string{
		"argument":        {secrets["first"]},
		"flag value":      {"--profile", secrets["first"]},
		"unknown flag":    {"--" + secrets["first"]},
		"access key":      {"AKIAIOSFODNN7EXAMPLE"},
		"plain argument":  {"hello"},
		"--yes alone":     {"--yes"},
		"read-only":       {"--read-only", "--deactivate"},
		"both actions":    {"--deactivate", "--delete", "--yes"},
		"format":          {"--format", "csv"},
		"--demo --region": {"--demo", "--region", "eu-west-1"},
	} {
		r := runWhoisTest(t, secrets["first"]+"\n", append([]string{"--endpoint-url", url}, args...)...)
		if r.code != exitUsage || r.stdout != "" {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", name, r.code, r.stdout, r.stderr)
		}
		if strings.HasPrefix(name, "arg") && !strings.Contains(r.stderr, "refused: a key as an argument stays in the shell's history") {
			t.Errorf("%s: %s", name, r.stderr)
		}
		noSecret(t, secrets, r.stderr)
		if strings.Contains(r.stderr, "IOSFODNN7EXAMPLE") {
			t.Errorf("%s: the access key ID is echoed: %s", name, r.stderr)
		}
	}
	if r := runWhoisTest(t, "\n# nothing\n", "--endpoint-url", url); r.code != exitUsage || !strings.Contains(r.stderr, "no key read") {
		t.Errorf("no key: exit %d %s", r.code, r.stderr)
	}
}

func TestWhoisReadOnlySetting(t *testing.T) {
	url, _, _, secrets := whoisSetup(t, localiam.Faults{})
	path := writeSettings(t, "read-only = true\n")
	r := runWhoisTest(t, secrets["first"]+"\n", "--endpoint-url", url, "--deactivate")
	if r.code != exitUsage || !strings.Contains(r.stderr, "read-only (from "+path+")") {
		t.Errorf("exit %d: %s", r.code, r.stderr)
	}
}

func TestWhoisAWSErrorExits3(t *testing.T) {
	url, _, _, secrets := whoisSetup(t, localiam.Faults{Deny: []string{"ListServiceSpecificCredentials"}})
	r := runWhoisTest(t, secrets["first"]+"\n", "--endpoint-url", url)
	if r.code != exitFailed || !strings.Contains(r.stdout, "credential   unknown: ") {
		t.Errorf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	noSecret(t, secrets, r.stdout, r.stderr)
}

// A short-term key minted with the SDK's presigner from the endpoint's own
// access key: its account from STS, the deny policy printed, no credential.
func TestWhoisShortTermKey(t *testing.T) {
	auditAWSEnv(t)
	url, srv := serveAuditIAM(t, localiam.Config{Seed: "empty", AccountID: "210987654321"})
	signer := srv.Accounts()[0].AccessKeyID
	key, err := bedrockkeytest.Mint(context.Background(), aws.Credentials{AccessKeyID: signer, SecretAccessKey: "s3cr3t-signing-key"},
		"eu-west-1", auditTestNow.Add(-time.Hour), 12*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	r := runWhoisTest(t, key+"\n", "--endpoint-url", url)
	if r.code != exitOK {
		t.Fatalf("exit %d: %s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"bedrock-short-term:bedrock-api-key…", "signed by " + signer + " (account 210987654321 per STS) in eu-west-1",
		"still valid", "credential   none: IAM cannot revoke a short-term key", "deny policy  printed, not applied",
		`"bedrock:CallWithBearerToken"`} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout+r.stderr, key[16:60]) || strings.Contains(r.stdout+r.stderr, "s3cr3t") {
		t.Errorf("the key shows:\n%s", r.stdout)
	}
	if !strings.Contains(r.stdout, "access key   held by no IAM user of account 210987654321: the root user's key, or deleted") {
		t.Errorf("the account's own key:\n%s", r.stdout)
	}

	// Signed by an IAM user's access key: the user is named, and the policy's target.
	raw := iam.New(iam.Options{Region: "us-east-1", BaseEndpoint: aws.String(url),
		Credentials: credentials.NewStaticCredentialsProvider("AKIAIOSFODNN7EXAMPLE", "test", "")})
	if _, err := raw.CreateUser(context.Background(), &iam.CreateUserInput{UserName: aws.String("ci-runner")}); err != nil {
		t.Fatal(err)
	}
	ak, err := raw.CreateAccessKey(context.Background(), &iam.CreateAccessKeyInput{UserName: aws.String("ci-runner")})
	if err != nil {
		t.Fatal(err)
	}
	id, secret := *ak.AccessKey.AccessKeyId, *ak.AccessKey.SecretAccessKey
	key, _ = bedrockkeytest.Mint(context.Background(), aws.Credentials{AccessKeyID: id, SecretAccessKey: secret}, "us-west-2", auditTestNow.Add(-time.Hour), time.Hour)
	r = runWhoisTest(t, key+"\n", "--endpoint-url", url, "--format", "json")
	var doc struct {
		Keys []struct {
			AccessKey        struct{ ID, User, Status string }             `json:"access_key"`
			DenyPolicyTarget string                                        `json:"deny_policy_target"`
			DenyPolicy       struct{ Statement []struct{ Action string } } `json:"deny_policy"`
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || len(doc.Keys) != 1 {
		t.Fatalf("json: %v\n%s", err, r.stdout)
	}
	k := doc.Keys[0]
	if k.AccessKey.ID != id || k.AccessKey.User != "ci-runner" || k.AccessKey.Status != "Active" ||
		!strings.HasPrefix(k.DenyPolicyTarget, "attach it to IAM user ci-runner") || k.DenyPolicy.Statement[0].Action != "bedrock:CallWithBearerToken" {
		t.Errorf("signed by a user's key: %+v", k)
	}
	if strings.Contains(r.stdout+r.stderr, secret) || strings.Contains(r.stdout+r.stderr, key[16:60]) {
		t.Errorf("a secret shows:\n%s", r.stdout)
	}
}

// The demo's leaked keys, as the README walks through them.
func TestWhoisDemoStory(t *testing.T) {
	auditAWSEnv(t)
	leaked, err := os.ReadFile("../docs/demo/leaked-keys.txt")
	if err != nil {
		t.Fatal(err)
	}
	r := runWhoisTest(t, string(leaked), "--demo")
	if r.code != exitFlagged || !strings.Contains(r.stdout, "Bedrock API key of user amara in account 123456789012") ||
		!strings.Contains(r.stdout, "signed by AKIADQVQKK33SZRCNAYH (account 123456789012 per STS)") ||
		!strings.Contains(r.stdout, "of user BedrockAPIKey-r8tn, Active") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	d := runWhoisTest(t, string(leaked), "--demo", "--deactivate")
	if d.code != exitOK || !strings.Contains(d.stdout, "is Inactive now") {
		t.Errorf("--deactivate: exit %d\n%s%s", d.code, d.stdout, d.stderr)
	}
}

// Several candidates, matched by user only: nothing is acted on, and a live
// one among them is exit 1 (the key may be it).
func TestWhoisReportAmbiguous(t *testing.T) {
	d, err := model.DecodeKey("ABSK" + base64.StdEncoding.EncodeToString([]byte("alice-at-123456789012:c2VjcmV0c2VjcmV0c2VjcmV0")))
	if err != nil {
		t.Fatal(err)
	}
	cands := []model.Credential{
		{ID: "ACCA1", UserName: "alice", Service: model.Bedrock, Status: model.Inactive, Alias: "alice-v2-a"},
		{ID: "ACCA2", UserName: "alice", Service: model.Bedrock, Status: model.Active, Alias: "alice-v2-b"},
	}
	m := model.MatchKey(d, "123456789012", cands)
	rep := newWhoisReport(awsclient.KeyLookup{Match: m, Searched: []string{"123456789012"}}, auditTestNow)
	if rep.Lookup != "ambiguous" || !rep.Live || len(rep.Candidates) != 2 || rep.Credential != nil {
		t.Fatalf("report %+v", rep)
	}
	act := whoisActor{f: whoisFlags{deactivate: true}}
	act.apply(context.Background(), &rep, nil)
	if rep.Action != nil {
		t.Errorf("acted on an ambiguous match: %+v", rep.Action)
	}
	var out bytes.Buffer
	if err := writeWhois(&out, whoisText, []whoisReport{rep}); err != nil || !strings.Contains(out.String(), "live         maybe") {
		t.Errorf("text: %v\n%s", err, out.String())
	}
	if err := whoisExit([]whoisReport{rep}); report(io.Discard, nil, err) != exitFlagged {
		t.Errorf("exit %v", err)
	}
}
