package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"
	"github.com/spf13/pflag"

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
	b, err := os.ReadFile("../README.md")
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

// readmeFlagRow is one row of a README flags table: the flags of its first
// cell ("`--max-age 90d`", "`--version`, `--help`") and the meaning.
type readmeFlagRow struct {
	flags   map[string]bool // name -> written with a value
	meaning string
}

// readmeFlagTables returns each <!-- flags: iamcreds CMD --> … <!-- /flags -->
// table of the README, by command path.
func readmeFlagTables(t *testing.T, readme string) map[string][]readmeFlagRow {
	t.Helper()
	tables := map[string][]readmeFlagRow{}
	for _, block := range strings.Split(readme, "<!-- flags: ")[1:] {
		path, rest, _ := strings.Cut(block, " -->")
		body, _, ok := strings.Cut(rest, "<!-- /flags -->")
		if !ok {
			t.Fatalf("README flags table %q has no <!-- /flags -->", path)
		}
		rows := []readmeFlagRow{}
		for _, line := range strings.Split(body, "\n") {
			cells := strings.Split(strings.Trim(strings.TrimSpace(line), "|"), "|")
			if len(cells) < 2 || !strings.HasPrefix(strings.TrimSpace(cells[0]), "`") {
				continue // the header and its rule
			}
			row := readmeFlagRow{flags: map[string]bool{}, meaning: strings.TrimSpace(cells[1])}
			for _, code := range strings.Split(cells[0], "`")[1:] {
				if name, ok := strings.CutPrefix(code, "--"); ok {
					name, value, _ := strings.Cut(name, " ")
					row.flags[name] = value != ""
				}
			}
			rows = append(rows, row)
		}
		tables[strings.TrimSpace(path)] = rows
	}
	return tables
}

// flagTableProblems compares a README table with the command's real flags: every
// flag has a row (--help may go without), every row is a flag, a value is
// written exactly when the flag takes one, and a default is stated as it is.
func flagTableProblems(path string, rows []readmeFlagRow, flags []*pflag.Flag) []string {
	var out []string
	listed := map[string]bool{}
	for _, row := range rows {
		for name, withValue := range row.flags {
			listed[name] = true
			i := slices.IndexFunc(flags, func(f *pflag.Flag) bool { return f.Name == name })
			if i < 0 {
				out = append(out, fmt.Sprintf("README %s flags: --%s is no flag of %s", path, name, path))
				continue
			}
			f := flags[i]
			if takesValue := f.Value.Type() != "bool"; withValue != takesValue {
				out = append(out, fmt.Sprintf("README %s flags: --%s is written with a value %v, but takes one %v", path, name, withValue, takesValue))
			}
			if def := f.DefValue; !slices.Contains([]string{"", "0", "false", "[]"}, def) && !strings.Contains(row.meaning, "default "+def) {
				out = append(out, fmt.Sprintf("README %s flags: --%s does not say \"default %s\"", path, name, def))
			}
		}
	}
	for _, f := range flags {
		if !listed[f.Name] && f.Name != "help" {
			out = append(out, fmt.Sprintf("README %s flags lack --%s (%s)", path, f.Name, f.Usage))
		}
	}
	return out
}

// The README's flags tables are the real flag sets: one for every command with
// flags besides --help (the UI, audit, local-iam, and any command added later).
func TestReadmeFlagTables(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	tables := readmeFlagTables(t, string(b))
	commands := ourCommands()
	for _, path := range []string{"iamcreds", "iamcreds audit", "iamcreds local-iam"} {
		if _, ok := commands[path]; !ok {
			t.Errorf("no command %s", path)
		}
	}
	for path, cmd := range commands {
		rows, ok := tables[path]
		if !ok {
			if len(flagNames(cmd)) > 1 {
				t.Errorf("README.md has no <!-- flags: %s --> table", path)
			}
			continue
		}
		for _, p := range flagTableProblems(path, rows, visibleFlags(cmd)) {
			t.Error(p)
		}
	}
	for path := range tables {
		if _, ok := commands[path]; !ok {
			t.Errorf("README.md has a flags table for %q, which is no command", path)
		}
	}
}

// The check itself fails on a missing flag, an unknown one, a value written for
// a bool, and a default that is not the real one.
func TestReadmeFlagTableCatchesDrift(t *testing.T) {
	readme := "<!-- flags: iamcreds x -->\n| flag | meaning |\n|---|---|\n" +
		"| `--read-only X` | refuse |\n| `--bogus` | nothing |\n| `--max-age 90d` | age (default 30d) |\n<!-- /flags -->"
	rows := readmeFlagTables(t, readme)["iamcreds x"]
	if len(rows) != 3 {
		t.Fatalf("rows = %+v", rows)
	}
	root := testRoot()
	var flags []*pflag.Flag
	for _, name := range []string{"read-only", "max-age", "profile", "help"} {
		flags = append(flags, root.Flags().Lookup(name))
	}
	p := strings.Join(flagTableProblems("iamcreds x", rows, flags), "\n")
	for _, want := range []string{"--read-only is written with a value", "--bogus is no flag", `--max-age does not say "default 90d"`, "lack --profile"} {
		if !strings.Contains(p, want) {
			t.Errorf("a drifted table gave\n%s\nwithout %q", p, want)
		}
	}
	if strings.Count(p, "\n") != 3 {
		t.Errorf("a drifted table gave\n%s\nwant 4 problems", p)
	}
}

// The README's exit-status table is the one --help prints.
func TestReadmeExitStatusTable(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, _ := strings.Cut(string(b), "<!-- exit-status")
	table, _, ok := strings.Cut(table, "<!-- /exit-status -->")
	if !ok {
		t.Fatal("README.md has no <!-- exit-status --> … <!-- /exit-status --> table")
	}
	var want []string
	for _, s := range exitStatuses {
		want = append(want, fmt.Sprintf("| %d | %s |", s.code, s.meaning))
	}
	var got []string
	for _, line := range strings.Split(table, "\n") {
		if line = strings.TrimSpace(line); len(line) > 2 && line[0] == '|' && line[2] >= '0' && line[2] <= '9' {
			got = append(got, line)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("README exit status rows\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// Every screenshot the README ships is shown in it, with a caption.
func TestReadmeShowsEveryScreenshot(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	pngs, err := filepath.Glob("../screenshots/*.png")
	if err != nil || len(pngs) == 0 {
		t.Fatalf("no screenshots: %v", err)
	}
	for _, p := range pngs {
		if !regexp.MustCompile(`!\[[^\]]+\]\(` + regexp.QuoteMeta(strings.TrimPrefix(filepath.ToSlash(p), "../")) + `\)`).Match(b) {
			t.Errorf("README.md does not show %s with a caption", p)
		}
	}
}
