package ui

import (
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
)

// secretFile is the secret modal's w, the console's "Download .csv": a file
// name, prefilled with a new name in the working directory that says whose
// secret it is, where the secret is written as model.WriteSecretCSV writes it,
// mode 0600, never over an existing file (the root writes it: secret_write.go).
type secretFile struct {
	input   textinput.Model
	writing bool   // the write is in flight
	err     string // why the last try failed, with what to do
	note    string // why the proposed directory is not the working one
}

func newSecretFile(dir string, c model.Credential, now time.Time) *secretFile {
	ti := textinput.New()
	ti.Prompt = "› "
	ti.CharLimit = 4096
	ti.Cursor.SetMode(cursor.CursorStatic)
	name := model.SecretFileName(c, now)
	if dir != "" {
		name = filepath.Join(dir, name)
	}
	ti.SetValue(name)
	ti.CursorEnd()
	return &secretFile{input: ti}
}

// secretDir is where w proposes to write a secret: the working directory,
// unless it is inside a git work tree, where a secret written beside the code
// is one "git add ." away from a commit: then the home directory. The reason
// goes with it, for the person who expected the working directory.
func (o Options) secretDir() (dir, why string) {
	if !inGitWorkTree(o.WorkDir) {
		return o.WorkDir, ""
	}
	home := o.HomeDir
	if home == "" {
		var err error
		if home, err = os.UserHomeDir(); err != nil {
			return o.WorkDir, ""
		}
	}
	return home, "In the home directory: the working directory is in a git work tree"
}

// inGitWorkTree reports whether dir or a parent holds .git (a directory, or
// the file of a linked work tree or a submodule).
func inGitWorkTree(dir string) bool {
	if dir == "" {
		return false
	}
	for d := filepath.Clean(dir); ; {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return true
		}
		parent := filepath.Dir(d)
		if parent == d {
			return false
		}
		d = parent
	}
}

// update passes a key to the input; a paste may carry bidi controls, which the
// input echoes (it drops C0 and C1 itself).
func (f *secretFile) update(msg tea.KeyMsg) tea.Cmd {
	f.err = ""
	var cmd tea.Cmd
	f.input, cmd = f.input.Update(msg)
	if v := f.input.Value(); !model.IsSafeText(v) {
		f.input.SetValue(model.SafeText(v))
	}
	return cmd
}

// path is the file the input names (filePath).
func (f *secretFile) path(dir string) string { return filePath(f.input.Value(), dir) }

// filePath is the file a typed path names: ~/ is the home directory, and a
// relative name is taken in dir (the directory the name was proposed in).
func filePath(typed, dir string) string {
	p := strings.TrimSpace(typed)
	switch {
	case p == "":
		return ""
	case p == "~" || strings.HasPrefix(p, "~/") || strings.HasPrefix(p, `~\`):
		if home, err := os.UserHomeDir(); err == nil {
			p = filepath.Join(home, p[1:])
		}
	case !filepath.IsAbs(p) && dir != "":
		p = filepath.Join(dir, p)
	}
	return filepath.Clean(p)
}

// lines are the input's rows in the secret modal.
func (f *secretFile) lines(st Styles, what string) []string {
	out := []string{
		st.Label.Render("Write the " + what + " to a new file (CSV as the console's, mode 0600):"),
		f.input.View(),
	}
	if f.note != "" {
		out = append(out, st.Muted.Render(f.note))
	}
	switch {
	case f.writing:
		out = append(out, st.Muted.Render("writing…"))
	case f.err != "":
		out = append(out, st.Error.Render("✗ "+f.err))
	}
	return out
}
