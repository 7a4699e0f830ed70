package ui

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"iamcreds/awsclient/localiam"
	"iamcreds/internal/safefile"
	"iamcreds/model"
)

// Delivery from the TUI: the secret modal's D and a rotation's step 3, driven
// key by key, the credentials read back from the endpoint through the SDK.

// fileDeliverer delivers to file: targets as iamcreds does — a new file, mode
// 0600, never over one, read back and compared — and refuses the others.
type fileDeliverer struct{}

func (fileDeliverer) CheckTarget(_ context.Context, t model.Target) error {
	if t.Kind != model.TargetFile {
		return model.Errorf(model.KindInvalid, "%s: not served here", t)
	}
	return safefile.CheckCreate(t.Ref)
}

func (fileDeliverer) Deliver(_ context.Context, t model.Target, s model.Secret) (model.DeliveryResult, error) {
	res := model.DeliveryResult{Target: t, Outcome: model.OutcomeNotDone}
	if t.Kind != model.TargetFile {
		return res, model.Errorf(model.KindInvalid, "%s: not served here", t)
	}
	payload := model.DeliveryPayload(t, s)
	if err := safefile.Create(t.Ref, func(w io.Writer) error { _, err := w.Write(payload); return err }); err != nil {
		return res, err
	}
	res.Outcome = model.OutcomeDone
	got, err := os.ReadFile(t.Ref)
	if err != nil {
		return res, err
	}
	res.Verified = model.SameDelivered(payload, got)
	return res, nil
}

// startDelivering is start with delivery on: rules, and the deliverer.
func startDelivering(t *testing.T, faults localiam.Faults, rules ...model.DeliveryRule) (*driver, *endpoint) {
	t.Helper()
	d, e, _ := start(t, faults, false)
	d.m.opts.Deliver = fileDeliverer{}
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

// delivered reads what a file target holds.
func delivered(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// D on the secret modal offers the target config.toml names for the
// credential; enter delivers there, the target holds the secret, and the
// modal closes without asking, as after a written file.
func TestDeliverFromTheSecretModal(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "kenji-git.csv")
	d, _ := startDelivering(t, localiam.Faults{},
		model.DeliveryRule{User: "bob", Service: "*", To: "file:/nowhere"},
		model.DeliveryRule{User: "kenji", Service: "git", To: "file:" + path})
	sm := d.createFor("kenji", 0)
	secret := sm.secret.Reveal()
	mustContain(t, d.m, "D deliver")
	d.keys("D")
	if !sm.delivering || len(sm.deliver.rows) != 1 {
		t.Fatalf("D opened no list of the one target:\n%s", screenText(d.m))
	}
	mustContain(t, d.m, "Deliver the password to:", "▸ file:"+path[:10])
	d.keys("enter")
	if !sm.kept || sm.deliver.rows[0].done != model.OutcomeDone {
		t.Fatalf("delivered, not kept:\n%s", screenText(d.m))
	}
	if got := delivered(t, path); !strings.Contains(got, secret) {
		t.Fatalf("the target lacks the secret: %q", got)
	}
	mustContain(t, d.m, "✓ Delivered to file:", "read back the same")
	mustNotContain(t, d.m, secret)
	d.keys("esc", "enter")
	if !d.m.dialogs.empty() || !sm.secret.Empty() {
		t.Fatalf("closing after a delivery asked:\n%s", screenText(d.m))
	}
}

// A delivery refused keeps the close guard armed and the secret in the modal,
// and says why, without the secret.
func TestDeliverRefusedKeepsTheSecret(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "taken.csv")
	if err := os.WriteFile(path, []byte("earlier\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	d, _ := startDelivering(t, localiam.Faults{}, model.DeliveryRule{User: "kenji", Service: "*", To: "file:" + path})
	sm := d.createFor("kenji", 0)
	secret := sm.secret.Reveal()
	d.keys("D", "enter")
	if sm.kept || sm.deliver.rows[0].done != model.OutcomeNotDone {
		t.Fatalf("a refused delivery kept the secret:\n%s", screenText(d.m))
	}
	mustContain(t, d.m, "✗ Not delivered to file:")
	mustNotContain(t, d.m, secret)
	if got := delivered(t, path); got != "earlier\n" {
		t.Fatalf("the file was changed: %q", got)
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
	path := filepath.Join(t.TempDir(), "typed.csv")
	d, _ := startDelivering(t, localiam.Faults{})
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
	d.typeRunes("file:" + path)
	mustNotContain(t, d.m, "is not secretsmanager")
	d.keys("enter")
	if !sm.kept || len(sm.deliver.rows) != 1 || !strings.Contains(delivered(t, path), sm.secret.Reveal()) {
		t.Fatalf("the typed target was not delivered to:\n%s", screenText(d.m))
	}
}

// R on a credential a rule names: the plan says step 3 delivers there; step 3
// delivers without showing the secret, and step 4 follows.
func TestRotateDeliversAtStep3(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "mateo-git.csv")
	d, e := startDelivering(t, localiam.Faults{}, model.DeliveryRule{User: "mateo", Service: "git", To: "file:" + path})
	old := d.rotate("mateo", isActive)
	d.rotationSays("3. Deliver the new password to file:"+path+" and read it back (checked now)", "▸ 2. Create a new CodeCommit credential")
	d.keys("enter")
	r := d.rotation()
	if r.phase != rotDeactivate || !r.rot.SecretSaved {
		t.Fatalf("after step 3: phase %v:\n%s", r.phase, screenText(d.m))
	}
	if _, ok := d.m.dialogs.top().(handOver); ok {
		t.Fatal("the secret modal opened though the secret was delivered")
	}
	creds := e.creds(t, "mateo")
	if len(creds) != 2 {
		t.Fatalf("after step 2: %+v", creds)
	}
	if got := delivered(t, path); !strings.Contains(got, r.rot.New.ID) {
		t.Fatalf("the target lacks the new credential's record: %q", got)
	}
	d.rotationSays("✓ 3. Deliver the new password", "✓ Delivered to file:", "Step 4: is the new one in use?")
	if c, _ := byID(creds, old.ID); c.Status != model.Active {
		t.Fatal("the old one changed")
	}
}

// A target that cannot take the secret stops the rotation before any write.
func TestRotateStopsWhenTheTargetFailsItsCheck(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "taken.csv")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	d, e := startDelivering(t, localiam.Faults{}, model.DeliveryRule{User: "mateo", Service: "*", To: "file:" + path})
	d.rotate("mateo", isActive)
	r := d.rotation()
	if r.phase != rotStopped {
		t.Fatalf("phase %v:\n%s", r.phase, screenText(d.m))
	}
	d.rotationSays("✗ Cannot rotate: file:"+path+" cannot take the new password", "Nothing was changed")
	d.keys("enter")
	if n := len(e.creds(t, "mateo")); n != 1 || !d.m.dialogs.empty() {
		t.Fatalf("%d credentials after a refused check", n)
	}
	mustContain(t, d.m, "Not rotated:")
}

// A delivery refused after the create: the new credential, whose secret
// reached nobody, is deleted again, and the dialog says so; the old one is
// untouched.
func TestRotateTakesBackWhenTheDeliveryFails(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "later.csv")
	d, e := startDelivering(t, localiam.Faults{}, model.DeliveryRule{User: "mateo", Service: "*", To: "file:" + path})
	old := d.rotate("mateo", isActive)
	if err := os.WriteFile(path, nil, 0o600); err != nil { // appears after the check
		t.Fatal(err)
	}
	d.keys("enter")
	r := d.rotation()
	if r.phase != rotFailed || r.failedAt != model.StepHandOver || !r.rot.NewDeleted {
		t.Fatalf("phase %v at %v, new deleted %v:\n%s", r.phase, r.failedAt, r.rot.NewDeleted, screenText(d.m))
	}
	creds := e.creds(t, "mateo")
	if len(creds) != 1 || creds[0].ID != old.ID || creds[0].Status != model.Active {
		t.Fatalf("after the take-back: %+v", creds)
	}
	d.rotationSays("✗ Step 3 (save the new secret) failed: Not delivered to file:", "created, then deleted again")
}

// D's list at 40 columns: the rule's target, the field with a typed target
// that is not one, and why.
func TestGoldenNarrow40Deliver(t *testing.T) {
	t.Parallel()
	g := newGoldenRun(t, goldenSetup{w: 40, h: 24})
	g.m.opts.Deliver = fileDeliverer{}
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
