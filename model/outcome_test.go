package model

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// A step whose write may have happened is unknown: State and Next say so, and
// say what to check; never "Nothing was changed" nor "none created".
func TestRotationUnknownOutcomes(t *testing.T) {
	old, other := cred("OLD1", CodeCommit, Active, 200), cred("OTH2", CodeCommit, Inactive, 500)
	p, err := PlanRotation(old, []Credential{old, other}, rotNow)
	if err != nil {
		t.Fatal(err)
	}
	newCred, theirs := cred("NEW3", CodeCommit, Active, 0), cred("THEIR", CodeCommit, Active, 0)
	unknown := &Error{Kind: KindUnconfirmed, Message: "may have", User: "sofia", Service: CodeCommit}
	appeared := &Error{Kind: KindUnconfirmed, Message: "may have", User: "sofia", Service: CodeCommit,
		Appeared: []string{theirs.ID}, Listed: []Credential{old, theirs}}
	failed := func(pre func(*Rotation), step RotationStep, err error) Rotation {
		r := p.Start()
		if pre != nil {
			pre(&r)
		}
		r.Failed(step, err)
		return r
	}
	saved := func(r *Rotation) { r.OtherDeleted, r.New, r.SecretSaved = true, newCred, true }
	for _, tc := range []struct {
		name  string
		r     Rotation
		step  RotationStep
		state []string
		next  string
	}{
		{"step 1 unknown", failed(nil, StepDeleteOther, unknown), StepDeleteOther,
			[]string{"other " + other.ID + ": unknown: its delete's reply was lost, so it may be deleted or still Inactive", "new: none created"},
			"Check sofia's credentials: " + other.ID + " may have been deleted"},
		{"step 2 unknown, listing lost", failed(func(r *Rotation) { r.OtherDeleted = true }, StepCreate, unknown), StepCreate,
			[]string{"new: unknown: IAM may have created one"}, "Check sofia's CodeCommit credentials: delete any new one nobody has the password of"},
		{"step 2 unknown, one appeared", failed(nil, StepCreate, appeared), StepCreate,
			[]string{"new: unknown: " + theirs.ID + " appeared for sofia while the create's reply was lost; it may be this rotation's or someone else's, and was left alone"},
			"Check sofia's credentials: " + theirs.ID + " exists, and may be this rotation's or someone else's"},
		{"step 4 unknown", failed(saved, StepDeactivateOld, unknown), StepDeactivateOld,
			[]string{"old " + old.ID + ": unknown: its deactivation's reply was lost, so it may be Inactive or still Active"},
			"Check sofia's credentials: " + old.ID + " may be Inactive now"},
		{"step 5 unknown", failed(func(r *Rotation) { saved(r); r.OldStatus = Inactive }, StepDeleteOld, unknown), StepDeleteOld,
			[]string{"old " + old.ID + ": unknown: its delete's reply was lost, so it may be deleted or still Inactive"},
			"Check sofia's credentials: " + old.ID + " may have been deleted"},
	} {
		state := strings.Join(tc.r.State(), "\n")
		for _, want := range tc.state {
			if !strings.Contains(state, want) {
				t.Errorf("%s: state\n%s\nlacks %q", tc.name, state, want)
			}
		}
		if !strings.Contains(tc.r.Next(), tc.next) || !tc.r.Changed() || tc.r.Outcome(tc.step) != OutcomeUnknown {
			t.Errorf("%s: next %q (want %q), changed %v, outcome %s", tc.name, tc.r.Next(), tc.next, tc.r.Changed(), tc.r.Outcome(tc.step))
		}
		if strings.Contains(tc.r.Next(), "Nothing was changed") || tc.step <= StepCreate && tc.r.Created() {
			t.Errorf("%s: %q, created %v", tc.name, tc.r.Next(), tc.r.Created())
		}
	}
	// Only a reply that names the new one makes it the rotation's.
	lost := &Error{Kind: KindSecretLost, ID: newCred.ID, Listed: []Credential{old, other, newCred}}
	if r := failed(nil, StepCreate, lost); r.New.ID != newCred.ID || !r.SecretLost || r.Outcome(StepCreate) != OutcomeDone {
		t.Errorf("secret lost: %+v", r)
	}
	if got := (p.Start()).Outcome(StepCreate); got != OutcomeNotDone {
		t.Errorf("not tried: %s", got)
	}
}

// The JSON report gives each step's outcome, an old one of unknown status as
// "unknown", and what appeared as such.
func TestRotationJSONOutcomes(t *testing.T) {
	old := cred("OLD1", CodeCommit, Active, 200)
	p, _ := PlanRotation(old, []Credential{old}, rotNow)
	r := p.Start()
	r.New, r.SecretSaved = cred("NEW3", CodeCommit, Active, 0), true
	r.Failed(StepDeactivateOld, &Error{Kind: KindUnconfirmed})
	var b bytes.Buffer
	if err := WriteRotationJSON(&b, RotationReport{Rotation: r, Result: RotationFailed, Step: StepDeactivateOld}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Step  struct{ Outcome string }
		Steps []struct {
			Number  int
			Outcome string
		}
		Old      struct{ Status string }
		Appeared []any
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	want := map[int]string{2: "done", 3: "done", 4: "unknown", 5: "not_done"}
	if len(doc.Steps) != 4 || doc.Step.Outcome != "unknown" || doc.Old.Status != "unknown" || doc.Appeared == nil {
		t.Fatalf("%+v\n%s", doc, b.String())
	}
	for _, s := range doc.Steps {
		if want[s.Number] != s.Outcome {
			t.Fatalf("step %d: %s\n%s", s.Number, s.Outcome, b.String())
		}
	}
}

// Before a destructive step, the listing just made must show what the plan or
// the confirmation did.
func TestRecheckBeforeDestructiveSteps(t *testing.T) {
	old, other := cred("OLD1", CodeCommit, Active, 200), cred("OTH2", CodeCommit, Inactive, 500)
	p, _ := PlanRotation(old, []Credential{old, other}, rotNow)
	r := p.Start()
	reactivated := other
	reactivated.Status = Active
	if err := r.Recheck(StepDeleteOther, []Credential{old, other}, rotNow); err != nil {
		t.Fatal(err)
	}
	kindAndText(t, r.Recheck(StepDeleteOther, []Credential{old, reactivated}, rotNow), KindChanged,
		"the other one, "+other.ID+", is Active now, not Inactive as planned", "Nothing was deleted")
	kindAndText(t, r.Recheck(StepDeleteOther, []Credential{old}, rotNow), KindChanged, other.ID+", no longer exists")
	kindAndText(t, r.Recheck(StepDeleteOther, []Credential{other}, rotNow), KindNotFound, old.ID+", no longer exists")

	newCred := cred("NEW3", CodeCommit, Active, 0)
	r.OtherDeleted, r.New, r.SecretSaved = true, newCred, true
	if err := r.Recheck(StepDeactivateOld, []Credential{old, newCred}, rotNow); err != nil {
		t.Fatal(err)
	}
	kindAndText(t, r.Recheck(StepDeactivateOld, []Credential{old}, rotNow), KindChanged, "the new one, "+newCred.ID+", no longer exists")
	r.OldStatus = Inactive
	kindAndText(t, r.Recheck(StepDeleteOld, []Credential{old, newCred}, rotNow), KindChanged,
		"the old one, "+old.ID+", is Active now, not Inactive", "Nothing was deleted")
	inactive := old
	inactive.Status = Inactive
	if err := r.Recheck(StepDeleteOld, []Credential{inactive, newCred}, rotNow); err != nil {
		t.Fatal(err)
	}
	r.Failed(StepDeleteOld, r.Recheck(StepDeleteOld, []Credential{old, newCred}, rotNow))
	if r.OldStatus != Active || r.Outcome(StepDeleteOld) != OutcomeNotDone {
		t.Fatalf("after a refusal the old one is %s", r.OldStatus)
	}

	// The single delete: a credential shown Inactive that is Active now stays.
	kindAndText(t, CheckDelete(other, []Credential{reactivated}, rotNow), KindChanged, "is Active now, not Inactive as when the delete was confirmed")
	kindAndText(t, CheckDelete(other, nil, rotNow), KindNotFound, "no longer exists")
	if CheckDelete(other, []Credential{other}, rotNow) != nil || CheckDelete(old, []Credential{old}, rotNow) != nil {
		t.Fatal("an unchanged credential was refused")
	}
}
