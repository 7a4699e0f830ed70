//go:build unix

package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// --debug FILE follows no symbolic link, and neither chmods nor writes another
// user's file: the target stays as it was, and the run stops before any call.
func TestDebugLogRefusesLinksAndOtherUsersFiles(t *testing.T) {
	auditAWSEnv(t)
	dir := t.TempDir()
	target := filepath.Join(dir, "someone-elses")
	if err := os.WriteFile(target, []byte("keep\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "debug.log")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	theirs := filepath.Join(dir, "theirs.log")
	if err := os.WriteFile(theirs, []byte("keep\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if os.Getuid() == 0 {
		if err := os.Chown(theirs, 65534, 65534); err != nil {
			t.Fatal(err)
		}
	} else {
		theirs = "/etc/passwd" // root's: another user's, for anyone else
	}
	for _, tc := range []struct{ path, want string }{
		{link, "is a symbolic link: not following it"},
		{theirs, "belongs to another user"},
	} {
		for _, args := range [][]string{
			{"audit", "--demo", "--debug", tc.path},
			{"rotate", "--endpoint-url", "http://127.0.0.1:9", "--user", "solo", "--service", "git", "--debug", tc.path},
		} {
			r := runCLI(args...)
			if r.code != exitFailed || !strings.Contains(r.stderr, "--debug: "+tc.path+" "+tc.want) {
				t.Errorf("%q: exit %d, stderr %q", args, r.code, r.stderr)
			}
		}
	}
	for _, p := range []string{target, theirs} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(p); p != "/etc/passwd" && (fi.Mode().Perm() != 0o644 || string(b) != "keep\n") {
			t.Errorf("%s was changed: %v %q", p, fi.Mode().Perm(), b)
		}
	}
}
