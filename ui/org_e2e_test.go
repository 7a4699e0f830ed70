package ui

import (
	"testing"
	"time"
)

// iamcreds --demo --org in a real terminal: the organization view of the demo
// organization, enter into an account, O back.
func TestE2EDemoOrg(t *testing.T) {
	t.Parallel() // its own tmux server and in-process endpoint
	bin := buildBinary(t)
	tm := startTerm(t, []string{"AWS_EC2_METADATA_DISABLED=true"}, bin, "--demo", "--org")
	tm.wait("4 of 6 accounts read", 20*time.Second)
	tm.wait("✗ Sandbox (222233334444): cannot assume", 5*time.Second)
	tm.keys("Enter")
	tm.wait("account Data platform (777788889999)", 10*time.Second)
	tm.wait("O organization view", 5*time.Second)
	tm.keys("O")
	tm.wait("Back to the organization", 10*time.Second)
	tm.keys("q")
}
