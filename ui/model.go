package ui

// The package comment is in iam.go.

import (
	"context"
	"fmt"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
	"iamcreds/ui/clipboard"
)

// Options configure the UI.
type Options struct {
	Client   IAM
	Profile  string // shown in the header
	Endpoint string // shown in the header when not AWS itself
	Demo     bool   // DEMO badge
	ReadOnly bool   // READ-ONLY badge; n/t/r/d disabled (the client refuses too)
	// Now is the clock; nil means time.Now (tests inject a fixed one).
	Now func() time.Time
	// ClipboardClear clears the clipboard after this long if it still holds the
	// secret we put there; 0 turns it off.
	ClipboardClear time.Duration
	// MaxAge flags Active credentials older than this in the fleet view; 0 means 90 days.
	MaxAge time.Duration
	// SettleDelay is how long the users cursor rests on a user before the
	// user's credentials are listed; 0 means 150 ms. Tests make it tiny.
	SettleDelay time.Duration
	// Clipboard copies secrets; nil means clipboard.New(clipboard.Options{}).
	Clipboard *clipboard.Clipboard
	// Profiles lists the profile names P offers; SwitchProfile builds a client
	// for one and checks who it is. Either nil turns P off.
	Profiles      func() ([]string, error)
	SwitchProfile func(ctx context.Context, name string) (IAM, model.Identity, error)
}

type focusArea int

const (
	focusUsers focusArea = iota
	focusCreds
)

// Model is the root Bubble Tea model. *Model implements tea.Model; Update
// mutates it in place and returns it.
type Model struct {
	client IAM
	opts   Options
	now    func() time.Time
	clip   *clipboard.Clipboard
	// ctx is cancelled on quit, so calls still running give up.
	ctx    context.Context
	cancel context.CancelFunc

	keys    KeyMap
	styles  Styles
	help    help.Model
	spinner spinner.Model
	spin    bool // a spinner tick loop is running

	width, height int
	lay           layout

	identity    model.Identity
	identityErr error
	identityOK  bool

	users  usersView
	fleet  fleetView // a switches to it (fleet.go)
	creds  credsView
	focus  focusArea
	filter textinput.Model
	// filtering: the filter input has the keys.
	filtering bool

	// cache holds each user's credentials once known (inventory or listing).
	cache map[string][]model.Credential
	// fresh is, per user, the sequence number of the newest information applied
	// (a listing's start, a write's completion); older answers are dropped.
	fresh map[string]uint64
	seq   uint64
	// seqFloor: answers started before the last profile switch are dropped.
	seqFloor uint64
	// listErr is the last listing error per user, shown while nothing is cached.
	listErr map[string]error
	// settleSeq tags the latest cursor move; its debounce timer must match.
	settleSeq uint64

	load loadState

	tasks    map[int]task // everything in flight, for the spinner and for tests
	nextTask int
	pending  []pendingOp // writes in flight, shown on their rows
	nextOp   int

	overlay  any // one of *createForm, *resetConfirm, *deleteConfirm, *secretModal, *quitQuestion, *profilePicker
	secrets  []*secretModal
	secretID int

	status       statusLine
	showFullHelp bool
	quitWhenDone bool
	quitting     bool
}

// loadState tracks the account-wide loads of one generation (start, ctrl+r).
type loadState struct {
	gen              int
	usersPending     bool
	invPending       bool
	invApplied       bool // this generation's inventory is in the cache
	usersErr, invErr error
	invTask          int  // the inventory's task, whose label shows the scan's progress
	everLoaded       bool // users arrived at least once
}

// task is one call in flight. A label shows in the status bar; quiet tasks
// (background refreshes) only keep tests waiting.
type task struct {
	label   string
	started time.Time
}

// New builds the UI. It does not call IAM; Init does.
func New(o Options) *Model {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	clip := o.Clipboard
	if clip == nil {
		clip = clipboard.New(clipboard.Options{})
	}
	ctx, cancel := context.WithCancel(context.Background())
	styles := DefaultStyles()
	m := &Model{
		client:  o.Client,
		opts:    o,
		now:     now,
		clip:    clip,
		ctx:     ctx,
		cancel:  cancel,
		keys:    DefaultKeyMap().readOnly(o.ReadOnly),
		styles:  styles,
		cache:   map[string][]model.Credential{},
		fresh:   map[string]uint64{},
		listErr: map[string]error{},
		tasks:   map[int]task{},
	}
	m.help = help.New()
	m.help.Styles = styles.Help
	// Unstyled: its frame also goes into table cells, which must stay plain text
	// (the status bar styles it itself).
	m.spinner = spinner.New(spinner.WithSpinner(spinner.MiniDot))
	m.filter = newFilterInput(styles)
	m.users = newUsersView(styles)
	m.creds = newCredsView(styles)
	m.fleet = newFleetView(styles)
	m.applyFocus()
	m.resize(80, 24) // until the terminal tells its size
	return m
}

// Init starts the account-wide loads; the first frame renders before any answer.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(m.startIdentity(), m.startLoad(), m.startSpinner())
}

func (m *Model) startIdentity() tea.Cmd {
	id := m.startTask("")
	return identityCmd(m.ctx, m.client, id)
}

// startLoad lists the users and the inventory at once: users usually come first
// and fill the table; the inventory adds every user's credentials.
func (m *Model) startLoad() tea.Cmd {
	m.load.gen++
	m.load.usersPending, m.load.invPending, m.load.invApplied = true, true, false
	m.load.usersErr, m.load.invErr = nil, nil
	verb := "loading"
	if m.load.everLoaded {
		verb = "refreshing"
	}
	ut := m.startTask(verb + " users…")
	it := m.startTask(verb + " credentials…")
	m.load.invTask = it
	return tea.Batch(
		usersCmd(m.ctx, m.client, ut, m.load.gen),
		inventoryCmds(m.ctx, m.client, it, m.load.gen, m.nextSeq()),
	)
}

func (m *Model) nextSeq() uint64 {
	m.seq++
	return m.seq
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
	if m.spin || !m.needsSpinner() {
		return nil
	}
	m.spin = true
	return m.spinner.Tick
}

func (m *Model) needsSpinner() bool {
	if len(m.pending) > 0 {
		return true
	}
	label, _ := m.busyLabel()
	return label != ""
}

// Update handles a message. Keys go to whatever has focus first (an overlay, the
// filter input), then to the tables.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	if m.quitting {
		return m, cmd
	}
	return m, tea.Batch(cmd, m.startSpinner())
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.resize(msg.Width, msg.Height)
		return nil
	case tea.KeyMsg:
		return m.handleKey(msg)
	case spinner.TickMsg:
		if !m.needsSpinner() {
			m.spin = false
			return nil
		}
		var cmd tea.Cmd
		m.spinner, cmd = m.spinner.Update(msg)
		if len(m.pending) > 0 {
			m.rebuildCreds() // the spinners on the rows
		}
		return cmd
	}
	cmd := m.handleResult(msg)
	m.fleet.dirty = true // the cache may have changed: the fleet rebuilds on its next frame
	return cmd
}

// handleResult routes the answers of commands.
func (m *Model) handleResult(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case identityMsg:
		return m.onIdentity(msg)
	case usersMsg:
		return m.onUsers(msg)
	case inventoryMsg:
		return m.onInventory(msg)
	case inventoryProgressMsg:
		m.fleet.scan = [2]int{msg.done, msg.total}
		return m.onProgress(msg)
	case bulkDoneMsg:
		return m.onBulkDone(msg)
	case exportDoneMsg:
		return m.onExported(msg)
	case settleMsg:
		return m.onSettle(msg)
	case credsMsg:
		return m.onCreds(msg)
	case createdMsg:
		return m.onCreated(msg)
	case statusSetMsg:
		return m.onStatusSet(msg)
	case resetMsg:
		return m.onReset(msg)
	case deletedMsg:
		return m.onDeleted(msg)
	case copiedMsg:
		return m.onCopied(msg)
	case clipboardClearedMsg:
		return m.onClipboardCleared(msg)
	case profilesMsg:
		return m.onProfiles(msg)
	case profileSwitchedMsg:
		return m.onProfileSwitched(msg)
	}
	return nil
}

// handleKey is the focus gate: the overlay, then the filter, then the screen.
func (m *Model) handleKey(msg tea.KeyMsg) tea.Cmd {
	if m.overlay != nil {
		return m.overlayKey(msg)
	}
	if m.filtering {
		return m.filterKey(msg)
	}
	if m.fleet.on {
		return m.fleetKey(msg)
	}
	return m.screenKey(msg)
}

func (m *Model) overlayKey(msg tea.KeyMsg) tea.Cmd {
	switch o := m.overlay.(type) {
	case *createForm:
		return m.createFormKey(o, msg)
	case *resetConfirm:
		return m.resetConfirmKey(o, msg)
	case *deleteConfirm:
		return m.deleteConfirmKey(o, msg)
	case *secretModal:
		return m.secretKey(o, msg)
	case *quitQuestion:
		return m.quitQuestionKey(o, msg)
	case *bulkConfirm:
		return m.bulkConfirmKey(o, msg)
	case *bulkSummary:
		return m.bulkSummaryKey(o, msg)
	case *exportPrompt:
		return m.exportPromptKey(o, msg)
	case *profilePicker:
		return m.profilePickerKey(o, msg)
	}
	return nil
}

// screenKey handles keys on the main screen.
func (m *Model) screenKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Quit):
		return m.requestQuit()
	case key.Matches(msg, k.Help):
		m.showFullHelp = !m.showFullHelp
		m.relayout()
		return nil
	case key.Matches(msg, k.Refresh):
		return m.refresh()
	case key.Matches(msg, k.Filter):
		return m.startFilter()
	case key.Matches(msg, k.ReadOnlyInfo):
		m.setStatus(levelWarn, "Read-only mode: create, toggle, reset and delete are off (start without --read-only to make changes)")
		return nil
	case key.Matches(msg, k.Create):
		return m.openCreateForm()
	case key.Matches(msg, k.Profiles):
		return m.openProfiles()
	case key.Matches(msg, k.Fleet):
		return m.toggleFleet()
	}
	if m.focus == focusUsers {
		return m.usersKey(msg)
	}
	return m.credsKey(msg)
}

// requestQuit quits, unless a secret could be lost: a secret modal not yet
// saved (it asks first), a create or reset still in flight (it asks whether to
// wait), or secrets waiting behind a dialog (they show first).
func (m *Model) requestQuit() tea.Cmd {
	if sm, ok := m.overlay.(*secretModal); ok && !sm.saved {
		sm.asking, sm.quitAfter = true, true
		return nil
	}
	if m.secretWritesInFlight() > 0 {
		if m.quitWhenDone { // asked again while waiting: the person means it
			return m.quit()
		}
		m.openOverlay(&quitQuestion{})
		return nil
	}
	if len(m.secrets) > 0 {
		m.quitWhenDone = true
		m.overlay = nil
		return m.closeOverlay() // shows the next secret; closing the last quits
	}
	return m.quit()
}

// quit drops every secret, cancels calls in flight and ends the program.
func (m *Model) quit() tea.Cmd {
	m.overlay, m.secrets = nil, nil
	m.quitting = true
	m.cancel()
	return tea.Quit
}

// maybeQuit ends the program once the quit the person asked for can happen.
func (m *Model) maybeQuit() tea.Cmd {
	if !m.quitWhenDone || m.secretWritesInFlight() > 0 || m.overlay != nil || len(m.secrets) > 0 {
		return nil
	}
	return m.quit()
}

func (m *Model) refresh() tea.Cmd {
	cmds := []tea.Cmd{m.startLoad()}
	if !m.identityOK {
		cmds = append(cmds, m.startIdentity())
	}
	if u, ok := m.users.selected(); ok {
		cmds = append(cmds, m.listCreds(u.Name, false))
	}
	m.setStatus(levelInfo, "")
	return tea.Batch(cmds...)
}

func (m *Model) listCreds(user string, settle bool) tea.Cmd {
	id := m.startTask("")
	return listCredsCmd(m.ctx, m.client, id, m.nextSeq(), user, settle)
}

// openOverlay shows o, which takes the keys until it closes.
func (m *Model) openOverlay(o any) {
	m.overlay = o
	m.relayout()
}

// closeOverlay closes the current overlay and shows the next waiting secret.
func (m *Model) closeOverlay() tea.Cmd {
	m.overlay = nil
	if len(m.secrets) > 0 {
		m.overlay, m.secrets = m.secrets[0], m.secrets[1:]
	}
	m.relayout()
	return m.maybeQuit()
}
