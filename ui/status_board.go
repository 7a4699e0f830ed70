package ui

// statusBoard keeps a status line for each place one is written: each screen,
// and each open dialog. The status bar shows the line of whatever is on top, so
// that a screen's stale hint ("Select a user first") is not shown over a
// dialog, and switching screens shows that screen's own last message.
type statusBoard struct {
	lines map[any]statusLine // by owner: a screenID or a dialog
	seq   int                // the last line's number
}

// set writes owner's line.
func (b *statusBoard) set(owner any, l statusLine) {
	if b.lines == nil {
		b.lines = map[any]statusLine{}
	}
	b.seq++
	l.seq = b.seq
	b.lines[owner] = l
}

// get is owner's line; empty if it has none.
func (b *statusBoard) get(owner any) statusLine { return b.lines[owner] }

// handDown gives the lines of owners gone (dialogs that closed) to to, the
// owner on top now, when they are newer than its own: what a dialog said last
// ("Copied…", an error that arrived while it was open) outlives it, but never
// hides a message written since. gone reports an owner no longer open.
func (b *statusBoard) handDown(gone func(owner any) bool, to any) {
	for owner, l := range b.lines {
		if owner == to || !gone(owner) {
			continue
		}
		delete(b.lines, owner)
		if l.text != "" && l.seq > b.lines[to].seq {
			b.lines[to] = l
		}
	}
}
