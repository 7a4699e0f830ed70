package ui

import (
	"context"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"iamcreds/model"
)

// Writes across accounts: on the organization view, toggle, reset, delete and
// the bulk actions go through the client of the account that holds the
// credential, and their answers change that account's credentials. A write's
// pendingOp (and a bulk run's targets) carry the account it goes to.

// accountOf is the account a write to c goes to: the one recorded for the
// dialog that asked (by, a rotation opened on the organization view); else
// the account on screen, unless the organization view is showing, then the
// account holding c. An error means no account holds c any more (a scan
// since): nothing may be sent.
func (m *Model) accountOf(c model.Credential, by int) (*account, error) {
	if a := m.dialogAccount(by); a != nil {
		return a, nil
	}
	if m.org == nil || m.active != screenOrg {
		return m.acct, nil
	}
	if a := m.org.holding(c.UserName, c.ID); a != nil && a.read() {
		return a, nil
	}
	return nil, model.Errorf(model.KindNotFound, "%s is no longer listed in any account; ctrl+r reads them again", credLabel(c.UserName, c.Service, c.ID))
}

// rememberDialogAccount records the account a dialog's writes go to (the
// rotation's, on the organization view).
func (m *Model) rememberDialogAccount(tag int, a *account) {
	if m.org == nil {
		return
	}
	if m.org.dialogs == nil {
		m.org.dialogs = map[int]*account{}
	}
	m.org.dialogs[tag] = a
}

// dialogAccount is the account recorded for dialog tag, nil if none.
func (m *Model) dialogAccount(tag int) *account {
	if tag == 0 || m.org == nil {
		return nil
	}
	return m.org.dialogs[tag]
}

// reconcile lists a user's credentials in a again after a write, whatever
// the cursor does.
func (m *Model) reconcile(a *account, user string) tea.Cmd {
	return m.listCredsIn(a, user, false)
}

// reconcileIfGone lists a user again whose credential was not found: it was
// probably deleted elsewhere, and the row should go.
func (m *Model) reconcileIfGone(a *account, user string, err error) tea.Cmd {
	if model.KindOf(err) == model.KindNotFound {
		return m.reconcile(a, user)
	}
	return nil
}

// elsewhere reports whether what is said of a write to a names the account:
// a is another account than the one the main and fleet screens show, or the
// one they show, opened from the organization view, is not the caller's own.
func (m *Model) elsewhere(a *account) bool {
	if a == nil || a.key == "" {
		return false
	}
	return a != m.acct || m.active == screenOrg || m.org == nil || a.info.ID != m.org.found.Caller
}

// inAccount is " in Production (111122223333)" for a message about an
// account elsewhere, "" for the account on screen.
func (m *Model) inAccount(a *account) string {
	if !m.elsewhere(a) {
		return ""
	}
	return " in " + model.SafeText(a.info.Label())
}

// noAccount is the client while the organization view shows and no account is
// open: every call says so rather than reaching some account.
type noAccount struct{}

var errNoAccount = model.Errorf(model.KindInvalid, "no account is open: enter opens the account of the row")

func (noAccount) Identity(context.Context) (model.Identity, error) {
	return model.Identity{}, errNoAccount
}
func (noAccount) ListUsers(context.Context) ([]model.User, error) { return nil, errNoAccount }
func (noAccount) ListCredentials(context.Context, string) ([]model.Credential, error) {
	return nil, errNoAccount
}
func (noAccount) InventoryWith(context.Context, model.InventoryOptions) (model.Inventory, error) {
	return model.Inventory{}, errNoAccount
}
func (noAccount) CreateCredential(context.Context, string, string, int) (model.Credential, model.Secret, error) {
	return model.Credential{}, model.Secret{}, errNoAccount
}
func (noAccount) SetStatus(context.Context, string, string, model.Status) error { return errNoAccount }
func (noAccount) Reset(context.Context, string, string) (model.Credential, model.Secret, error) {
	return model.Credential{}, model.Secret{}, errNoAccount
}
func (noAccount) Delete(context.Context, string, string) error { return errNoAccount }

// accountDialog is a dialog of a write to another account than the one on
// screen (a confirmation, the new secret): a line above it names the account,
// so that nobody resets Production's key thinking it is Staging's.
type accountDialog struct {
	inner  dialog
	styles Styles
	label  string // "Production (111122223333)", or several accounts
}

// inAccounts wraps d with the names of the accounts elsewhere, or returns d
// for the account on screen.
func (m *Model) inAccounts(d dialog, accts ...*account) dialog {
	var named []*account
	for _, a := range accts {
		if m.elsewhere(a) {
			named = append(named, a)
		}
	}
	return newAccountDialog(m.styles, d, named)
}

func newAccountDialog(styles Styles, d dialog, accts []*account) dialog {
	var names []string
	seen := map[*account]bool{}
	for _, a := range accts {
		if a != nil && !seen[a] {
			seen[a] = true
			names = append(names, model.SafeText(a.info.Label()))
		}
	}
	switch {
	case len(names) == 0:
		return d
	case len(names) > 3:
		names = append(names[:3], "…")
	}
	prefix := "Account: "
	if len(seen) > 1 {
		prefix = "In " + plural(len(seen), "account") + ": "
	}
	ad := &accountDialog{inner: d, styles: styles, label: prefix + strings.Join(names, ", ")}
	if wd, ok := d.(windowDialog); ok {
		return accountWindowDialog{accountDialog: ad, window: wd}
	}
	return ad
}

// accountWindowDialog is accountDialog over a dialog that draws over the whole
// window (the secret modal): the account's line takes the window's first line.
type accountWindowDialog struct {
	*accountDialog
	window windowDialog
}

func (d accountWindowDialog) viewOver(bg []string, w, h int) []string {
	if len(bg) > 0 {
		bg[0] = fitWidth(d.styles.Warning.Render(ansi.Truncate(" "+d.label+" ", w, "…")), w)
	}
	return d.window.viewOver(bg, w, h)
}

func (d *accountDialog) Update(msg tea.Msg) reply { return d.inner.Update(msg) }
func (d *accountDialog) Keys() []key.Binding      { return d.inner.Keys() }

func (d *accountDialog) View(w, h int) string {
	inner := d.inner.View(w, max(1, h-1))
	if inner == "" {
		return ""
	}
	return d.styles.Warning.Render(ansi.Truncate(" "+d.label+" ", w, "…")) + "\n" + inner
}

// guardQuit keeps the inner dialog's say over a quit (a secret not yet saved).
func (d *accountDialog) guardQuit() bool {
	g, ok := d.inner.(quitGuard)
	return ok && g.guardQuit()
}

// bulkAccounts are the accounts of a bulk action's targets: the account on
// screen for each, or on the organization view the account holding each (the
// organization's none, whose client refuses, when none does any more).
func (m *Model) bulkAccounts(targets []model.Credential) []*account {
	accts := make([]*account, len(targets))
	for i, c := range targets {
		a, err := m.accountOf(c, 0)
		if err != nil {
			a = m.org.none
		}
		accts[i] = a
	}
	return accts
}

// bulkDone: a bulk action is done with credential id of a, on the fleet
// screens that show it (fleetScreen.bulkDone): the fleet's when a is the
// account on screen, the organization view's when a is one of its accounts.
func (m *Model) bulkDone(a *account, id string) {
	if a == m.acct {
		m.fleet.bulkDone(rowKey{id: id})
	}
	if m.orgView != nil && a.key != "" {
		m.orgView.bulkDone(rowKey{a.info.ID, id})
	}
}

// written: a single write changed credential id of a; the fleet screens that
// show it keep it in view (fleetScreen.written).
func (m *Model) written(a *account, id string) {
	if a == m.acct {
		m.fleet.written(rowKey{id: id})
	}
	if m.orgView != nil && a.key != "" {
		m.orgView.written(rowKey{a.info.ID, id})
	}
}
