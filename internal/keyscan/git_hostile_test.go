package keyscan

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// hostileProgram is a script that leaves a mark when something runs it.
func hostileProgram(t *testing.T) (prog, mark string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the marker program is a shell script")
	}
	dir := t.TempDir()
	mark = filepath.Join(dir, "ran")
	prog = filepath.Join(dir, "prog.sh")
	write(t, prog, "#!/bin/sh\necho \"$0 $*\" >> '"+mark+"'\nexit 1\n")
	if err := os.Chmod(prog, 0o755); err != nil {
		t.Fatal(err)
	}
	return prog, mark
}

func gitOut(t *testing.T, dir string, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git %s: %v", strings.Join(args, " "), err)
	}
	return strings.TrimSpace(string(out))
}

// A scanned repository is untrusted: nothing in its configuration may start a
// program — fsmonitor, an external diff, a textconv filter, a signature check
// (log.showSignature runs gpg.program), or a partial clone's lazy fetch of a
// missing object (which runs core.sshCommand).
func TestScanGitRunsNoProgramOfTheRepository(t *testing.T) {
	dir, run := gitRepo(t)
	prog, mark := hostileProgram(t)
	write(t, filepath.Join(dir, "k.env"), "KEY="+key1+"\n")
	write(t, filepath.Join(dir, ".gitattributes"), "*.env diff=evil\n")
	run("add", "-A")
	run("commit", "-qm", "one")
	// A commit that claims a signature, and one whose blob is missing.
	head := gitOut(t, dir, "", "rev-parse", "HEAD")
	tree := gitOut(t, dir, "", "rev-parse", "HEAD^{tree}")
	signed := gitOut(t, dir, "tree "+tree+"\nparent "+head+"\nauthor t <t@example.com> 1 +0000\n"+
		"committer t <t@example.com> 1 +0000\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n iQ==\n -----END PGP SIGNATURE-----\n\nsigned\n",
		"hash-object", "-t", "commit", "-w", "--stdin")
	blob := gitOut(t, dir, "not stored\n", "hash-object", "--stdin")
	missing := gitOut(t, dir, "100644 blob "+blob+"\tmissing.txt\n", "mktree", "--missing")
	lazy := gitOut(t, dir, "", "commit-tree", missing, "-p", signed, "-m", "lazy")
	run("update-ref", "refs/heads/main", lazy)
	for _, kv := range [][2]string{
		{"core.fsmonitor", prog}, {"diff.external", prog},
		{"diff.evil.textconv", prog}, {"diff.evil.command", prog},
		{"log.showSignature", "true"}, {"gpg.program", prog},
		{"core.repositoryformatversion", "1"}, {"extensions.partialClone", "origin"},
		{"remote.origin.url", "ssh://example.invalid/x"}, {"remote.origin.promisor", "true"},
		{"core.sshCommand", prog},
	} {
		run("config", kv[0], kv[1])
	}
	t.Chdir(dir)
	_, _ = ScanGit(t.Context(), ".", Options{Find: stubFind}, func(Hit) {})
	_, _ = scanDir(t, dir, Options{})
	if b, err := os.ReadFile(mark); err == nil {
		t.Fatalf("the repository's configuration ran a program:\n%s", b)
	}
}

// git's reason is its fatal line, not a warning printed before it.
func TestFirstLineIsGitsReason(t *testing.T) {
	for in, want := range map[string]string{
		"warning: lazy fetching disabled; some objects may not be available\nfatal: bad object abc\n": "fatal: bad object abc",
		"fatal: not a git repository\n":      "fatal: not a git repository",
		"hint: x\nerror: could not read y\n": "error: could not read y",
		"something else\nand more":           "something else",
	} {
		if got := firstLine(in); got != want {
			t.Errorf("firstLine(%q) = %q, want %q", in, got, want)
		}
	}
}
