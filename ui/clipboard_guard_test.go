package ui

import (
	"io"
	"testing"

	"iamcreds/awsclient/localiam"
	"iamcreds/ui/clipboard"
)

// An OSC 52 copy cannot be checked, so it must not let the secret modal close
// without the question; a copy read back (the other tests' in-memory system
// clipboard) does.
func TestUnconfirmedCopyKeepsCloseGuard(t *testing.T) {
	t.Parallel()
	d, _, mem := start(t, localiam.Faults{}, false)
	ssh := func(k string) string {
		if k == "SSH_TTY" {
			return "/dev/pts/9"
		}
		return ""
	}
	d.m.clip = clipboard.New(clipboard.Options{Backend: mem, Getenv: ssh, Out: io.Discard})
	sm := d.createFor("kenji", 0)
	d.keys("c")
	mustContain(t, d.m, "Password sent to the terminal clipboard (OSC 52), which cannot be checked")
	if sm.saved || mem.Text() != "" {
		t.Fatalf("saved=%v, system clipboard %q: over SSH the copy goes by OSC 52 only", sm.saved, mem.Text())
	}
	d.keys("enter")
	if !sm.asking {
		t.Fatal("an unchecked copy closed the modal without asking")
	}
}
