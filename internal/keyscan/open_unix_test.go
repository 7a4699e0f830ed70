//go:build unix

package keyscan

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A FIFO named on the command line is opened without waiting for a writer (a
// scan must not hang on one), a FIFO inside the tree is skipped, and a pipe
// named — `scan <(git show HEAD:app.env)` — is read, not skipped in silence.
func TestScanPathsFIFOAndPipe(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a.txt"), key1+"\n")
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	got, st := scanDir(t, dir, Options{NoIgnore: true})
	if strings.Join(got, "\n") != "a.txt:1:1 "+key1 || st.Files != 1 {
		t.Fatalf("the tree: %v, %+v", got, st)
	}
	got, _ = scanDir(t, dir, Options{}, "fifo") // no writer: empty, at once
	if len(got) != 0 {
		t.Fatalf("a FIFO with no writer: %v", got)
	}

	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := w.WriteString("x = " + key2 + "\n"); err != nil {
		t.Fatal(err)
	}
	w.Close()
	name := fmt.Sprintf("/dev/fd/%d", r.Fd())
	if _, err := os.Stat(name); err != nil {
		t.Skip("no /dev/fd here:", err)
	}
	got, st = scanDir(t, dir, Options{}, name)
	if strings.Join(got, "\n") != name+":1:5 "+key2 || st.Files != 1 {
		t.Fatalf("a pipe named: %v, %+v", got, st)
	}
}

// A directory the scan cannot read may hold a key: it is counted as
// unreadable, with the reason, not skipped in silence.
func TestScanPathsCountsAnUnreadableDirectory(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads every directory")
	}
	dir := t.TempDir()
	write(t, filepath.Join(dir, "locked", "a.txt"), key1+"\n")
	write(t, filepath.Join(dir, "b.txt"), "nothing\n")
	if err := os.Chmod(filepath.Join(dir, "locked"), 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(filepath.Join(dir, "locked"), 0o755) })
	_, st := scanDir(t, dir, Options{NoIgnore: true})
	if st.Files != 1 || st.Unreadable != 1 || len(st.FirstErrors) != 1 || !strings.HasPrefix(st.FirstErrors[0], "locked: ") {
		t.Fatalf("stats %+v", st)
	}
}
