package ui

import (
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"iamcreds/model"
)

type level int

const (
	levelInfo level = iota
	levelOK
	levelWarn
	levelError
)

// statusLine is the last result or error. Errors keep the AWS code and request
// id, shown when the line has room.
type statusLine struct {
	level   level
	text    string
	details string
	seq     int // when it was written (statusBoard)
	// keep: what a lost reply left (a secret nobody received, a reset that may
	// have happened); an error of a listing run in the background does not
	// replace it.
	keep bool
	// summary: the line is the account's load summary, written when drawn
	// (loadedSummary), so that its counts agree with the titles after a write.
	summary bool
}

// setStatus replaces the message of what is on top (statusOwner); the layout
// follows its height after the update (afterUpdate). Messages quote IAM
// (names, ids), so they are made safe here, the one place status text is set.
func (m *Model) setStatus(l level, text string) {
	m.board.set(m.statusOwner(), statusLine{level: l, text: model.SafeText(text)})
}

// setAccountStatus writes the line of every screen: what happened to the whole
// account (a load, a profile switch) concerns each of them.
func (m *Model) setAccountStatus(l level, text string) {
	m.postAccount(statusLine{level: l, text: model.SafeText(text)})
}

func (m *Model) postAccount(line statusLine) {
	for id := range screenCount {
		m.board.set(id, line)
	}
}

// statusOwner is what the status bar speaks for: the top dialog, else the
// screen on display.
func (m *Model) statusOwner() any {
	if d := m.dialogs.top(); d != nil {
		return d
	}
	return m.active
}

// status is the line the status bar shows.
func (m *Model) status() statusLine { return m.board.get(m.statusOwner()) }

// setError shows what failed and why, with the AWS error code.
func (m *Model) setError(what string, err error) { m.board.set(m.statusOwner(), errorLine(what, err)) }

// setAccountError is setError on every screen (setAccountStatus).
func (m *Model) setAccountError(what string, err error) { m.postAccount(errorLine(what, err)) }

// errorLine says what failed and why, with the AWS code; the request id goes
// in the details. Without what, the error says it all.
func errorLine(what string, err error) statusLine {
	details := ""
	var me *model.Error
	if errors.As(err, &me) && me.RequestID != "" {
		details = "request " + model.SafeText(me.RequestID)
	}
	text := errorWithCode(err)
	if what != "" {
		text = model.SafeText(what) + ": " + text
	}
	return statusLine{level: levelError, text: text, details: details}
}

// errorWithCode is an error's message on one line, safe to draw, with the AWS
// error code.
func errorWithCode(err error) string {
	text := errorText(err)
	var me *model.Error
	if errors.As(err, &me) && me.Code != "" {
		// The code is the endpoint's too: compared and drawn made safe.
		if code := model.SafeText(me.Code); !strings.Contains(text, code) {
			text += " (" + code + ")"
		}
	}
	return text
}

// errorText is an error's message on one line, safe to draw: it may quote what
// an endpoint sent.
func errorText(err error) string {
	return model.SafeText(strings.ReplaceAll(err.Error(), "\n", " "))
}

// maxStatusLines bounds how far a long error may push the tables up (a quarter
// of a tall window, if more).
const maxStatusLines = 3

// messageLines is the last message wrapped to the width: at rest nothing of it
// is cut; the layout gives it up to maxStatusLines lines.
func (m *Model) messageLines(w int) []string {
	status := m.status()
	if status.summary {
		status.text = m.loadedSummary()
	}
	if status.text == "" {
		return nil
	}
	st := m.styles
	text := status.text
	style := st.StatusInfo
	switch status.level {
	case levelOK:
		text, style = "✓ "+text, st.StatusOK
	case levelWarn:
		text, style = "! "+text, st.StatusWarn
	case levelError:
		text, style = "✗ "+text, st.StatusError
	}
	if m.needsSpinner() {
		w -= 2 // the spinner goes before the first line: the message is never cut for it
	}
	lines := strings.Split(ansi.Wrap(text, max(1, w), " "), "\n")
	limit := max(maxStatusLines, m.height/4)
	// The details (request id) go after the message, or under it, never split;
	// they are the first thing left out.
	if d := status.details; d != "" {
		last := lines[len(lines)-1]
		switch {
		case lineWidth(last)+3+len(d) <= w:
			lines[len(lines)-1] = last + " · " + d
		case len(lines) < limit:
			lines = append(lines, ansi.Truncate(d, max(1, w), "…"))
		}
	}
	if len(lines) > limit {
		lines = lines[:limit]
		lines[limit-1] = ansi.Truncate(lines[limit-1], max(1, w-1), "") + "…"
	}
	for i, l := range lines {
		lines[i] = style.Render(l)
	}
	return lines
}

// statusHeight is the status bar's height for the current message.
func (m *Model) statusHeight(w int) int { return max(1, len(m.messageLines(w))) }

// statusLines renders the status bar in exactly h lines: the spinner and what
// runs, the message, and the users count on the right when it fits.
func (m *Model) statusLines(w, h int) []string {
	st := m.styles
	busy := ""
	if label, n := m.busyLabel(); label != "" {
		if n > 1 {
			label += fmt.Sprintf(" (+%d)", n-1)
		}
		busy = st.Spinner.Render(m.spin.View()) + " " + st.StatusBusy.Render(label)
	} else if m.writes.any() {
		busy = st.Spinner.Render(m.spin.View())
	}
	msg := m.messageLines(w)
	var first string
	switch {
	case busy != "" && len(msg) > 0 && lineWidth(busy)+2+lineWidth(msg[0]) > w:
		// The message matters more than what runs: the spinner alone says that.
		first = st.Spinner.Render(m.spin.View()) + " " + msg[0]
	case busy != "" && len(msg) > 0:
		first = busy + "  " + msg[0]
	case busy != "":
		first = busy
	case len(msg) > 0:
		first = msg[0]
	}
	lines := []string{first}
	if len(msg) > 1 {
		lines = append(lines, msg[1:]...)
	}
	lines[0] = ansi.Truncate(lines[0], w, "…")
	return fitLines(lines, w, h)
}
