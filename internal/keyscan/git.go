package keyscan

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// ScanGit searches the lines every commit on every ref added (`git log -p
// --all`, oldest first) in the repository dir is in, and calls emit once for
// each distinct key: at the first commit, path and line that added it, with
// Count the number of added lines carrying it. A key a later commit removed is
// found all the same. Paths are the repository's, relative to the working
// directory when the repository is under it.
//
// --all is every ref: branches, tags, remote-tracking branches, the stash and
// notes; not the reflog or unreachable objects. A merge's own diff is not read
// (git log's default): what it brings was added by the commits it merges.
// Binary changes ("Binary files differ") carry no lines.
func ScanGit(ctx context.Context, dir string, opt Options, emit func(Hit)) (Stats, error) {
	if opt.Find == nil {
		return Stats{}, errors.New("keyscan: no Finder")
	}
	git := opt.git()
	root, err := RepoRoot(ctx, dir, opt)
	if err != nil {
		return Stats{}, err
	}
	cwd, _ := os.Getwd()
	prefix := showPath(root, cwd)
	if prefix == "." {
		prefix = ""
	} else {
		prefix += "/"
	}
	cmd := gitCommand(ctx, git, root, "log", "--all", "--reverse", "-p", "--unified=0",
		"--no-color", "--no-ext-diff", "--no-textconv", "--src-prefix=a/", "--dst-prefix=b/",
		"--format=commit %H")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return Stats{}, err
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return Stats{}, err
	}
	first := map[string]*Hit{}
	var order []string
	st, perr := parseLog(out, newSearcher(opt.Find), func(h Hit) {
		if prev, ok := first[h.Key]; ok {
			prev.Count++
			return
		}
		h.Path = prefix + h.Path
		first[h.Key] = &h
		order = append(order, h.Key)
	})
	if perr != nil {
		_, _ = io.Copy(io.Discard, out)
	}
	werr := cmd.Wait()
	if err := ctx.Err(); err != nil {
		return st, err
	}
	if perr != nil {
		return st, perr
	}
	if werr != nil {
		msg := firstLine(stderr.String())
		if strings.Contains(msg, "does not have any commits") {
			return st, nil // an empty repository: no history to read
		}
		return st, fmt.Errorf("git log in %s: %v: %s", root, werr, msg)
	}
	for _, k := range order {
		emit(*first[k])
	}
	return st, nil
}

// RepoRoot is the top of the work tree path (a file or a directory) is in.
func RepoRoot(ctx context.Context, path string, opt Options) (string, error) {
	dir := path
	if info, err := os.Stat(path); err == nil && !info.IsDir() {
		dir = filepath.Dir(path)
	}
	top, err := gitCommand(ctx, opt.git(), dir, "rev-parse", "--show-toplevel").Output()
	if err != nil {
		return "", fmt.Errorf("%s is not in a git work tree git can read: %s", path, gitErr(err))
	}
	return filepath.FromSlash(strings.TrimRight(string(top), "\r\n")), nil
}

// gitErr is what git said on stderr, or err.
func gitErr(err error) string {
	var ee *exec.ExitError
	if errors.As(err, &ee) && len(ee.Stderr) > 0 {
		return firstLine(string(ee.Stderr))
	}
	return err.Error()
}

// parseLog reads `git log -p --unified=0 --format="commit %H"` and calls fn for
// every key in an added line. The hunk headers' counts tell the added and
// removed lines apart from the next file's headers, so an added line that
// reads "++ x" (shown "+++ x") is not taken for one.
func parseLog(r io.Reader, s *searcher, fn func(Hit)) (Stats, error) {
	var st Stats
	br := bufio.NewReaderSize(r, 1<<20)
	var (
		commit, path     string
		oldLeft, newLeft int // lines of the current hunk still to come
		line             int // the new file's number of the next added line
		long             []byte
	)
	for {
		b, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull { // a line longer than the buffer
			long = append(long[:0], b...)
			for err == bufio.ErrBufferFull {
				b, err = br.ReadSlice('\n')
				long = append(long, b...)
			}
			b = long
		}
		if len(b) == 0 {
			if err == io.EOF {
				return st, nil
			}
			if err != nil {
				return st, err
			}
			continue
		}
		b = bytes.TrimSuffix(b, nl)
		switch {
		case oldLeft > 0 || newLeft > 0:
			switch b[0] {
			case '+':
				if newLeft > 0 {
					newLeft--
					s.search(b[1:], func(sp span) {
						fn(Hit{Key: string(b[1+sp.start : 1+sp.end]), Path: path, Line: line,
							Column: sp.column, Commit: commit, Count: 1})
					})
					line++
				}
			case '-':
				if oldLeft > 0 {
					oldLeft--
				}
			case '\\': // "\ No newline at end of file"
			default:
				oldLeft, newLeft = 0, 0 // out of step: read it as a header
				header(b, &commit, &path, &st, &oldLeft, &newLeft, &line)
			}
		default:
			header(b, &commit, &path, &st, &oldLeft, &newLeft, &line)
		}
		if err == io.EOF {
			return st, nil
		}
		if err != nil {
			return st, err
		}
	}
}

// header reads a line outside a hunk: a commit, a file's "+++" or a hunk's "@@".
func header(b []byte, commit, path *string, st *Stats, oldLeft, newLeft, line *int) {
	switch {
	case bytes.HasPrefix(b, []byte("commit ")):
		*commit = string(b[len("commit "):])
		*path = ""
		st.Commits++
	case bytes.HasPrefix(b, []byte("diff --git ")):
		*path = ""
	case bytes.HasPrefix(b, []byte("+++ ")):
		*path = diffPath(string(b[4:]))
	case bytes.HasPrefix(b, []byte("@@ ")):
		*oldLeft, *newLeft, *line = hunkCounts(b)
	}
}

// diffPath is the path of a "+++ b/path" line: unquoted when git quoted it,
// "" for /dev/null.
func diffPath(s string) string {
	if s == "/dev/null" {
		return ""
	}
	if strings.HasPrefix(s, `"`) {
		if u, err := strconv.Unquote(s); err == nil {
			s = u
		}
	}
	s = strings.TrimSuffix(s, "\t") // git ends a path with a space or tab in it with a tab
	return strings.TrimPrefix(s, "b/")
}

// hunkCounts reads "@@ -a[,b] +c[,d] @@": the removed and added line counts
// (1 when omitted) and the first added line's number.
func hunkCounts(b []byte) (old, added, start int) {
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return 0, 0, 0
	}
	_, old = rangeOf(strings.TrimPrefix(f[1], "-"))
	start, added = rangeOf(strings.TrimPrefix(f[2], "+"))
	return old, added, start
}

func rangeOf(s string) (start, count int) {
	a, b, ok := strings.Cut(s, ",")
	start, _ = strconv.Atoi(a)
	count = 1
	if ok {
		count, _ = strconv.Atoi(b)
	}
	return start, count
}
