package ui

import (
	"testing"

	"iamcreds/awsclient/localiam"
	"iamcreds/model"
)

// A step whose every reply is lost is unknown, not done nor not done: the
// cleanup stops there, and the user read again shows what happened (here
// DeleteUser did happen: the user is gone).
func TestCleanupStepWithLostReplyIsUnknown(t *testing.T) {
	t.Parallel()
	r := startUsers(t, 120, 36, localiam.Faults{DropReply: map[string]int{"DeleteUser": 0}}, false, nil)
	r.openUser("BedrockAPIKey-k2wd")
	r.typeText("BedrockAPIKey-k2wd")
	r.keys("enter")
	mustContain(t, r.m, "1. ✓ done: detach policy", "2. ✓ done: remove from group", "3. ? unknown: delete the user",
		"may or may not have happened", "It no longer exists.")
	r.keys("enter")
	mustContain(t, r.m, "Cleanup of BedrockAPIKey-k2wd stopped at step 3 of 3 (delete the user: unknown)")
}

// A lost reply in the middle of the steps: the step is unknown, not said
// "left" (IAM may have done it, and here did); the steps after it are not
// reached, and what the user holds now is IAM's answer.
func TestCleanupUnknownStepIsNotSaidLeft(t *testing.T) {
	t.Parallel()
	r := startUsers(t, 120, 36, localiam.Faults{DropReply: map[string]int{"DetachUserPolicy": 0}}, false, nil)
	r.openUser("BedrockAPIKey-k2wd")
	r.typeText("BedrockAPIKey-k2wd")
	r.keys("enter")
	mustContain(t, r.m, "1. ? unknown: detach policy", "Stopped at step 1; not reached: remove from group api-key-users;",
		"may or may not have happened", "It holds now: 1 group")
	mustNotContain(t, r.m, "left: detach policy")
}

// While steps run, a quit is held once and said: quitting then would leave
// the user part cleaned up. The second quits.
func TestCleanupHoldsTheFirstQuit(t *testing.T) {
	t.Parallel()
	r := startUsers(t, 120, 36, localiam.Faults{}, false, nil)
	r.openUser("BedrockAPIKey-k2wd")
	r.typeText("BedrockAPIKey-k2wd")
	holdMsgs[cleanupStepMsg](r.driver)
	r.keys("enter")
	r.keys("esc")
	mustContain(t, r.m, "Removing BedrockAPIKey-k2wd…", "The steps are running: wait for them to finish")
	r.keys("ctrl+c")
	if r.Quit() {
		t.Fatal("quit at once while the steps run")
	}
	mustContain(t, r.m, "Quitting now leaves BedrockAPIKey-k2wd part cleaned up: ctrl+c again")
	r.keys("ctrl+c")
	if !r.Quit() {
		t.Fatal("the second ctrl+c did not quit")
	}
}

// An account-wide read that a newer one (ctrl+r) replaced is dropped when it
// answers late: the users are judged by the newest.
func TestConsoleHoldingsOfAnOlderLoadAreDropped(t *testing.T) {
	t.Parallel()
	r := startUsers(t, 120, 36, localiam.Faults{}, false, nil)
	old := r.m.acct.console.gen
	r.keys("ctrl+r")
	if r.m.acct.console.gen == old {
		t.Fatal("ctrl+r did not read the console-made users again")
	}
	r.Send(consoleHoldingsMsg{acct: r.m.acct, gen: old, tag: 1, holdings: []model.Holdings{{User: "BedrockAPIKey-4f7q", LoginProfile: true}}})
	r.settle()
	r.keys("a", "U")
	mustContain(t, r.m, "2 orphaned · 1 at risk")
	mustNotContain(t, r.m, "console password")
}

// When the credentials cannot be listed, the console-made users are not
// judged (they would all look orphaned), and the line says why.
func TestConsoleUsersNotJudgedWithoutCredentials(t *testing.T) {
	t.Parallel()
	r := startUsers(t, 160, 36, localiam.Faults{Deny: []string{"ListServiceSpecificCredentials"}}, false, nil)
	r.keys("a")
	mustContain(t, r.m, "Console-made users not judged: their credentials could not be listed")
	mustNotContain(t, r.m, "orphaned")
}
