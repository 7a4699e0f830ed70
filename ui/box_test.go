package ui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// A box taller than the window keeps its title and footer and cuts the end of
// its body, and the last line it keeps ends in "…": what is cut is not lost
// without a sign. A box that fits has no such mark.
func TestBoxCutSaysThereIsMore(t *testing.T) {
	k := &kit{styles: DefaultStyles()}
	var body []string
	for i := 1; i <= 8; i++ {
		body = append(body, fmt.Sprintf("line %d of what the rotation left", i))
	}
	b := box{title: "Rotate", sections: []section{{lines: body}}, footer: []string{"enter close"}}
	for _, tc := range []struct {
		h   int
		cut bool
	}{{30, false}, {8, true}} {
		out := ansi.Strip(k.render(b, 40, tc.h))
		rows := strings.Split(out, "\n")
		if len(rows) > tc.h {
			t.Fatalf("h=%d: %d rows:\n%s", tc.h, len(rows), out)
		}
		if !strings.Contains(out, "Rotate") || !strings.Contains(rows[len(rows)-2], "enter close") {
			t.Errorf("h=%d: title or footer lost:\n%s", tc.h, out)
		}
		if got := strings.Contains(out, "…"); got != tc.cut {
			t.Errorf("h=%d: a cut mark %v, want %v:\n%s", tc.h, got, tc.cut, out)
		}
		if tc.cut && !strings.Contains(out, "line 1 of") {
			t.Errorf("h=%d: the body's start is gone:\n%s", tc.h, out)
		}
	}
}
