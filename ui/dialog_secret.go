package ui

import (
	"errors"
	"io/fs"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"iamcreds/model"
	"iamcreds/ui/clipboard"
)

// secretModal shows the one-time secret of a create or reset. The secret lives
// only here: closing the modal drops it. Closing before the secret was kept —
// shown (s), copied somewhere that read it back, or written to a file (w) —
// asks first, as does a quit (it is a quitGuard).
//
// What is drawn is made safe (model.SafeText): a hostile endpoint's "password"
// may carry control characters. What is copied and written is the exact value
// IAM issued, which is what the person needs.
type secretModal struct {
	*kit
	id     int // copies and writes name it, so that their outcome reaches this modal
	secret model.Secret
	reset  bool
	dir    string // where w proposes to write the file
	// dirNote says why dir is not the working directory ("" when it is).
	dirNote string
	shown   bool
	// kept: the secret was shown, copied where it was read back, or written to
	// a file: closing needs no question.
	kept bool
	// unchecked is the latest copy of the secret that could not be read back
	// (OSC 52 to the terminal): closing asks whether the paste worked.
	unchecked *clipboard.Result
	// note is the latest copy's or write's outcome, in the box: the status bar
	// says it too, but dimmed behind the box.
	note     string
	noteLvl  level
	question closeQuestion
	// quitAfter: the close was asked for by quitting.
	quitAfter bool
	// file is w's file name input while it is open.
	file *secretFile
	w    int // the window's width
	// credNote is a line about the credential, such as a reset's "it stays
	// Inactive".
	credNote string
	// canDeliver turns on D; targets are what the rules name for the
	// credential; deliver is D's list, kept with its outcomes once opened;
	// delivering: it is open.
	canDeliver bool
	targets    []model.Target
	deliver    *secretDeliver
	delivering bool
}

func newSecretModal(k *kit, id int, s model.Secret, reset bool, dir string) *secretModal {
	return &secretModal{kit: k, id: id, secret: s, reset: reset, dir: dir}
}

func (sm *secretModal) Update(msg tea.Msg) reply {
	switch msg := msg.(type) {
	case copiedMsg:
		if msg.secretID == sm.id {
			sm.copied(msg)
		}
	case clipboardClearedMsg:
		if msg.secretID == sm.id {
			sm.cleared(msg)
		}
	case secretWrittenMsg:
		if msg.secretID == sm.id {
			sm.written(msg)
		}
	case deliveredMsg:
		if msg.secretID == sm.id && msg.op == 0 {
			sm.delivered(msg)
		}
	case tea.WindowSizeMsg:
		sm.w = msg.Width
		sm.sizeInput()
		sm.sizeDeliverInput()
	case tea.KeyMsg:
		return sm.key(msg)
	}
	return reply{}
}

// copied takes a copy's outcome: only a copy read back keeps the secret.
func (sm *secretModal) copied(msg copiedMsg) {
	what := capitalize(msg.what)
	switch {
	case msg.err != nil:
		sm.note, sm.noteLvl = what+" not copied: "+errorText(msg.err), levelError
	case msg.result.Confirmed:
		sm.kept, sm.unchecked = true, nil
		sm.note, sm.noteLvl = what+" "+msg.result.String(), levelOK
	default:
		r := msg.result
		sm.unchecked = &r
		sm.note, sm.noteLvl = what+" "+msg.result.String()+": paste it once to be sure", levelWarn
	}
}

// cleared takes the clear of a copy: the note no longer says the secret is on
// the clipboard once it is not. A clear superseded by a later copy of the same
// text changed nothing; that copy's own clear will speak.
func (sm *secretModal) cleared(msg clipboardClearedMsg) {
	switch {
	case msg.err != nil:
		sm.note, sm.noteLvl = capitalize(msg.what)+" copy not cleared: "+errorText(msg.err), levelError
	case msg.cleared.Superseded:
	case msg.cleared.Any():
		sm.note, sm.noteLvl = capitalize(msg.what)+" cleared from the clipboard: "+
			strings.TrimPrefix(msg.cleared.String(), "Clipboard cleared: "), levelInfo
	case msg.cleared.Changed:
		sm.note, sm.noteLvl = capitalize(msg.what)+" no longer on the clipboard: something else was copied since", levelInfo
	}
}

// written takes the outcome of w: a file in place keeps the secret (even if
// the input was closed meanwhile, by a quit's question); an existing file is
// never replaced, so another name is asked for.
func (sm *secretModal) written(msg secretWrittenMsg) {
	if msg.err == nil {
		sm.file = nil
		sm.kept, sm.unchecked = true, nil
		sm.note, sm.noteLvl = "Written to "+msg.path+" (mode 0600)", levelOK
		return
	}
	f := sm.file
	if f == nil {
		sm.note, sm.noteLvl = "Not written: "+errorText(msg.err), levelError
		return
	}
	f.writing = false
	if errors.Is(msg.err, fs.ErrExist) {
		f.err = msg.path + " exists, and a file is never overwritten: type another name"
	} else {
		f.err = "Not written: " + errorText(msg.err)
	}
}

func (sm *secretModal) key(msg tea.KeyMsg) reply {
	k := sm.keys
	switch {
	case key.Matches(msg, k.Interrupt):
		return ask(quitRequestedMsg{}) // guardQuit asks if the secret is not kept
	case sm.question != askNothing:
		return sm.answer(msg)
	case sm.file != nil:
		return sm.fileKey(msg)
	case sm.delivering:
		return sm.deliverKey(msg)
	}
	info := sm.secret.Credential.ServiceInfo()
	switch {
	case key.Matches(msg, k.Close):
		if sm.question = sm.closeQuestion(); sm.question == askNothing {
			return sm.close()
		}
	case key.Matches(msg, k.ShowSecret):
		sm.shown = !sm.shown
		sm.kept = true
	case key.Matches(msg, k.CopySecret):
		return ask(copyRequestedMsg{secretID: sm.id, what: info.SecretLabel(), text: sm.secret.Reveal()})
	case key.Matches(msg, k.CopyLogin):
		return ask(copyRequestedMsg{what: info.LoginLabel(), text: sm.secret.Credential.Login()})
	case key.Matches(msg, k.CopyExport) && sm.secret.BearerExport() != "":
		return ask(copyRequestedMsg{secretID: sm.id, what: "export line", text: sm.secret.BearerExport()})
	case key.Matches(msg, k.WriteSecret):
		sm.file = newSecretFile(sm.dir, sm.secret.Credential, sm.now())
		sm.file.note = sm.dirNote
		sm.sizeInput()
		return reply{cmd: sm.file.input.Focus()}
	case key.Matches(msg, k.DeliverSecret) && sm.canDeliver:
		return sm.openDeliver()
	}
	return reply{}
}

// sizeInput fits the file name input to the box: a long path scrolls in it.
func (sm *secretModal) sizeInput() {
	if f := sm.file; f != nil {
		f.input.Width = max(1, sm.inner(min(sm.w, maxModalWidth))-3) // prompt and cursor
		f.input.SetCursor(f.input.Position())                        // scrolls to the cursor at the new width
	}
}

// fileKey: the file name input has the keys; enter writes, esc goes back.
func (sm *secretModal) fileKey(msg tea.KeyMsg) reply {
	k, f := sm.keys, sm.file
	switch {
	case f.writing:
		return reply{} // a few milliseconds: the answer decides what comes next
	case key.Matches(msg, k.Cancel):
		sm.file = nil
		return reply{}
	case key.Matches(msg, k.Confirm):
		path := f.path(sm.dir)
		if path == "" {
			f.err = "Type a file name"
			return reply{}
		}
		f.writing = true
		return ask(secretFileRequestedMsg{secretID: sm.id, what: sm.secret.Credential.ServiceInfo().SecretLabel(), path: path, secret: sm.secret})
	}
	return reply{cmd: f.update(msg)}
}

func (sm *secretModal) Keys() []key.Binding {
	k := sm.keys
	switch {
	case sm.question == askPaste:
		k.Yes.SetHelp("y", "it worked: "+sm.closeVerb())
		k.No.SetHelp("n/enter", "back")
		return []key.Binding{k.Yes, k.No}
	case sm.question == askDiscard:
		k.Yes.SetHelp("y", sm.closeVerb()+" without saving")
		k.No.SetHelp("n/enter", "back")
		return []key.Binding{k.Yes, k.No}
	case sm.file != nil:
		k.Confirm.SetHelp("enter", "write")
		k.Cancel.SetHelp("esc", "back")
		return []key.Binding{k.Confirm, k.Cancel}
	case sm.delivering:
		return sm.deliverKeys()
	}
	info := sm.secret.Credential.ServiceInfo()
	k.CopySecret.SetHelp("c", "copy "+info.SecretLabel())
	k.CopyLogin.SetHelp("u", "copy "+info.LoginLabel())
	k.CopyExport.SetEnabled(sm.secret.BearerExport() != "")
	if sm.shown {
		k.ShowSecret.SetHelp("s", "hide")
	} else {
		k.ShowSecret.SetHelp("s", "show")
	}
	k.DeliverSecret.SetEnabled(sm.canDeliver)
	return []key.Binding{k.ShowSecret, k.CopySecret, k.CopyLogin, k.CopyExport, k.WriteSecret, k.DeliverSecret, k.Close}
}

// secretLabelWidth aligns the modal's field labels.
const secretLabelWidth = 10

// View is the box; while the secret is shown, its row in the box is left
// blank: viewOver draws the secret there, across the box's borders.
func (sm *secretModal) View(w, h int) string {
	lines, _ := sm.renderRows(sm.box(sm.inner(w)), w, h)
	return strings.Join(lines, "\n")
}

// box is the modal's content in a box inner columns wide.
func (sm *secretModal) box(inner int) box {
	st := sm.styles
	c := sm.secret.Credential
	info := c.ServiceInfo()
	label := capitalize(info.SecretLabel())
	warning := "Save it now: IAM shows it only this once. It cannot be retrieved again."
	if inner < 60 {
		warning = "It cannot be retrieved again."
	}
	b := box{title: sm.title(), sections: []section{{lines: []string{st.Warning.Render(warning)}}, {lines: sm.warnings(sm.credNote), tight: true}}}
	if !model.IsSafeText(sm.secret.Reveal()) {
		b.sections = append(b.sections, section{lines: []string{st.Warning.Render(
			"It holds control characters, drawn as placeholders: copy it or write it to a file rather than typing it.")}, drop: 1})
	}
	lw := secretLabelWidth
	b.sections = append(b.sections,
		section{lines: sm.fieldLines("Service", serviceName(info, inner-lw-1), lw, inner), drop: 2},
		section{lines: append(sm.fieldLines("IAM user", c.UserName, lw, inner), sm.fieldLines(capitalize(info.LoginLabel()), c.Login(), lw, inner)...), tight: true},
	)
	switch {
	case sm.shown && sm.file == nil && !sm.delivering:
		// The secret stands alone on the next row, drawn by viewOver.
		head := st.Label.Render(label)
		if inner >= 60 {
			head = st.Label.Render(padRight(label, lw)) + " " + st.Muted.Render("↓ alone on the next row: drag across it to select")
		}
		b.sections = append(b.sections, section{lines: []string{head, slotMark}, tight: true})
	default:
		vw := max(1, inner-lw-1)
		masked := st.Label.Render(padRight(label, lw)) + " " + st.Secret.Render(ansi.Truncate(sm.secret.Masked(), vw, ""))
		b.sections = append(b.sections, section{lines: []string{masked}, tight: true})
	}
	if sm.secret.BearerExport() != "" {
		b.sections = append(b.sections, section{lines: []string{st.Muted.Render("e copies: export " + info.BearerEnv + "=…")}, drop: 3})
	}
	if sm.note != "" && !sm.delivering { // the list shows each delivery on its row
		b.sections = append(b.sections, section{lines: []string{sm.noteLine()}, drop: 1})
	}
	if sm.file != nil {
		b.sections = append(b.sections, section{lines: sm.file.lines(st, info.SecretLabel())})
	}
	if sm.delivering {
		b.sections = append(b.sections, section{lines: sm.deliverLines()}, section{lines: []string{st.Muted.Render(deliverNote)}, drop: 2, tight: true})
	}
	b.footer = []string{sm.footer(info)}
	return b
}

func (sm *secretModal) title() string {
	c := sm.secret.Credential
	info := c.ServiceInfo()
	title := "New " + info.Short + " " + info.SecretLabel() + " for " + c.UserName
	if sm.reset {
		title = "Reset: new " + info.Short + " " + info.SecretLabel() + " for " + c.UserName
	}
	return title
}

// noteLine is the latest copy's or write's outcome, marked as the status bar
// marks it.
func (sm *secretModal) noteLine() string {
	st := sm.styles
	switch sm.noteLvl {
	case levelOK:
		return st.StatusOK.Render("✓ " + sm.note)
	case levelWarn:
		return st.StatusWarn.Render("! " + sm.note)
	case levelError:
		return st.Error.Render("✗ " + sm.note)
	}
	return st.Muted.Render(sm.note)
}

// footer is the question on screen, or the modal's own key line (the help bar
// repeats it).
func (sm *secretModal) footer(info model.Service) string {
	st := sm.styles
	switch sm.question {
	case askDiscard:
		return st.Error.Render(capitalize(sm.closeVerb()) + " without saving? It cannot be retrieved again. (y/N)")
	case askPaste:
		return st.Warning.Render(pasteQuestion + " (y/N)")
	}
	if sm.file != nil {
		return st.Muted.Render("enter write · esc back")
	}
	if sm.delivering {
		return st.Muted.Render("↑/↓ target · enter deliver · esc back")
	}
	parts := []string{"s show", "c copy " + info.SecretLabel(), "u copy " + info.LoginLabel()}
	if sm.shown {
		parts[0] = "s hide"
	}
	if sm.secret.BearerExport() != "" {
		parts = append(parts, "e copy export")
	}
	parts = append(parts, "w write file")
	if sm.canDeliver {
		parts = append(parts, "D deliver")
	}
	return st.Muted.Render(strings.Join(append(parts, "enter close"), " · "))
}
