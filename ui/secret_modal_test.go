package ui

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"iamcreds/awsclient/localiam"
	"iamcreds/model"
)

// An OSC 52 copy cannot be checked, so it does not let the secret modal close
// unasked: closing asks whether the paste worked; n goes back (and the next
// close asks again), y closes. Neither the status bar nor the box calls it done.
func TestUncheckedCopyAsksWhetherThePasteWorked(t *testing.T) {
	t.Parallel()
	d, _, mem := start(t, localiam.Faults{}, false)
	d.m.clip = oscOnlyClipboard()
	sm := d.createFor("kenji", 0)
	d.keys("c")
	mustContain(t, d.m, "! Password sent to the terminal clipboard (OSC 52), which cannot be checked")
	mustNotContain(t, d.m, "✓ Password")
	if sm.kept || mem.Text() != "" {
		t.Fatalf("kept=%v, system clipboard %q: over SSH the copy goes by OSC 52 only", sm.kept, mem.Text())
	}
	d.keys("enter")
	if sm.question != askPaste || d.m.dialogs.top() != dialog(sm) {
		t.Fatalf("an unchecked copy should ask about the paste, asks %v", sm.question)
	}
	mustContain(t, d.m, "Copied through the terminal, which can't be checked — did the paste")
	mustNotContain(t, d.m, "Close without saving?")
	d.keys("n")
	if sm.question != askNothing || d.m.dialogs.top() != dialog(sm) {
		t.Fatal("n should go back to the modal")
	}
	d.keys("esc")
	if sm.question != askPaste {
		t.Fatal("closing again should ask again")
	}
	d.keys("y")
	if !d.m.dialogs.empty() || !sm.secret.Empty() {
		t.Fatal("y should close the modal and drop the secret")
	}
}

// The same question on a quit, once: y quits.
func TestUncheckedCopyAsksOnQuit(t *testing.T) {
	t.Parallel()
	d, _, _ := start(t, localiam.Faults{}, false)
	d.m.clip = oscOnlyClipboard()
	sm := d.createFor("kenji", 0)
	d.keys("c", "ctrl+c")
	if d.Quit() || sm.question != askPaste {
		t.Fatalf("quit after an unchecked copy: quit=%v, question %v", d.Quit(), sm.question)
	}
	d.keys("y")
	if !d.Quit() {
		t.Fatal("y should finish the quit")
	}
}

// What keeps the secret, so that closing asks nothing: a copy read back, s, or
// a written file. Copying the login does not.
func TestWhatKeepsTheSecret(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		keys []string
	}{
		{"checked copy", []string{"c"}},
		{"shown", []string{"s"}},
		{"file", []string{"w", "enter"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d, _, _ := start(t, localiam.Faults{}, false)
			d.m.opts.WorkDir = t.TempDir()
			sm := d.createFor("kenji", 0)
			d.keys("u", "enter")
			if sm.question != askDiscard {
				t.Fatal("copying the user name kept the secret")
			}
			d.keys("n")
			d.keys(tc.keys...)
			if !sm.kept {
				t.Fatalf("%s did not keep the secret:\n%s", tc.name, screenText(d.m))
			}
			d.keys("enter")
			if !d.m.dialogs.empty() {
				t.Fatalf("closing after %s asked:\n%s", tc.name, screenText(d.m))
			}
		})
	}
}

// w writes the console's record to a new 0600 file named after the credential,
// in the working directory, and says where; an existing file is never
// replaced: it says so and asks for another name.
func TestWriteSecretFile(t *testing.T) {
	t.Parallel()
	d, _, _ := start(t, localiam.Faults{}, false)
	dir := t.TempDir()
	d.m.opts.WorkDir = dir
	sm := d.createFor("kenji", 2) // Bedrock: an API key with an alias and an expiry
	secret := sm.secret
	d.keys("w")
	if sm.file == nil {
		t.Fatal("w opened no file name input")
	}
	want := filepath.Join(dir, model.SecretFileName(secret.Credential, fixedNow))
	if got := sm.file.input.Value(); got != want || !strings.Contains(got, "iamcreds-kenji-bedrock-") {
		t.Fatalf("proposed %q, want %q", got, want)
	}
	// The same name again, as if written before: refused, the file untouched.
	if err := os.WriteFile(want, []byte("earlier\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	d.keys("enter")
	mustContain(t, d.m, "exists, and a file is never overwritten: type another name")
	if b, _ := os.ReadFile(want); string(b) != "earlier\n" || sm.kept || sm.file == nil {
		t.Fatalf("an existing file was replaced (%q) or the modal moved on", b)
	}
	// Another name, relative: it goes in the same directory.
	sm.file.input.SetValue("")
	d.keys("k", "e", "y", ".", "c", "s", "v", "enter")
	path := filepath.Join(dir, "key.csv")
	mustContain(t, d.m, "API key written to "+path+" (mode 0600)")
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", st.Mode().Perm())
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil || len(recs) != 2 {
		t.Fatalf("records %q, %v", recs, err)
	}
	row := map[string]string{}
	for i, col := range recs[0] {
		row[col] = recs[1][i]
	}
	c := secret.Credential
	if row["secret"] != secret.Reveal() || row["user"] != "kenji" || row["credential_id"] != c.ID ||
		row["service_name"] != model.Bedrock || row["login"] != c.Login() || row["expires"] == "" {
		t.Fatalf("the file holds %v", row)
	}
	if !sm.kept || sm.file != nil {
		t.Fatal("a written file should keep the secret and close the input")
	}
	if strings.Contains(screenText(d.m), secret.Reveal()) {
		t.Fatal("writing showed the secret")
	}
}

// esc leaves the file name input without writing anything.
func TestWriteSecretFileCancel(t *testing.T) {
	t.Parallel()
	d, _, _ := start(t, localiam.Faults{}, false)
	dir := t.TempDir()
	d.m.opts.WorkDir = dir
	sm := d.createFor("kenji", 0)
	d.keys("w", "esc")
	if entries, _ := os.ReadDir(dir); sm.file != nil || sm.kept || len(entries) != 0 {
		t.Fatalf("esc: input %v, kept %v, files %v", sm.file != nil, sm.kept, entries)
	}
	d.keys("enter")
	if sm.question != askDiscard {
		t.Fatal("nothing kept the secret, yet closing did not ask")
	}
}

// Once the clipboard clear has run, the box no longer says the secret was
// copied (checked): it says it was cleared.
func TestSecretModalSaysTheCopyWasCleared(t *testing.T) {
	t.Parallel()
	d, _, mem := start(t, localiam.Faults{}, false)
	d.m.opts.ClipboardClear = 20 * time.Millisecond
	sm := d.createFor("kenji", 0)
	d.keys("c") // settles after the clear's timer too
	if mem.Text() != "" {
		t.Fatalf("the clear left %q on the clipboard", mem.Text())
	}
	if d.m.dialogs.top() != dialog(sm) {
		t.Fatal("the secret modal closed")
	}
	mustContain(t, d.m, "Password cleared from the clipboard: system clipboard emptied")
	mustNotContain(t, d.m, "(checked)")
}

// Inside a git work tree (a clone, a linked work tree: .git a file), w
// proposes the home directory, and says why: a secret beside the code is one
// "git add ." from a commit. Outside one, the working directory.
func TestWriteSecretFileAvoidsGitWorkTree(t *testing.T) {
	t.Parallel()
	for _, gitEntry := range []string{"dir", "file"} {
		t.Run(gitEntry, func(t *testing.T) {
			t.Parallel()
			d, _, _ := start(t, localiam.Faults{}, false)
			clone, home := t.TempDir(), t.TempDir()
			var err error
			if gitEntry == "dir" {
				err = os.Mkdir(filepath.Join(clone, ".git"), 0o700)
			} else {
				err = os.WriteFile(filepath.Join(clone, ".git"), []byte("gitdir: /elsewhere\n"), 0o600)
			}
			if err != nil {
				t.Fatal(err)
			}
			work := filepath.Join(clone, "sub", "dir")
			if err := os.MkdirAll(work, 0o700); err != nil {
				t.Fatal(err)
			}
			d.m.opts.WorkDir, d.m.opts.HomeDir = work, home
			sm := d.createFor("kenji", 0)
			d.keys("w")
			want := filepath.Join(home, model.SecretFileName(sm.secret.Credential, fixedNow))
			if got := sm.file.input.Value(); got != want {
				t.Fatalf("proposed %q in a git work tree, want %q", got, want)
			}
			mustContain(t, d.m, "In the home directory: the working directory is in a git work tree")
			d.keys("enter")
			if _, err := os.Stat(want); err != nil {
				t.Fatalf("not written to the home directory: %v", err)
			}
			if entries, _ := os.ReadDir(work); len(entries) != 0 {
				t.Fatalf("the work tree got %v", entries)
			}
		})
	}
	// Outside a work tree: the working directory, with no note.
	d, _, _ := start(t, localiam.Faults{}, false)
	work := t.TempDir()
	d.m.opts.WorkDir, d.m.opts.HomeDir = work, t.TempDir()
	sm := d.createFor("kenji", 0)
	d.keys("w")
	if got, want := sm.file.input.Value(), filepath.Join(work, model.SecretFileName(sm.secret.Credential, fixedNow)); got != want {
		t.Fatalf("proposed %q outside a work tree, want %q", got, want)
	}
	mustNotContain(t, d.m, "In the home directory")
}
