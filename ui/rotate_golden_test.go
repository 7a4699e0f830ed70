package ui

import (
	"context"
	"regexp"
	"testing"

	"github.com/charmbracelet/x/exp/teatest"

	"iamcreds/awsclient/localiam"
	"iamcreds/model"
)

// Goldens of the rotation dialog at each step, left at each step and failed at
// each step, and of the questions issue 11 added (reset of an Inactive
// credential, activation, one delete from the fleet). go test ./ui -run
// TestGolden -update rewrites them.

// requestIDRE matches the random request ids the endpoint hands out.
var requestIDRE = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// loopbackRE matches the endpoint's loopback address in a client's message:
// its port (five digits, from the ephemeral range) differs from run to run.
var loopbackRE = regexp.MustCompile(`127\.0\.0\.1:[0-9]{5}`)

// goldenScrubbed is golden with request ids and loopback ports zeroed too (a
// failure's status bar).
func (g *goldenRun) goldenScrubbed(m *Model) {
	g.t.Helper()
	view := requestIDRE.ReplaceAllString(g.scrub(m, m.View()), "00000000-0000-0000-0000-000000000000")
	view = loopbackRE.ReplaceAllString(view, "127.0.0.1:00000")
	teatest.RequireEqualOutput(g.t, []byte(view))
}

// rotateRun opens the rotation of user's credential matching.
func rotateRun(t *testing.T, faults localiam.Faults, user string, match func(model.Credential) bool) (*goldenRun, model.Credential) {
	t.Helper()
	g := newGoldenRun(t, goldenSetup{w: 120, h: 36, faults: faults})
	old := g.rotate(user, match)
	return g, old
}

// inUseRun is a rotation of mateo's Git credential at step 4.
func inUseRun(t *testing.T, faults localiam.Faults) (*goldenRun, model.Credential) {
	t.Helper()
	g := newGoldenRun(t, goldenSetup{w: 120, h: 36, faults: faults})
	return g, g.toInUse()
}

func isBedrock(c model.Credential) bool { return c.Service == model.Bedrock }

func TestGoldenRotateStep1DeleteOther(t *testing.T) {
	t.Parallel()
	g, _ := rotateRun(t, localiam.Faults{}, "sofia", isActive)
	g.keys("x", "y")
	g.golden(g.final())
}

func TestGoldenRotateStep2Lifetime(t *testing.T) {
	t.Parallel()
	g, _ := rotateRun(t, localiam.Faults{}, "priya", isBedrock)
	g.keys("down")
	g.golden(g.final())
}

func TestGoldenRotateStep2Create(t *testing.T) {
	t.Parallel()
	g, _ := rotateRun(t, localiam.Faults{}, "mateo", isActive)
	g.golden(g.final())
}

func TestGoldenRotateStep3Secret(t *testing.T) {
	t.Parallel()
	g, _ := rotateRun(t, localiam.Faults{}, "mateo", isActive)
	g.keys("enter")
	g.golden(g.final())
}

func TestGoldenRotateStep4InUse(t *testing.T) {
	t.Parallel()
	g, _ := inUseRun(t, localiam.Faults{})
	g.golden(g.final())
}

func TestGoldenRotateStep5DeleteOld(t *testing.T) {
	t.Parallel()
	g, _ := inUseRun(t, localiam.Faults{})
	g.keys("tab", "enter")
	g.golden(g.final())
}

func TestGoldenRotateComplete(t *testing.T) {
	t.Parallel()
	g, old := inUseRun(t, localiam.Faults{})
	g.keys("tab", "enter")
	g.typeProof(old.ID)
	g.keys("enter")
	g.golden(g.final())
}

// Left: after step 1 (at 2), at 3 without saving, at 4 and at 5. (Leaving at
// 1 or 2 before any change closes the dialog: TestRotateLeaveAtEachStep.)

func TestGoldenRotateLeftAtStep2(t *testing.T) {
	t.Parallel()
	g, _ := rotateRun(t, localiam.Faults{}, "sofia", isActive)
	g.typeProof(g.rotation().rot.Plan.Other.ID)
	g.keys("enter", "esc")
	g.golden(g.final())
}

func TestGoldenRotateLeftAtStep3NotSaved(t *testing.T) {
	t.Parallel()
	g, _ := rotateRun(t, localiam.Faults{}, "mateo", isActive)
	g.keys("enter", "esc", "y")
	g.golden(g.final())
}

func TestGoldenRotateLeftAtStep4(t *testing.T) {
	t.Parallel()
	g, _ := inUseRun(t, localiam.Faults{})
	g.keys("esc")
	g.golden(g.final())
}

func TestGoldenRotateLeftAtStep5(t *testing.T) {
	t.Parallel()
	g, _ := inUseRun(t, localiam.Faults{})
	g.keys("tab", "enter", "esc")
	g.golden(g.final())
}

// The fleet after leaving at step 4: both of mateo's Git credentials flagged
// two-active, and the legend says what to do.
func TestGoldenRotateFleetTwoActive(t *testing.T) {
	t.Parallel()
	g, _ := inUseRun(t, localiam.Faults{})
	g.keys("esc", "enter", "a", "f")
	g.golden(g.final())
}

func TestGoldenRotateStopped(t *testing.T) {
	t.Parallel()
	g, _ := rotateRun(t, localiam.Faults{}, "sofia", isInactive)
	g.golden(g.final())
}

func TestGoldenRotateFailedStep1Denied(t *testing.T) {
	t.Parallel()
	g, _ := rotateRun(t, localiam.Faults{Deny: []string{"DeleteServiceSpecificCredential"}}, "sofia", isActive)
	g.typeProof(g.rotation().rot.Plan.Other.ID)
	g.keys("enter")
	g.goldenScrubbed(g.final())
}

func TestGoldenRotateFailedStep2Limit(t *testing.T) {
	t.Parallel()
	g, _ := rotateRun(t, localiam.Faults{}, "mateo", isActive)
	if _, _, err := g.e.client.CreateCredential(context.Background(), "mateo", model.CodeCommit, 0); err != nil {
		t.Fatal(err)
	}
	g.keys("enter")
	g.goldenScrubbed(g.final())
}

func TestGoldenRotateFailedStep4Denied(t *testing.T) {
	t.Parallel()
	g, _ := inUseRun(t, localiam.Faults{Deny: []string{"UpdateServiceSpecificCredential"}})
	g.keys("tab", "enter")
	g.goldenScrubbed(g.final())
}

func TestGoldenRotateFailedStep5Denied(t *testing.T) {
	t.Parallel()
	g, old := inUseRun(t, localiam.Faults{Deny: []string{"DeleteServiceSpecificCredential"}})
	g.keys("tab", "enter")
	g.typeProof(old.ID)
	g.keys("enter")
	g.goldenScrubbed(g.final())
}

// Reset of priya's Inactive Git credential (400 days old): the notes, and the
// activation's reasons once "Reset and activate" has the focus.
func TestGoldenResetInactive(t *testing.T) {
	t.Parallel()
	g := newGoldenRun(t, goldenSetup{w: 120, h: 36})
	g.to("priya")
	g.keys("enter", "r", "tab", "tab")
	g.golden(g.final())
}

// Its secret modal says the new password does not work until activated.
func TestGoldenResetInactiveSecret(t *testing.T) {
	t.Parallel()
	g := newGoldenRun(t, goldenSetup{w: 120, h: 36})
	g.to("priya")
	g.keys("enter", "r", "tab", "enter")
	g.golden(g.final())
}

func TestGoldenActivateQuestion(t *testing.T) {
	t.Parallel()
	g := newGoldenRun(t, goldenSetup{w: 120, h: 36})
	g.to("mateo")
	g.keys("enter", "t", "t")
	g.golden(g.final())
}

// X on one row of the fleet asks for the id's last 4, as d does.
func TestGoldenFleetDeleteOneRow(t *testing.T) {
	t.Parallel()
	g := newGoldenRun(t, goldenSetup{w: 120, h: 36})
	g.keys("a", "j", "X")
	g.golden(g.final())
}

// The create's reply is lost after IAM created the credential: the dialog names
// it, says its secret is lost, and what to do.
func TestGoldenRotateFailedStep2LostReply(t *testing.T) {
	t.Parallel()
	lost := localiam.Faults{DropReply: map[string]int{"CreateServiceSpecificCredential": 1}}
	g, _ := rotateRun(t, lost, "mateo", isActive)
	g.keys("enter")
	g.goldenScrubbed(g.final())
}
