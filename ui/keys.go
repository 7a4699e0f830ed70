package ui

import "github.com/charmbracelet/bubbles/key"

// KeyMap is every key binding of the UI. The root model hands the bindings that
// apply right now to the help bar; disabled bindings neither match nor show.
type KeyMap struct {
	// Moving in a table.
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	// Into goes from the users table to the credentials table; Back returns;
	// Switch flips between them.
	Into, Back, Switch key.Binding

	Filter      key.Binding // start typing a users filter
	ClearFilter key.Binding // esc on the users table when a filter is applied
	FilterDone  key.Binding // keep the filter, back to the table
	FilterQuit  key.Binding // drop the filter, back to the table

	Create, Toggle, Reset, Delete key.Binding
	// Rotate replaces the selected credential with a new one, step by step.
	Rotate key.Binding
	// ReadOnlyInfo catches n/t/r/d/R in read-only mode to say why nothing happens.
	ReadOnlyInfo key.Binding
	Refresh      key.Binding
	Profiles     key.Binding // switch to another AWS profile
	Whois        key.Binding // K: whose key is this? a pasted key, found (dialog_whois.go)
	Help         key.Binding
	Quit         key.Binding // q on the main screen
	Interrupt    key.Binding // ctrl+c anywhere
	Suspend      key.Binding // ctrl+z anywhere: back to the shell, fg resumes

	// Dialogs and the create form.
	Choose  key.Binding // up/down in a list of choices (help only)
	Next    key.Binding // next field or button
	Prev    key.Binding // previous field or button
	Confirm key.Binding // the focused button, or the next step
	Cancel  key.Binding

	// The one-time secret modal.
	ShowSecret  key.Binding
	CopySecret  key.Binding
	CopyLogin   key.Binding
	CopyExport  key.Binding
	WriteSecret key.Binding
	// DeliverSecret delivers it to a target (dialog_secret_deliver.go).
	DeliverSecret key.Binding
	Close         key.Binding

	// The fleet view (fleet.go): a switches to it and back; enter opens the
	// row's user in the main view.
	OpenUser, Fleet, Sort, SortReverse, StatusFilter, ServiceFilter, FlaggedOnly key.Binding
	Select, SelectAll, BulkDeactivate, BulkActivate, BulkDelete, Export          key.Binding

	// The organization view (--org, --profiles): enter opens the row's user in
	// its account, O comes back, c filters by account.
	OpenAccount, OrgView, AccountFilter key.Binding

	// The users the console made (screen_fleet_users.go): U lists them in the
	// fleet and the organization view and back; enter shows what one holds
	// and cleans it up (dialog_cleanup.go); v filters them by verdict.
	ConsoleUsers, CleanupUser, VerdictFilter key.Binding

	// Yes/no questions.
	Yes key.Binding
	No  key.Binding
}

// DefaultKeyMap returns the default bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "top")),
		Bottom:   key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "bottom")),

		// h and l are ← and → wherever those apply (the help names the arrows).
		Into:   key.NewBinding(key.WithKeys("enter", "right", "l"), key.WithHelp("→/enter", "credentials")),
		Back:   key.NewBinding(key.WithKeys("esc", "left", "h"), key.WithHelp("←/esc", "users")),
		Switch: key.NewBinding(key.WithKeys("tab", "shift+tab"), key.WithHelp("tab", "switch table")),

		Filter:      key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		ClearFilter: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
		FilterDone:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "done")),
		FilterQuit:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear")),

		Create:       key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "new")),
		Toggle:       key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "toggle")),
		Reset:        key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reset")),
		Delete:       key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "delete")),
		Rotate:       key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "rotate")),
		ReadOnlyInfo: key.NewBinding(key.WithKeys("n", "t", "r", "d", "R", "I", "A", "X"), key.WithHelp("n/t/r/d/R", "off (read-only)")),
		Refresh:      key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "refresh")),
		Profiles:     key.NewBinding(key.WithKeys("P"), key.WithHelp("P", "profiles")),
		Whois:        key.NewBinding(key.WithKeys("K"), key.WithHelp("K", "whose key?")),
		Help:         key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:         key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		Interrupt:    key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit anywhere")),
		Suspend:      key.NewBinding(key.WithKeys("ctrl+z"), key.WithHelp("ctrl+z", "suspend")),

		Choose:  key.NewBinding(key.WithKeys("up", "down", "k", "j"), key.WithHelp("↑/↓", "choose")),
		Next:    key.NewBinding(key.WithKeys("tab", "right", "l"), key.WithHelp("tab/→", "next")),
		Prev:    key.NewBinding(key.WithKeys("shift+tab", "left", "h"), key.WithHelp("shift+tab/←", "back")),
		Confirm: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "select")),
		Cancel:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),

		ShowSecret:    key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "show/hide")),
		CopySecret:    key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy secret")),
		CopyLogin:     key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "copy login")),
		CopyExport:    key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "copy export")),
		WriteSecret:   key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "write to file")),
		DeliverSecret: key.NewBinding(key.WithKeys("D"), key.WithHelp("D", "deliver")),
		Close:         key.NewBinding(key.WithKeys("enter", "esc"), key.WithHelp("enter/esc", "close")),

		OpenUser:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open its user")),
		Fleet:          key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "fleet")),
		Sort:           key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sort")),
		SortReverse:    key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "reverse")),
		StatusFilter:   key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "status filter")),
		ServiceFilter:  key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "service filter")),
		FlaggedOnly:    key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "flagged only")),
		Select:         key.NewBinding(key.WithKeys(" "), key.WithHelp("space", "select, move down")),
		SelectAll:      key.NewBinding(key.WithKeys("ctrl+a"), key.WithHelp("ctrl+a", "select all")),
		BulkDeactivate: key.NewBinding(key.WithKeys("I"), key.WithHelp("I", "deactivate selected")),
		BulkActivate:   key.NewBinding(key.WithKeys("A"), key.WithHelp("A", "activate selected")),
		BulkDelete:     key.NewBinding(key.WithKeys("X"), key.WithHelp("X", "delete selected")),
		Export:         key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "export")),

		OpenAccount:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open in its account")),
		OrgView:       key.NewBinding(key.WithKeys("O"), key.WithHelp("O", "organization view")),
		AccountFilter: key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "account filter")),

		ConsoleUsers:  key.NewBinding(key.WithKeys("U"), key.WithHelp("U", "console-made users")),
		CleanupUser:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "holdings, clean up")),
		VerdictFilter: key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "verdict filter")),

		Yes: key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", "yes")),
		No:  key.NewBinding(key.WithKeys("n", "N", "esc", "enter"), key.WithHelp("n/enter", "no")),
	}
}

// readOnly disables the write bindings and enables the one that explains why.
func (k KeyMap) readOnly(on bool) KeyMap {
	k.Create.SetEnabled(!on)
	k.Toggle.SetEnabled(!on)
	k.Reset.SetEnabled(!on)
	k.Delete.SetEnabled(!on)
	k.Rotate.SetEnabled(!on)
	k.BulkDeactivate.SetEnabled(!on)
	k.BulkActivate.SetEnabled(!on)
	k.BulkDelete.SetEnabled(!on)
	k.ReadOnlyInfo.SetEnabled(on)
	return k
}
