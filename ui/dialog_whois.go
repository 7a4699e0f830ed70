package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"iamcreds/model"
)

// whoisDialog is K, "whose key is this?": a masked field takes a pasted key
// (a leaked Bedrock or Claude Platform API key), which is decoded here, with
// no call (model.DecodeKey); the root then lists the credentials of the user
// it names, in the account it names, and selects the one it is; the dialog
// becomes a confirmation with "Deactivate now" focused, which goes through
// the toggle's write path (t).
//
// What was pasted is kept only until enter: the field is emptied before the
// key is decoded, and on every other way out (esc, ctrl+c). What the dialog
// keeps after that is what the key decodes to (model.DecodedKey: names, a
// fingerprint), never the key.
type whoisDialog struct {
	*kit
	tag      int // names its lookup: the root's answers carry it
	readOnly bool
	input    textinput.Model
	stage    whoisStage
	err      string // why the paste was not taken, with no part of it

	key model.DecodedKey // what the key decodes to, from the decoding on
	// The lookup, once the root has said where (whoisWhereMsg).
	acct    *account
	user    string // the user whose listing it waits for
	account string // its ID ("" not known yet)
	where   string // the account, for the person ("" for the account on screen)
	match   model.KeyMatch
	// note says what was found, or not, when there is nothing to confirm;
	// policy is a short-term key's deny policy, printed, never applied.
	note   string
	policy string
	ok     bool // the focus is on "Deactivate now"
	// literal: the alias's whole name (a user literally named "bob+1",
	// which reads as bob's second key) has been listed too.
	literal bool
	missing bool // the decoded user is no user of the account
}

type whoisStage int

const (
	whoisPaste   whoisStage = iota // the field has the keys
	whoisLooking                   // the user's credentials are being listed
	whoisDone                      // the answer; a confirmation when it is a live credential
)

// whoisLookupMsg asks the root to find the credential of key (its account,
// then its user's credentials). The root answers with whoisWhereMsg.
type whoisLookupMsg struct {
	tag  int
	key  model.DecodedKey
	user string // the user to list, when not the key's decoded one
}

// whoisWhereMsg is the root's answer to a lookup: the account it lists the
// user in (the dialog then waits for that listing, a credsMsg), or why it
// does not look (note).
type whoisWhereMsg struct {
	tag     int
	acct    *account
	user    string // the user listed
	account string // its ID, as the listing is matched ("" not known yet)
	where   string
	note    string
}

// whoisFoundMsg asks the root to select c, of account a, on screen.
type whoisFoundMsg struct {
	tag  int
	acct *account
	cred model.Credential
	user string // the user to highlight when no single credential matched
}

// whoisMaxLen bounds the paste: a short-term key (a presigned URL) is about
// 1,500 characters; a long-term one about 130.
const whoisMaxLen = 8192

func newWhoisDialog(k *kit, tag int, readOnly bool) *whoisDialog {
	ti := textinput.New()
	ti.Prompt = "› "
	ti.Placeholder = "paste the key here"
	ti.EchoMode = textinput.EchoPassword
	ti.EchoCharacter = '•'
	ti.CharLimit = whoisMaxLen
	ti.Cursor.SetMode(cursor.CursorStatic)
	ti.Focus()
	return &whoisDialog{kit: k, tag: tag, readOnly: readOnly, input: ti, ok: true}
}

// wipe empties the field: what was pasted is not kept.
func (d *whoisDialog) wipe() {
	d.input.Reset()
	d.input.Placeholder = "paste the key here"
}

var whoisCancelled = statusMsg{levelInfo, "Nothing was changed"}

func (d *whoisDialog) Update(msg tea.Msg) reply {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		d.input.Width = max(1, d.inner(min(msg.Width, maxModalWidth))-3) // prompt and cursor
		return reply{}
	case profileSwitchedMsg:
		if msg.err == nil { // another account is on screen: what was found is not of it
			d.wipe()
			return closeWith(statusMsg{levelWarn, "The account on screen changed (profile " + model.SafeText(msg.name) + "): K again to paste the key"})
		}
	case whoisWhereMsg:
		return d.onWhere(msg)
	case credsMsg:
		return d.onCreds(msg)
	case tea.KeyMsg:
		return d.onKey(msg)
	}
	if d.stage == whoisPaste { // the field's own messages (ctrl+v's paste)
		var cmd tea.Cmd
		d.input, cmd = d.input.Update(msg)
		return reply{cmd: cmd}
	}
	return reply{}
}

func (d *whoisDialog) onKey(km tea.KeyMsg) reply {
	k := d.keys
	if !km.Paste { // a paste is text, whatever it holds
		switch {
		case key.Matches(km, k.Interrupt):
			d.wipe()
			return closeWith(quitRequestedMsg{})
		case key.Matches(km, k.Cancel):
			d.wipe()
			return closeWith(whoisCancelled)
		case key.Matches(km, k.Confirm) && d.stage == whoisPaste:
			return d.decode()
		}
	}
	switch d.stage {
	case whoisPaste:
		d.err = ""
		var cmd tea.Cmd
		d.input, cmd = d.input.Update(km)
		return reply{cmd: cmd}
	case whoisDone:
		return d.confirmKey(km)
	}
	return reply{}
}

// decode takes the field's text, empties the field, and decodes it.
func (d *whoisDialog) decode() reply {
	text := strings.TrimSpace(d.input.Value())
	d.wipe()
	if text == "" {
		d.err = "Paste a key first (or esc)"
		return reply{}
	}
	dk, err := model.DecodeKey(text) // its error never quotes text
	text = ""
	if err != nil {
		d.err = "Not a key iamcreds can decode: " + model.SafeText(strings.TrimPrefix(errorText(err), model.ErrNotAKey.Error()+": "))
		return reply{}
	}
	d.key = dk
	switch dk.Kind {
	case model.KeyBedrockLong, model.KeyClaudePlatform:
		d.stage = whoisLooking
		return ask(whoisLookupMsg{tag: d.tag, key: dk})
	case model.KeyBedrockShort, model.KeyClaudePlatformShort:
		d.stage = whoisDone
		d.note = "IAM cannot revoke a short-term key: it works until it expires, unless a deny policy on its issuer stops it first (printed here, not applied). " +
			capitalize(model.DenyPolicyTarget(dk))
		if exp := dk.Expires(); !exp.IsZero() && !d.now().Before(exp) {
			d.note = "It has expired: it no longer works, and nothing needs stopping. (IAM cannot revoke a short-term key; a deny policy on its issuer stops one that still works.)"
		}
		if p, err := model.DenyPolicyFor(dk); err == nil {
			d.policy = p
		}
	case model.KeyAccessKeyID:
		d.stage = whoisDone
		d.note = "An access key ID, not a service-specific credential, and no secret by itself. iamcreds whois names its account (STS GetAccessKeyInfo); it is deactivated among the user's access keys (aws iam update-access-key), not here."
	default:
		d.stage = whoisDone
		d.note = "This kind of key carries no owner: iamcreds cannot tell whose it is."
	}
	return reply{}
}

// onWhere starts waiting for the listing of the key's user in the account
// the root named, or ends with why it does not look.
func (d *whoisDialog) onWhere(msg whoisWhereMsg) reply {
	if msg.tag != d.tag || d.stage != whoisLooking {
		return reply{}
	}
	if msg.acct == nil {
		d.stage, d.note = whoisDone, msg.note
		return reply{}
	}
	d.acct, d.user, d.account, d.where = msg.acct, msg.user, msg.account, msg.where
	return reply{}
}

// onCreds matches the key against its user's credentials as IAM listed them.
func (d *whoisDialog) onCreds(msg credsMsg) reply {
	if d.stage != whoisLooking || d.acct == nil || msg.acct != d.acct || msg.user != d.user {
		return reply{}
	}
	var found bool
	if msg.err == nil {
		d.match = model.MatchKey(d.key, d.account, msg.creds)
		found = d.match.Found || len(d.match.Candidates) > 0
	}
	if name := strings.TrimSuffix(d.key.Alias, "-at-"+d.key.Account); !found && !d.literal && name != d.user &&
		(msg.err == nil || model.KindOf(msg.err) == model.KindNotFound) {
		d.literal = true // bob+1-at-…: bob's second key, or a user named bob+1's
		d.missing = msg.err != nil
		return ask(whoisLookupMsg{tag: d.tag, key: d.key, user: name})
	}
	d.stage = whoisDone
	switch {
	case msg.err != nil && model.KindOf(msg.err) == model.KindNotFound && (d.missing || !d.literal):
		d.note = "Not found (deleted, or another account): no user " + d.key.User + d.in() + "."
	case msg.err != nil:
		d.note = "Could not list " + d.user + "'s credentials" + d.in() + ": " + errorText(msg.err)
		return reply{}
	case d.match.Found:
		d.ok = !d.match.ByUserOnly // a match by user alone is confirmed from Cancel
		return ask(whoisFoundMsg{tag: d.tag, acct: d.acct, cred: d.match.Credential, user: d.user})
	case len(d.match.Candidates) > 0:
		d.note = "Matched by user alone, and " + d.user + " holds " + plural(len(d.match.Candidates), "such credential") +
			": the key does not say which. Its user is selected; compare the aliases."
	default:
		d.note = "Not found (deleted, or another account): " + d.key.User + d.in() + " holds no credential with this key's alias."
	}
	if msg.err != nil || d.match.Credential.UserName == "" && d.literal {
		return reply{} // nothing of the key's user to select
	}
	return ask(whoisFoundMsg{tag: d.tag, acct: d.acct, user: d.user})
}

func (d *whoisDialog) in() string {
	if d.where == "" {
		return ""
	}
	return " in " + d.where
}

// live is the matched credential when it still works: it can be deactivated.
func (d *whoisDialog) live() (model.Credential, bool) {
	return d.match.Credential, d.match.Live(d.now())
}

func (d *whoisDialog) confirmKey(km tea.KeyMsg) reply {
	k := d.keys
	c, live := d.live()
	switch {
	case d.policy != "" && key.Matches(km, k.CopySecret): // no secret: the clipboard keeps it
		return ask(copyRequestedMsg{what: "deny policy", text: d.policy})
	case !live && key.Matches(km, k.Confirm):
		return closeWith(nil)
	case !live:
		return reply{}
	case key.Matches(km, k.Next), key.Matches(km, k.Prev):
		d.ok = !d.ok
	case key.Matches(km, k.Confirm) && !d.ok:
		return closeWith(whoisCancelled)
	case key.Matches(km, k.Confirm) && d.readOnly:
		return closeWith(statusMsg{levelWarn, "Read-only mode: deactivating is off " + d.readOnlyHint()})
	case key.Matches(km, k.Confirm):
		return closeWith(toggleRequestedMsg{cred: c, to: model.Inactive, by: d.tag})
	}
	return reply{}
}

func (d *whoisDialog) Keys() []key.Binding {
	k := d.keys
	switch d.stage {
	case whoisPaste:
		k.Confirm.SetHelp("enter", "find it")
		paste := key.NewBinding(key.WithKeys("paste"), key.WithHelp("paste", "the key (masked)")) // help only
		return []key.Binding{paste, k.Confirm, k.Cancel, k.Interrupt}
	case whoisLooking:
		return []key.Binding{k.Cancel, k.Interrupt}
	}
	if _, live := d.live(); live {
		k.Next.SetHelp("tab/←/→", "Cancel/Deactivate now")
		return []key.Binding{k.Next, k.Confirm, k.Cancel}
	}
	k.Confirm.SetHelp("enter", "close")
	if d.policy != "" {
		k.CopySecret.SetHelp("c", "copy policy")
		return []key.Binding{k.CopySecret, k.Confirm, k.Cancel}
	}
	return []key.Binding{k.Confirm, k.Cancel}
}
