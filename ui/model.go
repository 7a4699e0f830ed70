package ui

// The package comment is in iam.go.

import (
	"context"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
	"iamcreds/ui/clipboard"
)

// Model is the root Bubble Tea model: it owns the state every screen shows
// (shared), the screens, the dialogs, the status bar and the calls in flight.
// *Model implements tea.Model; Update mutates it in place and returns it.
type Model struct {
	*shared
	opts Options
	clip *clipboard.Clipboard
	// ctx is cancelled on quit, so calls still running give up.
	ctx    context.Context
	cancel context.CancelFunc
	// stopLoad cancels the account-wide load in flight (users and inventory):
	// ctrl+r starts another only once the first has been told to stop.
	stopLoad context.CancelFunc

	help    help.Model
	ticking bool // a spinner tick loop is running

	width, height int
	lay           layout

	identity    model.Identity
	identityErr error
	identityOK  bool
	// identityAsked: an identity call is in flight; ctrl+r does not add another.
	identityAsked bool

	main    *mainScreen
	fleet   *fleetScreen
	screens [screenCount]screen
	// org and orgView are the accounts of Options.Accounts and their screen;
	// nil for one account.
	org     *orgState
	orgView *orgScreen
	active  screenID

	dialogs dialogStack
	// dialogTags names the dialogs that follow their writes (pendingOp.by).
	dialogTags int
	// waiting are secrets that arrived while a dialog was open; each shows in
	// a secret modal once no dialog is.
	waiting  []waitingSecret
	secretID int

	tasks    map[int]task // everything in flight, for the spinner's label
	nextTask int
	bulkRuns int

	board statusBoard // the status line of each screen and open dialog
	undo  *undoToggle // what "t switches it back" names, while it shows
	// notes are the status lines that are a screen's note of its cursor
	// (postNote), by their seq; seqAtUpdate, the board's seq when the
	// message in hand arrived.
	notes        [screenCount]int
	seqAtUpdate  int
	showFullHelp bool
	helpTop      int // the full help's first line shown, when it scrolls
	quitWhenDone bool
	quitting     bool
}

// New builds the UI. It does not call IAM; Init does.
func New(o Options) *Model {
	o = o.withDefaults()
	ctx, cancel := context.WithCancel(context.Background())
	styles := DefaultStyles()
	sh := &shared{
		kit:    &kit{styles: styles, keys: DefaultKeyMap().readOnly(o.ReadOnly), now: o.Now, readOnlyFrom: o.ReadOnlyFrom},
		acct:   newAccount(o.Client),
		writes: &writes{},
		lost:   newLostSecrets(),
		// Unstyled: its frame also goes into table cells, which must stay
		// plain text (the status bar styles it itself).
		spin:     spinner.New(spinner.WithSpinner(spinner.MiniDot)),
		readOnly: o.ReadOnly,
		maxAge:   o.MaxAge,
		deleted:  map[string]bool{},
	}
	m := &Model{
		shared: sh,
		opts:   o,
		clip:   o.Clipboard,
		ctx:    ctx,
		cancel: cancel,
		tasks:  map[int]task{},
		main:   newMainScreen(sh, o.SettleDelay),
		fleet:  newFleetScreen(sh),
	}
	m.screens = [screenCount]screen{screenMain: m.main, screenFleet: m.fleet}
	if o.Accounts != nil {
		m.startOrg(o.Accounts)
	}
	m.help = help.New()
	m.help.Styles = styles.Help
	m.resize(80, 24) // until the terminal tells its size
	return m
}

// Init starts the account-wide loads; the first frame renders before any answer.
func (m *Model) Init() tea.Cmd {
	if m.org != nil {
		return tea.Batch(m.startOrgScan(), m.startSpinner())
	}
	return tea.Batch(m.startIdentity(), m.startLoad(), m.startSpinner())
}

func (m *Model) screen() screen { return m.screens[m.active] }

// closed reports a status owner that is a dialog no longer open.
func (m *Model) closed(owner any) bool {
	d, ok := owner.(dialog)
	return ok && !m.dialogs.has(d)
}

// show makes id the screen on display.
func (m *Model) show(id screenID) {
	m.active = id
	m.relayout()
	m.screen().sync()
}

// Update handles a message, then brings what the next View draws up to date.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if m.quitting {
		// Nothing changes once quitting: what was in flight stays so
		// (Unanswered), as it does for tea.Program, which stops reading.
		return m, nil
	}
	m.seqAtUpdate = m.board.seq
	cmd := m.update(msg)
	if m.quitting {
		return m, cmd
	}
	cmd = tea.Batch(cmd, m.afterUpdate()) // which may quit, once a quit can happen
	if m.quitting {
		return m, cmd
	}
	return m, tea.Batch(cmd, m.startSpinner())
}

// View renders the window: header, screen, status bar, help; the top dialog,
// when one is open, is spliced over it. Every line is exactly the window's
// width. It changes nothing: Update has prepared everything it draws.
func (m *Model) View() string {
	w, h := m.width, m.height
	lines := make([]string, 0, h)
	lines = append(lines, m.headerView(w))
	if m.lay.bodyH > 0 {
		lines = append(lines, m.screen().view()...)
	}
	lines = append(lines, m.statusLines(w, m.lay.statusH)...)
	lines = append(lines, m.helpLines(w, m.lay.helpH)...)
	lines = fitLines(lines, w, h)
	if d := m.dialogs.top(); d != nil {
		lines = m.withOverlay(lines, d, w, h)
	}
	return strings.Join(lines, "\n")
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.resize(msg.Width, msg.Height)
		return m.tellDialogs(msg)
	case tea.KeyMsg:
		return m.handleKey(msg)
	case spinner.TickMsg:
		return m.tick(msg)
	}
	// An answer: the root's bookkeeping first, then the dialogs hear of it.
	return tea.Batch(m.handle(msg), m.tellDialogs(msg))
}

// afterUpdate shows a waiting secret once no dialog is open, fits the layout to
// the status and help, and readies the screen for the next View.
func (m *Model) afterUpdate() tea.Cmd {
	cmd := m.showWaitingSecret()
	m.board.handDown(m.closed, m.statusOwner())
	if m.wantLayout() != m.lay {
		m.relayout()
	}
	m.screen().sync()
	if m.postNote() && m.wantLayout() != m.lay {
		m.relayout()
		m.screen().sync()
	}
	return tea.Batch(cmd, m.maybeQuit())
}

// postNote puts what the screen on display says of its cursor on its status
// line, before what this message wrote there (a load's summary), and reports
// whether there was anything.
func (m *Model) postNote() bool {
	n, ok := m.screen().(noter)
	if !ok {
		return false
	}
	text := n.takeNote()
	if text == "" {
		return false
	}
	line := statusLine{level: levelWarn, text: model.SafeText(text)}
	if cur := m.board.get(m.active); cur.seq > m.seqAtUpdate && cur.text != "" {
		line.text += " · " + cur.text
		line.level = max(line.level, cur.level)
	}
	m.board.set(m.active, line)
	m.notes[m.active] = m.board.get(m.active).seq
	return true
}

// postAccountAfterNotes is postAccount, but a screen whose line is still a
// note of its cursor (postNote) keeps it: a load's summary arriving after the
// listing that moved the cursor does not hide why (the titles count the rows).
func (m *Model) postAccountAfterNotes(line statusLine) {
	for id := range screenCount {
		if cur := m.board.get(id); cur.seq == m.notes[id] && cur.text != "" {
			continue
		}
		m.board.set(id, line)
	}
}

// handleKey is the focus gate: the top dialog, else an input of the screen,
// else the keys all screens share, else the screen.
func (m *Model) handleKey(msg tea.KeyMsg) tea.Cmd {
	if key.Matches(msg, m.keys.Suspend) { // anywhere, as a shell's job control
		return tea.Suspend
	}
	if !m.dialogs.empty() {
		return m.fromDialog(m.dialogs.key(msg))
	}
	if m.active == screenOrg {
		m.orgView.moved = true // the cursor holds its row from now on
	}
	if !key.Matches(msg, m.keys.Toggle) {
		m.undo = nil // the offer of "t switches it back" is for the next key
	}
	s := m.screen()
	if s.typing() && !key.Matches(msg, m.keys.Interrupt) {
		return m.fromScreen(s.update(msg))
	}
	if m.scrollHelp(msg) { // a full help longer than the window
		return nil
	}
	if cmd, ok := m.sharedKey(msg); ok {
		return cmd
	}
	return m.fromScreen(s.update(msg))
}

// sharedKey handles the keys every screen shares.
func (m *Model) sharedKey(msg tea.KeyMsg) (tea.Cmd, bool) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Quit), key.Matches(msg, k.Interrupt):
		return m.requestQuit(), true
	case key.Matches(msg, k.Help):
		m.showFullHelp, m.helpTop = !m.showFullHelp, 0
		return nil, true
	case key.Matches(msg, k.Refresh) && m.active == screenOrg:
		return m.startOrgScan(), true
	case key.Matches(msg, k.Refresh):
		return m.refresh(), true
	case key.Matches(msg, k.OrgView) && m.org != nil:
		return m.leaveAccount(), true
	case key.Matches(msg, k.Fleet) && m.active == screenOrg:
		m.setStatus(levelInfo, "enter opens the row's user in its account; a then switches between its users and its fleet")
		return nil, true
	case key.Matches(msg, k.Fleet):
		if m.active == screenFleet {
			m.show(screenMain)
		} else {
			m.show(screenFleet)
		}
		return nil, true
	case key.Matches(msg, k.Toggle):
		return m.toggle(), true
	case key.Matches(msg, k.Reset):
		return m.openResetConfirm(), true
	case key.Matches(msg, k.Delete):
		return m.openDeleteConfirm(), true
	case key.Matches(msg, k.Rotate):
		return m.openRotate(), true
	case key.Matches(msg, k.Whois):
		return m.openWhois(), true
	}
	return nil, false
}

// open puts a dialog on top; it learns the window's size at once.
func (m *Model) open(d dialog) tea.Cmd {
	m.dialogs.push(d)
	return m.fromDialog(d.Update(tea.WindowSizeMsg{Width: m.width, Height: m.height}))
}

// tellDialogs hands a message to every open dialog and acts on their replies.
func (m *Model) tellDialogs(msg tea.Msg) tea.Cmd {
	var cmds []tea.Cmd
	for _, r := range m.dialogs.tell(msg) {
		cmds = append(cmds, m.fromDialog(r))
	}
	return tea.Batch(cmds...)
}

func (m *Model) fromDialog(r reply) tea.Cmd { return tea.Batch(r.cmd, m.handle(r.out)) }

func (m *Model) fromScreen(intent tea.Msg, cmd tea.Cmd) tea.Cmd {
	if open, ok := intent.(openDialogMsg); ok {
		intent = openDialogMsg{m.namingAccount(open.dialog)}
	}
	return tea.Batch(cmd, m.handle(intent))
}

// namingAccount wraps a dialog a screen opens for a write — a delete or bulk
// confirmation, the create form — with the name of the account it goes to
// when that is not the one on screen, or not the caller's own (inAccounts).
// The organization view names its bulk confirmations' accounts itself.
func (m *Model) namingAccount(d dialog) dialog {
	switch d := d.(type) {
	case *deleteConfirm:
		if a, err := m.accountOf(d.cred, 0); err == nil {
			return m.inAccounts(d, a)
		}
	case *bulkConfirm, *createForm:
		if m.active != screenOrg {
			return m.inAccounts(d, m.acct)
		}
	}
	return d
}
