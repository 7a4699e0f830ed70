package ui

import (
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/list"
	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
)

// profilePicker lists the profile names of the shared config and credentials
// files (never their keys); choosing one switches the whole UI to it.
type profilePicker struct {
	*kit
	list list.Model
	w, h int // the window's size
}

// profileItem is one profile name in the picker.
type profileItem string

func (p profileItem) FilterValue() string { return string(p) }

// profileDelegate draws a profile on one line, marked like a table row.
type profileDelegate struct {
	styles  Styles
	current string
}

func (d profileDelegate) Height() int                         { return 1 }
func (d profileDelegate) Spacing() int                        { return 0 }
func (d profileDelegate) Update(tea.Msg, *list.Model) tea.Cmd { return nil }

func (d profileDelegate) Render(w io.Writer, l list.Model, index int, it list.Item) {
	name := model.SafeText(string(it.(profileItem))) // names from the config files
	line := "  " + d.styles.Choice.Render(name)
	if index == l.Index() {
		line = markerFocused + " " + d.styles.ChoiceActive.Render(name)
	}
	if string(it.(profileItem)) == d.current {
		line += d.styles.Muted.Render("  (current)")
	}
	fmt.Fprint(w, line)
}

func newProfilePicker(k *kit, names []string, current string) *profilePicker {
	items := make([]list.Item, len(names))
	cur := 0
	for i, n := range names {
		items[i] = profileItem(n)
		if n == current {
			cur = i
		}
	}
	l := list.New(items, profileDelegate{styles: k.styles, current: current}, 0, 0)
	l.SetShowTitle(false)
	l.SetShowStatusBar(false)
	l.SetShowHelp(false)
	l.DisableQuitKeybindings() // esc and q are ours
	l.Select(cur)
	return &profilePicker{kit: k, list: l}
}

// Update: the list has the keys while its filter is being typed; otherwise
// enter chooses and esc closes (or clears an applied filter). The list pages by
// its size, so it follows the window's.
func (p *profilePicker) Update(msg tea.Msg) reply {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		p.w, p.h = msg.Width, msg.Height
		p.layout()
	case tea.KeyMsg:
		r := p.key(msg)
		p.layout()
		return r
	}
	return reply{}
}

// layout sizes the list for the window; the filter line shows only while a
// filter is typed or applied.
func (p *profilePicker) layout() {
	filtered := p.list.FilterState() != list.Unfiltered
	p.list.SetShowFilter(filtered)
	rows := len(p.list.Items()) + 2 // the pagination line and its margin
	if filtered {
		rows += 2
	}
	p.list.SetSize(p.inner(min(p.w, maxModalWidth)), min(rows, max(5, p.h-8)))
}

func (p *profilePicker) key(km tea.KeyMsg) reply {
	k := p.keys
	if p.list.FilterState() != list.Filtering {
		switch {
		case key.Matches(km, k.Interrupt):
			return ask(quitRequestedMsg{})
		case key.Matches(km, k.Cancel) && p.list.FilterState() != list.FilterApplied:
			return closeWith(nil)
		case key.Matches(km, k.Confirm):
			if it, ok := p.list.SelectedItem().(profileItem); ok {
				return closeWith(profileChosenMsg{name: string(it)})
			}
			return reply{}
		}
	}
	var cmd tea.Cmd
	p.list, cmd = p.list.Update(km)
	return reply{cmd: cmd}
}

func (p *profilePicker) Keys() []key.Binding {
	k := p.keys
	if p.list.FilterState() == list.Filtering {
		k.FilterDone.SetHelp("enter", "apply filter")
		k.FilterQuit.SetHelp("esc", "clear filter")
		return []key.Binding{k.FilterDone, k.FilterQuit}
	}
	k.Confirm.SetHelp("enter", "switch")
	return []key.Binding{k.Choose, k.Filter, k.Confirm, k.Cancel}
}

func (p *profilePicker) View(w, h int) string {
	return p.render(box{
		title:    "Switch profile",
		sections: []section{{lines: strings.Split(strings.TrimRight(p.list.View(), "\n "), "\n")}},
		footer:   []string{p.styles.Label.Render("Names only, from ~/.aws/config and ~/.aws/credentials")},
	}, w, h)
}
