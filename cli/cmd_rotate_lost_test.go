package cli

import (
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"iamcreds/awsclient/localiam"
)

// Step 2's reply lost after IAM created the new credential: nobody holds its
// secret, so rotate deletes it again, says so, and exits 3 with nothing new
// left and the old one untouched.
func TestRotateLostCreateReplyTakesTheOrphanBack(t *testing.T) {
	ri := startRotateIAM(t, localiam.Faults{DropReply: map[string]int{"CreateServiceSpecificCredential": 1}})
	file := filepath.Join(t.TempDir(), "s.csv")
	r := ri.rotate(t, false, "--user", "solo", "--service", "git", "--secret-file", file, "--output", "json", "--deactivate-old")
	r.must(t, exitFailed, "step 2: IAM created ACCA", "but its reply was lost: its password never arrived",
		"failed at step 2 (create the new credential): IAM created ACCA", "but its reply was lost; rotate deleted it again",
		", but its reply and password were lost; deleted again", "old ACCASOLOGIT000000OLD1: Active",
		"next: Nothing new exists and the old one still works: rotate again.")
	if got := ri.statuses(t, "solo"); !slices.Equal(got, []string{"ACCASOLOGIT000000OLD1 Active"}) {
		t.Fatalf("IAM holds %q", got)
	}
	if _, err := os.Lstat(file); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("the reserved secret file was left behind")
	}
	d := decodeDoc(t, r.stdout)
	if d.Result != "failed" || d.Step.Number != 2 || d.New == nil || d.New["status"] != "deleted" ||
		!strings.HasPrefix(d.New["credential_id"].(string), "ACCA") || d.Secret != nil {
		t.Fatalf("document %+v\n%s", d, r.stdout)
	}
}

// When the orphan cannot be deleted either, rotate names it, to be reset or
// deleted by hand.
func TestRotateLostCreateReplyNamesAnOrphanItCannotDelete(t *testing.T) {
	ri := startRotateIAM(t, localiam.Faults{DropReply: map[string]int{"CreateServiceSpecificCredential": 1},
		Deny: []string{"DeleteServiceSpecificCredential"}})
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
		"new "+orphan+": Active, but its reply and password were lost",
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
