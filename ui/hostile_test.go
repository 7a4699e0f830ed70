package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"iamcreds/awsclient"
	"iamcreds/awsclient/localiam"
	"iamcreds/model"
	"iamcreds/ui/uitest"
)

// hostileRun is the UI against an endpoint whose every name, id, message,
// request id and secret carries control and bidi characters (uitest.Hostile),
// with a profile, an endpoint label and profile names that carry them too.
type hostileRun struct {
	*driver
	mem  *memClipboard
	rec  *recordingIAM
	dir  string
	w, h int
}

func newHostileRun(t *testing.T, w, h int) *hostileRun {
	t.Helper()
	e, err := uitest.NewEndpoint(uitest.EndpointConfig{Seed: "demo", Now: clock, Hostile: true,
		Faults: localiam.Faults{Deny: []string{"UpdateServiceSpecificCredential"}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	mem := &memClipboard{}
	o := testOptions(&endpoint{client: e.Client}, mem)
	rec := &recordingIAM{IAM: e.Client}
	o.Client = rec
	o.Profile = "prod" + uitest.Hostile
	o.Endpoint = "http://iam.example" + uitest.Hostile
	o.WorkDir = t.TempDir()
	o.Profiles = func() ([]string, error) { return []string{"prod" + uitest.Hostile, "dev\u202e\u0085"}, nil }
	// dev fails, with a hostile message; prod works (the same endpoint).
	o.SwitchProfile = func(ctx context.Context, name string) (IAM, model.Identity, error) {
		if strings.HasPrefix(name, "dev") {
			return nil, model.Identity{}, errors.New("profile dev\u202e\u009b2J: no credentials\r")
		}
		id, err := rec.Identity(ctx)
		return rec, id, err
	}
	return &hostileRun{driver: newDriver(t, New(o), w, h), mem: mem, rec: rec, dir: o.WorkDir, w: w, h: h}
}

// safe fails the test if a line of the view holds a character that could
// steer the terminal (the views render without colour here: no escape of
// ours either).
func (r *hostileRun) safe(step string) {
	r.t.Helper()
	r.settle()
	r.safeNow(step)
}

// safeNow is safe without waiting for the commands in flight: the view fits
// the window and holds nothing that steers the terminal or draws nothing.
func (r *hostileRun) safeNow(step string) {
	r.t.Helper()
	assertDrawable(r.t, step, r.m.View(), r.w, r.h)
}

// Text from IAM never reaches the terminal raw: every screen and dialog, with
// hostile user names, credential ids, logins, ARN, account, profile and
// endpoint, error messages and request ids, a pasted filter and a hostile
// secret. The secret shows safe, and is copied and written exactly.
func TestHostileTextNeverReachesTheScreen(t *testing.T) {
	t.Parallel()
	for _, size := range [][2]int{{120, 36}, {80, 24}, {40, 16}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			t.Parallel()
			hostileWalk(t, size[0], size[1])
		})
	}
}

// onTop fails unless the top dialog is a D (the walk went where it meant to).
func onTop[D dialog](r *hostileRun, step string) {
	r.t.Helper()
	if _, ok := r.m.dialogs.top().(D); !ok {
		r.t.Fatalf("%s: the dialog on top is %T:\n%s", step, r.m.dialogs.top(), screenText(r.m))
	}
}

func hostileWalk(t *testing.T, w, h int) {
	r := newHostileRun(t, w, h)
	r.settle()
	// The hostile text did arrive: it is drawn as placeholders.
	mustContain(t, r.m, "kenji�2J␍�<U+00AD>")
	r.safe("main screen")
	r.keys("?")
	r.safe("full help")
	r.keys("?", "/")
	r.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("ken\u202e"), Paste: true})
	r.safe("filter typed with a pasted bidi control")
	r.keys("backspace", "enter")
	r.safe("filter kept")
	r.keys("enter")
	r.safe("credentials of a hostile user, and their details")

	// A create: form, confirmation, the secret masked, shown, copied, written.
	r.keys("n")
	r.safe("create form")
	onTop[*createForm](r, "create form")
	r.keys("j", "j", "enter")
	r.safe("create form: expiry")
	r.keys("enter")
	r.safe("create form: confirm")
	r.keys("enter")
	sm, ok := r.m.dialogs.top().(*secretModal)
	if !ok {
		t.Fatalf("no secret modal:\n%s", screenText(r.m))
	}
	secret := r.rec.last().Reveal()
	if !strings.HasSuffix(secret, uitest.HostileSecretTail) || sm.secret.Reveal() != secret {
		t.Fatalf("the endpoint's secret %q did not reach the modal as it was sent", secret)
	}
	r.safe("secret modal, masked")
	r.keys("s")
	r.safe("secret modal, shown")
	if !strings.Contains(strings.ReplaceAll(r.m.View(), "\n", ""), model.SafeText(secret)[:min(20, w-1)]) {
		t.Fatalf("the shown secret is not on screen:\n%s", screenText(r.m))
	}
	r.keys("c")
	r.safe("secret copied")
	if r.mem.Text() != secret {
		t.Fatalf("c copied %q, not the exact secret IAM issued", r.mem.Text())
	}
	r.keys("e")
	if r.mem.Text() != "export AWS_BEARER_TOKEN_BEDROCK="+secret {
		t.Fatalf("e copied %q", r.mem.Text())
	}
	r.keys("w")
	r.safe("secret file input")
	onTop[*secretModal](r, "secret file input")
	r.keys("enter")
	r.safe("secret written")
	files, _ := os.ReadDir(r.dir)
	if len(files) != 1 {
		t.Fatalf("files written: %v", files)
	}
	if b, _ := os.ReadFile(r.dir + "/" + files[0].Name()); !strings.Contains(string(b), secret) {
		t.Fatal("the file does not hold the exact secret")
	}
	r.keys("enter")
	r.safe("secret closed")

	// A refused toggle: the error's message and request id are hostile.
	r.keys("t")
	r.safe("toggle refused")
	if !strings.Contains(r.m.status().details, "�2J") || !strings.Contains(r.m.status().text, "�2J␍�") {
		t.Fatalf("no hostile request id in the status bar: %q", r.m.status().details)
	}
	r.keys("r")
	r.safe("reset confirmation")
	onTopOrg[*resetConfirm](r, "reset confirmation")
	r.keys("esc", "d")
	r.safe("delete confirmation")
	onTopOrg[*deleteConfirm](r, "delete confirmation")
	r.keys("esc")

	// A rotation of the new key: the plan, its secret over the dialog, and a
	// refused step 4 with the hostile message and the state.
	r.keys("R")
	r.safe("rotation plan")
	onTop[*rotateDialog](r, "rotation plan")
	r.keys("enter")
	r.safe("rotation: the new secret")
	onTop[handOver](r, "rotation: the new secret")
	r.keys("c", "enter")
	r.safe("rotation: step 4")
	r.keys("tab", "enter")
	r.safe("rotation: step 4 refused")
	if rd, ok := r.m.dialogs.top().(*rotateDialog); !ok || rd.phase != rotFailed {
		t.Fatalf("step 4 was not refused:\n%s", screenText(r.m))
	}
	r.keys("enter")
	r.safe("rotation closed")

	// The fleet, its filter, a bulk confirmation and its summary, the export.
	r.keys("a")
	r.safe("fleet")
	if r.m.active != screenFleet {
		t.Fatal("a did not open the fleet")
	}
	r.keys("/")
	r.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("\u202eken"), Paste: true})
	r.safe("fleet filter")
	r.keys("esc", "space")
	r.safe("fleet selection")
	r.keys("I")
	r.safe("bulk confirmation")
	onTop[*bulkConfirm](r, "bulk confirmation")
	r.keys("tab", "enter")
	r.safe("bulk summary (refused)")
	onTop[*bulkSummary](r, "bulk summary (refused)")
	r.keys("enter")
	r.exportEveryFormat()
	r.keys("a")

	// The profile picker, and a failed switch.
	r.m.opts.Demo = false
	r.keys("P")
	r.safe("profile picker")
	onTop[*profilePicker](r, "profile picker")
	r.keys("down", "enter")
	r.safe("profile switch failed")
	holdMsgs[profileSwitchedMsg](r.driver)
	r.keys("P", "up", "enter")
	r.safe("switching profile, in flight")
	r.Release() // the reload is still running: its answer replaces the status
	r.safeNow("profile switched")
	if want := "Switched to profile prod" + uitest.HostileShown; r.m.status().text != want {
		t.Fatalf("status %q, want %q", r.m.status().text, want)
	}
	r.safe("reloaded")

	// q while a create runs.
	holdMsgs[createdMsg](r.driver)
	r.keys("n", "enter", "enter", "q")
	r.safe("quit question")
	onTop[*quitQuestion](r, "quit question")
	r.keys("n")
	r.Release()
	r.safe("the held secret")
	onTop[*secretModal](r, "the held secret")
}

// hostileCode is an error code as a hostile endpoint sends it, as XML
// character references: a C1 CSI with "2J", a right-to-left override and a
// soft hyphen.
const hostileCode = "Nope&#x9b;2J&#x202e;&#xad;"

// The AWS error code of a refusal reaches the status line made safe, like its
// message: the code an endpoint sends is its text too.
func TestStatusLineShowsAHostileCodeSafely(t *testing.T) {
	t.Parallel()
	refuseUpdates := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.ParseForm(); r.PostForm.Get("Action") != "UpdateServiceSpecificCredential" {
				r.Body = io.NopCloser(strings.NewReader(r.PostForm.Encode()))
				next.ServeHTTP(w, r)
				return
			}
			w.Header().Set("X-Amzn-Requestid", "req-1")
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, `<ErrorResponse><Error><Type>Sender</Type><Code>%s</Code><Message>not today</Message></Error>`+
				`<RequestId>req-1</RequestId></ErrorResponse>`, hostileCode)
		})
	}
	e, err := uitest.NewEndpoint(uitest.EndpointConfig{Seed: "demo", Now: clock, Wrap: refuseUpdates})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	for _, size := range [][2]int{{120, 36}, {60, 16}} {
		d := newDriver(t, New(testOptions(&endpoint{client: e.Client}, &memClipboard{})), size[0], size[1])
		d.settle()
		d.selectUser("mateo")
		d.keys("enter", "t")
		if st := d.m.status(); st.level != levelError || !strings.Contains(st.text, "Nope�2J�<U+00AD>") {
			t.Fatalf("%dx%d: status %+v, want the refusal with its code made safe", size[0], size[1], st)
		}
		assertDrawable(t, fmt.Sprintf("status line at %dx%d", size[0], size[1]), d.m.View(), size[0], size[1])
	}
}

// assertDrawable fails unless view is h lines none wider than w, with no
// character that would steer the terminal, reorder the text or draw nothing
// (the views render without colour in the tests: no escape of ours either).
func assertDrawable(t testing.TB, what, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) > h {
		t.Fatalf("%s: %d lines in a window of %d:\n%s", what, len(lines), h, view)
	}
	for i, l := range lines {
		if !model.IsSafeText(l) {
			t.Fatalf("%s: line %d reaches the terminal with a control, bidi or invisible character: %q", what, i, l)
		}
		if lw := ansi.StringWidth(l); lw > w {
			t.Fatalf("%s: line %d is %d wide in a window of %d: %q", what, i, lw, w, l)
		}
	}
}

// exportEveryFormat exports the fleet in each format and checks each file: no
// control, bidi or invisible character, except the format's own line breaks
// and tabs; the hostile names shown as placeholders, or in JSON as escapes.
func (r *hostileRun) exportEveryFormat() {
	r.t.Helper()
	for _, ext := range []string{"csv", "json", "jsonl", "md", "txt"} {
		r.keys("x")
		onTop[*exportPrompt](r, "export prompt")
		r.safe("export prompt")
		path := filepath.Join(r.dir, "fleet."+ext)
		r.keys("ctrl+u")
		r.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(path), Paste: true})
		r.safe("export prompt with a path")
		r.keys("enter")
		r.safe("exported as " + ext)
		b, err := os.ReadFile(path)
		if err != nil {
			r.t.Fatalf("export as %s: %v\n%s", ext, err, screenText(r.m))
		}
		out := string(b)
		if !model.IsSafeText(strings.NewReplacer("\n", "", "\t", "").Replace(out)) {
			r.t.Fatalf("the %s export holds a control, bidi or invisible character:\n%q", ext, out)
		}
		want := "kenji" + uitest.HostileShown
		if ext == "json" || ext == "jsonl" {
			want = `kenji\u009b2J\r\u202e\u00ad\u200b\u2028\udb40\udc41`
		}
		if !strings.Contains(out, want) {
			r.t.Fatalf("the %s export does not show %q:\n%s", ext, want, out)
		}
	}
}

// The organization view, its dialogs and an account opened from it, against
// an organization whose account names, user names, ids, messages and request
// ids carry Hostile: nothing reaches the terminal raw, and every line fits.
func TestHostileTextNeverReachesTheOrgView(t *testing.T) {
	t.Parallel()
	for _, size := range [][2]int{{120, 36}, {80, 24}, {40, 12}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			t.Parallel()
			hostileOrgWalk(t, size[0], size[1])
		})
	}
}

// onTopOrg is onTop for a dialog the organization view may wrap in its
// account's name.
func onTopOrg[D dialog](r *hostileRun, step string) {
	r.t.Helper()
	top := r.m.dialogs.top()
	if a, ok := top.(*accountDialog); ok {
		top = a.inner
	}
	if _, ok := top.(D); !ok {
		r.t.Fatalf("%s: the dialog on top is %T:\n%s", step, top, screenText(r.m))
	}
}

func hostileOrgWalk(t *testing.T, w, h int) {
	e, err := uitest.NewEndpoint(uitest.EndpointConfig{Seed: "org:demo", Now: clock, Hostile: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	o := testOptions(&endpoint{client: e.Client}, &memClipboard{})
	o.Client, o.Demo = nil, true
	o.WorkDir = t.TempDir()
	o.Accounts = orgAccounts{org: e.Client.Org(awsclient.OrgOptions{SessionName: "iamcreds-test"})}
	r := &hostileRun{driver: newDriver(t, New(o), w, h), dir: o.WorkDir, w: w, h: h}
	r.settle()
	if r.m.active != screenOrg || len(r.m.orgView.all) == 0 {
		t.Fatalf("no organization view:\n%s", screenText(r.m))
	}
	// The hostile text did arrive: names drawn with placeholders.
	mustContain(t, r.m, "�2J␍�<U")
	r.safe("organization view")
	r.keys("?")
	r.safe("help")
	r.keys("?", "/")
	r.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("a\u200b"), Paste: true})
	r.safe("filter typed with a pasted zero-width space")
	r.keys("esc", "s")
	r.safe("sorted")
	r.keys("c")
	r.safe("account filter")
	r.keys("c", "c", "c")
	r.safe("account filter, further")
	// An Active credential that has not expired, for the writes.
	r.keys("g")
	for range len(r.m.orgView.visible) {
		if row, ok := r.m.orgView.row(); ok && row.Status == model.Active {
			break
		}
		r.keys("j")
	}
	if row, ok := r.m.orgView.row(); !ok || row.Status != model.Active {
		t.Fatalf("no Active row:\n%s", screenText(r.m))
	}
	for _, step := range []string{"toggled", "toggled back"} {
		r.keys("t")
		r.safe(step)
		if !r.m.dialogs.empty() {
			r.keys("tab", "enter") // a confirmation
			r.safe(step + ", confirmed")
		}
	}
	r.keys("r")
	r.safe("reset confirmation")
	onTopOrg[*resetConfirm](r, "reset confirmation")
	r.keys("esc", "d")
	r.safe("delete confirmation")
	onTopOrg[*deleteConfirm](r, "delete confirmation")
	r.keys("tab", "enter") // refused: the ID's last 4 are the endpoint's invisible characters
	r.safe("delete refused")
	r.keys("esc", "R")
	r.safe("rotation dialog")
	onTopOrg[*rotateDialog](r, "rotation dialog")
	r.keys("esc", "x")
	r.safe("export prompt")
	onTopOrg[*exportPrompt](r, "export prompt")
	r.keys("esc", "enter")
	r.safe("an account opened from the organization view")
	r.keys("esc", "esc", "O")
	r.safe("back on the organization view")
}
