package ui

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"iamcreds/awsclient/localiam"
	"iamcreds/internal/testenv"
	"iamcreds/model"
)

// Goldens of the final View() at a fixed size, with the ASCII colour profile and
// a fixed clock, against the local endpoint's demo account. go test ./ui -update
// rewrites them.

func TestMain(m *testing.M) {
	// Every test renders without colour unless it sets a profile itself.
	lipgloss.SetColorProfile(termenv.Ascii)
	// The shell's AWS_* variables reach neither a client nor the binary.
	os.Exit(testenv.Main(m))
}

// recordingIAM passes every call to the real client and keeps the secrets it
// returns, so a test can compare them with what the screen shows.
type recordingIAM struct {
	IAM
	mu      sync.Mutex
	secrets []model.Secret
}

func (r *recordingIAM) CreateCredential(ctx context.Context, user, service string, days int) (model.Credential, model.Secret, error) {
	c, s, err := r.IAM.CreateCredential(ctx, user, service, days)
	r.record(s)
	return c, s, err
}

func (r *recordingIAM) Reset(ctx context.Context, user, id string) (model.Credential, model.Secret, error) {
	c, s, err := r.IAM.Reset(ctx, user, id)
	r.record(s)
	return c, s, err
}

func (r *recordingIAM) record(s model.Secret) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.secrets = append(r.secrets, s)
}

func (r *recordingIAM) last() model.Secret {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.secrets) == 0 {
		return model.Secret{}
	}
	return r.secrets[len(r.secrets)-1]
}

// goldenRun is one UI driven to a state whose final View() is compared with a
// golden file.
type goldenRun struct {
	*driver
	e   *endpoint
	rec *recordingIAM
	ids map[string]bool // the credential ids of the seed
}

type goldenSetup struct {
	w, h     int
	faults   localiam.Faults
	readOnly bool
	// profiles, when set, turn P on (not the demo, then) with these names;
	// a switch fails.
	profiles []string
}

func newGoldenRun(t *testing.T, s goldenSetup) *goldenRun {
	t.Helper()
	e := newEndpoint(t, "demo", s.faults, s.readOnly)
	rec := &recordingIAM{IAM: e.client}
	o := testOptions(e, &memClipboard{})
	o.Client, o.ReadOnly, o.Demo = rec, s.readOnly, true
	if s.profiles != nil {
		o.Demo = false
		o.Profiles = func() ([]string, error) { return s.profiles, nil }
		o.SwitchProfile = func(context.Context, string) (IAM, model.Identity, error) {
			return nil, model.Identity{}, errors.New("no such profile here")
		}
	}
	ids := map[string]bool{}
	inv, err := e.client.Inventory(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range inv.Credentials {
		ids[c.ID] = true
	}
	g := &goldenRun{driver: newDriver(t, New(o), s.w, s.h), e: e, rec: rec, ids: ids}
	g.settle()
	return g
}

// to moves the users cursor to name (the demo's users, sorted).
func (g *goldenRun) to(name string) {
	g.t.Helper()
	users, err := g.e.client.ListUsers(context.Background())
	if err != nil {
		g.t.Fatal(err)
	}
	var names []string
	sorted, _ := sortUsers(users)
	for i, u := range sorted {
		names = append(names, u.Name)
		if u.Name == name {
			g.keys("g")
			for range i {
				g.keys("j")
			}
			return
		}
	}
	g.t.Fatalf("no user %s in %v", name, names)
}

// final is the model once everything has settled.
func (g *goldenRun) final() *Model {
	g.t.Helper()
	g.settle()
	return g.m
}

// scrub replaces what a run made at random — new credential ids — with
// placeholders of the same width, so goldens are stable.
func (g *goldenRun) scrub(m *Model, view string) string {
	for _, c := range m.acct.cache.all() {
		{
			if g.ids[c.ID] {
				continue
			}
			fake := c.ID[:4] + strings.Repeat("X", len(c.ID)-4)
			view = strings.ReplaceAll(view, c.ID, fake)
			view = strings.ReplaceAll(view, shortID(c.ID), shortID(fake))
			view = strings.ReplaceAll(view, "-"+c.ID[len(c.ID)-5:]+"-", "-XXXXX-") // a secret file's name
		}
	}
	return view
}

func (g *goldenRun) golden(m *Model) {
	g.t.Helper()
	view := g.scrub(m, m.View())
	if s := g.rec.last(); !s.Empty() && strings.Contains(view, s.Reveal()) {
		g.t.Fatal("a secret would be written to a golden file")
	}
	teatest.RequireEqualOutput(g.t, []byte(view))
}

func TestGoldenMain(t *testing.T) {
	t.Parallel()
	g := newGoldenRun(t, goldenSetup{w: 120, h: 36})
	g.golden(g.final())
}

func TestGoldenCredentials(t *testing.T) {
	t.Parallel()
	g := newGoldenRun(t, goldenSetup{w: 120, h: 36})
	g.to("priya") // an inactive Git credential and a Bedrock key expiring soon
	g.keys("enter", "j")
	g.golden(g.final())
}

func TestGoldenFilter(t *testing.T) {
	t.Parallel()
	g := newGoldenRun(t, goldenSetup{w: 120, h: 36})
	g.keys("/", "a", "n")
	g.golden(g.final())
}

func TestGoldenFullHelp(t *testing.T) {
	t.Parallel()
	g := newGoldenRun(t, goldenSetup{w: 120, h: 36})
	g.keys("enter", "?")
	g.golden(g.final())
}

func TestGoldenCreateForm(t *testing.T) {
	t.Parallel()
	g := newGoldenRun(t, goldenSetup{w: 120, h: 36})
	g.to("sofia") // at the CodeCommit limit
	g.keys("n")
	g.golden(g.final())
}

func TestGoldenCreateExpiry(t *testing.T) {
	t.Parallel()
	g := newGoldenRun(t, goldenSetup{w: 120, h: 36})
	g.to("kenji")
	g.keys("n", "j", "j", "enter", "j", "j", "j", "j")
	g.golden(g.final())
}

func TestGoldenCreateConfirm(t *testing.T) {
	t.Parallel()
	g := newGoldenRun(t, goldenSetup{w: 120, h: 36})
	g.to("kenji")
	g.keys("n", "j", "j", "j", "enter", "enter")
	g.golden(g.final())
}

func TestGoldenSecretMasked(t *testing.T) {
	t.Parallel()
	g := newGoldenRun(t, goldenSetup{w: 120, h: 36})
	g.to("kenji")
	g.keys("n", "enter", "enter")
	m := g.final()
	sm, ok := m.dialogs.top().(*secretModal)
	if !ok || sm.secret.Reveal() != g.rec.last().Reveal() || sm.secret.Empty() {
		t.Fatal("the modal does not hold the secret IAM returned")
	}
	if strings.Contains(m.View(), sm.secret.Reveal()) {
		t.Fatal("the secret is on screen while masked")
	}
	g.golden(m)
}

// The shown secret stands alone on a row, clear of the box's borders, at every
// width where it fits on one row; narrower, the window gives way to it.
func TestGoldenSecretShown(t *testing.T) { goldenShown(t, 120, 36, 0) }

func TestGoldenSecretShown80(t *testing.T) { goldenShown(t, 80, 24, 0) }

func TestGoldenSecretShown40(t *testing.T) { goldenShown(t, 40, 12, 0) }

// A Bedrock API key (116 characters here) fits in 120 columns, across the
// box's border; in 80 the window gives way to it.
func TestGoldenSecretShownAPIKey(t *testing.T) { goldenShown(t, 120, 36, 2) }

func TestGoldenSecretShownAPIKey80(t *testing.T) { goldenShown(t, 80, 24, 2) }

// goldenShown creates a credential of the catalog's service-th service for
// kenji, shows the secret, and checks the rows of the view against the secret
// before comparing the view (the secret replaced by #) with its golden.
func goldenShown(t *testing.T, w, h, service int) {
	t.Parallel()
	g := newGoldenRun(t, goldenSetup{w: w, h: h})
	g.to("kenji")
	g.keys("n")
	for range service {
		g.keys("j")
	}
	g.keys("enter", "enter")
	if _, ok := g.m.dialogs.top().(*createForm); ok { // an API key's expiry
		g.keys("enter")
	}
	g.keys("s")
	m := g.final()
	secret := g.rec.last().Reveal()
	view := m.View()
	rows := secretRows(t, view, secret, w)
	if len(secret) <= w && len(rows) != 1 {
		t.Fatalf("a secret of %d characters in %d columns is on %d rows:\n%s", len(secret), w, len(rows), view)
	}
	teatest.RequireEqualOutput(t, []byte(scrubSecret(g.scrub(m, view), secret, w)))
}

// secretRows finds the rows of view that hold the secret and checks that
// dragging the mouse from its first character to its last selects the secret
// and nothing else: each row holds a piece and only spaces around it (no
// border), a piece that goes on to the next row ends at the window's edge and
// the next starts at its first column, and the pieces spell the secret. It
// returns the rows' indexes.
func secretRows(t *testing.T, view, secret string, w int) []int {
	t.Helper()
	lines := strings.Split(view, "\n")
	for i, l := range lines {
		text := strings.TrimSpace(ansi.Strip(l))
		if len(text) < min(8, len(secret)) || !strings.HasPrefix(secret, text) {
			continue
		}
		var rows []int
		got := ""
		for j := i; j < len(lines) && len(got) < len(secret); j++ {
			row := strings.TrimRight(ansi.Strip(lines[j]), " ")
			piece := strings.TrimLeft(row, " ")
			switch {
			case piece == "" || !strings.HasPrefix(secret, got+piece):
				t.Fatalf("row %d does not go on with the secret: %q (so far %q)", j, row, got)
			case got != "" && piece != row:
				t.Fatalf("row %d goes on with the secret but not from the first column: %q", j, row)
			case len(got+piece) < len(secret) && ansi.StringWidth(row) != w:
				t.Fatalf("row %d ends the piece %q before the window's edge", j, piece)
			}
			rows, got = append(rows, j), got+piece
		}
		if got != secret {
			t.Fatalf("the rows spell %q, not the secret %q:\n%s", got, secret, view)
		}
		return rows
	}
	t.Fatalf("the secret %q is not on screen:\n%s", secret, view)
	return nil
}

// scrubSecret puts # in place of the secret and of its pieces a window w wide.
func scrubSecret(view, secret string, w int) string {
	view = strings.ReplaceAll(view, secret, strings.Repeat("#", len(secret)))
	for _, piece := range strings.Split(ansi.Hardwrap(secret, w, true), "\n") {
		view = strings.ReplaceAll(view, piece, strings.Repeat("#", len(piece)))
	}
	return view
}

// w's file name input, prefilled with a name that says whose secret it is.
func TestGoldenSecretFile(t *testing.T) {
	t.Parallel()
	g := newGoldenRun(t, goldenSetup{w: 120, h: 36})
	g.to("kenji")
	g.keys("n", "enter", "enter", "w")
	g.golden(g.final())
}

// Closing after a copy that could not be checked asks whether the paste worked.
func TestGoldenSecretPasteQuestion(t *testing.T) {
	t.Parallel()
	g := newGoldenRun(t, goldenSetup{w: 80, h: 24})
	g.m.clip = oscOnlyClipboard()
	g.to("kenji")
	g.keys("n", "enter", "enter", "c", "esc")
	g.golden(g.final())
}

func TestGoldenCloseWithoutSaving(t *testing.T) {
	t.Parallel()
	g := newGoldenRun(t, goldenSetup{w: 120, h: 36})
	g.to("kenji")
	g.keys("n", "enter", "enter", "esc")
	g.golden(g.final())
}

func TestGoldenResetConfirm(t *testing.T) {
	t.Parallel()
	g := newGoldenRun(t, goldenSetup{w: 120, h: 36})
	g.to("mateo")
	g.keys("enter", "r")
	g.golden(g.final())
}

func TestGoldenDeleteConfirm(t *testing.T) {
	t.Parallel()
	g := newGoldenRun(t, goldenSetup{w: 120, h: 36})
	g.to("mateo")
	g.keys("enter", "d", "x")
	g.golden(g.final())
}

func TestGoldenErrorInStatusBar(t *testing.T) {
	t.Parallel()
	g := newGoldenRun(t, goldenSetup{w: 120, h: 36, faults: localiam.Faults{Deny: []string{"UpdateServiceSpecificCredential"}}})
	g.to("mateo")
	g.keys("enter", "t")
	m := g.final()
	// The request id is random: keep its place, not its value.
	view := m.View()
	if m.status().details == "" || !strings.Contains(view, m.status().details) {
		t.Fatalf("no request id in the status bar:\n%s", view)
	}
	id := strings.TrimPrefix(m.status().details, "request ")
	view = strings.ReplaceAll(view, id, strings.Repeat("0", len(id)))
	teatest.RequireEqualOutput(t, []byte(view))
}

func TestGoldenReadOnly(t *testing.T) {
	t.Parallel()
	g := newGoldenRun(t, goldenSetup{w: 120, h: 36, readOnly: true})
	g.to("priya")
	g.keys("enter", "t")
	g.golden(g.final())
}

func TestGoldenNarrow80(t *testing.T) {
	t.Parallel()
	g := newGoldenRun(t, goldenSetup{w: 80, h: 24})
	g.to("ops.bot@ci")
	g.golden(g.final())
}

func TestGoldenNarrow80Credentials(t *testing.T) {
	t.Parallel()
	g := newGoldenRun(t, goldenSetup{w: 80, h: 24})
	g.to("ops.bot@ci")
	g.keys("enter")
	g.golden(g.final())
}

func TestGoldenNarrow40(t *testing.T) {
	t.Parallel()
	g := newGoldenRun(t, goldenSetup{w: 40, h: 12})
	g.to("priya")
	g.keys("enter")
	g.golden(g.final())
}

func TestGoldenNarrow40Secret(t *testing.T) {
	t.Parallel()
	g := newGoldenRun(t, goldenSetup{w: 40, h: 12})
	g.to("kenji")
	g.keys("n", "enter", "enter")
	g.golden(g.final())
}

func TestGoldenResize(t *testing.T) {
	t.Parallel()
	g := newGoldenRun(t, goldenSetup{w: 120, h: 36})
	g.to("sofia")
	g.Send(tea.WindowSizeMsg{Width: 100, Height: 20})
	g.settle()
	g.golden(g.final())
}
