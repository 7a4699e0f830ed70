package model

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

var rotNow = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

// cred is one of sofia's credentials: id is its distinguishing tail.
func cred(id, service string, status Status, ageDays int) Credential {
	c := Credential{ID: "ACCA" + strings.Repeat("X", 17-len(id)) + id, UserName: "sofia", Service: service, Status: status,
		Created: rotNow.Add(-time.Duration(ageDays) * 24 * time.Hour)}
	if IsAPIKey(c) {
		c.Alias = "sofia-at-1"
	} else {
		c.ServiceUserName = "sofia-at-1"
	}
	return c
}

func expiring(c Credential, lifetime time.Duration) Credential {
	c.Expires = c.Created.Add(lifetime)
	return c
}

func kindAndText(t *testing.T, err error, kind ErrorKind, want ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %v", kind)
	}
	if KindOf(err) != kind {
		t.Fatalf("%v: kind %v, want %v", err, KindOf(err), kind)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Fatalf("%q lacks %q", err, w)
		}
	}
}

func TestPlanRotationAlone(t *testing.T) {
	old := cred("OLD1", CodeCommit, Active, 200)
	keys := cred("KEY1", Keyspaces, Active, 10) // another service: no bearing
	p, err := PlanRotation(old, []Credential{keys, old}, rotNow)
	if err != nil {
		t.Fatal(err)
	}
	if p.DeleteOther || p.HasOther || p.ChooseLifetime || p.LifetimeDays != 0 || p.OldStatus != Active {
		t.Fatalf("plan %+v", p)
	}
	if got := p.Steps(); !slices.Equal(got, []RotationStep{StepCreate, StepHandOver, StepDeactivateOld, StepDeleteOld}) {
		t.Fatalf("steps %v", got)
	}
	if d := p.Describe(StepCreate); d != "Create a new CodeCommit credential" {
		t.Errorf("create: %q", d)
	}
	for step, want := range map[RotationStep]string{
		StepHandOver: "Save the new password: IAM shows it only once", StepDeactivateOld: "(default: later)", StepDeleteOld: "(default: keep it Inactive)",
	} {
		if d := p.Describe(step); !strings.Contains(d, want) {
			t.Errorf("%v: %q lacks %q", step, d, want)
		}
	}
	if age, err := p.CreateAgeDays(); age != 0 || err != nil {
		t.Errorf("a password service: %d %v", age, err)
	}
}

// The listing decides, not the caller's copy: an old one deactivated meanwhile
// has no step 4.
func TestPlanRotationUsesTheListing(t *testing.T) {
	mine := cred("OLD1", CodeCommit, Active, 200)
	listed := mine
	listed.Status = Inactive
	p, err := PlanRotation(mine, []Credential{listed}, rotNow)
	if err != nil || p.OldStatus != Inactive || slices.Contains(p.Steps(), StepDeactivateOld) {
		t.Fatalf("plan %+v, steps %v, %v", p, p.Steps(), err)
	}
	_, err = PlanRotation(mine, []Credential{cred("ELSE", CodeCommit, Active, 1)}, rotNow)
	kindAndText(t, err, KindNotFound, "sofia has no CodeCommit credential "+mine.ID+" any more")
}

// Step 1: at 2 of 2, the other goes first when it is Inactive or Expired (by
// IAM's status or by its date), proven by its last 4.
func TestPlanRotationDeletesAnInactiveOrExpiredOther(t *testing.T) {
	old := cred("OLD1", Bedrock, Active, 20)
	old = expiring(old, 30*24*time.Hour)
	for name, other := range map[string]Credential{
		"inactive":           cred("OTH2", Bedrock, Inactive, 400),
		"expired by IAM":     cred("OTH2", Bedrock, Expired, 400),
		"past its date":      expiring(cred("OTH2", Bedrock, Active, 400), 24*time.Hour),
		"inactive, dateless": cred("OTH2", Bedrock, Inactive, 1),
	} {
		p, err := PlanRotation(old, []Credential{other, old}, rotNow)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !p.DeleteOther || !p.HasOther || p.Other.ID != other.ID || p.Steps()[0] != StepDeleteOther {
			t.Fatalf("%s: plan %+v steps %v", name, p, p.Steps())
		}
		if d := p.Describe(StepDeleteOther); !strings.Contains(d, other.ID+" ("+string(other.StatusAt(rotNow))+")") || !strings.Contains(d, "type OTH2") || p.OtherStatus == Active {
			t.Errorf("%s: %q", name, d)
		}
		if !ConfirmsDelete(p.Other.ID, " oth2 ") || ConfirmsDelete(p.Other.ID, "OLD1") || ConfirmsDelete(p.Other.ID, "") {
			t.Errorf("%s: the proof is the other's last 4", name)
		}
	}
}

func TestPlanRotationStopsAtAnActiveOther(t *testing.T) {
	old := cred("OLD1", CodeCommit, Active, 200)
	other := cred("NEW2", CodeCommit, Active, 2)
	_, err := PlanRotation(old, []Credential{old, other}, rotNow)
	kindAndText(t, err, KindLimit, "already has 2 CodeCommit credentials and both are Active", "rotation is in progress", old.ID, other.ID)
	var e *Error
	if !errors.As(err, &e) || e.ID != other.ID || e.User != "sofia" || e.Service != CodeCommit {
		t.Errorf("error fields %+v", e)
	}
	// Rotating the Inactive one of an Active pair: rotate the Active one instead.
	inactive := cred("OLD1", CodeCommit, Inactive, 800)
	_, err = PlanRotation(inactive, []Credential{inactive, other}, rotNow)
	kindAndText(t, err, KindLimit, inactive.ID+" is Inactive and the other, "+other.ID+", is Active", "Rotate the Active one instead")
	// More than IAM allows (a listing IAM should never give).
	_, err = PlanRotation(old, []Credential{old, other, cred("THR3", CodeCommit, Inactive, 1)}, rotNow)
	kindAndText(t, err, KindLimit, "holds 3 CodeCommit credentials, more than IAM's 2")
}

// An API key gets the lifetime the old one was created with; a key that never
// expired makes the person choose; "never" only by choice.
func TestRotationLifetime(t *testing.T) {
	key := expiring(cred("OLD1", Bedrock, Active, 20), 30*24*time.Hour)
	p, err := PlanRotation(key, []Credential{key}, rotNow)
	if err != nil || p.LifetimeDays != 30 || p.ChooseLifetime {
		t.Fatalf("plan %+v %v", p, err)
	}
	if d := p.Describe(StepCreate); d != "Create a new Bedrock API key lasting 30 days, as the old one did" {
		t.Errorf("describe %q", d)
	}
	if p, err = p.WithLifetime(90); err != nil || p.LifetimeDays != 90 || p.Describe(StepCreate) != "Create a new Bedrock API key lasting 90 days" {
		t.Errorf("adjusted: %+v %v %q", p, err, p.Describe(StepCreate))
	}

	never := cred("OLD1", Logs, Active, 20)
	p, _ = PlanRotation(never, []Credential{never}, rotNow)
	if !p.ChooseLifetime || !strings.Contains(p.Describe(StepCreate), "choose how long") {
		t.Fatalf("a key without expiry: %+v", p)
	}
	_, err = p.CreateAgeDays()
	kindAndText(t, err, KindInvalid, "the old Logs API key never expires: choose")
	chosen, err := p.WithLifetime(0)
	if age, cerr := chosen.CreateAgeDays(); err != nil || cerr != nil || age != 0 || !strings.Contains(chosen.Describe(StepCreate), "never expires (as chosen)") {
		t.Errorf("never, chosen: %d %v %v", age, err, cerr)
	}
	if _, err := p.WithLifetime(MaxAgeDays + 1); KindOf(err) != KindInvalid {
		t.Errorf("36601 days: %v", err)
	}
	git := cred("OLD1", CodeCommit, Active, 20)
	gp, _ := PlanRotation(git, []Credential{git}, rotNow)
	if _, err := gp.WithLifetime(30); err == nil || !strings.Contains(err.Error(), "CodeCommit credentials do not expire") {
		t.Errorf("a lifetime for a password: %v", err)
	}

	for _, tc := range []struct {
		c    Credential
		days int
		ok   bool
	}{
		{expiring(key, 30*24*time.Hour+time.Second), 30, true},
		{expiring(key, 30*24*time.Hour-time.Hour), 30, true}, // IAM's whole days, read back to the nearest
		{expiring(key, time.Hour), 1, true},
		{expiring(key, 40000*24*time.Hour), MaxAgeDays, true},
		{Credential{Service: Bedrock, Expires: rotNow}, 0, false},                       // no creation date
		{expiring(key, -time.Hour), 0, false},                                           // expiry before creation
		{Credential{Service: "x.amazonaws.com", Alias: "a", Created: rotNow}, 0, false}, // an unknown API-key service
		{Credential{Service: Keyspaces}, 0, true},
	} {
		if days, ok := RotationLifetime(tc.c); days != tc.days || ok != tc.ok {
			t.Errorf("%s %v→%v: %d %v, want %d %v", tc.c.Service, tc.c.Created, tc.c.Expires, days, ok, tc.days, tc.ok)
		}
	}
}

func TestPickRotationTarget(t *testing.T) {
	active, inactive := cred("ACT1", CodeCommit, Active, 30), cred("INA2", CodeCommit, Inactive, 300)
	other := cred("KEY3", Keyspaces, Active, 30)
	if c, err := PickRotationTarget("sofia", CodeCommit, []Credential{other, active}, rotNow); err != nil || c.ID != active.ID {
		t.Errorf("the only one: %v %v", c.ID, err)
	}
	if c, err := PickRotationTarget("sofia", CodeCommit, []Credential{inactive, active}, rotNow); err != nil || c.ID != active.ID {
		t.Errorf("the only Active one: %v %v", c.ID, err)
	}
	_, err := PickRotationTarget("sofia", CodeCommit, []Credential{other}, rotNow)
	kindAndText(t, err, KindNotFound, "sofia has no CodeCommit credential to rotate")
	_, err = PickRotationTarget("sofia", CodeCommit, []Credential{active, cred("ACT2", CodeCommit, Active, 1)}, rotNow)
	kindAndText(t, err, KindLimit, "both are Active")
	_, err = PickRotationTarget("sofia", CodeCommit, []Credential{inactive, cred("EXP3", CodeCommit, Expired, 1)}, rotNow)
	kindAndText(t, err, KindInvalid, "none is Active", inactive.ID+" (Inactive)", "(Expired)", "by its ID")
}

func TestDeleteProof(t *testing.T) {
	if DeleteProof("ACCAEXAMPLE123EXAMPLE") != "MPLE" || DeleteProof("AB") != "AB" {
		t.Error("the proof is the last 4")
	}
	if !ConfirmsDelete("ACCAEXAMPLE123EXAMPLE", "mple") || ConfirmsDelete("ABC", "ABC") || ConfirmsDelete("ACCAEXAMPLE123EXAMPLE", "MPL") {
		t.Error("ConfirmsDelete")
	}
}

// Every way a rotation can stand has its state and its next step.
func TestRotationStateAndNext(t *testing.T) {
	old, other := cred("OLD1", CodeCommit, Active, 200), cred("OTH2", CodeCommit, Inactive, 500)
	p, err := PlanRotation(old, []Credential{old, other}, rotNow)
	if err != nil {
		t.Fatal(err)
	}
	newCred := cred("NEW3", CodeCommit, Active, 0)
	step := func(f func(*Rotation)) Rotation { r := p.Start(); f(&r); return r }
	for _, tc := range []struct {
		name    string
		r       Rotation
		changed bool
		state   []string
		next    string
	}{
		{"not started", p.Start(), false,
			[]string{"new: none created", "old " + old.ID + ": Active"}, "Nothing was changed."},
		{"room made", step(func(r *Rotation) { r.OtherDeleted = true }), true,
			[]string{"other " + other.ID + ": deleted (it was Inactive)", "new: none created", "old " + old.ID + ": Active"}, "rotate again (there is room"},
		{"created, secret lost", step(func(r *Rotation) { r.New = newCred }), true,
			[]string{"new " + newCred.ID + ": Active, but its password was not saved"}, "password is lost: reset " + newCred.ID},
		{"created, taken back", step(func(r *Rotation) { r.New, r.NewDeleted = newCred, true }), true,
			[]string{"new " + newCred.ID + ": created, then deleted again"}, "Nothing new exists and the old one still works"},
		{"handed over", step(func(r *Rotation) { r.New, r.SecretSaved = newCred, true }), true,
			[]string{"new " + newCred.ID + ": Active, its password saved", "old " + old.ID + ": Active"}, "deactivate the old one, " + old.ID + ", and later delete it; until then sofia holds two Active CodeCommit credentials (flagged two-active)"},
		{"deactivated", step(func(r *Rotation) { r.New, r.SecretSaved, r.OldStatus = newCred, true, Inactive }), true,
			[]string{"old " + old.ID + ": Inactive"}, "delete it; until then it can be activated again"},
		{"deleted", step(func(r *Rotation) { r.New, r.SecretSaved, r.OldStatus, r.OldDeleted = newCred, true, Inactive, true }), true,
			[]string{"old " + old.ID + ": deleted"}, "the rotation is complete"},
		{"old expired", step(func(r *Rotation) { r.New, r.SecretSaved, r.OldStatus = newCred, true, Expired }), true,
			[]string{"old " + old.ID + ": Expired"}, "it has expired"},
	} {
		state := strings.Join(tc.r.State(), "\n")
		for _, want := range tc.state {
			if !strings.Contains(state, want) {
				t.Errorf("%s: state\n%s\nlacks %q", tc.name, state, want)
			}
		}
		if !strings.Contains(tc.r.Next(), tc.next) || tc.r.Changed() != tc.changed {
			t.Errorf("%s: next %q (want %q), changed %v", tc.name, tc.r.Next(), tc.next, tc.r.Changed())
		}
	}
	if s := (Rotation{}).State(); len(s) != 0 {
		t.Errorf("no plan: state %q", s)
	}
}

func TestCheckActivation(t *testing.T) {
	fresh := cred("INA1", CodeCommit, Inactive, 10)
	if a := CheckActivation(fresh, rotNow, 0); a.Ask() || a.Refused != nil {
		t.Errorf("a fresh Inactive credential: %+v", a)
	}
	old := cred("INA1", CodeCommit, Inactive, 800)
	a := CheckActivation(old, rotNow, 0)
	if !a.Ask() || len(a.Reasons) != 1 {
		t.Fatalf("800 days old: %+v", a)
	}
	for _, want := range []string{"Activate sofia's CodeCommit credential " + old.ID + "?", "It is 800 days old, older than the max age of 90 days", "flagged stale", "may have been unused that long"} {
		if q := a.Question(old); !strings.Contains(q, want) {
			t.Errorf("question %q lacks %q", q, want)
		}
	}
	if a := CheckActivation(old, rotNow, 1000*24*time.Hour); a.Ask() {
		t.Errorf("within --max-age 1000d: %+v", a)
	}
	// Expired by IAM's word, yet its date is ahead: it was extended; and old too.
	extended := expiring(cred("EXT1", Bedrock, Expired, 400), 500*24*time.Hour)
	a = CheckActivation(extended, rotNow, 0)
	if !a.Ask() || len(a.Reasons) != 2 || !strings.Contains(a.Question(extended), "; and it was reported Expired by IAM, but its expiry date is 2027-03-02") {
		t.Errorf("expired, then extended: %+v\n%s", a, a.Question(extended))
	}
	refused := map[string]Credential{
		"Active already": cred("ACT1", CodeCommit, Active, 800),
		"expired on":     expiring(cred("EXP1", Bedrock, Inactive, 40), 30*24*time.Hour),
	}
	for want, c := range refused {
		a := CheckActivation(c, rotNow, 0)
		if a.Ask() || a.Refused == nil || !strings.Contains(a.Refused.Error(), want) {
			t.Errorf("%s: %+v", want, a)
		}
	}
}

func TestResetNotes(t *testing.T) {
	if n := ResetNotes(cred("ACT1", CodeCommit, Active, 10), rotNow, 0); len(n) != 0 {
		t.Errorf("a fresh Active credential: %q", n)
	}
	inactive := cred("INA1", Bedrock, Inactive, 10)
	if n := ResetSecretNote(inactive); n != "It stays Inactive: the new API key does not work until the credential is activated." {
		t.Errorf("secret note %q", n)
	}
	n := ResetNotes(cred("INA1", CodeCommit, Inactive, 400), rotNow, 0)
	if len(n) != 2 || !strings.Contains(n[0], "new password does not work") || !strings.Contains(n[1], "stays 400 days old. Rotate it") {
		t.Errorf("an old Inactive credential (never flagged stale): %q", n)
	}
	n = ResetNotes(cred("ACT2", CodeCommit, Active, 400), rotNow, 0)
	if len(n) != 1 || !strings.Contains(n[0], "stays 400 days old and flagged stale. Rotate it") {
		t.Errorf("an old Active credential: %q", n)
	}
	if ResetSecretNote(cred("ACT1", CodeCommit, Active, 400)) != "" {
		t.Error("an Active credential's secret works at once")
	}
}

// The saved secret: the console's fields, the secret exactly as IAM gave it
// (a password may begin with + or =: never quoted as a spreadsheet formula).
func TestSecretRecord(t *testing.T) {
	c := expiring(cred("NEW1", Bedrock, Active, 0), 30*24*time.Hour)
	c.Alias = "sofia\x1b[2J-at-1"
	s := NewSecret(c, "+ABSK=secret/value=")
	var b bytes.Buffer
	if err := WriteSecretCSV(&b, s); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{SecretColumns(), {"sofia", Bedrock, c.ID, "sofia␛[2J-at-1", "+ABSK=secret/value=", "2026-12-22T12:00:00Z"}}
	if !slices.EqualFunc(recs, want, slices.Equal) {
		t.Fatalf("record %q", recs)
	}
	raw, err := MarshalSecretJSON(NewSecret(cred("NEW2", CodeCommit, Active, 0), "pass\u202eword"))
	if err != nil {
		t.Fatal(err)
	}
	var obj map[string]*string
	if err := json.Unmarshal(raw, &obj); err != nil || len(obj) != len(SecretColumns()) || obj["expires"] != nil ||
		*obj["secret"] != "pass\u202eword" || *obj["login"] != "sofia-at-1" || bytes.Contains(raw, []byte("\u202e")) {
		t.Fatalf("json %s: %v", raw, err)
	}
}

func TestWriteRotationJSON(t *testing.T) {
	old, other := cred("OLD1", CodeCommit, Active, 200), cred("OTH2", CodeCommit, Inactive, 500)
	p, _ := PlanRotation(old, []Credential{old, other}, rotNow)
	r := p.Start()
	r.OtherDeleted, r.New, r.SecretSaved = true, cred("NEW3", CodeCommit, Active, 0), true
	var b bytes.Buffer
	err := WriteRotationJSON(&b, RotationReport{Rotation: r, Result: RotationDone, Secret: NewSecret(r.New, "pw=")})
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	field := func(path ...string) any {
		var v any = doc
		for _, k := range path {
			m, _ := v.(map[string]any)
			v = m[k]
		}
		return v
	}
	state, _ := doc["state"].([]any)
	if doc["result"] != "done" || doc["step"] != nil || doc["user"] != "sofia" || doc["service_name"] != CodeCommit || len(state) != 3 ||
		doc["other_deleted"] != other.ID || field("secret", "secret") != "pw=" || field("secret", "credential_id") != r.New.ID ||
		doc["secret_file"] != nil || field("old", "status") != "Active" || field("new", "status") != "Active" ||
		!strings.Contains(doc["next"].(string), "Hand the new password over") {
		t.Fatalf("doc %v\n%s", doc, b.String())
	}
	// Stopped before any plan: the names come from the report; no secret.
	b.Reset()
	err = WriteRotationJSON(&b, RotationReport{User: "sofia", Service: CodeCommit, Result: RotationStopped, Step: StepDeleteOther, Message: "both are Active", SecretFile: "f.csv"})
	if err != nil || !strings.Contains(b.String(), `"step": {`) || !strings.Contains(b.String(), `"name": "delete the other credential"`) ||
		!strings.Contains(b.String(), `"secret": null`) || !strings.Contains(b.String(), `"state": []`) || !strings.Contains(b.String(), `"new": null`) {
		t.Fatalf("%v\n%s", err, b.String())
	}
}

// The proposed file name says whose secret it is, and no part of what IAM (or
// an endpoint pretending to be IAM) sent can make it a path elsewhere.
func TestSecretFileName(t *testing.T) {
	when := time.Date(2026, 11, 22, 23, 30, 0, 0, time.UTC)
	c := Credential{UserName: "svc=build,deploy@ci", Service: CodeCommit, ID: "ACCAEXAMPLE123P7DZE"}
	if got, want := SecretFileName(c, when), "iamcreds-svc=build,deploy@ci-git-P7DZE-20261122.csv"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	hostile := Credential{UserName: "../../etc/x\u009b2J\u202e", Service: "evil/../svc", ID: "AB/\r\u009dZ"}
	got := SecretFileName(hostile, when.In(time.FixedZone("east", 3600)))
	if want := "iamcreds-.._.._etc_x_2J_-evil_.._svc-B___Z-20261123.csv"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if strings.ContainsAny(got, "/\\") || !IsSafeText(got) {
		t.Errorf("%q is not one safe file name", got)
	}
}

// A delivered secret is said as delivered, and the next step names the target.
func TestRotationDeliveredState(t *testing.T) {
	old := Credential{ID: "ACCAOLD00000000000001", UserName: "ci-bot", Service: CodeCommit, Status: Active}
	r := Rotation{Plan: RotationPlan{Old: old, OldStatus: Active}, OldStatus: Active,
		New:         Credential{ID: "ACCANEW00000000000001", UserName: "ci-bot", Service: CodeCommit, Status: Active},
		SecretSaved: true, DeliveredTo: "secretsmanager:ci/git"}
	if st := strings.Join(r.State(), "\n"); !strings.Contains(st, "its password delivered to secretsmanager:ci/git") {
		t.Errorf("state %q", st)
	}
	if next := r.Next(); !strings.HasPrefix(next, "The new password is in secretsmanager:ci/git. Once its readers use it, deactivate the old one") {
		t.Errorf("next %q", next)
	}
}
