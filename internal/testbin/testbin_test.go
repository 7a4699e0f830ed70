package testbin

import (
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Processes that ask at once build once; the others wait and use the result.
func TestWaitForBuildBuildsOnce(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "entry", "iamcreds")
	var builds atomic.Int32
	build := func() error {
		builds.Add(1)
		time.Sleep(50 * time.Millisecond)
		if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
			return err
		}
		return os.WriteFile(bin, []byte("binary"), 0o755)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := waitForBuild(filepath.Join(dir, "entry.lock"), bin, build); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := builds.Load(); n != 1 {
		t.Fatalf("%d builds, want 1", n)
	}
	if _, err := os.Stat(filepath.Join(dir, "entry.lock")); !os.IsNotExist(err) {
		t.Fatalf("the lock is still there: %v", err)
	}
}

// A lock left by a builder that died is taken over once it is stale; a fresh
// one is waited for.
func TestWaitForBuildTakesAStaleLock(t *testing.T) {
	dir := t.TempDir()
	lock, bin := filepath.Join(dir, "entry.lock"), filepath.Join(dir, "iamcreds")
	if err := os.WriteFile(lock, []byte("pid 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-staleLock - time.Minute)
	if err := os.Chtimes(lock, old, old); err != nil {
		t.Fatal(err)
	}
	built := false
	err := waitForBuild(lock, bin, func() error { built = true; return os.WriteFile(bin, nil, 0o755) })
	if err != nil || !built {
		t.Fatalf("built %v, err %v", built, err)
	}
}

// Entries unused for unusedFor go; a recent one stays.
func TestRemoveUnused(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"old", "new"} {
		if err := os.MkdirAll(filepath.Join(dir, name), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-unusedFor - time.Minute)
	if err := os.Chtimes(filepath.Join(dir, "old"), old, old); err != nil {
		t.Fatal(err)
	}
	removeUnused(dir)
	if _, err := os.Stat(filepath.Join(dir, "old")); !os.IsNotExist(err) {
		t.Errorf("the unused entry is still there: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "new")); err != nil {
		t.Errorf("the recent entry is gone: %v", err)
	}
}

// Only what go build reads changes the key: a test file does not.
func TestSourceFiles(t *testing.T) {
	for name, want := range map[string]bool{"main.go": true, "go.mod": true, "go.sum": true, "asm_amd64.s": true,
		"main_test.go": false, "README.md": false, "shot.png": false} {
		if got := source(name); got != want {
			t.Errorf("source(%q) = %v, want %v", name, got, want)
		}
	}
}
