package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"iamcreds/awsclient/localiam"
	"iamcreds/model"
)

// The rotation dialog (R), driven key by key against the local endpoint; after
// each step the endpoint is read through the SDK.

// rotation is the open rotation dialog, wherever it sits in the stack.
func (d *driver) rotation() *rotateDialog {
	d.t.Helper()
	for _, x := range d.m.dialogs.open {
		if a, ok := x.(*accountDialog); ok {
			x = a.inner // a rotation in another account (the organization view)
		}
		if r, ok := x.(*rotateDialog); ok {
			return r
		}
	}
	d.t.Fatalf("no rotation dialog:\n%s", screenText(d.m))
	return nil
}

// rotationSays fails unless the rotation dialog, drawn wide so that nothing
// wraps, says each of parts (runs of spaces count as one).
func (d *driver) rotationSays(parts ...string) {
	d.t.Helper()
	text := strings.Join(strings.Fields(ansi.Strip(d.rotation().View(1000, 200))), " ")
	for _, p := range parts {
		if !strings.Contains(text, p) {
			d.t.Fatalf("the rotation dialog lacks %q:\n%s", p, screenText(d.m))
		}
	}
}

// rotate selects user's credential matching and presses R.
func (d *driver) rotate(user string, match func(model.Credential) bool) model.Credential {
	d.t.Helper()
	d.selectUser(user)
	d.keys("enter")
	c := d.selectCred(match)
	d.keys("R")
	return c
}

// typeProof types the last 4 characters of id.
func (d *driver) typeProof(id string) {
	d.t.Helper()
	for _, r := range model.DeleteProof(id) {
		d.keys(string(r))
	}
}

// handOver copies the new secret in the modal over the rotation and closes it.
func (d *driver) handOver() {
	d.t.Helper()
	if _, ok := d.m.dialogs.top().(handOver); !ok {
		d.t.Fatalf("the secret modal is not over the rotation:\n%s", screenText(d.m))
	}
	d.keys("c", "enter")
}

// toInUse rotates mateo's one Git credential up to step 4: the new one
// created, its secret copied and the modal closed.
func (d *driver) toInUse() model.Credential {
	d.t.Helper()
	old := d.rotate("mateo", isActive)
	d.keys("enter")
	d.handOver()
	return old
}

func byID(cs []model.Credential, id string) (model.Credential, bool) {
	for _, c := range cs {
		if c.ID == id {
			return c, true
		}
	}
	return model.Credential{}, false
}

func isActive(c model.Credential) bool   { return c.Status == model.Active }
func isInactive(c model.Credential) bool { return c.Status == model.Inactive }

// The whole plan for mateo's one Git credential: create, hand over, deactivate,
// delete; the endpoint agrees after each step, and the secret in the modal is
// the one IAM returned.
func TestRotateCompletePlan(t *testing.T) {
	t.Parallel()
	d, e, mem := start(t, localiam.Faults{}, false)
	old := d.rotate("mateo", isActive)
	r := d.rotation()
	if r.phase != rotCreate || len(r.rot.Plan.Steps()) != 4 {
		t.Fatalf("phase %v, steps %v", r.phase, r.rot.Plan.Steps())
	}
	d.rotationSays("Rotate mateo's Git credential", "▸ 2. Create a new CodeCommit credential", "· 5. Delete the old one")

	d.keys("enter") // step 2
	creds := e.creds(t, "mateo")
	if len(creds) != 2 || r.rot.New.ID == "" {
		t.Fatalf("after step 2: %+v", creds)
	}
	fresh, ok := byID(creds, r.rot.New.ID)
	if !ok || fresh.Status != model.Active {
		t.Fatalf("the new credential %s is not on the endpoint: %+v", r.rot.New.ID, creds)
	}
	mustContain(t, d.m, "New Git password for mateo")

	secret := d.m.dialogs.top().(handOver).secret.Reveal()
	d.handOver() // step 3
	if secret == "" || mem.Text() != secret || r.phase != rotDeactivate {
		t.Fatalf("step 3: the clipboard does not hold the new secret, or phase %v", r.phase)
	}
	d.rotationSays("✓ 3. Save the new password", "Step 4: is the new one in use?", "[▸Later◂]")

	d.keys("tab", "enter") // step 4
	if c, _ := byID(e.creds(t, "mateo"), old.ID); c.Status != model.Inactive {
		t.Fatalf("after step 4 the old one is %s", c.Status)
	}
	d.rotationSays("Step 5: delete the old one", "keep it Inactive")

	d.typeProof(old.ID)
	d.keys("enter") // step 5
	creds = e.creds(t, "mateo")
	if len(creds) != 1 || creds[0].ID != r.rot.New.ID || creds[0].Status != model.Active {
		t.Fatalf("after step 5: %+v", creds)
	}
	d.rotationSays("Rotation complete", "old "+old.ID+": deleted", "the rotation is complete")
	d.keys("enter")
	if !d.m.dialogs.empty() {
		t.Fatal("enter did not close the finished rotation")
	}
	mustContain(t, d.m, "Rotated mateo's Git credential")
}

// Step 1: sofia holds 2 Git credentials, the other Inactive; it goes only with
// its last 4, and leaving after it says there is room now.
func TestRotateDeletesInactiveOtherFirst(t *testing.T) {
	t.Parallel()
	d, e, _ := start(t, localiam.Faults{}, false)
	d.rotate("sofia", isActive)
	r := d.rotation()
	other := r.rot.Plan.Other
	if r.phase != rotDeleteOther || other.Status != model.Inactive {
		t.Fatalf("phase %v, other %+v", r.phase, other)
	}
	d.rotationSays("1. Delete the other CodeCommit credential, "+other.ID, "[ Delete ]")
	d.keys("enter")
	d.rotationSays("Type " + model.DeleteProof(other.ID) + ", the last 4 characters")
	d.keys("Z", "Z", "Z", "Z", "enter")
	if len(e.creds(t, "sofia")) != 2 || r.busy {
		t.Fatal("deleted with a wrong proof")
	}
	d.keys("backspace", "backspace", "backspace", "backspace")
	d.typeProof(strings.ToLower(other.ID))
	d.keys("enter")
	if _, ok := byID(e.creds(t, "sofia"), other.ID); ok || r.phase != rotCreate {
		t.Fatalf("step 1: other still there, or phase %v", r.phase)
	}
	d.keys("esc") // leave at step 2, after step 1
	if r.phase != rotEnded {
		t.Fatalf("esc after a change should show the state, phase %v", r.phase)
	}
	d.rotationSays("Left at step 2", "other "+other.ID+": deleted (it was Inactive)", "new: none created",
		"rotate again (there is room for one now)")
}

// Rotating the Inactive one of an Inactive and an Active pair stops at once,
// saying why, and changes nothing.
func TestRotateStopsWhenTheOtherIsActive(t *testing.T) {
	t.Parallel()
	d, e, _ := start(t, localiam.Faults{}, false)
	before := e.creds(t, "sofia")
	d.rotate("sofia", isInactive)
	if r := d.rotation(); r.phase != rotStopped {
		t.Fatalf("phase %v", r.phase)
	}
	d.rotationSays("✗ Cannot rotate: sofia already has 2 CodeCommit credentials", "Rotate the Active one instead", "Nothing was changed")
	d.keys("enter")
	mustContain(t, d.m, "Not rotated:")
	if after := e.creds(t, "sofia"); len(after) != len(before) || !d.m.dialogs.empty() {
		t.Fatalf("changed: %+v", after)
	}
}

// Leaving at each step leaves what the dialog says, and the endpoint agrees.
func TestRotateLeaveAtEachStep(t *testing.T) {
	t.Parallel()
	t.Run("step 1", func(t *testing.T) {
		t.Parallel()
		d, e, _ := start(t, localiam.Faults{}, false)
		d.rotate("sofia", isActive)
		d.keys("esc")
		if !d.m.dialogs.empty() || len(e.creds(t, "sofia")) != 2 {
			t.Fatal("leaving step 1 changed something or stayed open")
		}
		mustContain(t, d.m, "Rotation cancelled: nothing was changed")
	})
	t.Run("step 2", func(t *testing.T) {
		t.Parallel()
		d, e, _ := start(t, localiam.Faults{}, false)
		d.rotate("mateo", isActive)
		d.keys("esc")
		if !d.m.dialogs.empty() || len(e.creds(t, "mateo")) != 1 {
			t.Fatal("leaving step 2 changed something or stayed open")
		}
		mustContain(t, d.m, "Rotation cancelled: nothing was changed")
	})
	t.Run("step 3 without saving", func(t *testing.T) {
		t.Parallel()
		d, e, _ := start(t, localiam.Faults{}, false)
		old := d.rotate("mateo", isActive)
		d.keys("enter", "esc", "y") // close the secret without saving
		r := d.rotation()
		if r.phase != rotNotSaved || r.rot.SecretSaved {
			t.Fatalf("phase %v saved %v", r.phase, r.rot.SecretSaved)
		}
		d.rotationSays("was closed without being saved", "reset "+r.rot.New.ID+" to get another, or delete it", "[▸Leave◂]")
		d.keys("enter")
		d.rotationSays("Left at step 3", "new "+r.rot.New.ID+": Active, but its password was not saved", "old "+old.ID+": Active")
		if c, _ := byID(e.creds(t, "mateo"), old.ID); len(e.creds(t, "mateo")) != 2 || c.Status != model.Active {
			t.Fatal("the endpoint disagrees with the state shown")
		}
	})
	t.Run("step 4", func(t *testing.T) {
		t.Parallel()
		d, e, _ := start(t, localiam.Faults{}, false)
		old := d.toInUse()
		d.keys("enter") // Later, the default
		d.rotationSays("Left at step 4", "old "+old.ID+": Active", "until then mateo holds two Active CodeCommit credentials (flagged two-active)")
		for _, c := range e.creds(t, "mateo") {
			if c.Status != model.Active {
				t.Fatalf("%s is %s", c.ID, c.Status)
			}
		}
		d.keys("enter", "a", "?") // the fleet view flags the two, and its legend says what to do
		for _, row := range d.m.fleet.all {
			if row.UserName == "mateo" && row.Flags&model.FlagTwoActive == 0 {
				t.Fatalf("%s not flagged two-active: %v", row.ID, row.Flags.Names())
			}
		}
		mustContain(t, d.m, "two-active  two Active credentials of one service: rotation")
	})
	t.Run("step 5", func(t *testing.T) {
		t.Parallel()
		d, e, _ := start(t, localiam.Faults{}, false)
		old := d.toInUse()
		d.keys("tab", "enter", "enter") // deactivate, then keep it (empty input)
		d.rotationSays("Left at step 5", "old "+old.ID+": Inactive", "Once nothing has needed the old one")
		if c, ok := byID(e.creds(t, "mateo"), old.ID); !ok || c.Status != model.Inactive {
			t.Fatalf("the old one should be kept Inactive: %+v", c)
		}
	})
}

// A failure at each step shows in the dialog with the state named, and the
// endpoint holds that state.
func TestRotateFailureAtEachStep(t *testing.T) {
	t.Parallel()
	denied := func(action string) localiam.Faults { return localiam.Faults{Deny: []string{action}} }
	t.Run("step 1 denied", func(t *testing.T) {
		t.Parallel()
		d, e, _ := start(t, denied("DeleteServiceSpecificCredential"), false)
		d.rotate("sofia", isActive)
		other := d.rotation().rot.Plan.Other
		d.typeProof(other.ID)
		d.keys("enter")
		d.rotationSays("✗ Step 1 (delete the other credential) failed:", "(AccessDenied)", "new: none created", "Nothing was changed.")
		if len(e.creds(t, "sofia")) != 2 {
			t.Fatal("the endpoint changed")
		}
	})
	t.Run("step 2 denied", func(t *testing.T) {
		t.Parallel()
		d, e, _ := start(t, denied("CreateServiceSpecificCredential"), false)
		d.rotate("mateo", isActive)
		d.keys("enter")
		d.rotationSays("✗ Step 2 (create the new credential) failed:", "(AccessDenied)", "new: none created")
		if len(e.creds(t, "mateo")) != 1 {
			t.Fatal("the endpoint changed")
		}
	})
	t.Run("step 2 limit exceeded", func(t *testing.T) {
		t.Parallel()
		d, e, _ := start(t, localiam.Faults{}, false)
		old := d.rotate("mateo", isActive)
		// A second create races the dialog's: IAM's limit answers.
		if _, _, err := e.client.CreateCredential(context.Background(), "mateo", model.CodeCommit, 0); err != nil {
			t.Fatal(err)
		}
		d.keys("enter")
		d.rotationSays("✗ Step 2 (create the new credential) failed: mateo already has 2 CodeCommit credentials", "(LimitExceeded)",
			"new: none created", "old "+old.ID+": Active")
		if len(e.creds(t, "mateo")) != 2 {
			t.Fatal("the endpoint should hold the racing one and the old one")
		}
	})
	t.Run("step 4 denied", func(t *testing.T) {
		t.Parallel()
		d, e, _ := start(t, denied("UpdateServiceSpecificCredential"), false)
		old := d.toInUse()
		d.keys("tab", "enter")
		r := d.rotation()
		d.rotationSays("✗ Step 4 (deactivate the old credential) failed:", "(AccessDenied)",
			"new "+r.rot.New.ID+": Active, its password saved", "old "+old.ID+": Active", "flagged two-active")
		if c, _ := byID(e.creds(t, "mateo"), old.ID); c.Status != model.Active {
			t.Fatal("the endpoint changed")
		}
		d.keys("enter")
		mustContain(t, d.m, "stopped at step 4")
	})
	t.Run("step 5 denied", func(t *testing.T) {
		t.Parallel()
		d, e, _ := start(t, denied("DeleteServiceSpecificCredential"), false)
		old := d.toInUse()
		d.keys("tab", "enter")
		d.typeProof(old.ID)
		d.keys("enter")
		d.rotationSays("✗ Step 5 (delete the old credential) failed:", "(AccessDenied)", "old "+old.ID+": Inactive")
		if c, ok := byID(e.creds(t, "mateo"), old.ID); !ok || c.Status != model.Inactive {
			t.Fatal("the endpoint disagrees")
		}
	})
}

// An API key gets the old one's lifetime unless another is chosen; one whose
// old key never expired must be given one, and never is only ever a choice.
func TestRotateAPIKeyLifetime(t *testing.T) {
	t.Parallel()
	d, e, _ := start(t, localiam.Faults{}, false)
	old := d.rotate("priya", func(c model.Credential) bool { return c.Service == model.Bedrock })
	d.rotationSays("lasting 30 days, as the old one did", "▸ 30 days, as the old one")
	d.keys("down", "down", "enter") // 5 days
	r := d.rotation()
	fresh, ok := byID(e.creds(t, "priya"), r.rot.New.ID)
	if !ok || !fresh.Expires.Equal(fresh.Created.Add(5*24*time.Hour)) {
		t.Fatalf("the new key: %+v", fresh)
	}
	if old.ID == fresh.ID {
		t.Fatal("no new key")
	}

	d2, e2, _ := start(t, localiam.Faults{}, false)
	d2.rotate("amara", isActive) // her key never expires
	d2.rotationSays("the old one never expires, so choose how long the new one lasts", "▸ 30 days")
	mustNotContain(t, d2.m, "as the old one")
	d2.keys("down", "down", "down", "down")
	d2.rotationSays("▸ Never — not recommended", "A key that never expires stays valid")
	d2.keys("up", "up", "up", "up", "enter")
	r2 := d2.rotation()
	fresh2, _ := byID(e2.creds(t, "amara"), r2.rot.New.ID)
	if !fresh2.Expires.Equal(fresh2.Created.Add(30 * 24 * time.Hour)) {
		t.Fatalf("amara's new key: %+v", fresh2)
	}
}

// R works on the fleet view's row the same way.
func TestRotateFromFleet(t *testing.T) {
	t.Parallel()
	d, _, _ := start(t, localiam.Faults{}, false)
	d.keys("a", "/", "m", "a", "t", "e", "o", "enter", "R")
	r := d.rotation()
	if r.old.UserName != "mateo" || r.phase != rotCreate {
		t.Fatalf("rotating %s at %v", r.old.UserName, r.phase)
	}
}

// ctrl+c with the unsaved new secret over the rotation asks; yes quits, though
// the rotation dialog is under it.
func TestRotateQuitFromHandOver(t *testing.T) {
	t.Parallel()
	d, _, _ := start(t, localiam.Faults{}, false)
	d.rotate("mateo", isActive)
	d.keys("enter", "ctrl+c")
	if d.Quit() {
		t.Fatal("quit with an unsaved secret")
	}
	mustContain(t, d.m, "Quit without saving?")
	d.keys("y")
	if !d.Quit() {
		t.Fatalf("y should quit:\n%s", screenText(d.m))
	}
}

// esc while a step's write is in flight leaves; the write finishes, and a new
// secret still shows.
func TestRotateLeaveWhileCreating(t *testing.T) {
	t.Parallel()
	d, _, _ := start(t, localiam.Faults{}, false)
	d.rotate("mateo", isActive)
	holdMsgs[createdMsg](d)
	d.keys("enter")
	d.rotationSays("Step 2: create the new credential…")
	d.keys("esc")
	if !d.m.dialogs.empty() {
		t.Fatal("esc did not leave")
	}
	mustContain(t, d.m, "Left the rotation while step 2 (create the new credential) runs")
	d.Release()
	d.settle()
	if _, ok := d.m.dialogs.top().(handOver); !ok {
		t.Fatalf("the new secret is not shown:\n%s", screenText(d.m))
	}
}

// The rotation fits any window, at each kind of step.
func TestRotateFitsAnySize(t *testing.T) {
	t.Parallel()
	d, _, _ := start(t, localiam.Faults{}, false)
	d.rotate("sofia", isActive)
	d.fitsEverySize("step 1")
	d.typeProof(d.rotation().rot.Plan.Other.ID)
	d.keys("enter")
	d.fitsEverySize("step 2")
	d.keys("enter")
	d.fitsEverySize("step 3")
	d.handOver()
	d.fitsEverySize("step 4")
	d.keys("esc")
	d.fitsEverySize("left")
	d.keys("enter")
	d.rotate("priya", isBedrock)
	d.fitsEverySize("step 2 of an API key")
}

// A lost reply at each step: a credential that appeared is named, of unknown
// origin; one a reply named without its secret is the new one, its secret
// lost; a create nobody can confirm says so; a
// deactivation or a delete that took effect goes on as if the reply had come.
func TestRotateLostReplyAtEachStep(t *testing.T) {
	t.Parallel()
	lose := func(action string) localiam.Faults { return localiam.Faults{DropReply: map[string]int{action: 1}} }
	t.Run("step 1", func(t *testing.T) {
		t.Parallel()
		d, e, _ := start(t, localiam.Faults{}, false)
		d.rotate("sofia", isActive)
		other := d.rotation().rot.Plan.Other
		e.srv.SetFaults(lose("DeleteServiceSpecificCredential"))
		d.typeProof(other.ID)
		d.keys("enter")
		if _, ok := byID(e.creds(t, "sofia"), other.ID); ok || d.rotation().phase != rotCreate {
			t.Fatalf("step 1 with its reply lost: phase %v\n%s", d.rotation().phase, screenText(d.m))
		}
	})
	t.Run("step 2 appeared", func(t *testing.T) {
		t.Parallel()
		d, e, _ := start(t, lose("CreateServiceSpecificCredential"), false)
		old := d.rotate("mateo", isActive)
		d.keys("enter")
		r := d.rotation()
		creds := e.creds(t, "mateo")
		if len(creds) != 2 || r.rot.Created() || len(r.rot.Appeared) != 1 {
			t.Fatalf("the dialog took %q for its own; the endpoint holds %+v", r.rot.New.ID, creds)
		}
		appeared := r.rot.Appeared[0]
		if _, ok := byID(creds, appeared.ID); !ok || appeared.ID == old.ID {
			t.Fatalf("the dialog names %q; the endpoint holds %+v", appeared.ID, creds)
		}
		d.rotationSays("? Step 2 (create the new credential): outcome unknown (",
			"new: unknown: "+appeared.ID+" appeared for mateo while the create's reply was lost; it may be this rotation's or someone else's",
			"If nobody else created it, reset it")
		if _, ok := byID(cached(d.m, "mateo"), appeared.ID); !ok || !d.m.lost.empty() {
			t.Fatal("the new credential is not listed in the UI, or is marked as ours")
		}
	})
	t.Run("step 2 reply without secret", func(t *testing.T) {
		t.Parallel()
		d, e, _ := start(t, localiam.Faults{}, false)
		d.rotate("mateo", isActive)
		e.setProxy(stripSecrets)
		d.keys("enter")
		r := d.rotation()
		orphan, ok := byID(e.creds(t, "mateo"), r.rot.New.ID)
		if !ok || !r.rot.SecretLost {
			t.Fatalf("the dialog names %q", r.rot.New.ID)
		}
		d.rotationSays("✗ Step 2 (create the new credential) failed: IAM created "+orphan.ID,
			"new "+orphan.ID+": Active, but its reply lacked the password",
			"reset "+orphan.ID+" to get another, or delete it")
	})
	t.Run("step 2 unknown", func(t *testing.T) {
		t.Parallel()
		d, e, _ := start(t, localiam.Faults{}, false)
		d.rotate("mateo", isActive)
		// The reply is lost and no listing can tell what happened.
		f := lose("CreateServiceSpecificCredential")
		f.Deny = []string{"ListServiceSpecificCredentials"}
		e.srv.SetFaults(f)
		d.keys("enter")
		if model.KindOf(d.rotation().why) != model.KindUnconfirmed {
			t.Fatalf("want an unconfirmed create, got %v", d.rotation().why)
		}
		d.rotationSays("? Step 2 (create the new credential): outcome unknown (", "ctrl+r lists mateo's credentials again",
			"new: unknown: IAM may have created one")
	})
	t.Run("step 4", func(t *testing.T) {
		t.Parallel()
		d, e, _ := start(t, localiam.Faults{}, false)
		old := d.toInUse()
		e.srv.SetFaults(lose("UpdateServiceSpecificCredential"))
		d.keys("tab", "enter")
		if c, _ := byID(e.creds(t, "mateo"), old.ID); c.Status != model.Inactive || d.rotation().phase != rotDeleteOld {
			t.Fatalf("step 4 with its reply lost: %s, phase %v", c.Status, d.rotation().phase)
		}
	})
	t.Run("step 5", func(t *testing.T) {
		t.Parallel()
		d, e, _ := start(t, localiam.Faults{}, false)
		old := d.toInUse()
		d.keys("tab", "enter")
		e.srv.SetFaults(lose("DeleteServiceSpecificCredential"))
		d.typeProof(old.ID)
		d.keys("enter")
		if _, ok := byID(e.creds(t, "mateo"), old.ID); ok || !d.rotation().rot.OldDeleted {
			t.Fatalf("step 5 with its reply lost:\n%s", screenText(d.m))
		}
		d.rotationSays("Rotation complete")
	})
}
