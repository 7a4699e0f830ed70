package ui

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/lipgloss"
)

// palette names colours by what they mean. Fixed ANSI-256 colours, not adaptive
// ones: an adaptive colour makes lipgloss query the terminal's background on the
// first frame, which costs time and differs between terminals.
type palette struct {
	text, muted, subtle   lipgloss.Color
	accent, accentBg      lipgloss.Color
	ok, warn, danger      lipgloss.Color
	badgeText, selectedBg lipgloss.Color
}

func defaultPalette() palette {
	return palette{
		text: "252", muted: "245", subtle: "238",
		accent: "111", accentBg: "24",
		ok: "114", warn: "214", danger: "203",
		badgeText: "16", selectedBg: "237",
	}
}

// Styles is every style of the UI, built once. NO_COLOR is honoured by lipgloss:
// the colour profile becomes ASCII, so nothing may rely on colour alone (the
// selected row has a marker, errors a ✗).
type Styles struct {
	AppName     lipgloss.Style
	HeaderLabel lipgloss.Style
	HeaderValue lipgloss.Style
	HeaderSep   lipgloss.Style
	BadgeDemo   lipgloss.Style
	BadgeRO     lipgloss.Style

	PaneBorder        lipgloss.Style
	PaneBorderFocused lipgloss.Style
	PaneTitle         lipgloss.Style
	PaneTitleFocused  lipgloss.Style
	Placeholder       lipgloss.Style // "Loading users…", "No credentials"
	FilterPrompt      lipgloss.Style
	FilterText        lipgloss.Style

	Table tableStyles

	StatusInfo  lipgloss.Style
	StatusOK    lipgloss.Style
	StatusWarn  lipgloss.Style
	StatusError lipgloss.Style
	StatusBusy  lipgloss.Style
	StatusRight lipgloss.Style
	Spinner     lipgloss.Style

	Modal        lipgloss.Style // border and padding of every overlay
	ModalDanger  lipgloss.Style // the border of destructive dialogs
	ModalTitle   lipgloss.Style
	Label        lipgloss.Style
	Value        lipgloss.Style
	Warning      lipgloss.Style
	Muted        lipgloss.Style
	HelpTitle    lipgloss.Style // a group's title in the full help
	Error        lipgloss.Style
	Choice       lipgloss.Style
	ChoiceActive lipgloss.Style
	ChoiceOff    lipgloss.Style
	Button       lipgloss.Style
	ButtonActive lipgloss.Style
	ButtonDanger lipgloss.Style // the focused destructive button
	ButtonOff    lipgloss.Style
	Secret       lipgloss.Style
	Backdrop     lipgloss.Style // the screen behind an overlay

	Help help.Styles
}

// Row markers: colour-independent, so the cursor shows with NO_COLOR too.
const (
	markerFocused = "▸"
	markerBlurred = "›"
)

// DefaultStyles returns the UI's styles.
func DefaultStyles() Styles {
	p := defaultPalette()
	fg := func(c lipgloss.Color) lipgloss.Style { return lipgloss.NewStyle().Foreground(c) }
	badge := func(bg lipgloss.Color) lipgloss.Style {
		return lipgloss.NewStyle().Foreground(p.badgeText).Background(bg).Bold(true).Padding(0, 1)
	}
	button := lipgloss.NewStyle().Padding(0, 1)

	s := Styles{
		AppName:     fg(p.accent).Bold(true),
		HeaderLabel: fg(p.muted),
		HeaderValue: fg(p.text),
		HeaderSep:   fg(p.subtle),
		BadgeDemo:   badge(p.accent),
		BadgeRO:     badge(p.warn),

		PaneBorder:        fg(p.subtle),
		PaneBorderFocused: fg(p.accent),
		PaneTitle:         fg(p.muted),
		PaneTitleFocused:  fg(p.accent).Bold(true),
		Placeholder:       fg(p.muted),
		FilterPrompt:      fg(p.accent).Bold(true),
		FilterText:        fg(p.text),

		Table: tableStyles{
			header:        fg(p.muted).Bold(true),
			selected:      lipgloss.NewStyle().Background(p.selectedBg).Bold(true),
			selectedBlur:  fg(p.muted),
			marker:        markerFocused,
			markerBlurred: markerBlurred,
		},

		StatusInfo:  fg(p.text),
		StatusOK:    fg(p.ok),
		StatusWarn:  fg(p.warn),
		StatusError: fg(p.danger).Bold(true),
		StatusBusy:  fg(p.muted),
		StatusRight: fg(p.muted),
		Spinner:     fg(p.accent),

		Modal:        lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(p.accent).Padding(0, 1),
		ModalDanger:  lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(p.danger).Padding(0, 1),
		ModalTitle:   fg(p.accent).Bold(true),
		Label:        fg(p.muted),
		Value:        fg(p.text),
		Warning:      fg(p.warn),
		Muted:        fg(p.muted),
		HelpTitle:    fg(p.accent).Bold(true),
		Error:        fg(p.danger),
		Choice:       fg(p.text),
		ChoiceActive: fg(p.accent).Bold(true),
		ChoiceOff:    fg(p.muted),
		Button:       button.Foreground(p.muted),
		ButtonActive: button.Foreground(p.badgeText).Background(p.accent).Bold(true),
		ButtonDanger: button.Foreground(p.badgeText).Background(p.danger).Bold(true),
		ButtonOff:    button.Foreground(p.subtle),
		Secret:       fg(p.warn).Bold(true),
		Backdrop:     fg(p.subtle),

		Help: help.Styles{
			ShortKey:       fg(p.muted).Bold(true),
			ShortDesc:      fg(p.muted),
			ShortSeparator: fg(p.subtle),
			FullKey:        fg(p.muted).Bold(true),
			FullDesc:       fg(p.muted),
			FullSeparator:  fg(p.subtle),
			Ellipsis:       fg(p.subtle),
		},
	}
	return s
}
