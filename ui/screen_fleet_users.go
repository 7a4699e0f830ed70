package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"iamcreds/model"
)

// usersList is the fleet's (and the organization view's) list of the users
// the console made: U shows it in place of the credentials and back. Each
// row is a user of an account, judged orphaned, at-risk or ok, with the
// items that earned it; enter opens its cleanup (dialog_cleanup.go), v
// filters by verdict. Its counts make the users line above the credentials.
type usersList struct {
	fs       *fleetScreen // the screen it is part of: its kit, size and title
	open     bool
	across   bool              // an account column (the organization view)
	accounts func() []*account // the accounts whose users it lists
	table    tableModel
	all      []userRow // every judged user, by account then name
	visible  []userRow
	counts   userCounts
	verdict  model.UserVerdict // "" any, orphaned or at-risk
	built    usersMark
	size     [2]int // the table's width and height as last set
}

// userRow is a judged user of an account: held by the account's key and
// the user's name.
type userRow struct {
	acct *account
	j    model.JudgedUser
}

func (r userRow) key() [2]string { return [2]string{r.acct.key, r.j.User.Name} }

// usersMark is what the rows were built from: when it changes, they are
// built again.
type usersMark struct {
	first   *account
	n       int
	version uint64
	load    loadShown // the fleet's load: a failed listing leaves users unjudged
}

func newUsersList(fs *fleetScreen, accounts func() []*account, across bool) *usersList {
	l := &usersList{fs: fs, accounts: accounts, across: across, table: newTable(fs.styles.Table)}
	l.table.Focus()
	return l
}

// mark is the accounts' state now.
func (l *usersList) mark() usersMark {
	accts := l.accounts()
	m := usersMark{n: len(accts), load: l.fs.load.shown()}
	for i, a := range accts {
		if i == 0 {
			m.first = a
		}
		m.version += a.cache.version + a.console.version
	}
	return m
}

// sync judges the users again when what they are judged from changed.
func (l *usersList) sync() {
	if mk := l.mark(); mk != l.built {
		l.built = mk
		l.rebuild()
	}
	if l.open { // shut, only its counts show (the users line)
		l.layout()
		l.table.sync()
	}
}

func (l *usersList) rebuild() {
	cur, had := l.row()
	l.all, l.counts = nil, userCounts{}
	now := l.fs.now()
	for _, a := range l.accounts() {
		st := a.console.judge(a.cache, now)
		if st.reading > 0 && st.err == nil && l.unlisted() {
			st.err = errCredsUnlisted
		}
		l.counts.add(st)
		for _, j := range st.judged {
			l.all = append(l.all, userRow{acct: a, j: j})
		}
	}
	l.refilter()
	if !l.open {
		l.table.SetCursor(0) // it opens at the top, whatever arrived meanwhile
	} else if had {
		for i, r := range l.visible {
			if r.key() == cur.key() {
				l.table.SetCursor(i)
			}
		}
	}
}

func (l *usersList) refilter() {
	l.visible = l.visible[:0]
	for _, r := range l.all {
		if l.verdict == "" || (l.verdict == model.UserOrphaned && r.j.Orphaned) || (l.verdict == model.UserAtRisk && len(r.j.Risks) > 0) {
			l.visible = append(l.visible, r)
		}
	}
	l.table.SetRowFunc(len(l.visible), l.cells)
	if len(l.visible) > 0 && l.table.Cursor() < 0 {
		l.table.SetCursor(0)
	}
}

func (l *usersList) row() (userRow, bool) {
	c := l.table.Cursor()
	if c < 0 || c >= len(l.visible) {
		return userRow{}, false
	}
	return l.visible[c], true
}

// Users columns.
const (
	ucAccount = iota
	ucUser
	ucService
	ucVerdict
	ucDetails
	ucCount
)

func (l *usersList) columns(w int) []column {
	steps := []fitStep{{ucUser, 12}, {ucVerdict, 8}, {ucDetails, 10}, {ucService, 7}}
	if l.across { // the account tells two users of one name apart: before the rest
		steps = []fitStep{{ucUser, 12}, {ucVerdict, 8}, {ucAccount, 8}, {ucDetails, 8}, {ucService, 7}, {ucAccount, 12}}
	}
	steps = append(steps, fitStep{ucUser, 20})
	if l.counts.both > 0 { // "orphaned, at-risk"
		steps = append(steps, fitStep{ucVerdict, 17})
	}
	if l.across {
		steps = append(steps, fitStep{ucAccount, 20})
	}
	widths := fitSteps(ucCount, steps, []int{ucDetails, ucUser}, w)
	titles := [ucCount]string{"Account", "User", "Service", "Verdict", "Why"}
	cols := make([]column, ucCount)
	for i, t := range titles {
		// A console-made user's name is its prefix and four characters that
		// tell it apart: a name too wide loses its start.
		cols[i] = column{title: t, width: widths[i], tail: i == ucUser}
	}
	return cols
}

func (l *usersList) cells(i int) []string {
	r := l.visible[i]
	acct := ""
	if r.acct.key != "" {
		acct = r.acct.info.DisplayName()
		if acct == "" {
			acct = r.acct.info.ID
		}
	}
	return []string{acct, r.j.User.Name, model.LookupService(r.j.Console.Service).Short,
		strings.Join(r.j.Verdicts(), ", "), userWhy(r.j, l.fs.now())}
}

// userWhy names what earned a user its verdict: the risks first (they are
// what a truncated cell must not lose), and for an orphan what it still holds.
func userWhy(j model.JudgedUser, now time.Time) string {
	parts := append([]string(nil), j.Risks...)
	if j.Orphaned {
		held := namedHoldings(j)
		if len(held) == 0 {
			held = []string{"nothing"}
		}
		parts = append(parts, "no live credential; holds "+strings.Join(held, ", "))
	}
	if len(parts) == 0 {
		live := 0
		for _, c := range j.Credentials {
			if !c.IsExpired(now) {
				live++
			}
		}
		parts = append(parts, plural(live, "live credential"))
	}
	return strings.Join(parts, "; ")
}

// namedHoldings names what an orphan holds, besides the risks that name the
// rest: its credentials (by count and service), the policies, the groups.
func namedHoldings(j model.JudgedUser) []string {
	var out []string
	if n := len(j.Credentials); n > 0 {
		out = append(out, plural(n, "expired credential"))
	}
	for _, p := range j.Holdings.Attached {
		out = append(out, "policy "+p.Name)
	}
	for _, p := range j.Holdings.Inline {
		out = append(out, "inline policy "+p)
	}
	for _, g := range j.Holdings.Groups {
		out = append(out, "group "+g)
	}
	return out
}

// layout sizes the table for the lines around it.
func (l *usersList) layout() {
	top, legend := l.frame()
	size := [2]int{l.fs.w, max(2, l.fs.h-len(top)-len(legend))}
	if c := l.columns(size[0]); size != l.size || !slices.Equal(c, l.table.Columns()) {
		l.size = size
		l.table.SetWidth(size[0])
		l.table.SetColumns(c)
		l.table.SetHeight(size[1])
	}
}

func (l *usersList) frame() (top, legend []string) {
	st := l.fs.styles
	w := l.fs.w
	n := l.counts
	parts := []titlePart{
		{fmt.Sprintf("%d of %d users", len(l.visible), len(l.all)), fmt.Sprintf("%d/%d", len(l.visible), len(l.all))},
		{fmt.Sprintf("%d orphaned", n.orphaned), fmt.Sprintf("%d orph.", n.orphaned)},
		{fmt.Sprintf("%d at risk", n.atRisk), fmt.Sprintf("%d risk", n.atRisk)},
	}
	if l.verdict != "" {
		parts = append(parts, titlePart{"verdict " + string(l.verdict), string(l.verdict)})
	}
	top = []string{fitWidth(l.fs.fitTitle("Console-made users", parts, w), w)}
	if s := usersStatus(n); s != "" {
		top = append(top, fitWidth(st.Muted.Render(s), w))
	}
	if len(l.all) == 0 && n.reading == 0 && len(n.errs) == 0 {
		top = append(top, fitWidth(st.Muted.Render("None: no user's name begins with a console prefix (BedrockAPIKey-, AeaApiKey-)."), w))
	}
	for _, line := range []string{
		"orphaned: no live credential · at-risk: a way in beyond the key — ? explains · U back",
		"orphaned · at-risk: ? explains · U back",
		"? explains · U back",
	} {
		if lineWidth(line) <= w {
			legend = []string{fitWidth(st.Muted.Render(line), w)}
			break
		}
	}
	if l.fs.h < len(top)+len(legend)+4 {
		legend = nil
	}
	return top, legend
}

// errCredsUnlisted: the account's credentials could not be listed, so the
// users whose credentials are unknown cannot be judged (they would look
// orphaned).
var errCredsUnlisted = model.Errorf(model.KindOther, "their credentials could not be listed")

// unlisted reports that the fleet's account-wide listing failed and is not
// running again (the organization view shows only accounts it read).
func (l *usersList) unlisted() bool {
	ld := l.fs.load
	return !l.across && ld.invErr != nil && !ld.invPending
}

// usersStatus says what is not judged yet, or could not be.
func usersStatus(n userCounts) string {
	switch {
	case len(n.errs) > 0:
		return "Not judged: " + errorText(n.errs[0]) + " (ctrl+r tries again)"
	case n.reading > 0:
		return fmt.Sprintf("Reading what %s hold…", plural(n.reading, "more user"))
	}
	return ""
}

func (l *usersList) view() []string {
	top, legend := l.frame()
	lines := append(top, l.table.Lines()...)
	return fitLines(append(lines, legend...), l.fs.w, l.fs.h)
}

func (l *usersList) update(msg tea.KeyMsg) (tea.Msg, tea.Cmd) {
	k := l.fs.keys
	switch {
	case l.table.navigate(msg, k):
	case key.Matches(msg, k.ConsoleUsers), key.Matches(msg, k.Cancel):
		l.open = false
	case key.Matches(msg, k.CleanupUser):
		if r, ok := l.row(); ok {
			return cleanupAskedMsg{acct: r.acct.key, user: r.j}, nil
		}
		return statusMsg{levelInfo, "No console-made user selected"}, nil
	case key.Matches(msg, k.VerdictFilter):
		switch l.verdict {
		case "":
			l.verdict = model.UserOrphaned
		case model.UserOrphaned:
			l.verdict = model.UserAtRisk
		default:
			l.verdict = ""
		}
		cur, had := l.row()
		l.refilter()
		for i, r := range l.visible {
			if had && r.key() == cur.key() {
				l.table.SetCursor(i)
			}
		}
	}
	return nil, nil
}

func (l *usersList) help(k KeyMap) contextKeys {
	back := k.ConsoleUsers
	back.SetHelp("U/esc", "back to credentials")
	moves := tableMoves()
	groups := []helpGroup{
		{"Navigation", append(append([]key.Binding{}, moves...), k.CleanupUser, back)},
		{"Filter", []key.Binding{k.VerdictFilter}},
		{"Global", []key.Binding{k.Refresh, k.Help, k.Quit, k.Interrupt, k.Suspend}},
	}
	if _, ok := l.row(); !ok {
		k.CleanupUser.SetEnabled(false)
	}
	return contextKeys{short: []key.Binding{back, moves[0], k.CleanupUser, k.VerdictFilter, k.Quit, k.Help}, groups: groups, note: usersLegend}
}

// usersLegend explains the judgements: the full help's note.
const usersLegend = "Users the console made (U lists them)\n" +
	"A user whose name begins with a console prefix (BedrockAPIKey-, AeaApiKey-); what it holds is read for those users alone.\n" +
	"orphaned: no live credential left — none, or every one past its expiry (expired counts as none); an Inactive one not expired is still live. enter shows what it holds and removes it in the order IAM requires, once its name is typed.\n" +
	"at-risk: a way in beyond the API key — an IAM access key (any status), a console password, or a policy beyond its service's own managed one; each is named. enter deactivates its Active access keys (undoable; nothing is deleted).\n" +
	"ok: a live credential and nothing beyond its service's policy."

// usersLine is the line above the credentials: the console-made users'
// counts and the key that lists them, in w columns; "" when there are none.
func (l *usersList) usersLine(w int) string {
	n, st := l.counts, l.fs.styles
	if n.total == 0 && n.reading == 0 && len(n.errs) == 0 {
		return ""
	}
	if len(n.errs) > 0 {
		return fitWidth(st.Error.Render(fitText("✗ Console-made users not judged: "+errorText(n.errs[0])+" (ctrl+r tries again)", w)), w)
	}
	where := ""
	if l.across && n.accounts > 1 {
		where = fmt.Sprintf(" in %d accounts", n.accounts)
	}
	counts := fmt.Sprintf("%d orphaned, %d at risk", n.orphaned, n.atRisk)
	if n.flagged == 0 {
		counts = fmt.Sprintf("%d, none orphaned or at risk", n.total)
	}
	if n.reading > 0 {
		counts += fmt.Sprintf(" (reading %d more…)", n.reading)
		if n.total == 0 {
			counts = fmt.Sprintf("reading what %d hold…", n.reading)
		}
	}
	style := st.Muted
	if n.flagged > 0 {
		style = st.Warning
	}
	for _, line := range []string{
		"Console-made users: " + counts + where + " — U lists them",
		"Console-made users: " + counts + " — U",
		fmt.Sprintf("Users: %d orphaned · %d at risk (U)", n.orphaned, n.atRisk),
		fmt.Sprintf("U: %d orph. %d risk", n.orphaned, n.atRisk),
	} {
		if lineWidth(line) <= w {
			return fitWidth(style.Render(line), w)
		}
	}
	return fitWidth(style.Render(fitText("U: users", w)), w)
}

// fitText cuts s to w columns with "…".
func fitText(s string, w int) string { return ansi.Truncate(s, w, "…") }

// bannerLines are the lines between a fleet screen's title and its rows:
// the services the scan lacks, and the console-made users.
func (s *fleetScreen) bannerLines() []string {
	var lines []string
	if n := unscannedNote(s.unscanned); n != "" {
		lines = append(lines, fitWidth(s.styles.Warning.Render(ansi.Truncate(n, s.w, "…")), s.w))
	}
	if l := s.users.usersLine(s.w); l != "" {
		lines = append(lines, l)
	}
	return lines
}

// readAccounts are the accounts of the organization view that were read.
func (s *orgScreen) readAccounts() []*account {
	var out []*account
	for _, a := range s.org.accounts {
		if a.read() {
			out = append(out, a)
		}
	}
	return out
}
