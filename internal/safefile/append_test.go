package safefile

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestOpenAppendCreatesAndAppendsOwnerOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "debug.log")
	for _, line := range []string{"one\n", "two\n"} {
		f, err := OpenAppend(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteString(line); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	if got := read(t, path); got != "one\ntwo\n" {
		t.Fatalf("file holds %q", got)
	}
	if runtime.GOOS == "windows" {
		return
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := OpenAppend(path)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if mode(t, path) != 0o600 {
		t.Fatalf("an existing 0644 file stays %v", mode(t, path))
	}
}

func TestOpenAppendRefusesLinksAndOtherFiles(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "target")
	if err := os.WriteFile(target, []byte("someone's\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.log")
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("no symbolic links here: %v", err) // Windows without the privilege
	}
	if f, err := OpenAppend(link); err == nil || !strings.Contains(err.Error(), "is a symbolic link") {
		if f != nil {
			f.Close()
		}
		t.Fatalf("a link: %v", err)
	}
	if got := read(t, target); got != "someone's\n" {
		t.Fatalf("the link's target now holds %q", got)
	}
	if runtime.GOOS != "windows" && mode(t, target) != 0o644 {
		t.Fatalf("the link's target was chmodded to %v", mode(t, target))
	}
	if _, err := OpenAppend(dir); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("a directory: %v", err)
	}
}

func TestOpenAppendRefusesAnotherUsersFile(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no owner ids on Windows")
	}
	path := filepath.Join(t.TempDir(), "debug.log")
	if err := os.WriteFile(path, []byte("theirs\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mine := getuid()
	getuid = func() int { return mine + 1 } // the file is now another user's
	defer func() { getuid = os.Getuid }()
	if f, err := OpenAppend(path); err == nil || !strings.Contains(err.Error(), "belongs to another user") {
		if f != nil {
			f.Close()
		}
		t.Fatalf("another user's file: %v", err)
	}
	if mode(t, path) != 0o644 || read(t, path) != "theirs\n" {
		t.Fatal("another user's file was changed")
	}
}
