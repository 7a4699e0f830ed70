package ui

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"iamcreds/awsclient"
	"iamcreds/awsclient/localiam"
	"iamcreds/model"
)

// R on a credential a [[deliver]] rule names: the target checked before any
// write, the secret delivered at step 3, and what a refused or unknown
// delivery leaves; IAM and the stores read back through the SDK.

// R on a credential a rule names: the plan says step 3 delivers there; step 3
// delivers without showing the secret, and step 4 follows.
func TestRotateDeliversAtStep3(t *testing.T) {
	t.Parallel()
	d, e := startDelivering(t, localiam.Faults{}, model.DeliveryRule{User: "mateo", Service: "git", To: demoSecret})
	old := d.rotate("mateo", isActive)
	d.rotationSays("3. Deliver the new password to "+demoSecret+" and read it back (checked now)", "▸ 2. Create a new CodeCommit credential")
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
	if got := e.secretAt(t, "AWSCURRENT"); !strings.Contains(got, r.rot.New.ID) {
		t.Fatalf("AWSCURRENT lacks the new credential's document: %q", got)
	}
	d.rotationSays("✓ 3. Deliver the new password", "✓ Delivered to "+demoSecret, "Step 4: is the new one in use?")
	if c, _ := byID(creds, old.ID); c.Status != model.Active {
		t.Fatal("the old one changed")
	}
}

// Until the target's check has answered, no step writes: enter says why.
func TestRotateWaitsForTheTargetsCheck(t *testing.T) {
	t.Parallel()
	d, e := startDelivering(t, localiam.Faults{}, model.DeliveryRule{User: "mateo", Service: "*", To: demoSecret})
	holdMsgs[targetCheckedMsg](d)
	d.rotate("mateo", isActive)
	d.rotationSays("3. Deliver the new password to " + demoSecret + " and read it back (checking…)")
	d.keys("enter")
	if n := len(e.creds(t, "mateo")); n != 1 || d.rotation().busy {
		t.Fatalf("created before the check answered: %d credentials", n)
	}
	d.rotationSays("✗ Checking " + demoSecret + " first: a moment")
	d.Release()
	d.settle()
	d.keys("enter")
	if n := len(e.creds(t, "mateo")); n != 2 || d.rotation().phase != rotDeactivate {
		t.Fatalf("after the check: %d credentials, phase %v", n, d.rotation().phase)
	}
	d.Send(tea.WindowSizeMsg{Width: 40, Height: 30})
	d.settle()
	for _, l := range strings.Split(d.m.View(), "\n") {
		if w := ansi.StringWidth(l); w > 40 {
			t.Fatalf("a line %d wide at 40 columns: %q", w, l)
		}
	}
	mustContain(t, d.m, "✓ Delivered to")
}

// Quitting while step 3 delivers asks first (the secret is on its way), and
// y quits once the delivery has ended.
func TestQuitWaitsForADelivery(t *testing.T) {
	t.Parallel()
	d, e := startDelivering(t, localiam.Faults{}, model.DeliveryRule{User: "mateo", Service: "*", To: demoSecret})
	d.rotate("mateo", isActive)
	holdMsgs[deliveredMsg](d)
	d.keys("enter", "ctrl+c")
	if _, ok := d.m.dialogs.top().(*quitQuestion); !ok || d.Quit() {
		t.Fatalf("ctrl+c during a delivery did not ask:\n%s", screenText(d.m))
	}
	mustContain(t, d.m, "A credential is still being created or reset")
	d.keys("y")
	if d.Quit() {
		t.Fatal("quit before the delivery ended")
	}
	d.Release()
	d.settle()
	if !d.Quit() || !strings.Contains(e.secretAt(t, "AWSCURRENT"), `"secret":`) {
		t.Fatal("no quit once the delivery ended, or nothing delivered")
	}
}

// A target that cannot take the secret stops the rotation before any write.
func TestRotateStopsWhenTheTargetFailsItsCheck(t *testing.T) {
	t.Parallel()
	d, e := startDelivering(t, localiam.Faults{}, model.DeliveryRule{User: "mateo", Service: "*", To: "secretsmanager:ci/missing"})
	d.rotate("mateo", isActive)
	r := d.rotation()
	if r.phase != rotStopped {
		t.Fatalf("phase %v:\n%s", r.phase, screenText(d.m))
	}
	d.rotationSays("✗ Cannot rotate: secretsmanager:ci/missing cannot take the new password", "does not exist", "Nothing was changed")
	d.keys("enter")
	if n := len(e.creds(t, "mateo")); n != 1 || !d.m.dialogs.empty() {
		t.Fatalf("%d credentials after a refused check", n)
	}
	mustContain(t, d.m, "Not rotated:")
}

// A delivery refused after the create (the check cannot tell: DescribeSecret
// is allowed, PutSecretValue is not): the new credential, whose secret
// reached nobody, is deleted again, and the dialog says so; the old one and
// the secret are untouched.
func TestRotateTakesBackWhenTheDeliveryFails(t *testing.T) {
	t.Parallel()
	d, e := startDelivering(t, localiam.Faults{Deny: []string{"PutSecretValue"}}, model.DeliveryRule{User: "mateo", Service: "*", To: demoSecret})
	before := e.secretAt(t, "AWSCURRENT")
	e.srv.SetFaults(localiam.Faults{Deny: []string{"PutSecretValue"}})
	old := d.rotate("mateo", isActive)
	d.keys("enter")
	r := d.rotation()
	if r.phase != rotFailed || r.failedAt != model.StepHandOver || !r.rot.NewDeleted {
		t.Fatalf("phase %v at %v, new deleted %v:\n%s", r.phase, r.failedAt, r.rot.NewDeleted, screenText(d.m))
	}
	creds := e.creds(t, "mateo")
	if len(creds) != 1 || creds[0].ID != old.ID || creds[0].Status != model.Active {
		t.Fatalf("after the take-back: %+v", creds)
	}
	if got := e.secretAt(t, "AWSCURRENT"); got != before {
		t.Fatalf("the secret changed: %q", got)
	}
	d.rotationSays("✗ Step 3 (save the new secret) failed: Not delivered to "+demoSecret+": access denied", "created, then deleted again")
}

// A delivery of unknown outcome (the put's and the read-back's replies lost):
// the target may hold the secret, so the credential stays and its secret shows
// over the rotation, saying why; saved there, the rotation goes on.
func TestRotateShowsTheSecretWhenTheDeliveryIsUnknown(t *testing.T) {
	t.Parallel()
	d, e := startDelivering(t, localiam.Faults{}, model.DeliveryRule{User: "mateo", Service: "*", To: demoSecret})
	d.rotate("mateo", isActive)
	e.srv.SetFaults(localiam.Faults{DropReply: map[string]int{"PutSecretValue": 0, "GetSecretValue": 0}})
	d.keys("enter")
	h, ok := d.m.dialogs.top().(handOver)
	if !ok {
		t.Fatalf("no secret modal over the rotation:\n%s", screenText(d.m))
	}
	r := d.rotation()
	if r.phase != rotHandOver || r.busy || len(e.creds(t, "mateo")) != 2 {
		t.Fatalf("phase %v busy %v", r.phase, r.busy)
	}
	mustContain(t, d.m, "Delivery to "+demoSecret+": outcome unknown")
	if !strings.Contains(e.secretAt(t, "AWSCURRENT"), h.secret.Reveal()) {
		t.Fatal("the store lacks the secret the modal shows (the put landed; only its replies were lost)")
	}
	d.handOver()
	if r.phase != rotDeactivate {
		t.Fatalf("after the modal: phase %v", r.phase)
	}
}

// On the organization view, a rotation in Staging delivers to the profile's
// account's secret (a name, not an ARN), and the plan says so before the
// create; the new credential is made in Staging.
func TestOrgRotateDeliversInTheProfilesAccount(t *testing.T) {
	t.Parallel()
	r := startOrg(t, orgSetup{before: twins})
	r.m.opts.Deliver = testDeliverer(r.e.Client)
	r.m.opts.DeliveryRules = []model.DeliveryRule{{User: "twin", Service: "*", To: demoSecret}}
	r.toRow(orgStaging, "twin")
	r.keys_("R")
	mustContain(t, r.m, "Account: Staging (444455556666)")
	r.rotationSays("3. Deliver the new password to "+demoSecret, "The target is in the profile's account and region, not in Staging (444455556666).")
	r.keys_("enter")
	cs := r.creds(orgStaging, "twin")
	if len(cs) != 2 || r.rotation().phase != rotDeactivate {
		t.Fatalf("Staging's twin: %+v:\n%s", cs, screenText(r.m))
	}
	sm, _ := storeClients(r.e.URL, r.keys[orgMgmt])
	if got := demoSecretAt(t, sm, "AWSCURRENT"); !strings.Contains(got, r.rotation().rot.New.ID) {
		t.Fatalf("the management account's secret lacks the new credential: %q", got)
	}
}

// After a profile switch (P), a delivery goes to the new profile's stores:
// dev's secret gets the new credential, prod's keeps its placeholder. Without
// DeliverFor, a switch turns delivery off.
func TestProfileSwitchDeliversInTheNewAccount(t *testing.T) {
	t.Parallel()
	prod := newEndpoint(t, "demo", localiam.Faults{}, false)
	dev := newEndpoint(t, "demo", localiam.Faults{}, false)
	placeholder := prod.secretAt(t, "AWSCURRENT")
	o := testOptions(prod, &memClipboard{})
	o.Profile = "prod"
	o.Profiles = func() ([]string, error) { return []string{"dev", "prod"}, nil }
	o.SwitchProfile = func(ctx context.Context, name string) (IAM, model.Identity, error) {
		id, err := dev.client.Identity(ctx)
		return dev.client, id, err
	}
	o.Deliver = testDeliverer(prod.client)
	o.DeliverFor = func(c IAM) Deliverer { return testDeliverer(c.(*awsclient.Client)) }
	o.DeliveryRules = []model.DeliveryRule{{User: "mateo", Service: "git", To: demoSecret}}
	d := newDriver(t, New(o), 120, 36)
	d.settle()
	d.keys("P", "up", "enter")
	if d.m.acct.client != IAM(dev.client) {
		t.Fatalf("no switch to dev:\n%s", screenText(d.m))
	}
	d.rotate("mateo", isActive)
	d.keys("enter")
	r := d.rotation()
	if got := dev.secretAt(t, "AWSCURRENT"); r.phase != rotDeactivate || !strings.Contains(got, r.rot.New.ID) {
		t.Fatalf("dev's secret lacks the new credential (phase %v): %q", r.phase, got)
	}
	if got := prod.secretAt(t, "AWSCURRENT"); got != placeholder {
		t.Fatalf("prod's secret changed: %q", got)
	}
	d.m.opts.DeliverFor = nil
	d.keys("esc", "enter", "P", "down", "enter")
	if !d.m.dialogs.empty() {
		t.Fatalf("no second switch:\n%s", screenText(d.m))
	}
	if d.m.canDeliver() {
		t.Fatal("a switch without DeliverFor left delivery on")
	}
}

// The rotation's plan with a target, at 40 columns, once the target's check
// has passed.
func TestGoldenNarrow40RotateDeliver(t *testing.T) {
	t.Parallel()
	g := newGoldenRun(t, goldenSetup{w: 40, h: 30})
	g.m.opts.Deliver = testDeliverer(g.e.client)
	g.m.opts.DeliveryRules = []model.DeliveryRule{{User: "mateo", Service: "git", To: demoSecret}}
	g.to("mateo")
	g.keys("enter", "R")
	g.golden(g.final())
}
