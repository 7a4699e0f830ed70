// Package testbin builds the iamcreds binary for tests, once per source tree.
//
// The packages of a `go test ./...` run are separate processes, and three of
// them (cli, ui, awsclient/localiam) run the real binary; each linked its own
// copy, some 3 s of CPU apiece. Build keeps one copy per source, build tags,
// toolchain and VCS stamp in a directory of the user's cache (os.UserCacheDir,
// where go keeps its build cache; os.TempDir if there is none), so the first
// process to ask builds it and the others (and the next run, if nothing
// changed) use it. Only tests import this package.
package testbin

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"
)

const (
	// buildTimeout bounds one go build, under -race on a loaded machine too.
	buildTimeout = 5 * time.Minute
	// staleLock is when a lock file is taken for one whose builder died.
	staleLock = buildTimeout + time.Minute
	// unusedFor is when an entry nobody has asked for is removed. Each Build
	// call marks its entry used, and no test outlives go test's default -timeout
	// (10m), so an entry this old is not being run.
	unusedFor = 30 * time.Minute
)

// builds holds this process's builds by tags: each is built (or found) once.
var builds struct {
	sync.Mutex
	byTags map[string]*built
}

type built struct {
	once sync.Once
	path string
	err  error
}

// Build returns the path of iamcreds built with tags (comma-separated, "" for
// none) from the module holding the working directory (go test runs a test in
// its package's directory), building it if no process has yet. A failed build
// is not tried again in this process.
//
// The binary carries VCS information (-buildvcs=true) when git can read the
// checkout, as a user's build would; the entry's key then holds HEAD and
// whether the tree is dirty, which is what the stamp says.
func Build(tags string) (string, error) {
	builds.Lock()
	if builds.byTags == nil {
		builds.byTags = map[string]*built{}
	}
	b := builds.byTags[tags]
	if b == nil {
		b = &built{}
		builds.byTags[tags] = b
	}
	builds.Unlock()
	b.once.Do(func() { b.path, b.err = build(tags) })
	if b.err == nil {
		touch(filepath.Dir(b.path)) // in use: not to be removed
	}
	return b.path, b.err
}

func build(tags string) (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		return "", err
	}
	vcsFlag, vcsKey := vcs(root)
	key, err := sourceKey(root, goTool, tags, vcsFlag, vcsKey)
	if err != nil {
		return "", err
	}
	parent := cacheDir()
	if err := os.MkdirAll(parent, 0o700); err != nil {
		return "", err
	}
	dir := filepath.Join(parent, key)
	bin := filepath.Join(dir, exe("iamcreds"))
	for {
		if err := waitForBuild(dir+".lock", bin, func() error {
			return goBuild(goTool, root, parent, key, tags, vcsFlag)
		}); err != nil {
			return "", err
		}
		touch(dir)
		if _, err := os.Stat(bin); err == nil { // not removed as unused just before the touch
			break
		}
	}
	removeUnused(parent)
	return bin, nil
}

// waitForBuild runs build holding the lock unless bin already exists; another
// process holding the lock is waited for. A lock older than staleLock was left
// by a builder that died, and is taken over.
func waitForBuild(lock, bin string, build func() error) error {
	for {
		if _, err := os.Stat(bin); err == nil {
			return nil
		}
		f, err := os.OpenFile(lock, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			fmt.Fprintf(f, "pid %d\n", os.Getpid())
			f.Close()
			defer os.Remove(lock)
			if _, err := os.Stat(bin); err == nil { // built between the Stat and the lock
				return nil
			}
			return build()
		}
		if !errors.Is(err, fs.ErrExist) {
			return err
		}
		if st, err := os.Stat(lock); err == nil && time.Since(st.ModTime()) > staleLock {
			os.Remove(lock)
			continue
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// goBuild builds into a fresh directory beside the entry and renames it into
// place, so that no process ever sees a half-written binary.
func goBuild(goTool, root, parent, key, tags, vcsFlag string) error {
	tmp, err := os.MkdirTemp(parent, key+".tmp-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp) // empty after the rename
	ctx, cancel := context.WithTimeout(context.Background(), buildTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, goTool, "build", "-tags", tags, vcsFlag, "-o", filepath.Join(tmp, exe("iamcreds")), ".")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build -tags %q %s: %v\n%s", tags, vcsFlag, err, out)
	}
	return os.Rename(tmp, filepath.Join(parent, key))
}

// moduleRoot is the nearest directory above the working directory with a go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", errors.New("testbin: no go.mod above the working directory")
		}
		dir = up
	}
}

// vcs is the -buildvcs flag and what the stamp will say: HEAD and whether the
// tree is dirty (go build's own test: git status --porcelain prints anything).
// Without git, or outside a checkout git can read, no stamp.
func vcs(root string) (flag, key string) {
	gitOut := func(args ...string) (string, error) {
		cmd := exec.Command("git", args...)
		cmd.Dir = root
		out, err := cmd.Output()
		return strings.TrimSpace(string(out)), err
	}
	head, err := gitOut("rev-parse", "HEAD")
	if err != nil {
		return "-buildvcs=false", "no vcs"
	}
	status, err := gitOut("status", "--porcelain")
	if err != nil {
		return "-buildvcs=false", "no vcs"
	}
	return "-buildvcs=true", fmt.Sprintf("%s dirty=%v", head, status != "")
}

// sourceKey hashes what the binary is made of: the module's non-test Go, C and
// assembly files, go.mod and go.sum, the tags, the toolchain and the settings
// that change a build. A file the program embeds (//go:embed; none yet) would
// have to be added to source.
func sourceKey(root, goTool, tags, vcsFlag, vcsKey string) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "testbin 1\nroot %s\ngo %s %s\ntags %q\nvcs %s %s\n", root, runtime.Version(), goTool, tags, vcsFlag, vcsKey)
	if st, err := os.Stat(goTool); err == nil {
		fmt.Fprintf(h, "go tool %d %d\n", st.Size(), st.ModTime().UnixNano())
	}
	for _, v := range []string{"GOFLAGS", "GOOS", "GOARCH", "GOAMD64", "GOARM", "GOARM64", "CGO_ENABLED",
		"GOEXPERIMENT", "GOTOOLCHAIN", "GOWORK", "CC", "CGO_CFLAGS", "CGO_LDFLAGS"} {
		fmt.Fprintf(h, "%s=%q\n", v, os.Getenv(v))
	}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			// go build ignores these directories, and a nested module is not ours.
			if path != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata") {
				return filepath.SkipDir
			}
			if path != root {
				if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
					return filepath.SkipDir
				}
			}
			return nil
		}
		if !source(name) {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		fmt.Fprintf(h, "file %s\n", filepath.ToSlash(rel))
		_, err = io.Copy(h, f)
		return err
	})
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil))[:24], nil
}

// source reports whether a file can change the binary (tests cannot).
func source(name string) bool {
	if name == "go.mod" || name == "go.sum" {
		return true
	}
	if strings.HasSuffix(name, "_test.go") {
		return false
	}
	switch filepath.Ext(name) {
	case ".go", ".s", ".c", ".h":
		return true
	}
	return false
}

// touch marks an entry as used now.
func touch(dir string) {
	now := time.Now()
	_ = os.Chtimes(dir, now, now)
}

// removeUnused removes entries, leftover build directories and locks that
// nobody has used for unusedFor. An entry in use on Windows cannot be removed;
// the error is ignored and the next build tries again.
func removeUnused(parent string) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || time.Since(info.ModTime()) < unusedFor {
			continue
		}
		_ = os.RemoveAll(filepath.Join(parent, e.Name()))
	}
}

// cacheDir is where the entries live: the user's own cache, not a directory of
// the shared temporary one where another user could put a binary first.
func cacheDir() string {
	if dir, err := os.UserCacheDir(); err == nil {
		return filepath.Join(dir, "iamcreds-testbin")
	}
	return filepath.Join(os.TempDir(), fmt.Sprintf("iamcreds-testbin-%d", os.Getuid()))
}

func exe(name string) string {
	if runtime.GOOS == "windows" {
		return name + ".exe"
	}
	return name
}
