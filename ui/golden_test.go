package ui

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"iamcreds/awsclient/localiam"
	"iamcreds/model"
)

// Goldens of the final View() at a fixed size, with the ASCII colour profile and
// a fixed clock, against the local endpoint's demo account. go test ./ui -update
// rewrites them.

func TestMain(m *testing.M) {
	// Every test renders without colour unless it sets a profile itself.
	lipgloss.SetColorProfile(termenv.Ascii)
	code := m.Run()
	if binary.dir != "" {
		os.RemoveAll(binary.dir) // the end-to-end tests' build
	}
	os.Exit(code)
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
}

func newGoldenRun(t *testing.T, s goldenSetup) *goldenRun {
	t.Helper()
	e := newEndpoint(t, "demo", s.faults, s.readOnly)
	rec := &recordingIAM{IAM: e.client}
	o := testOptions(e, &memClipboard{})
	o.Client, o.ReadOnly, o.Demo = rec, s.readOnly, true
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
	for _, c := range m.cache.all() {
		{
			if g.ids[c.ID] {
				continue
			}
			fake := c.ID[:4] + strings.Repeat("X", len(c.ID)-4)
			view = strings.ReplaceAll(view, c.ID, fake)
			view = strings.ReplaceAll(view, shortID(c.ID), shortID(fake))
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

func TestGoldenSecretShown(t *testing.T) {
	t.Parallel()
	g := newGoldenRun(t, goldenSetup{w: 120, h: 36})
	g.to("kenji")
	g.keys("n", "enter", "enter", "s")
	m := g.final()
	secret := g.rec.last().Reveal()
	view := m.View()
	if secret == "" || !strings.Contains(view, secret) {
		t.Fatalf("the shown secret is not what IAM returned:\n%s", view)
	}
	// The golden gets a placeholder of the same width in its place.
	m2view := strings.ReplaceAll(g.scrub(m, view), secret, strings.Repeat("#", len(secret)))
	teatest.RequireEqualOutput(t, []byte(m2view))
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
	if m.status.details == "" || !strings.Contains(view, m.status.details) {
		t.Fatalf("no request id in the status bar:\n%s", view)
	}
	id := strings.TrimPrefix(m.status.details, "request ")
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
