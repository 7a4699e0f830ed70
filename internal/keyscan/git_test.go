package keyscan

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// gitRepo makes an empty repository in a new directory, git isolated from the
// machine's configuration.
func gitRepo(t *testing.T) (dir string, run func(args ...string)) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("git is not installed: CI must install it")
		}
		t.Skip("git is not installed")
	}
	t.Setenv("GIT_CONFIG_GLOBAL", filepath.Join(t.TempDir(), "gitconfig"))
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_AUTHOR_NAME", "t")
	t.Setenv("GIT_AUTHOR_EMAIL", "t@example.com")
	t.Setenv("GIT_COMMITTER_NAME", "t")
	t.Setenv("GIT_COMMITTER_EMAIL", "t@example.com")
	dir = t.TempDir()
	run = func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	run("init", "-q", "-b", "main")
	return dir, run
}

// In a work tree a directory's files are git's: .gitignore (nested too) and
// info/exclude honoured, untracked files read; a file named is read anyway.
func TestScanPathsHonoursGitignore(t *testing.T) {
	dir, run := gitRepo(t)
	write(t, filepath.Join(dir, ".gitignore"), "*.log\nbuild/\n")
	write(t, filepath.Join(dir, "src", ".gitignore"), "local.env\n")
	write(t, filepath.Join(dir, ".git", "info", "exclude"), "scratch.txt\n")
	write(t, filepath.Join(dir, "app.log"), key1)
	write(t, filepath.Join(dir, "build", "out.txt"), key1)
	write(t, filepath.Join(dir, "src", "local.env"), key1)
	write(t, filepath.Join(dir, "scratch.txt"), key1)
	write(t, filepath.Join(dir, "src", "main.go"), "// "+key2+"\n")
	write(t, filepath.Join(dir, "untracked.txt"), "\n"+key2)
	run("add", "src/main.go")
	run("commit", "-qm", "one")
	got, _ := scanDir(t, dir, Options{})
	want := []string{"src/main.go:1:4 " + key2, "untracked.txt:2:1 " + key2}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// A subdirectory of the work tree: its files, paths from the working directory.
	got, _ = scanDir(t, dir, Options{}, "src")
	if strings.Join(got, "\n") != "src/main.go:1:4 "+key2 {
		t.Fatalf("src: %v", got)
	}
	// Named: read although ignored.
	got, _ = scanDir(t, dir, Options{}, "app.log")
	if strings.Join(got, "\n") != "app.log:1:1 "+key1 {
		t.Fatalf("app.log: %v", got)
	}
	// --no-ignore: everything but .git.
	got, _ = scanDir(t, dir, Options{NoIgnore: true})
	if len(got) != 6 {
		t.Fatalf("no-ignore: %d hits: %v", len(got), got)
	}
}

func scanGit(t *testing.T, dir string) []Hit {
	t.Helper()
	t.Chdir(dir)
	var hits []Hit
	_, err := ScanGit(context.Background(), ".", Options{Find: stubFind}, func(h Hit) { hits = append(hits, h) })
	if err != nil {
		t.Fatal(err)
	}
	return hits
}

// The history: added lines only, every ref, a key a later commit removed, a
// key added again counted, not reported twice.
func TestScanGitHistory(t *testing.T) {
	dir, run := gitRepo(t)
	commit := func(msg string) string {
		run("add", "-A")
		run("commit", "-qm", msg)
		out, err := exec.Command("git", "-C", dir, "rev-parse", "HEAD").Output()
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(string(out))
	}
	write(t, filepath.Join(dir, "a.txt"), "one\ntwo\n")
	commit("start")
	write(t, filepath.Join(dir, "a.txt"), "one\nkey = "+key1+"\ntwo\n")
	c1 := commit("leak")
	write(t, filepath.Join(dir, "a.txt"), "one\ntwo\n")
	commit("remove it")
	write(t, filepath.Join(dir, "b c.txt"), "x\ny\n++ "+key1+"\n") // again, elsewhere: counted
	commit("again")
	run("checkout", "-qb", "side")
	write(t, filepath.Join(dir, "side.txt"), "\n\n\n"+key2+"\n")
	c2 := commit("on a branch")
	run("checkout", "-q", "main")
	write(t, filepath.Join(dir, "a.txt"), "one\n") // removes "two": a removed line is not read
	commit("trim")
	run("tag", "v1")

	hits := scanGit(t, dir)
	if len(hits) != 2 {
		t.Fatalf("want 2 distinct keys, got %+v", hits)
	}
	h := hits[0]
	if h.Key != key1 || h.Commit != c1 || h.Path != "a.txt" || h.Line != 2 || h.Column != 7 || h.Count != 2 {
		t.Errorf("first key: %+v; want a.txt:2:7 in %s, twice", h, c1)
	}
	h = hits[1]
	if h.Key != key2 || h.Commit != c2 || h.Path != "side.txt" || h.Line != 4 || h.Count != 1 {
		t.Errorf("second key: %+v; want side.txt:4 in %s", h, c2)
	}
}

func TestScanGitEmptyRepoAndNotARepo(t *testing.T) {
	dir, _ := gitRepo(t)
	if hits := scanGit(t, dir); len(hits) != 0 {
		t.Fatalf("empty repository: %v", hits)
	}
	t.Chdir(t.TempDir())
	_, err := ScanGit(context.Background(), ".", Options{Find: stubFind}, func(Hit) {})
	if err == nil || !strings.Contains(err.Error(), "not in a git work tree") {
		t.Fatalf("not a repository: %v", err)
	}
}

func TestParseLogQuotedPathAndHunks(t *testing.T) {
	log := "commit abc\n\ndiff --git a/x b/x\nnew file mode 100644\n--- /dev/null\n" +
		"+++ \"b/we\\\"ird\\tname\"\n@@ -0,0 +1,2 @@\n+hello\n++++ " + key2 + "\n" +
		"diff --git a/y b/y\n--- a/y\n+++ b/y\n@@ -3 +3,0 @@\n-" + key1 + "\n@@ -10,2 +9 @@\n-a\n-b\n+" + key3 + "\n" +
		"\\ No newline at end of file\n"
	var got []string
	st, err := parseLog(strings.NewReader(log), newSearcher(stubFind), func(h Hit) {
		got = append(got, h.Location()+" "+h.Key)
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"abc:we\"ird\tname:2 " + key2, "abc:y:9 " + key3}
	if strings.Join(got, "\n") != strings.Join(want, "\n") || st.Commits != 1 {
		t.Fatalf("got\n%s\nwant\n%s (commits %d)", strings.Join(got, "\n"), strings.Join(want, "\n"), st.Commits)
	}
}

// A tree that is no repository but holds some: each is read as git sees it.
func TestScanPathsReposInsideATree(t *testing.T) {
	dir, run := gitRepo(t) // the repository, then a tree around it
	tree := t.TempDir()
	write(t, filepath.Join(dir, ".gitignore"), "node_modules/\n")
	write(t, filepath.Join(dir, "node_modules", "x", "k.js"), key1)
	write(t, filepath.Join(dir, "src", "k.go"), key2)
	run("add", "-A")
	run("commit", "-qm", "one")
	if err := os.Rename(dir, filepath.Join(tree, "repo")); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(tree, "loose", "node_modules", "k.txt"), key2) // no repository: read
	got, _ := scanDir(t, tree, Options{})
	want := []string{"loose/node_modules/k.txt:1:1 " + key2, "repo/src/k.go:1:1 " + key2}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
