package ui

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

// The cursor is always on screen, the table always exactly its height, and
// never shows fewer rows than fit (a row hidden above the cursor while lines
// below stay blank), whatever the sequence of moves, jumps, resizes and row
// changes.
func TestTableCursorAlwaysVisible(t *testing.T) {
	t.Parallel()
	for seed := uint64(1); seed <= 5; seed++ {
		r := rand.New(rand.NewPCG(seed, 7))
		mk := func(n int) [][]string {
			rows := make([][]string, n)
			for i := range rows {
				rows[i] = []string{fmt.Sprintf("r%05d", i)}
			}
			return rows
		}
		tb := newTable(DefaultStyles().Table)
		tb.SetWidth(10)
		tb.SetColumns([]column{{title: "x", width: 9}})
		tb.SetRows(mk(200))
		tb.SetHeight(10)
		n := 200
		// Without the table's reveal, every seed fails within 100 steps.
		for step := range 2000 {
			switch r.IntN(9) {
			case 0:
				tb.MoveDown(1)
			case 1:
				tb.MoveUp(1)
			case 2:
				tb.MoveDown(tb.Height())
			case 3:
				tb.MoveUp(tb.Height() + 3)
			case 4:
				tb.GotoTop()
			case 5:
				tb.GotoBottom()
			case 6:
				tb.SetHeight(2 + r.IntN(21))
			case 7:
				n = r.IntN(300)
				tb.SetRows(mk(n))
			case 8:
				tb.SetCursor(r.IntN(n + 1))
			}
			tb.sync()
			lines := tb.Lines()
			if len(lines) != tb.Height()+1 {
				t.Fatalf("seed %d step %d: %d lines for height %d", seed, step, len(lines), tb.Height())
			}
			if n > 0 && !strings.Contains(strings.Join(lines, "\n"), fmt.Sprintf("r%05d", tb.Cursor())) {
				t.Fatalf("seed %d step %d: cursor %d not on screen", seed, step, tb.Cursor())
			}
			if shown := len(rowName.FindAllString(strings.Join(lines, "\n"), -1)); shown != min(n, tb.Height()) {
				t.Fatalf("seed %d step %d: %d rows of %d shown in %d lines", seed, step, shown, n, tb.Height())
			}
		}
	}
}

var rowName = regexp.MustCompile(`r\d{5}`)

func TestLineWidthAgreesWithAnsi(t *testing.T) {
	lipgloss.SetColorProfile(termenv.TrueColor)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	st := DefaultStyles()
	for _, s := range []string{
		"", "plain", "│▸amara  API keys 1 · Git 2│", "✓ Created … ⠋ creating", "日本語 wide", "e\u0301 combining",
		st.StatusError.Render("✗ failed"), st.BadgeDemo.Render("DEMO") + " x", "tab\tx", "\x1b]8;;http://x\x07link\x1b]8;;\x07",
	} {
		if got, want := lineWidth(s), ansi.StringWidth(s); got != want {
			t.Errorf("lineWidth(%q) = %d, ansi says %d", s, got, want)
		}
	}
}
