package ui

import (
	"testing"

	"iamcreds/awsclient/localiam"
)

// Goldens of the console-made users' views: the list, the cleanup dialog,
// and a cleanup stopped by a refused step.

// toConsoleUser shows the users list with the cursor on user.
func (g *goldenRun) toConsoleUser(user string) {
	g.t.Helper()
	g.keys("a", "U", "g")
	for range len(g.m.fleet.users.visible) {
		if r, ok := g.m.fleet.users.row(); ok && r.j.User.Name == user {
			return
		}
		g.keys("j")
	}
	g.t.Fatalf("%s is not listed", user)
}

func TestGoldenConsoleUsers(t *testing.T) {
	t.Parallel()
	g := newGoldenRun(t, goldenSetup{w: 120, h: 36})
	g.toConsoleUser("BedrockAPIKey-k2wd")
	g.golden(g.final())
}

func TestGoldenCleanupDialog(t *testing.T) {
	t.Parallel()
	g := newGoldenRun(t, goldenSetup{w: 120, h: 36})
	g.toConsoleUser("BedrockAPIKey-k2wd")
	g.keys("enter")
	g.golden(g.final())
}

func TestGoldenCleanupStopped(t *testing.T) {
	t.Parallel()
	g := newGoldenRun(t, goldenSetup{w: 80, h: 24, faults: localiam.Faults{Deny: []string{"RemoveUserFromGroup"}}})
	g.toConsoleUser("BedrockAPIKey-k2wd")
	g.keys("enter")
	g.Send(keyRunes("BedrockAPIKey-k2wd"))
	g.keys("enter")
	g.golden(g.final())
}
