package ui

import (
	"context"
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
	list list.Model
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
	name := string(it.(profileItem))
	line := "  " + d.styles.Choice.Render(name)
	if index == l.Index() {
		line = markerFocused + " " + d.styles.ChoiceActive.Render(name)
	}
	if name == d.current {
		line += d.styles.Muted.Render("  (current)")
	}
	fmt.Fprint(w, line)
}

type profilesMsg struct {
	task  int
	names []string
	err   error
}

type profileSwitchedMsg struct {
	task     int
	name     string
	client   IAM
	identity model.Identity
	err      error
}

// openProfiles reads the profile names; the picker opens when they arrive.
func (m *Model) openProfiles() tea.Cmd {
	switch {
	case m.opts.Demo:
		m.setStatus(levelWarn, "Profiles are off in --demo: the demo account is built in (run without --demo to use your profiles)")
		return nil
	case m.opts.Profiles == nil || m.opts.SwitchProfile == nil:
		m.setStatus(levelWarn, "Profile switching is not available here")
		return nil
	case len(m.pending) > 0:
		m.setStatus(levelWarn, "Wait for the changes in flight to finish before switching profiles")
		return nil
	}
	task, read := m.startTask("reading profiles…"), m.opts.Profiles
	return func() tea.Msg {
		names, err := read()
		return profilesMsg{task: task, names: names, err: err}
	}
}

func (m *Model) onProfiles(msg profilesMsg) tea.Cmd {
	m.endTask(msg.task)
	switch {
	case msg.err != nil:
		m.setError("Could not read the AWS profiles", msg.err)
		return nil
	case len(msg.names) == 0:
		m.setStatus(levelWarn, "No profiles in the shared config or credentials files (~/.aws/config, ~/.aws/credentials)")
		return nil
	case m.overlay != nil:
		return nil // something else took the screen meanwhile
	}
	items := make([]list.Item, len(msg.names))
	cur := 0
	for i, n := range msg.names {
		items[i] = profileItem(n)
		if n == m.opts.Profile {
			cur = i
		}
	}
	l := list.New(items, profileDelegate{styles: m.styles, current: m.opts.Profile}, 0, 0)
	l.SetShowTitle(false)
	l.SetShowStatusBar(false)
	l.SetShowHelp(false)
	l.DisableQuitKeybindings() // esc and q are ours
	l.Select(cur)
	m.openOverlay(&profilePicker{list: l})
	return nil
}

// profilePickerKey: the list has the keys while its filter is being typed;
// otherwise enter chooses and esc closes (or clears an applied filter).
func (m *Model) profilePickerKey(p *profilePicker, msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	if p.list.FilterState() != list.Filtering {
		switch {
		case key.Matches(msg, k.Interrupt):
			return m.quit()
		case key.Matches(msg, k.Cancel) && p.list.FilterState() != list.FilterApplied:
			return m.closeOverlay()
		case key.Matches(msg, k.Confirm):
			it, ok := p.list.SelectedItem().(profileItem)
			if !ok {
				return nil
			}
			cmd := m.closeOverlay()
			return tea.Batch(cmd, m.switchProfile(string(it)))
		}
	}
	var cmd tea.Cmd
	p.list, cmd = p.list.Update(msg)
	return cmd
}

func (p *profilePicker) keys(k KeyMap) []key.Binding {
	if p.list.FilterState() == list.Filtering {
		k.FilterDone.SetHelp("enter", "apply filter")
		k.FilterQuit.SetHelp("esc", "clear filter")
		return []key.Binding{k.FilterDone, k.FilterQuit}
	}
	k.Confirm.SetHelp("enter", "switch")
	return []key.Binding{k.Choose, k.Filter, k.Confirm, k.Cancel}
}

func (m *Model) profilePickerView(p *profilePicker, w, h int) string {
	inner := m.modalInner(w)
	// The filter line only while a filter is typed or applied: no blank line otherwise.
	filtered := p.list.FilterState() != list.Unfiltered
	p.list.SetShowFilter(filtered)
	rows := len(p.list.Items()) + 2 // the pagination line and its margin
	if filtered {
		rows += 2
	}
	p.list.SetSize(inner, min(rows, max(5, h-8)))
	return m.render(dialog{
		title:    "Switch profile",
		sections: []section{{lines: strings.Split(strings.TrimRight(p.list.View(), "\n "), "\n")}},
		footer:   []string{m.styles.Label.Render("Names only, from ~/.aws/config and ~/.aws/credentials")},
	}, w, h)
}

// switchProfile builds a client for name and asks who it is, keeping the
// current client until that works.
func (m *Model) switchProfile(name string) tea.Cmd {
	task, sw, ctx := m.startTask("switching to profile "+name+"…"), m.opts.SwitchProfile, m.ctx
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, readTimeout)
		defer cancel()
		c, id, err := sw(ctx, name)
		return profileSwitchedMsg{task: task, name: name, client: c, identity: id, err: err}
	}
}

// onProfileSwitched replaces the client and reloads everything, or says why not.
func (m *Model) onProfileSwitched(msg profileSwitchedMsg) tea.Cmd {
	m.endTask(msg.task)
	if msg.err != nil {
		keep := m.opts.Profile
		if keep == "" {
			keep = "the current one"
		}
		m.setError(fmt.Sprintf("Could not switch to profile %s (kept %s)", msg.name, keep), msg.err)
		return nil
	}
	m.client = msg.client
	m.opts.Profile = msg.name
	m.identity, m.identityOK, m.identityErr = msg.identity, true, nil
	m.cache, m.listErr = map[string][]model.Credential{}, map[string]error{}
	m.seqFloor = m.nextSeq() // listings of the old account still in flight are dropped
	m.load.everLoaded = false
	m.users.setUsers(nil, m.userCells)
	m.relayout()
	m.rebuildCreds()
	cmd := m.startLoad()
	m.setStatus(levelOK, "Switched to profile "+msg.name)
	return cmd
}
