package main

import (
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"

	"iamcreds/ui"
)

// readmeKeyRows returns the key table of README.md as (key, action) pairs: the
// rows between the <!-- keys --> and <!-- /keys --> markers.
func readmeKeyRows(t *testing.T, readme string) [][2]string {
	t.Helper()
	start := strings.Index(readme, "<!-- keys")
	end := strings.Index(readme, "<!-- /keys -->")
	if start < 0 || end < start {
		t.Fatal("README.md has no <!-- keys --> … <!-- /keys --> table")
	}
	var rows [][2]string
	for _, line := range strings.Split(readme[start:end], "\n") {
		cells := strings.Split(strings.Trim(strings.TrimSpace(line), "|"), "|")
		if len(cells) < 2 || !strings.HasPrefix(strings.TrimSpace(cells[0]), "`") {
			continue // the marker, the header and its rule
		}
		rows = append(rows, [2]string{strings.Trim(strings.TrimSpace(cells[0]), "`"), strings.TrimSpace(cells[1])})
	}
	return rows
}

// keymapHelp is every binding of the keymap as (help key, help text).
func keymapHelp() [][2]string {
	v := reflect.ValueOf(ui.DefaultKeyMap())
	var out [][2]string
	for i := range v.NumField() {
		if b, ok := v.Field(i).Interface().(key.Binding); ok {
			out = append(out, [2]string{b.Help().Key, b.Help().Desc})
		}
	}
	return out
}

// The README's key table and the keymap cannot drift apart: every binding has
// its row, and every row is a binding.
func TestReadmeKeyTable(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range keyTableProblems(readmeKeyRows(t, string(b)), keymapHelp()) {
		t.Error(p)
	}
}

// keyTableProblems lists each binding without its row and each row without its binding.
func keyTableProblems(rows, bindings [][2]string) []string {
	var out []string
	has := func(list [][2]string, x [2]string) bool {
		for _, y := range list {
			if y == x {
				return true
			}
		}
		return false
	}
	for _, b := range bindings {
		if !has(rows, b) {
			out = append(out, fmt.Sprintf("README key table lacks | `%s` | %s |", b[0], b[1]))
		}
	}
	for _, r := range rows {
		if !has(bindings, r) {
			out = append(out, fmt.Sprintf("README key table row | `%s` | %s | is no binding of ui.DefaultKeyMap()", r[0], r[1]))
		}
	}
	return out
}

// The check itself fails on a missing row and on a row the keymap lacks.
func TestReadmeKeyTableCatchesDrift(t *testing.T) {
	rows := readmeKeyRows(t, "<!-- keys -->\n| Key | Action |\n|---|---|\n| `x` | explode |\n<!-- /keys -->")
	if p := keyTableProblems(rows, [][2]string{{"q", "quit"}}); len(p) != 2 {
		t.Fatalf("a drifted table gave %q, want a missing and an unknown row", p)
	}
	if len(rows) != 1 || rows[0] != [2]string{"x", "explode"} {
		t.Fatalf("rows = %v", rows)
	}
}
