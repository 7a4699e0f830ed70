package keyscan

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// stubKeys stands in for model.FindKeys here: a prefix and 16+ key characters.
var stubKeys = regexp.MustCompile(`(ABSK|AEAA|AKIA|ASIA|bedrock-api-key-|aws-external-anthropic-api-key-)[A-Za-z0-9+/=]{16,}`)

func stubFind(b []byte) [][2]int {
	var out [][2]int
	for _, m := range stubKeys.FindAllIndex(b, -1) {
		out = append(out, [2]int{m[0], m[1]})
	}
	return out
}

const (
	key1 = "ABSKQmVkcm9ja0FQSUtleS1hbGljZS1hdC0xMjM0NTY3ODkwMTI6c2VjcmV0"
	key2 = "AKIAIOSFODNN7EXAMPLE"
	key4 = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldY"
	key3 = "bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29tLz9BY3Rpb249Q2FsbFdpdGhCZWFyZXJUb2tlbg=="
)

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// scanDir scans dir (from within it, so paths are relative) and returns the
// hits as "path:line:col key" sorted.
func scanDir(t *testing.T, dir string, opt Options, paths ...string) ([]string, Stats) {
	t.Helper()
	t.Chdir(dir)
	if opt.Find == nil {
		opt.Find = stubFind
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	var got []string
	st, err := ScanPaths(context.Background(), paths, opt, func(h Hit) {
		got = append(got, h.Location()+":"+itoa(h.Column)+" "+h.Key)
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(got)
	return got, st
}

func TestSearchLinesAndColumns(t *testing.T) {
	s := newSearcher(stubFind)
	text := "first line\n\nx = \"" + key1 + "\" # and " + key2 + "\n" +
		strings.Repeat("filler AKIA short\n", 3) + "\t" + key3 + "\n-api-key--api-key-aws-external-anthropic-api-key-" +
		key4 + "\nlast ABSK"
	var got []string
	s.search([]byte(text), func(sp span) {
		got = append(got, itoa(sp.line)+":"+itoa(sp.column)+" "+text[sp.start:sp.end])
	})
	want := []string{"3:6 " + key1, "3:" + itoa(6+len(key1)+8) + " " + key2, "7:2 " + key3, "8:19 aws-external-anthropic-api-key-" + key4}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A line longer than the window: keys past it, and one across its edge, are
// each found once.
func TestSearchLongLine(t *testing.T) {
	s := newSearcher(stubFind)
	var b strings.Builder
	var want []string
	for i := 0; b.Len() < 3*maxAfter; i++ {
		b.WriteString(strings.Repeat("z", 997+i*13))
		b.WriteString(" ")
		want = append(want, "1:"+itoa(b.Len()+1))
		b.WriteString(key1)
		b.WriteString(" ")
	}
	text := b.String()
	var got []string
	s.search([]byte(text), func(sp span) {
		if text[sp.start:sp.end] != key1 {
			t.Errorf("at %d: found %q", sp.start, text[sp.start:sp.end])
		}
		got = append(got, itoa(sp.line)+":"+itoa(sp.column))
	})
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("got %d hits %v\nwant %d %v", len(got), got, len(want), want)
	}
}

func TestScanPathsSkipsBinaryAndLarge(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a", "config.env"), "KEY="+key1+"\n")
	write(t, filepath.Join(dir, "a", "b", "notes.md"), "\n\n"+key2+"\n")
	write(t, filepath.Join(dir, "blob.bin"), "\x00\x01"+key1)
	// NUL past the first 8 KiB: text, as git and grep decide.
	write(t, filepath.Join(dir, "late-nul.txt"), strings.Repeat("x", 9000)+"\x00\n"+key2)
	write(t, filepath.Join(dir, "big.log"), strings.Repeat("y", 20000)+"\n"+key3+"\n")
	write(t, filepath.Join(dir, ".git", "config"), key1) // never read: not a repo, but .git is skipped
	write(t, filepath.Join(dir, "0empty"), "")           // read first, by a worker with no buffer yet
	got, st := scanDir(t, dir, Options{MaxFileSize: 12000, Workers: 1})
	want := []string{
		"a/b/notes.md:3:1 " + key2,
		"a/config.env:1:5 " + key1,
		"late-nul.txt:2:1 " + key2,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if st.Files != 4 || st.Binary != 1 || st.Large != 1 || st.Unreadable != 0 {
		t.Errorf("stats %+v: want 4 files read (an empty one too), 1 binary, 1 large", st)
	}
	// No cap: the large file is read.
	got, _ = scanDir(t, dir, Options{MaxFileSize: -1})
	if len(got) != 4 || !strings.HasPrefix(got[2], "big.log:2:1 ") {
		t.Errorf("without a cap: %v", got)
	}
}
