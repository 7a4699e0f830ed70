package ui

import (
	"testing"

	"iamcreds/awsclient/localiam"
	"iamcreds/ui/uitest"
)

// In a 40-column window the users line, the list and every phase of the
// dialog fit, and nothing panics.
func TestConsoleUsersFitFortyColumns(t *testing.T) {
	t.Parallel()
	for _, size := range [][2]int{{40, 12}, {40, 24}, {20, 6}} {
		r := startUsers(t, size[0], size[1], localiam.Faults{Deny: []string{"DeleteUser"}}, false, nil)
		check := func(step string) { t.Helper(); assertDrawable(t, step, r.m.View(), size[0], size[1]) }
		r.keys("a")
		check("fleet")
		r.keys("U")
		check("users list")
		r.keys("?")
		check("users help")
		r.keys("?")
		r.openUser("BedrockAPIKey-k2wd")
		check("dialog")
		r.typeText("BedrockAPIKey-k2wd")
		check("name typed")
		r.keys("enter")
		check("stopped")
		r.keys("enter")
		r.openUser("BedrockAPIKey-r8tn")
		check("deactivate")
	}
}

// Hostile user names reach the users line, the list and the cleanup dialog
// only through SafeText, in every phase.
func TestConsoleUsersHostileNames(t *testing.T) {
	t.Parallel()
	e, err := uitest.NewEndpoint(uitest.EndpointConfig{Seed: "demo", Now: clock, Hostile: true,
		Faults: localiam.Faults{Deny: []string{"DetachUserPolicy"}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	const w, h = 120, 36
	r := &usersRun{driver: newDriver(t, New(testOptions(&endpoint{client: e.Client}, &memClipboard{})), w, h)}
	r.settle()
	check := func(step string) { t.Helper(); assertDrawable(t, step, r.m.View(), w, h) }
	r.keys("a")
	mustContain(t, r.m, "Console-made users: 2 orphaned, 1 at risk")
	check("fleet")
	r.keys("U")
	mustContain(t, r.m, "<U+2028><U+E0041> Bedrock orphaned") // the name's tail, shown safe
	check("users list")
	r.openUser("BedrockAPIKey-k2wd" + uitest.Hostile)
	check("dialog")
	r.typeText("BedrockAPIKey-k2wd" + uitest.Hostile)
	check("name typed")
	r.keys("enter")
	check("after enter")
	// (The input drops the controls as they are typed: a name that holds
	// them, which IAM never gives, cannot be typed to match.)
	r.keys("esc")
	r.openUser("BedrockAPIKey-r8tn" + uitest.Hostile)
	r.keys("tab", "enter")
	mustContain(t, r.m, "✓ done: deactivate access key")
	check("deactivated")
}
