package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"
)

// goldenSizes are the window sizes every screen and dialog is checked at: a
// roomy terminal, the classic one, a split pane, a phone over SSH.
var goldenSizes = [][2]int{{120, 36}, {80, 24}, {60, 20}, {40, 12}}

// sizeScene is one state of the UI: the keys that lead there from the demo
// account's first screen (with setup's options).
type sizeScene struct {
	name  string
	setup goldenSetup
	run   func(g *goldenRun)
}

func sizeScenes() []sizeScene {
	to := func(user string, keys ...string) func(g *goldenRun) {
		return func(g *goldenRun) { g.to(user); g.keys(keys...) }
	}
	keys := func(keys ...string) func(g *goldenRun) { return func(g *goldenRun) { g.keys(keys...) } }
	return []sizeScene{
		{name: "users", run: to("priya")},
		{name: "credentials", run: to("priya", "enter")},
		{name: "filter-no-match", run: keys("/", "z", "z", "z")},
		{name: "help", run: keys("?")},
		{name: "fleet", run: keys("a")},
		{name: "fleet-help", run: keys("a", "?")},
		{name: "create-service", run: to("kenji", "n")},
		{name: "create-expiry", run: to("kenji", "n", "j", "j", "enter")},
		{name: "create-confirm", run: to("kenji", "n", "enter")},
		{name: "secret", run: to("kenji", "n", "enter", "enter")},
		{name: "secret-api-key", run: to("kenji", "n", "j", "j", "enter", "enter", "enter")},
		{name: "secret-file", run: to("kenji", "n", "enter", "enter", "w")},
		{name: "secret-not-saved", run: to("kenji", "n", "enter", "enter", "esc")},
		{name: "reset", run: to("mateo", "enter", "r")},
		{name: "reset-inactive", run: to("priya", "enter", "r")},
		{name: "activate", run: to("mateo", "enter", "t", "t")},
		{name: "delete", run: to("mateo", "enter", "d")},
		{name: "rotate", run: to("sofia", "enter", "j", "R")},
		{name: "bulk-confirm", run: keys("a", "f", "space", "space", "I")},
		{name: "bulk-summary", run: keys("a", "f", "space", "space", "I", "tab", "enter")},
		{name: "export", run: keys("a", "x")},
		{name: "profiles", setup: goldenSetup{profiles: []string{"default", "prod", "staging"}}, run: keys("P")},
		{name: "quit-while-creating", run: func(g *goldenRun) {
			g.to("kenji")
			holdMsgs[createdMsg](g.driver) // the create's answer is still on its way
			g.keys("n", "enter", "enter", "q")
		}},
	}
}

// TestGoldenSizes draws each scene at each of goldenSizes: one run per scene,
// resized from the largest to the smallest. Every line must be exactly the
// window's width and nothing may be drawn past its height.
func TestGoldenSizes(t *testing.T) {
	t.Parallel()
	for _, sc := range sizeScenes() {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			setup := sc.setup
			setup.w, setup.h = goldenSizes[0][0], goldenSizes[0][1]
			g := newGoldenRun(t, setup)
			sc.run(g)
			for _, size := range goldenSizes {
				t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
					g.Send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
					m := g.final()
					view := g.scrub(m, m.View())
					lines := strings.Split(view, "\n")
					if len(lines) != size[1] {
						t.Fatalf("%d lines in a window %d high", len(lines), size[1])
					}
					for i, l := range lines {
						if w := ansi.StringWidth(l); w != size[0] {
							t.Fatalf("line %d is %d wide in a window %d wide: %q", i, w, size[0], l)
						}
					}
					if s := g.rec.last(); !s.Empty() && strings.Contains(view, s.Reveal()) {
						t.Fatal("a secret would be written to a golden file")
					}
					teatest.RequireEqualOutput(t, []byte(view))
				})
			}
		})
	}
}
