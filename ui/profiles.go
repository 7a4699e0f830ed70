package ui

import (
	"context"
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
)

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

// located is a client that says where it talks to, as *awsclient.Client does:
// the header shows it.
type located interface {
	Region() string
	Endpoint() string
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
	case m.writes.any():
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
	case !m.dialogs.empty():
		return nil // something else took the screen meanwhile
	}
	return m.open(newProfilePicker(m.kit, msg.names, m.opts.Profile))
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
	if m.stopLoad != nil {
		m.stopLoad() // the old account's load
	}
	m.acct = newAccount(msg.client) // answers about the old account still in flight go to it
	m.deliverWith(msg.client)
	m.opts.Profile = msg.name
	if l, ok := msg.client.(located); ok { // the new profile's own region and endpoint_url
		m.opts.Region, m.opts.Endpoint = l.Region(), l.Endpoint()
	}
	m.identity, m.identityOK, m.identityErr = msg.identity, true, nil
	m.load.everLoaded = false
	m.main.setUsers(nil)
	cmd := m.startLoad()
	m.setAccountStatus(levelOK, "Switched to profile "+msg.name)
	return cmd
}
