package ui

import (
	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
)

// textFilter is a screen's "/" filter: a text input that has the keys while the
// person types. The filter applies on every keystroke; enter keeps it, esc
// drops it.
type textFilter struct {
	input  textinput.Model
	typing bool
}

func newTextFilter(s Styles) textFilter {
	ti := textinput.New()
	ti.Prompt = "/ "
	ti.PromptStyle, ti.TextStyle, ti.PlaceholderStyle = s.FilterPrompt, s.FilterText, s.Muted
	// A steady cursor: no blink timer, and a settled screen renders the same.
	ti.Cursor.SetMode(cursor.CursorStatic)
	return textFilter{input: ti}
}

func (f *textFilter) value() string { return f.input.Value() }

// start gives the keys to the input, its cursor after the text.
func (f *textFilter) start() tea.Cmd {
	f.typing = true
	f.input.CursorEnd()
	return f.input.Focus()
}

// key handles a key while typing and reports whether the text changed.
func (f *textFilter) key(msg tea.KeyMsg, k KeyMap) (changed bool, cmd tea.Cmd) {
	before := f.input.Value()
	switch {
	case key.Matches(msg, k.FilterQuit):
		f.typing = false
		f.input.Blur()
		f.input.SetValue("")
	case key.Matches(msg, k.FilterDone):
		f.typing = false
		f.input.Blur()
	default:
		f.input, cmd = f.input.Update(msg)
		// A paste may carry bidi controls (the input drops C0 and C1 itself):
		// the text is echoed on screen, and matched against names made safe.
		if v := f.input.Value(); !model.IsSafeText(v) {
			f.input.SetValue(model.SafeText(v))
		}
	}
	return f.input.Value() != before, cmd
}

// clear drops the text.
func (f *textFilter) clear() { f.input.SetValue("") }

// view is the filter's line: the input while typing, else the kept text and
// what follows it (a hint).
func (f *textFilter) view(s Styles, hint string) string {
	if f.typing {
		return f.input.View()
	}
	return s.FilterPrompt.Render("/ ") + s.FilterText.Render(f.input.Value()) + hint
}
