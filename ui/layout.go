package ui

// minBodyHeight keeps a pane (border, header, one row) when full help is open.
const minBodyHeight = 4

// layout is the window's division: the header (one line), the screen's body,
// the status bar and the help. Update keeps it current (afterUpdate).
type layout struct {
	statusH int
	helpH   int
	bodyH   int
}

func (m *Model) resize(w, h int) {
	m.width, m.height = max(w, 1), max(h, 1)
	m.help.Width = m.width
	m.relayout()
}

// wantLayout is the layout the window, the status and the help need now.
func (m *Model) wantLayout() layout {
	w, h := m.width, m.height
	l := layout{helpH: 1, statusH: m.statusHeight(w)}
	if m.showFullHelp {
		// The help takes what it needs; if that leaves no useful pane, it takes
		// the panes' place entirely until ? closes it.
		all := max(1, h-1-l.statusH)
		l.helpH = min(len(m.fullHelpLines(w)), all)
		if all-l.helpH < minBodyHeight {
			l.helpH = all
		}
	}
	l.bodyH = max(0, h-1-l.statusH-l.helpH)
	return l
}

// relayout divides the window again and fits the screen to its body.
func (m *Model) relayout() {
	m.lay = m.wantLayout()
	m.screen().resize(m.width, m.lay.bodyH)
}
