package safefile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func text(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func mode(t *testing.T, path string) fs.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

func names(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return strings.Join(out, " ")
}

func TestCreateWritesNewFile0600AndNeverReplaces(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "secret.csv")
	if err := Create(path, text("first")); err != nil {
		t.Fatal(err)
	}
	if got := read(t, path); got != "first" {
		t.Fatalf("file holds %q", got)
	}
	if runtime.GOOS != "windows" && mode(t, path) != 0o600 {
		t.Fatalf("mode %v, want 0600", mode(t, path))
	}
	err := Create(path, text("second"))
	if !errors.Is(err, fs.ErrExist) || !strings.Contains(err.Error(), path) {
		t.Fatalf("second Create: %v, want an fs.ErrExist naming the path", err)
	}
	if got := read(t, path); got != "first" {
		t.Fatalf("a refused Create changed the file to %q", got)
	}
	if got := names(t, dir); got != "secret.csv" {
		t.Fatalf("directory holds %s: a temporary file was left behind", got)
	}
}

func TestReplaceSwapsInA0600File(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "audit.json")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Replace(path, text("new")); err != nil {
		t.Fatal(err)
	}
	if got := read(t, path); got != "new" {
		t.Fatalf("file holds %q", got)
	}
	if runtime.GOOS != "windows" && mode(t, path) != 0o600 {
		t.Fatalf("mode %v, want 0600 after replacing a looser file", mode(t, path))
	}
	if got := names(t, dir); got != "audit.json" {
		t.Fatalf("directory holds %s", got)
	}
}

// A failing writer leaves nothing: neither the file nor a temporary one.
func TestFailedWriteLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	boom := errors.New("boom")
	for _, save := range []func(string, func(io.Writer) error) error{Create, Replace} {
		if err := save(path, func(io.Writer) error { return boom }); !errors.Is(err, boom) {
			t.Fatalf("err = %v, want the writer's", err)
		}
	}
	if got := names(t, dir); got != "" {
		t.Fatalf("directory holds %s", got)
	}
	if err := Create(filepath.Join(dir, "missing", "x.csv"), text("x")); err == nil {
		t.Fatal("Create into a missing directory succeeded")
	}
}

// The check-then-link race: a file appearing after the check is still not clobbered.
func TestLinkNoClobber(t *testing.T) {
	dir := t.TempDir()
	tmp, path := filepath.Join(dir, "tmp"), filepath.Join(dir, "out.csv")
	for _, p := range []string{tmp, path} {
		if err := os.WriteFile(p, []byte(p), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := linkNoClobber(tmp, path); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("err = %v", err)
	}
	if got := read(t, path); got != path {
		t.Fatal("existing file clobbered")
	}
	if _, err := os.Stat(tmp); !errors.Is(err, fs.ErrNotExist) {
		t.Fatal("temporary file left behind")
	}
}

func TestCheckCreateLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "secret.csv")
	if err := CheckCreate(path); err != nil {
		t.Fatal(err)
	}
	if got := names(t, dir); got != "" {
		t.Fatalf("the check left %q behind", got)
	}
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := CheckCreate(path); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("an existing file: %v", err)
	}
	if err := CheckCreate(filepath.Join(dir, "no", "such", "dir.csv")); err == nil || errors.Is(err, fs.ErrExist) {
		t.Fatalf("a missing directory: %v", err)
	}
	if runtime.GOOS != "windows" {
		link := filepath.Join(dir, "link.csv")
		if err := os.Symlink(filepath.Join(dir, "nowhere"), link); err != nil {
			t.Fatal(err)
		}
		if err := CheckCreate(link); !errors.Is(err, fs.ErrExist) {
			t.Fatalf("a dangling symbolic link: %v", err)
		}
	}
}
