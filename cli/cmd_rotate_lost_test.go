package cli

import (
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"iamcreds/awsclient/localiam"
	"iamcreds/model"
)

// outcomeOf is step's outcome in the document.
func (d rotationDoc) outcomeOf(step int) string {
	for _, s := range d.Steps {
		if s.Number == step {
			return s.Outcome
		}
	}
	return ""
}

// Step 2's reply lost after IAM created a credential: no reply ties it to
// rotate, so it is named as of unknown origin, left in IAM, and said as
// unknown in the text and the JSON.
func TestRotateLostCreateReplyLeavesWhatAppeared(t *testing.T) {
	ri := startRotateIAM(t, localiam.Faults{DropReply: map[string]int{"CreateServiceSpecificCredential": 1}})
	file := filepath.Join(t.TempDir(), "s.csv")
	r := ri.rotate(t, false, "--user", "solo", "--service", "git", "--secret-file", file, "--output", "json", "--deactivate-old")
	held := ri.statuses(t, "solo")
	if len(held) != 2 {
		t.Fatalf("IAM holds %q: what appeared must stay", held)
	}
	appeared := strings.Fields(held[0])[0]
	if appeared == "ACCASOLOGIT000000OLD1" {
		appeared = strings.Fields(held[1])[0]
	}
	r.must(t, exitFailed, "step 2: the create's reply was lost; "+appeared+" appeared for solo meanwhile: it may be this rotation's or someone else's, and is left alone",
		"new: unknown: "+appeared+" appeared for solo while the create's reply was lost",
		"next: Check solo's credentials: "+appeared+" exists, and may be this rotation's or someone else's", "old ACCASOLOGIT000000OLD1: Active")
	if strings.Contains(r.stderr, "deleted") {
		t.Fatalf("stderr claims a delete:\n%s", r.stderr)
	}
	if _, err := os.Lstat(file); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("the reserved secret file was left behind")
	}
	d := decodeDoc(t, r.stdout)
	if d.Result != "failed" || d.Step.Number != 2 || d.Step.Outcome != "unknown" || d.outcomeOf(2) != "unknown" || d.outcomeOf(4) != "not_done" ||
		d.New != nil || len(d.Appeared) != 1 || d.Appeared[0]["credential_id"] != appeared || d.Secret != nil || d.Old["status"] != "Active" {
		t.Fatalf("document %+v\n%s", d, r.stdout)
	}
}

// The concurrent-create race: rotate's create never reaches IAM (held at a
// proxy until it times out, or dropped on its way) while a colleague creates
// a Git credential for the same user. The colleague's credential stays, and
// rotate says it may be someone else's.
func TestRotateNeverTakesAColleaguesCredential(t *testing.T) {
	for _, how := range []string{"timed out", "request dropped"} {
		t.Run(how, func(t *testing.T) {
			ri := startRotateIAM(t, localiam.Faults{})
			var once sync.Once
			ri.before = func(action string, _ url.Values) {
				if action == "CreateServiceSpecificCredential" {
					once.Do(func() {
						ri.call(t, url.Values{"Action": {"CreateServiceSpecificCredential"}, "UserName": {"solo"}, "ServiceName": {model.CodeCommit}})
						if how == "request dropped" {
							ri.srv.SetFaults(localiam.Faults{DropRequest: map[string]int{"CreateServiceSpecificCredential": 1}})
						}
					})
				}
			}
			if how == "timed out" {
				var held atomic.Bool
				ri.hold = func(action string) bool {
					return action == "CreateServiceSpecificCredential" && held.CompareAndSwap(false, true)
				}
			}
			r := ri.rotate(t, false, "--user", "solo", "--service", "git", "--output", "json", "--timeout", "1s")
			held := ri.statuses(t, "solo")
			if len(held) != 2 {
				t.Fatalf("IAM holds %q: the colleague's credential is gone", held)
			}
			theirs := strings.Fields(held[0])[0]
			if theirs == "ACCASOLOGIT000000OLD1" {
				theirs = strings.Fields(held[1])[0]
			}
			r.must(t, exitFailed, theirs+" appeared for solo meanwhile: it may be this rotation's or someone else's",
				"new: unknown: "+theirs+" appeared for solo")
			if strings.Contains(r.stderr, "deleted "+theirs) || strings.Contains(r.stderr, "IAM created "+theirs) {
				t.Fatalf("rotate claims the colleague's credential:\n%s", r.stderr)
			}
			if d := decodeDoc(t, r.stdout); d.outcomeOf(2) != "unknown" || d.New != nil || len(d.Appeared) != 1 {
				t.Fatalf("document %+v", d)
			}
		})
	}
}

// A reply that names the new credential but lacks its secret ties it to
// rotate: nobody holds its secret, so rotate deletes it again.
func TestRotateCreateReplyWithoutSecretTakesItBack(t *testing.T) {
	ri := startRotateIAM(t, localiam.Faults{})
	ri.stripSecret.Store(true)
	file := filepath.Join(t.TempDir(), "s.csv")
	r := ri.rotate(t, false, "--user", "solo", "--service", "git", "--secret-file", file, "--output", "json")
	r.must(t, exitFailed, "step 2: IAM created ACCA", "but its reply lacked the password",
		"failed at step 2 (create the new credential): IAM created ACCA", "rotate deleted it again",
		"next: Nothing new exists and the old one still works: rotate again.")
	if got := ri.statuses(t, "solo"); !slices.Equal(got, []string{"ACCASOLOGIT000000OLD1 Active"}) {
		t.Fatalf("IAM holds %q", got)
	}
	d := decodeDoc(t, r.stdout)
	if d.Result != "failed" || d.Step.Number != 2 || d.New == nil || d.New["status"] != "deleted" || d.Secret != nil {
		t.Fatalf("document %+v\n%s", d, r.stdout)
	}
}

// When that credential cannot be deleted either, rotate names it, to be reset
// or deleted by hand.
func TestRotateNamesACredentialWithoutSecretItCannotDelete(t *testing.T) {
	ri := startRotateIAM(t, localiam.Faults{Deny: []string{"DeleteServiceSpecificCredential"}})
	ri.stripSecret.Store(true)
	r := ri.rotate(t, false, "--user", "solo", "--service", "git", "--secret-file", filepath.Join(t.TempDir(), "s.csv"))
	held := ri.statuses(t, "solo")
	if len(held) != 2 {
		t.Fatalf("IAM holds %q", held)
	}
	orphan := strings.Fields(held[0])[0]
	if orphan == "ACCASOLOGIT000000OLD1" {
		orphan = strings.Fields(held[1])[0]
	}
	r.must(t, exitFailed, "could not delete "+orphan+" again: access denied",
		"failed at step 2 (create the new credential): IAM created "+orphan+" (a Git credential for solo) but its secret was never received: reset it to get a secret, or delete it",
		"new "+orphan+": Active, but its reply lacked the password",
		"next: The new CodeCommit credential's password is lost: reset "+orphan+" to get another, or delete it. The old one still works.")
}

// When nobody can tell whether IAM created one (the listing after the lost
// reply failed too), rotate says to check before rotating again.
func TestRotateLostCreateReplyUnconfirmed(t *testing.T) {
	ri := startRotateIAM(t, localiam.Faults{DropReply: map[string]int{"CreateServiceSpecificCredential": 1}})
	var once sync.Once
	ri.before = func(action string, _ url.Values) {
		if action == "CreateServiceSpecificCredential" { // from now on, listings are refused
			once.Do(func() {
				ri.srv.SetFaults(localiam.Faults{DropReply: map[string]int{"CreateServiceSpecificCredential": 1},
					Deny: []string{"ListServiceSpecificCredentials"}})
			})
		}
	}
	r := ri.rotate(t, false, "--user", "solo", "--service", "git", "--secret-file", filepath.Join(t.TempDir(), "s.csv"))
	r.must(t, exitFailed, "failed at step 2 (create the new credential): IAM may have created a Git credential for solo",
		"new: unknown: IAM may have created one, whose password never arrived",
		"next: Check solo's CodeCommit credentials: delete any new one nobody has the password of, then rotate again.")
	ri.srv.SetFaults(localiam.Faults{})
	if n := len(ri.held(t, "solo")); n != 2 {
		t.Fatalf("IAM holds %d", n)
	}
}

// A destructive step whose reply is lost and whose check listing fails too is
// unknown: the text and the JSON say so, never "Nothing was changed" nor the
// status the plan had.
func TestRotateUnknownDestructiveSteps(t *testing.T) {
	for _, tc := range []struct {
		name, action string
		args         []string
		step         int
		says         []string
		old          string
	}{
		{"step 1", "DeleteServiceSpecificCredential", []string{"--user", "pair", "--service", "git", "--delete-inactive-other"}, 1,
			[]string{"other ACCAPAIRGIT00000INAC: unknown: its delete's reply was lost, so it may be deleted or still Inactive",
				"next: Nothing new was created. Check pair's credentials: ACCAPAIRGIT00000INAC may have been deleted, then rotate again."}, "Active"},
		{"step 4", "UpdateServiceSpecificCredential", []string{"--user", "solo", "--service", "git", "--deactivate-old"}, 4,
			[]string{"old ACCASOLOGIT000000OLD1: unknown: its deactivation's reply was lost, so it may be Inactive or still Active",
				"next: Check solo's credentials: ACCASOLOGIT000000OLD1 may be Inactive now"}, "unknown"},
		{"step 5", "DeleteServiceSpecificCredential", []string{"--user", "solo", "--service", "git", "--deactivate-old", "--delete-old"}, 5,
			[]string{"old ACCASOLOGIT000000OLD1: unknown: its delete's reply was lost",
				"next: Check solo's credentials: ACCASOLOGIT000000OLD1 may have been deleted"}, "unknown"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ri := startRotateIAM(t, localiam.Faults{})
			// The write's reply is lost; its retry is refused, and so is every
			// listing that would tell.
			var calls atomic.Int32
			ri.before = func(action string, _ url.Values) {
				if action != tc.action {
					return
				}
				switch calls.Add(1) {
				case 1:
					ri.srv.SetFaults(localiam.Faults{DropReply: map[string]int{tc.action: 1}, Deny: []string{"ListServiceSpecificCredentials"}})
				case 2:
					ri.srv.SetFaults(localiam.Faults{Deny: []string{tc.action, "ListServiceSpecificCredentials"}})
				}
			}
			args := append(tc.args, "--output", "json", "--secret-file", filepath.Join(t.TempDir(), "s.csv"))
			r := ri.rotate(t, false, args...)
			r.must(t, exitFailed, tc.says...)
			if strings.Contains(r.stderr, "Nothing was changed") {
				t.Fatalf("stderr:\n%s", r.stderr)
			}
			d := decodeDoc(t, r.stdout)
			if d.Step == nil || d.Step.Number != tc.step || d.Step.Outcome != "unknown" || d.outcomeOf(tc.step) != "unknown" || d.Old["status"] != tc.old {
				t.Fatalf("document %+v\n%s", d, r.stdout)
			}
		})
	}
}

// Re-read before every destructive step: another client re-activates the
// Inactive other after rotate planned, or the old one after step 4; rotate
// lists again, refuses with the reason, and deletes nothing Active.
func TestRotateRefusesWhatChangedMeanwhile(t *testing.T) {
	reactivate := func(ri *rotateIAM, user, id string) {
		ri.call(t, url.Values{"Action": {"UpdateServiceSpecificCredential"}, "UserName": {user}, "ServiceSpecificCredentialId": {id}, "Status": {"Active"}})
	}
	t.Run("the other", func(t *testing.T) {
		ri := startRotateIAM(t, localiam.Faults{})
		var once sync.Once
		ri.after = func(action string) {
			if action == "ListServiceSpecificCredentials" { // the listing rotate plans from
				once.Do(func() { reactivate(ri, "pair", "ACCAPAIRGIT00000INAC") })
			}
		}
		r := ri.rotate(t, false, "--user", "pair", "--service", "git", "--delete-inactive-other", "--output", "json")
		r.must(t, exitStopped, "stopped at step 1 (delete the other credential): refused: the other one, ACCAPAIRGIT00000INAC, is Active now, not Inactive as planned",
			"Nothing was deleted", "next: Nothing was changed.")
		if got := ri.statuses(t, "pair"); !slices.Equal(got, []string{"ACCAPAIRGIT00000ACTV Active", "ACCAPAIRGIT00000INAC Active"}) {
			t.Fatalf("IAM holds %q", got)
		}
		if d := decodeDoc(t, r.stdout); d.Result != "stopped" || d.outcomeOf(1) != "not_done" || d.outcomeOf(2) != "not_done" {
			t.Fatalf("document %+v", d)
		}
	})
	t.Run("the old one", func(t *testing.T) {
		ri := startRotateIAM(t, localiam.Faults{})
		ri.after = func(action string) {
			if action == "UpdateServiceSpecificCredential" { // step 4 done: someone switches it back
				reactivate(ri, "solo", "ACCASOLOGIT000000OLD1")
			}
		}
		file := filepath.Join(t.TempDir(), "s.csv")
		r := ri.rotate(t, false, "--user", "solo", "--service", "git", "--secret-file", file, "--deactivate-old", "--delete-old")
		r.must(t, exitStopped, "stopped at step 5 (delete the old credential): refused: the old one, ACCASOLOGIT000000OLD1, is Active now, not Inactive",
			"old ACCASOLOGIT000000OLD1: Active")
		created := secretRecord(t, readFile(t, file))["credential_id"]
		want := []string{"ACCASOLOGIT000000OLD1 Active", created + " Active"}
		slices.Sort(want)
		if got := ri.statuses(t, "solo"); !slices.Equal(got, want) {
			t.Fatalf("IAM holds %q, want %q", got, want)
		}
	})
}
