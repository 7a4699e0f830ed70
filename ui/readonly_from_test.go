package ui

import (
	"testing"

	"iamcreds/awsclient/localiam"
)

// Read-only from the settings file says where it came from, so the person
// knows what to change: the file, not a flag they never passed.
func TestReadOnlyFromTheSettingsFileNamesIt(t *testing.T) {
	t.Parallel()
	e := newEndpoint(t, "demo", localiam.Faults{}, true)
	o := testOptions(e, &memClipboard{})
	o.ReadOnly, o.ReadOnlyFrom = true, "/etc/c.toml"
	d := newDriver(t, New(o), 200, 36)
	d.settle()
	d.selectUser("mateo")
	d.keys("enter", "n")
	mustContain(t, d.m, "read-only = true in /etc/c.toml: start with --read-only=false")
	mustNotContain(t, d.m, "start without --read-only")
}
