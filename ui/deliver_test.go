package ui

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/charmbracelet/x/ansi"

	"iamcreds/awsclient"
	"iamcreds/awsclient/localiam"
	"iamcreds/internal/deliver"
	"iamcreds/model"
)

// Delivery from the TUI: the secret modal's D and a rotation's step 3, driven
// key by key. The stores are the local endpoint's Secrets Manager and
// Parameter Store, reached by the real client through the SDK; what they hold
// and what IAM holds are read back the same way.

// testDeliverer is what cli wires: commands and files, and the AWS stores
// through the real client.
func testDeliverer(c *awsclient.Client) Deliverer { return deliver.Deliverer{Stores: c} }

// The demo account's secret and parameter, which hold placeholders.
const (
	demoSecret    = "secretsmanager:" + localiam.DemoSecretName
	demoParameter = "ssm:" + localiam.DemoParameterName
)

// startDelivering is start with delivery on: the rules, and the deliverer.
func startDelivering(t *testing.T, faults localiam.Faults, rules ...model.DeliveryRule) (*driver, *endpoint) {
	t.Helper()
	d, e, _ := start(t, faults, false)
	d.m.opts.Deliver = testDeliverer(e.client)
	d.m.opts.DeliveryRules = rules
	return d, e
}

// typeRunes types s, rune by rune, into whatever has the keys.
func (d *driver) typeRunes(s string) {
	d.t.Helper()
	for _, r := range s {
		d.keys(string(r))
	}
}

// storeClients are other clients of the stores at url, signed with key.
func storeClients(url, key string) (*secretsmanager.Client, *ssm.Client) {
	cfg := aws.Config{Region: "us-east-1", Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: key, SecretAccessKey: "x"}, nil
	})}
	sm := secretsmanager.NewFromConfig(cfg, func(o *secretsmanager.Options) { o.BaseEndpoint = aws.String(url) })
	ps := ssm.NewFromConfig(cfg, func(o *ssm.Options) { o.BaseEndpoint = aws.String(url) })
	return sm, ps
}
func (e *endpoint) store() (*secretsmanager.Client, *ssm.Client) {
	return storeClients(e.url, "AKIDREADER")
}

// secretAt is what the demo secret holds at stage (AWSCURRENT, AWSPREVIOUS).
func (e *endpoint) secretAt(t *testing.T, stage string) string {
	t.Helper()
	e.srv.SetFaults(localiam.Faults{})
	sm, _ := e.store()
	return demoSecretAt(t, sm, stage)
}
func demoSecretAt(t *testing.T, sm *secretsmanager.Client, stage string) string {
	t.Helper()
	out, err := sm.GetSecretValue(context.Background(), &secretsmanager.GetSecretValueInput{
		SecretId: aws.String(localiam.DemoSecretName), VersionStage: aws.String(stage)})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.SecretString)
}

// parameter is what the demo parameter holds, decrypted.
func (e *endpoint) parameter(t *testing.T) string {
	t.Helper()
	_, ps := e.store()
	out, err := ps.GetParameter(context.Background(), &ssm.GetParameterInput{Name: aws.String(localiam.DemoParameterName), WithDecryption: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.Parameter.Value)
}

// D on the secret modal offers the target config.toml names for the
// credential; enter delivers there — Secrets Manager holds the secret as
// AWSCURRENT, the placeholder as AWSPREVIOUS — and the modal closes without
// asking, as after a written file.
func TestDeliverFromTheSecretModal(t *testing.T) {
	t.Parallel()
	d, e := startDelivering(t, localiam.Faults{},
		model.DeliveryRule{User: "bob", Service: "*", To: "ssm:/elsewhere"},
		model.DeliveryRule{User: "kenji", Service: "git", To: demoSecret})
	before := e.secretAt(t, "AWSCURRENT")
	sm := d.createFor("kenji", 0)
	secret := sm.secret.Reveal()
	mustContain(t, d.m, "D deliver")
	d.keys("D")
	if !sm.delivering || len(sm.deliver.rows) != 1 {
		t.Fatalf("D opened no list of the one target:\n%s", screenText(d.m))
	}
	mustContain(t, d.m, "Deliver the password to:", "▸ "+demoSecret)
	d.keys("enter")
	if !sm.kept || sm.deliver.rows[0].done != model.OutcomeDone {
		t.Fatalf("delivered, not kept:\n%s", screenText(d.m))
	}
	if got := e.secretAt(t, "AWSCURRENT"); !strings.Contains(got, `"secret":"`+secret+`"`) || !strings.Contains(got, sm.secret.Credential.ID) {
		t.Fatalf("AWSCURRENT lacks the new secret: %q", got)
	}
	if got := e.secretAt(t, "AWSPREVIOUS"); got != before {
		t.Fatalf("AWSPREVIOUS is %q, want the placeholder %q", got, before)
	}
	mustContain(t, d.m, "✓ Delivered, read back the same")
	mustNotContain(t, d.m, secret)
	d.keys("esc")
	mustContain(t, d.m, "✓ Delivered to "+demoSecret)
	d.keys("enter")
	if !d.m.dialogs.empty() || !sm.secret.Empty() {
		t.Fatalf("closing after a delivery asked:\n%s", screenText(d.m))
	}
}

// A delivery refused (PutSecretValue denied) keeps the close guard armed and
// the secret in the modal, and says why, without the secret.
func TestDeliverRefusedKeepsTheSecret(t *testing.T) {
	t.Parallel()
	d, e := startDelivering(t, localiam.Faults{Deny: []string{"PutSecretValue"}}, model.DeliveryRule{User: "kenji", Service: "*", To: demoSecret})
	before := e.secretAt(t, "AWSCURRENT")
	e.srv.SetFaults(localiam.Faults{Deny: []string{"PutSecretValue"}})
	sm := d.createFor("kenji", 0)
	secret := sm.secret.Reveal()
	d.keys("D", "enter")
	if sm.kept || sm.deliver.rows[0].done != model.OutcomeNotDone {
		t.Fatalf("a refused delivery kept the secret:\n%s", screenText(d.m))
	}
	mustContain(t, d.m, "✗ Not delivered: access denied")
	mustNotContain(t, d.m, secret)
	if got := e.secretAt(t, "AWSCURRENT"); got != before {
		t.Fatalf("the secret changed: %q", got)
	}
	d.keys("esc", "enter")
	if sm.question != askDiscard || sm.secret.Reveal() != secret {
		t.Fatalf("closing after a refused delivery did not ask:\n%s", screenText(d.m))
	}
}

// With no rule for the credential, D opens on the field; what is typed is
// checked as it is typed, and a target typed right is delivered to.
func TestDeliverToATypedTarget(t *testing.T) {
	t.Parallel()
	d, e := startDelivering(t, localiam.Faults{})
	sm := d.createFor("kenji", 0)
	d.keys("D")
	if !sm.deliver.onInput() {
		t.Fatal("with no rule, D should open on the field")
	}
	d.typeRunes("vault:x")
	mustContain(t, d.m, `✗ delivery target "vault:x": "vault" is not`)
	d.keys("enter")
	if sm.kept || len(sm.deliver.rows) != 0 {
		t.Fatal("an invalid target was delivered to")
	}
	for range len("vault:x") {
		d.keys("backspace")
	}
	d.typeRunes(demoParameter + "?form=secret")
	mustNotContain(t, d.m, "is not secretsmanager")
	d.keys("enter")
	if !sm.kept || len(sm.deliver.rows) != 1 || e.parameter(t) != sm.secret.Reveal() {
		t.Fatalf("the typed target was not delivered to:\n%s", screenText(d.m))
	}
}

// A command target (typed): the secret alone on its standard input, its exit
// status 0 the proof, which keeps the secret as a read-back would.
func TestDeliverToACommand(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("sh")
	}
	path := filepath.Join(t.TempDir(), "from-stdin")
	d, _ := startDelivering(t, localiam.Faults{})
	sm := d.createFor("kenji", 0)
	d.keys("D")
	d.typeRunes(`exec:sh -c 'cat > "$0"' ` + path)
	d.keys("enter")
	got, err := os.ReadFile(path)
	if err != nil || string(got) != sm.secret.Reveal() || !sm.kept {
		t.Fatalf("the command read %q (%v), kept %v:\n%s", got, err, sm.kept, screenText(d.m))
	}
	mustContain(t, d.m, "✓ Delivered: the command exited 0")
}

// A command that fails after echoing the secret to its standard error: not
// delivered, and nothing on screen holds the secret.
func TestDeliverFailedCommandNeverShowsTheSecret(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("sh")
	}
	d, _ := startDelivering(t, localiam.Faults{})
	sm := d.createFor("kenji", 0)
	secret := sm.secret.Reveal()
	d.keys("D")
	d.typeRunes(`exec:sh -c 'cat >&2; echo; echo "$0 refused" >&2; exit 3' store`)
	d.keys("enter")
	if sm.kept || sm.deliver.rows[0].done != model.OutcomeNotDone {
		t.Fatalf("a failed command kept the secret:\n%s", screenText(d.m))
	}
	mustContain(t, d.m, "✗ Not delivered:", "store refused")
	mustNotContain(t, d.m, secret)
	d.keys("esc")
	mustContain(t, d.m, "✗ Not delivered to exec:")
	mustNotContain(t, d.m, secret)
}

// Read-only: no delivery, whatever is wired (the client refuses writes too).
func TestReadOnlyDeliversNothing(t *testing.T) {
	t.Parallel()
	e := newEndpoint(t, "demo", localiam.Faults{}, true)
	o := testOptions(e, &memClipboard{})
	o.ReadOnly, o.Deliver = true, testDeliverer(e.client)
	o.DeliveryRules = []model.DeliveryRule{{User: "*", Service: "*", To: demoSecret}}
	m := New(o)
	sm := newSecretModal(m.kit, 1, model.Secret{}, false, "")
	m.offerDelivery(sm)
	if m.canDeliver() || sm.canDeliver {
		t.Fatal("read-only mode offers delivery")
	}
}

// D's list at 40 columns: the rule's target, the field with a typed target
// that is not one, and why.
func TestGoldenNarrow40Deliver(t *testing.T) {
	t.Parallel()
	g := newGoldenRun(t, goldenSetup{w: 40, h: 24})
	g.m.opts.Deliver = testDeliverer(g.e.client)
	g.m.opts.DeliveryRules = []model.DeliveryRule{{User: "kenji", Service: "git", To: "secretsmanager:ci/git"}}
	g.to("kenji")
	g.keys("n", "enter", "enter", "D", "down")
	g.typeRunes("ssm:/aws/ci")
	m := g.final()
	for _, l := range strings.Split(m.View(), "\n") {
		if w := ansi.StringWidth(l); w > 40 {
			t.Fatalf("a line %d wide: %q", w, l)
		}
	}
	g.golden(m)
}
