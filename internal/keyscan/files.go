package keyscan

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

// smallFile is the size read in one go, binary or not: one read(2) costs less
// than two for a file this small.
const smallFile = 64 << 10

// job is one file to read: the path to open and the path to report.
type job struct{ open, show string }

// ScanPaths searches the files under paths (a file named is read even when
// .gitignore excludes it; a directory is walked) and calls emit for every key,
// from several goroutines one at a time. Inside a git work tree a directory's
// files are the ones git lists (`git ls-files --cached --others
// --exclude-standard`): tracked files, and untracked ones .gitignore, the
// repository's info/exclude and the global excludes file do not exclude —
// exactly what git would add. Outside a work tree every file is read, but a
// repository found inside the tree is read as git sees it; .git directories
// never are, nor symbolic links followed.
func ScanPaths(ctx context.Context, paths []string, opt Options, emit func(Hit)) (Stats, error) {
	if opt.Find == nil {
		return Stats{}, errors.New("keyscan: no Finder")
	}
	cwd, _ := os.Getwd()
	jobs := make(chan job, 256)
	var (
		mu    sync.Mutex
		total Stats
		wg    sync.WaitGroup
	)
	emitLocked := func(h Hit) { mu.Lock(); emit(h); mu.Unlock() }
	for range opt.workers() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st := scanFiles(ctx, jobs, opt, newSearcher(opt.Find), emitLocked)
			mu.Lock()
			total.add(st)
			mu.Unlock()
		}()
	}
	var walkErr error
	for _, p := range paths {
		if err := listFiles(ctx, p, cwd, opt, jobs); err != nil {
			walkErr = err
			break
		}
	}
	close(jobs)
	wg.Wait()
	if walkErr == nil {
		walkErr = ctx.Err()
	}
	return total, walkErr
}

// scanFiles reads the files of jobs with one buffer, reused.
func scanFiles(ctx context.Context, jobs <-chan job, opt Options, s *searcher, emit func(Hit)) Stats {
	var st Stats
	var buf []byte
	limit := opt.maxSize()
	for j := range jobs {
		if ctx.Err() != nil {
			continue // drain
		}
		var ok bool
		var err error
		buf, ok, err = readFile(j.open, buf, limit, &st)
		if err != nil {
			st.Unreadable++
			if len(st.FirstErrors) < 5 {
				st.FirstErrors = append(st.FirstErrors, fmt.Sprintf("%s: %v", j.show, describe(err)))
			}
			continue
		}
		if !ok {
			continue // skipped and counted
		}
		st.Files++
		st.Bytes += int64(len(buf))
		s.search(buf, func(sp span) {
			emit(Hit{Key: string(buf[sp.start:sp.end]), Path: j.show, Line: sp.line, Column: sp.column, Count: 1})
		})
	}
	return st
}

// describe is err without the path it repeats (the report names the file).
func describe(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Op + ": " + pe.Err.Error()
	}
	return err.Error()
}

// readFile reads the file at path into buf (grown as needed) and returns its
// bytes; ok is false when it is skipped (too large, binary, not a regular
// file: counted in st) or unreadable (err).
func readFile(path string, buf []byte, limit int64, st *Stats) (b []byte, ok bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return buf[:0], false, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return buf[:0], false, err
	}
	if !info.Mode().IsRegular() {
		return buf[:0], false, nil
	}
	size := info.Size()
	if size > limit {
		st.Large++
		return buf[:0], false, nil
	}
	if int64(cap(buf)) < size {
		buf = make([]byte, 0, size+size/8+512)
	}
	buf = buf[:0]
	// A small file in one read; a larger one's first 8 KiB first, so that a
	// binary one is skipped without reading the rest. The read stops at the
	// size Stat gave: a file that grows meanwhile is read as it was.
	first := int64(binarySniff)
	if size <= smallFile {
		first = size
	}
	for int64(len(buf)) < size {
		want := size
		if len(buf) == 0 {
			want = min(size, first)
		}
		n, err := f.Read(buf[len(buf):want])
		buf = buf[:len(buf)+n]
		if n > 0 && len(buf)-n < binarySniff && isBinary(buf) {
			st.Binary++
			return buf[:0], false, nil
		}
		if err == io.EOF {
			break // shrank meanwhile: what there is
		}
		if err != nil {
			return buf[:0], false, err
		}
	}
	return buf, true, nil
}

// listFiles sends the files under root to jobs.
func listFiles(ctx context.Context, root, cwd string, opt Options, jobs chan<- job) error {
	info, err := os.Stat(root) // a link named on the command line is followed
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return send(ctx, jobs, job{open: root, show: showPath(root, cwd)})
	}
	if !opt.NoIgnore {
		if ok, err := listGitFiles(ctx, root, cwd, opt, jobs); ok || err != nil {
			return err
		}
	}
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root {
				return err
			}
			return nil // an unreadable directory: skipped, as grep -r would go on
		}
		if d.IsDir() {
			switch {
			case p == root:
			case d.Name() == ".git":
				return filepath.SkipDir
			case !opt.NoIgnore && hasGitDir(p):
				// A repository inside the tree: its files as git sees them.
				if ok, err := listGitFiles(ctx, p, cwd, opt, jobs); ok || err != nil {
					if err != nil && ctx.Err() == nil {
						return nil // git refused it (not a repository after all): skip it, as grep -r goes on
					}
					return cmp.Or(ctx.Err(), filepath.SkipDir)
				}
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil // symbolic links, devices, sockets
		}
		return send(ctx, jobs, job{open: p, show: showPath(p, cwd)})
	})
}

func send(ctx context.Context, jobs chan<- job, j job) error {
	select {
	case jobs <- j:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// hasGitDir reports whether dir holds a .git (a directory, or a file as in a
// linked work tree or a submodule).
func hasGitDir(dir string) bool {
	_, err := os.Lstat(filepath.Join(dir, ".git"))
	return err == nil
}

// listGitFiles lists dir's files the way git sees them when dir is inside a
// work tree; ok is false when it is not (or git is missing).
func listGitFiles(ctx context.Context, dir, cwd string, opt Options, jobs chan<- job) (ok bool, err error) {
	if !insideWorkTree(ctx, opt.git(), dir) {
		return false, nil
	}
	cmd := gitCommand(ctx, opt.git(), dir, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return true, err
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return true, err
	}
	r := bufio.NewReaderSize(out, 64<<10)
	var sendErr error
	for {
		name, err := r.ReadString(0)
		if err != nil {
			break
		}
		name = name[:len(name)-1]
		if name == "" || sendErr != nil {
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(name))
		if fi, err := os.Lstat(p); err != nil || !fi.Mode().IsRegular() {
			continue // deleted but tracked, a link (not followed), a submodule
		}
		sendErr = send(ctx, jobs, job{open: p, show: showPath(p, cwd)})
	}
	if err := cmd.Wait(); err != nil && sendErr == nil {
		return true, fmt.Errorf("git ls-files in %s: %v: %s", dir, err, firstLine(stderr.String()))
	}
	return true, sendErr
}

// insideWorkTree is whether git sees dir as part of a work tree.
func insideWorkTree(ctx context.Context, git, dir string) bool {
	out, err := gitCommand(ctx, git, dir, "rev-parse", "--is-inside-work-tree").Output()
	return err == nil && strings.TrimSpace(string(out)) == "true"
}

// gitCommand is git run in dir with nothing in the repository's own
// configuration able to start a program: a scanned repository is untrusted.
func gitCommand(ctx context.Context, git, dir string, args ...string) *exec.Cmd {
	base := []string{"-C", dir,
		"-c", "core.fsmonitor=false", "-c", "core.quotePath=false",
		"-c", "diff.external=", "-c", "core.pager=cat"}
	cmd := exec.CommandContext(ctx, git, append(base, args...)...)
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "GIT_PAGER=cat", "GIT_EXTERNAL_DIFF=", "GIT_OPTIONAL_LOCKS=0")
	return cmd
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// showPath is p as a report names it: relative to cwd when under it, with
// forward slashes.
func showPath(p, cwd string) string {
	if cwd != "" {
		abs, err := filepath.Abs(p)
		if err == nil {
			if rel, err := filepath.Rel(cwd, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				p = rel
			}
		}
	}
	return filepath.ToSlash(p)
}
