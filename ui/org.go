package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
)

// The organization view's data: every account of a scan across accounts
// (Options.Accounts), each with its client and what is known of its
// credentials. The root owns it; the organization screen reads it.

// orgState is what the root knows of the accounts.
type orgState struct {
	src      Accounts
	found    AccountsFound
	accounts []*account // sorted by name, then ID
	byKey    map[string]*account
	gen      int                // the scan in flight or last done
	stop     context.CancelFunc // ends the scan in flight
	scanning bool
	// A scan is over once its command has returned (ended) and every account
	// it sent has been applied (drained), in either order.
	ended, drained bool
	endErr         error
	reported       int   // accounts this scan has reported
	err            error // the listing failed
	// none is the account on screen until one is opened, and again once the
	// organization view shows: its client refuses every call.
	none *account
	// dialogs are the accounts of the dialogs opened on the organization view
	// that write later (a rotation), by the dialog's tag.
	dialogs map[int]*account
	// userReads bounds the accounts whose console-made users are read at once.
	userReads chan struct{}
}

func newOrgState(src Accounts) *orgState {
	return &orgState{src: src, byKey: map[string]*account{}, none: newAccount(noAccount{})}
}

func accountKey(a model.Account) string {
	if a.ID != "" {
		return a.ID
	}
	return "profile " + a.Profile
}

// version changes whenever an account's credentials or the set of accounts
// does: the sum of the caches' versions, which only grow, and the count.
func (o *orgState) version() uint64 {
	v := uint64(len(o.accounts))
	for _, a := range o.accounts {
		v += a.cache.version
	}
	return v
}

// inventories are the accounts as model.AccountInventory, in o.accounts' order.
func (o *orgState) inventories() []model.AccountInventory {
	out := make([]model.AccountInventory, len(o.accounts))
	for i, a := range o.accounts {
		out[i] = model.AccountInventory{Account: a.info, Err: a.err, Skipped: a.skipped}
		if a.read() {
			out[i].Inventory = model.Inventory{Users: a.users, Credentials: a.cache.all()}
		}
	}
	return out
}

// notRead are the accounts that failed, then those left out.
func (o *orgState) notRead() (failed, skipped []*account) {
	for _, a := range o.accounts {
		switch {
		case a.err != nil:
			failed = append(failed, a)
		case a.skipped != "":
			skipped = append(skipped, a)
		}
	}
	return failed, skipped
}

// readCount is how many accounts were read.
func (o *orgState) readCount() int {
	n := 0
	for _, a := range o.accounts {
		if a.read() {
			n++
		}
	}
	return n
}

// holding is the account whose cache holds credential id of user, nil if none.
func (o *orgState) holding(user, id string) *account {
	for _, a := range o.accounts {
		creds, _ := a.cache.get(user)
		for _, c := range creds {
			if c.ID == id {
				return a
			}
		}
	}
	return nil
}

// apply records one account of scan gen; prune forgets the secret-lost
// marks of the credentials its listing no longer shows.
func (o *orgState) apply(gen int, r AccountResult, prune func(*credCache) func(user string, creds []model.Credential)) {
	key := accountKey(r.Account)
	a := o.byKey[key]
	if a == nil {
		a = &account{key: key, cache: newCredCache()}
		o.byKey[key] = a
		o.accounts = append(o.accounts, a)
	}
	a.info, a.client, a.err, a.skipped, a.gen = r.Account, r.Client, r.Err, r.Skipped, gen
	a.cache.reset()
	a.users = nil
	if a.read() {
		a.users = r.Inventory.Users
		a.cache.applyInventory(a.cache.tag(), r.Inventory, prune(a.cache))
	}
	o.sort()
}

// forgetUnseen drops the accounts scan gen did not report (gone from the organization).
func (o *orgState) forgetUnseen(gen int) {
	o.accounts = slices.DeleteFunc(o.accounts, func(a *account) bool {
		if a.gen != gen {
			delete(o.byKey, a.key)
			return true
		}
		return false
	})
}

func (o *orgState) sort() {
	slices.SortStableFunc(o.accounts, func(a, b *account) int {
		return strings.Compare(strings.ToLower(a.info.DisplayName())+"\x00"+a.key, strings.ToLower(b.info.DisplayName())+"\x00"+b.key)
	})
}

// label names the set of accounts for the header: the organization or the profiles.
func (o *orgState) label() string {
	switch {
	case o.found.Organization != "":
		return "organization " + o.found.Organization
	case o.found.Caller != "":
		return "organization of " + o.found.Caller
	}
	return "profiles"
}

// Messages of a scan across accounts. Each carries the scan's gen: a scan that
// ctrl+r replaced is dropped.

type orgFoundMsg struct {
	gen   int
	found AccountsFound
	ch    <-chan tea.Msg
}

type orgAccountMsg struct {
	gen int
	res AccountResult
	ch  <-chan tea.Msg
}

// orgScanDoneMsg: the scan's command returned; orgDrainedMsg: every account it
// sent has been read from the channel.
type orgScanDoneMsg struct {
	gen, task int
	err       error
}

type orgDrainedMsg struct{ gen int }

// orgScanCmds runs the scan and, beside it, a listener that turns each account
// into a message as it is read. Sends wait for the listener, or give up when
// ctx ends (ctrl+r, quit).
func orgScanCmds(ctx context.Context, src Accounts, gen, task int) tea.Cmd {
	ch := make(chan tea.Msg, 16)
	send := func(msg tea.Msg) {
		select {
		case ch <- msg:
		case <-ctx.Done():
		}
	}
	run := func() tea.Msg {
		err := src.Scan(ctx,
			func(f AccountsFound) { send(orgFoundMsg{gen: gen, found: f, ch: ch}) },
			func(r AccountResult) { send(orgAccountMsg{gen: gen, res: r, ch: ch}) })
		close(ch)
		return orgScanDoneMsg{gen: gen, task: task, err: err}
	}
	return tea.Batch(run, orgListen(gen, ch))
}

// orgListen reads the scan's next message; orgDrainedMsg once there is none.
func orgListen(gen int, ch <-chan tea.Msg) tea.Cmd {
	return func() tea.Msg {
		msg, ok := <-ch
		if !ok {
			return orgDrainedMsg{gen: gen}
		}
		return msg
	}
}

// startOrgScan reads every account again (the start, ctrl+r on the
// organization view); a scan still running is stopped.
func (m *Model) startOrgScan() tea.Cmd {
	o := m.org
	if o.stop != nil {
		o.stop()
	}
	ctx, cancel := context.WithCancel(m.ctx)
	o.gen++
	o.stop, o.scanning, o.reported, o.err = cancel, true, 0, nil
	o.ended, o.drained, o.endErr = false, false, nil
	verb := "reading"
	if len(o.accounts) > 0 {
		verb = "reading again"
	}
	task := m.startTask(verb + " the accounts…")
	return orgScanCmds(ctx, o.src, o.gen, task)
}

// handleOrg routes the organization view's messages and intents; handle
// passes it what it does not know.
func (m *Model) handleOrg(msg tea.Msg) tea.Cmd {
	if m.org == nil {
		return nil
	}
	switch msg := msg.(type) {
	case orgFoundMsg:
		if msg.gen == m.org.gen {
			m.org.found = msg.found
		}
		return orgListen(msg.gen, msg.ch)
	case orgAccountMsg:
		if msg.gen == m.org.gen {
			m.org.reported++
			m.org.apply(msg.gen, msg.res, m.pruneLost) // a secret-lost credential deleted elsewhere loses its mark
			if a := m.org.byKey[accountKey(msg.res.Account)]; a != nil && a.read() {
				return tea.Batch(orgListen(msg.gen, msg.ch), m.readConsoleUsers(a))
			}
		}
		return orgListen(msg.gen, msg.ch)
	case orgScanDoneMsg:
		m.endTask(msg.task)
		if msg.gen == m.org.gen {
			m.org.ended, m.org.endErr = true, msg.err
			m.finishOrgScan()
		}
	case orgDrainedMsg:
		if msg.gen == m.org.gen {
			m.org.drained = true
			m.finishOrgScan()
		}
	case openAccountMsg:
		return m.enterAccount(msg.row)
	}
	return nil
}

// finishOrgScan ends a scan once it has ended and every account is applied:
// the accounts it did not report are gone, and the status line sums it up.
func (m *Model) finishOrgScan() {
	o := m.org
	if !o.ended || !o.drained || !o.scanning {
		return
	}
	o.scanning = false
	if o.endErr != nil {
		o.err = o.endErr
		m.setError("Could not list the accounts", o.endErr)
		return
	}
	o.forgetUnseen(o.gen)
	failed, skipped := o.notRead()
	s := fmt.Sprintf("Read %d of %s", o.readCount(), plural(len(o.accounts), "account"))
	switch {
	case len(failed) > 0:
		m.setStatus(levelWarn, fmt.Sprintf("%s; %d could not be read (? shows why; ctrl+r tries again)", s, len(failed)))
	case len(skipped) > 0:
		m.setStatus(levelInfo, fmt.Sprintf("%s (%d skipped)", s, len(skipped)))
	default:
		m.setStatus(levelInfo, s)
	}
}
