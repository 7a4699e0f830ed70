package ui

import (
	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
)

// screenID names the full-window screens (soft-serve's activePage).
type screenID int

const (
	screenMain  screenID = iota // the users and the highlighted user's credentials
	screenFleet                 // every credential of the account, with risk flags
	screenOrg                   // every credential of every account (Options.Accounts)
	screenCount
)

// screen is a full-window view under the header and above the status bar. The
// keys every screen shares (quit, help, refresh, switching screens, and
// toggle/reset/delete on the selected credential) are the root's; a screen
// gets the others. It reads the shared state and asks the root for the rest
// with intents. To add one: a type with these methods in its own file, a
// screenID, and its slot in Model.screens.
type screen interface {
	// update handles a key the root did not take: no dialog is open and it is
	// no shared key, or an input of the screen has the keys (typing).
	update(msg tea.KeyMsg) (intent tea.Msg, cmd tea.Cmd)
	// resize fits the screen to w×h cells.
	resize(w, h int)
	// sync brings the screen up to date with the shared state; the root calls
	// it after every message, before the next view.
	sync()
	// view renders exactly the size of the last resize. It changes nothing.
	view() []string
	// typing reports that an input has the keys: shared keys are text then.
	typing() bool
	// selected is the credential the shared keys act on, or why there is none.
	selected() (c model.Credential, why string)
	// help is the help bar's bindings; k has the root's labels set.
	help(k KeyMap) contextKeys
}

// noter is a screen that can have something to say of its cursor after a
// sync: the row it was on went (deleted elsewhere, hidden by the filter), and
// the cursor is on its neighbour. The root puts it on the screen's status line.
type noter interface{ takeNote() string }
