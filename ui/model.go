package ui

// The package comment is in iam.go.

import (
	"context"
	"fmt"
	"time"

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
	client IAM
	opts   Options
	clip   *clipboard.Clipboard
	// ctx is cancelled on quit, so calls still running give up.
	ctx    context.Context
	cancel context.CancelFunc

	help    help.Model
	ticking bool // a spinner tick loop is running

	width, height int
	lay           layout

	identity    model.Identity
	identityErr error
	identityOK  bool

	main    *mainScreen
	fleet   *fleetScreen
	screens [screenCount]screen
	active  screenID

	dialogs dialogStack
	// waiting are secrets that arrived while a dialog was open; each shows in
	// a secret modal once no dialog is.
	waiting  []waitingSecret
	secretID int

	tasks    map[int]task // everything in flight, for the spinner's label
	nextTask int
	bulkRuns int

	status       statusLine
	showFullHelp bool
	quitWhenDone bool
	quitting     bool
}

type waitingSecret struct {
	secret model.Secret
	reset  bool
}

// task is one call in flight. A label shows in the status bar; quiet tasks
// (background refreshes) show nothing.
type task struct {
	label   string
	started time.Time
}

// New builds the UI. It does not call IAM; Init does.
func New(o Options) *Model {
	o = o.withDefaults()
	ctx, cancel := context.WithCancel(context.Background())
	styles := DefaultStyles()
	sh := &shared{
		kit:    &kit{styles: styles, keys: DefaultKeyMap().readOnly(o.ReadOnly), now: o.Now},
		cache:  newCredCache(),
		writes: &writes{},
		// Unstyled: its frame also goes into table cells, which must stay
		// plain text (the status bar styles it itself).
		spin:     spinner.New(spinner.WithSpinner(spinner.MiniDot)),
		readOnly: o.ReadOnly,
		maxAge:   o.MaxAge,
	}
	m := &Model{
		shared: sh,
		client: o.Client,
		opts:   o,
		clip:   o.Clipboard,
		ctx:    ctx,
		cancel: cancel,
		tasks:  map[int]task{},
		main:   newMainScreen(sh, o.SettleDelay),
		fleet:  newFleetScreen(sh),
	}
	m.screens = [screenCount]screen{screenMain: m.main, screenFleet: m.fleet}
	m.help = help.New()
	m.help.Styles = styles.Help
	m.resize(80, 24) // until the terminal tells its size
	return m
}

// Init starts the account-wide loads; the first frame renders before any answer.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(m.startIdentity(), m.startLoad(), m.startSpinner())
}

func (m *Model) screen() screen { return m.screens[m.active] }

// show makes id the screen on display.
func (m *Model) show(id screenID) {
	m.active = id
	m.relayout()
	m.screen().sync()
}

// Update handles a message, then brings what the next View draws up to date.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	if !m.quitting {
		cmd = tea.Batch(cmd, m.afterUpdate())
	}
	if m.quitting {
		return m, cmd
	}
	return m, tea.Batch(cmd, m.startSpinner())
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
	var cmd tea.Cmd
	if m.dialogs.empty() && len(m.waiting) > 0 {
		w := m.waiting[0]
		m.waiting = m.waiting[1:]
		m.secretID++
		cmd = m.open(newSecretModal(m.kit, m.secretID, w.secret, w.reset))
	}
	if m.wantLayout() != m.lay {
		m.relayout()
	}
	m.screen().sync()
	return tea.Batch(cmd, m.maybeQuit())
}

// handleKey is the focus gate: the top dialog, else an input of the screen,
// else the keys all screens share, else the screen.
func (m *Model) handleKey(msg tea.KeyMsg) tea.Cmd {
	if !m.dialogs.empty() {
		return m.fromDialog(m.dialogs.key(msg))
	}
	s := m.screen()
	if s.typing() && !key.Matches(msg, m.keys.Interrupt) {
		return m.fromScreen(s.update(msg))
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
		m.showFullHelp = !m.showFullHelp
		return nil, true
	case key.Matches(msg, k.Refresh):
		return m.refresh(), true
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
	return tea.Batch(cmd, m.handle(intent))
}

// handle routes the answers of commands and the intents of screens and dialogs.
func (m *Model) handle(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case identityMsg:
		return m.onIdentity(msg)
	case usersMsg:
		return m.onUsers(msg)
	case inventoryMsg:
		return m.onInventory(msg)
	case inventoryProgressMsg:
		return m.onProgress(msg)
	case settleMsg:
		return m.onSettle(msg)
	case credsMsg:
		return m.onCreds(msg)
	case createdMsg:
		return m.onCreated(msg)
	case toggledMsg:
		return m.onToggled(msg)
	case resetMsg:
		return m.onReset(msg)
	case deletedMsg:
		return m.onDeleted(msg)
	case bulkDoneMsg:
		return m.onBulkDone(msg)
	case copiedMsg:
		return m.onCopied(msg)
	case clipboardClearedMsg:
		return m.onClipboardCleared(msg)
	case exportDoneMsg:
		m.endTask(msg.task) // the export prompt takes the outcome
	case profilesMsg:
		return m.onProfiles(msg)
	case profileSwitchedMsg:
		return m.onProfileSwitched(msg)

	case statusMsg:
		m.setStatus(msg.level, msg.text)
	case openDialogMsg:
		return m.open(msg.dialog)
	case quitRequestedMsg:
		return m.requestQuit()
	case quitNowMsg:
		return m.quit()
	case quitWhenDoneMsg:
		m.quitWhenDone = true
		if msg.note != "" {
			m.setStatus(levelInfo, msg.note)
		}
	case createRequestedMsg:
		return m.startCreate(msg.user, msg.service, msg.ageDays)
	case resetRequestedMsg:
		return m.startReset(msg.cred)
	case deleteRequestedMsg:
		return m.startDelete(msg.cred)
	case bulkRequestedMsg:
		return m.startBulk(msg.action, msg.targets)
	case copyRequestedMsg:
		return m.copyText(msg)
	case exportRequestedMsg:
		return m.startExport(msg)
	case profilesRequestedMsg:
		return m.openProfiles()
	case profileChosenMsg:
		return m.switchProfile(msg.name)
	}
	return nil
}

// showSecret queues a new secret; afterUpdate shows it once no dialog is open.
func (m *Model) showSecret(s model.Secret, reset bool) tea.Cmd {
	m.waiting = append(m.waiting, waitingSecret{secret: s, reset: reset})
	cmd := m.tellDialogs(secretReadyMsg{}) // a question about waiting for it is moot
	if !m.dialogs.empty() {
		m.setStatus(levelOK, "A new "+s.Credential.ServiceInfo().SecretLabel()+" is ready: it shows when this dialog closes")
	}
	return cmd
}

// requestQuit quits, unless a secret could be lost: a secret modal not yet
// saved asks first, a create or reset still in flight asks whether to wait,
// and secrets waiting to be shown show first.
func (m *Model) requestQuit() tea.Cmd {
	if m.dialogs.dropForQuit() {
		return nil
	}
	if n := m.writes.secrets(); n > 0 {
		if m.quitWhenDone { // asked again while waiting: the person means it
			return m.quit()
		}
		return m.open(newQuitQuestion(m.kit, n))
	}
	if len(m.waiting) > 0 {
		m.quitWhenDone = true // the next shows now; closing the last quits
		return nil
	}
	return m.quit()
}

// quit drops every secret, cancels calls in flight and ends the program.
func (m *Model) quit() tea.Cmd {
	m.dialogs, m.waiting = dialogStack{}, nil
	m.quitting = true
	m.cancel()
	return tea.Quit
}

// maybeQuit ends the program once the quit the person asked for can happen.
func (m *Model) maybeQuit() tea.Cmd {
	if !m.quitWhenDone || m.writes.secrets() > 0 || !m.dialogs.empty() || len(m.waiting) > 0 {
		return nil
	}
	return m.quit()
}

func (m *Model) startTask(label string) int {
	m.nextTask++
	m.tasks[m.nextTask] = task{label: label, started: m.now()}
	return m.nextTask
}

func (m *Model) endTask(id int) { delete(m.tasks, id) }

// busyLabel is the newest labelled task, "" when none, with the time it has
// been running once that is long enough to matter (IAM retrying, throttling).
func (m *Model) busyLabel() (string, int) {
	best, n := -1, 0
	var cur task
	for id, t := range m.tasks {
		if t.label == "" {
			continue
		}
		n++
		if id > best {
			best, cur = id, t
		}
	}
	if since := m.now().Sub(cur.started); n > 0 && since >= 3*time.Second {
		return fmt.Sprintf("%s %ds", cur.label, int(since.Seconds())), n
	}
	return cur.label, n
}

// startSpinner starts the tick loop if something visible is running.
func (m *Model) startSpinner() tea.Cmd {
	if m.ticking || !m.needsSpinner() {
		return nil
	}
	m.ticking = true
	return m.spin.Tick
}

func (m *Model) needsSpinner() bool {
	if m.writes.any() {
		return true
	}
	label, _ := m.busyLabel()
	return label != ""
}

func (m *Model) tick(msg spinner.TickMsg) tea.Cmd {
	if !m.needsSpinner() {
		m.ticking = false
		return nil
	}
	var cmd tea.Cmd
	m.spin, cmd = m.spin.Update(msg)
	if m.writes.any() {
		m.main.rebuildCreds() // the spinners on the rows
	}
	return cmd
}
