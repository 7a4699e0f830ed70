package cli

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mattn/go-runewidth"
)

var scanTestNow = time.Date(2026, 5, 11, 20, 0, 0, 0, time.UTC)

// Keys for the scan tests: made here, shaped as AWS makes them.
var (
	scanLongKey = "ABSK" + base64.StdEncoding.EncodeToString([]byte("alice-at-123456789012:"+
		"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldC1zZWNyZXQ="))
	scanAccessKey = "AKIAZZZZZZZZZZZZZZZZ"
)

type scanRun struct {
	stdout, stderr string
	code           int
}

// runScanTest runs scan in dir, its output width columns wide (0: a pipe).
func runScanTest(t *testing.T, dir string, width int, args ...string) scanRun {
	t.Helper()
	t.Chdir(dir)
	var out, errOut bytes.Buffer
	env := cliEnv{
		stdout: &out, stderr: &errOut,
		now:        func() time.Time { return scanTestNow },
		isTerminal: func(io.Writer) bool { return false },
		width:      func(io.Writer) int { return width },
	}
	code := execute(context.Background(), append([]string{"scan"}, args...), env)
	r := scanRun{out.String(), errOut.String(), code}
	for _, k := range []string{scanLongKey, scanAccessKey[4:], scanLongKey[12:40]} {
		if strings.Contains(r.stdout+r.stderr, k) {
			t.Fatalf("the key (or its secret part) was printed:\n%s\n%s", r.stdout, r.stderr)
		}
	}
	return r
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// scanTree is a directory with two keys in three places, a binary file and an
// empty one.
func scanTree(t *testing.T) string {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "app", "settings.env"), "# settings\nBEDROCK_KEY="+scanLongKey+"\n")
	writeFile(t, filepath.Join(dir, "docs", "notes.md"), "the key\n\n  `"+scanLongKey+"` and "+scanAccessKey+"\n")
	writeFile(t, filepath.Join(dir, "bin", "tool"), "\x7fELF\x00\x00"+scanLongKey)
	writeFile(t, filepath.Join(dir, "empty"), "")
	return dir
}

func TestScanOfflineJSON(t *testing.T) {
	r := runScanTest(t, scanTree(t), 0, "--offline", "--format", "json")
	if r.code != exitFlagged {
		t.Fatalf("exit %d, want 1 (offline: every key counts)\n%s", r.code, r.stderr)
	}
	var got struct {
		Findings []struct {
			Location, Kind, Fingerprint, User, Account, Status string
			Line, Column                                       int
			Live                                               bool
		}
		Summary map[string]any
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	var locs []string
	for _, f := range got.Findings {
		locs = append(locs, f.Location+" "+f.Kind)
		if !f.Live || f.Fingerprint == "" || !strings.HasPrefix(f.Fingerprint, f.Kind+":") {
			t.Errorf("finding %+v", f)
		}
	}
	want := "app/settings.env:2 bedrock-long-term,docs/notes.md:3 bedrock-long-term,docs/notes.md:3 access-key-id"
	if strings.Join(locs, ",") != want {
		t.Errorf("findings %s\nwant %s", strings.Join(locs, ","), want)
	}
	if f := got.Findings[1]; f.Column != 4 || f.User != "alice" || f.Account != "123456789012" {
		t.Errorf("decoded: %+v", f)
	}
	if got.Findings[0].Fingerprint != got.Findings[1].Fingerprint {
		t.Errorf("one key, two fingerprints")
	}
	if got.Summary["distinct_keys"] != 2.0 || got.Summary["skipped_binary"] != 1.0 || got.Summary["files"] != 3.0 {
		t.Errorf("summary %v", got.Summary)
	}
	if !strings.Contains(r.stderr, "read 3 files") || !strings.Contains(r.stderr, "skipped 1 binary") {
		t.Errorf("stderr: %s", r.stderr)
	}
}

func TestScanNothingFound(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.txt"), "AKIA is a prefix, ABSK too; nothing here\n")
	r := runScanTest(t, dir, 0, "--offline")
	if r.code != exitOK || !strings.Contains(r.stdout, "No key found.") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// A key given as an argument is refused without being repeated.
func TestScanRefusesAKeyAsAPath(t *testing.T) {
	r := runScanTest(t, t.TempDir(), 0, "--offline", scanLongKey)
	if r.code != exitUsage || !strings.Contains(r.stderr, "looks like a key") {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
}

func TestScanUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"--format", "xml"},
		{"--max-file-size", "lots"},
		{"--offline", "--org"},
	} {
		r := runScanTest(t, t.TempDir(), 0, args...)
		if r.code != exitUsage {
			t.Errorf("%v: exit %d: %s", args, r.code, r.stderr)
		}
	}
	r := runScanTest(t, t.TempDir(), 0, "--offline", "no-such-dir")
	if r.code != exitFailed || !strings.Contains(r.stderr, "no-such-dir") {
		t.Errorf("missing path: exit %d: %s", r.code, r.stderr)
	}
}

// The table fits the terminal: a wide one gets columns, 40 columns a block a
// finding, no line past the edge.
func TestScanTableWidths(t *testing.T) {
	dir := scanTree(t)
	wide := runScanTest(t, dir, 200, "--offline")
	if !strings.HasPrefix(wide.stdout, "LOCATION") || !strings.Contains(wide.stdout, "alice@123456789012") {
		t.Fatalf("wide:\n%s", wide.stdout)
	}
	// A little narrower than the table: the status gives up its tail.
	widest := 0
	for _, l := range strings.Split(wide.stdout, "\n") {
		widest = max(widest, runewidth.StringWidth(l))
	}
	cut := runScanTest(t, dir, widest-5, "--offline")
	if !strings.HasPrefix(cut.stdout, "LOCATION") || !strings.Contains(cut.stdout, "(--of…\n") {
		t.Errorf("a little narrower:\n%s", cut.stdout)
	}
	narrow := runScanTest(t, dir, 40, "--offline")
	for _, l := range strings.Split(narrow.stdout, "\n") {
		if runewidth.StringWidth(l) > 40 {
			t.Errorf("line wider than 40: %q", l)
		}
	}
	if !strings.Contains(narrow.stdout, "app/settings.env:2\n  key\n    bedrock-long-term:ABSK") {
		t.Errorf("narrow:\n%s", narrow.stdout)
	}
	// The fingerprint is whole, on a line of its own, at 40 columns as wide.
	fp := strings.Fields(strings.SplitN(wide.stdout, "\n", 3)[1])[1]
	if !strings.Contains(narrow.stdout, "\n    "+fp+"\n") {
		t.Errorf("narrow: the fingerprint %s is not whole:\n%s", fp, narrow.stdout)
	}
}

// A file name is untrusted text: its controls are not written raw.
func TestScanHostileFileName(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a\x1b[31m\u202e.env"), scanAccessKey+"\n")
	for _, format := range []string{"table", "json", "sarif"} {
		r := runScanTest(t, dir, 0, "--offline", "--format", format)
		if strings.ContainsAny(r.stdout, "\x1b\u202e") {
			t.Errorf("%s: a control from the file name was written raw:\n%q", format, r.stdout)
		}
		if r.code != exitFlagged {
			t.Errorf("%s: exit %d", format, r.code)
		}
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"0": 0, "100": 100, "20MiB": 20 << 20, "512KiB": 512 << 10, "1G": 1 << 30, "3 MB": 3 << 20} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-1", "MiB", "1.5MiB", "99999999999GiB"} {
		if _, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q) accepted", in)
		}
	}
}
