package cli

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/muesli/mango"
	mcobra "github.com/muesli/mango-cobra"
	"github.com/muesli/roff"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"iamcreds/ui"
)

// newManCmd is `iamcreds man`: the man page, made from the command tree (as
// glow's man_cmd.go does), so it lists the same commands and flags as --help,
// each flag with its value's name and its default, and the UI's keys from the
// keymap the UI runs on.
func newManCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "man",
		Short: "print the man page (roff) of iamcreds and its commands",
		Example: `  iamcreds man | man -l -
  iamcreds man > ~/.local/share/man/man1/iamcreds.1`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			page, err := manPage(cmd.Root())
			if err != nil {
				return failed(err)
			}
			if _, err := fmt.Fprint(cmd.OutOrStdout(), page); err != nil {
				return failed(err)
			}
			return nil
		},
	}
}

// manPage is the whole page in roff.
func manPage(root *cobra.Command) (string, error) {
	page, err := mcobra.NewManPage(1, root)
	if err != nil {
		return "", err
	}
	manFlags(&page.Root, root)
	page = page.WithLongDescription(manParagraphs(tuiAbout)).WithSection("Exit Status", exitStatusHelp())
	return page.Build(manHeading{roff.NewDocument()}) + manKeys(), nil
}

// manHeading puts a short manual name in the title line, where mango puts the
// command's whole description: at 80 columns it ran into the page's name.
type manHeading struct{ *roff.Document }

func (h manHeading) Heading(section uint, title, _ string, ts time.Time) {
	h.Document.Heading(section, title, "User Commands", ts)
}

// manFlags gives each flag mango-cobra listed for cmd and its subcommands its
// value's name and its default: mango's flags have a name and a usage only,
// so both go into them ("--profile NAME", "… (default 30s)"). The usage loses
// the backquotes that name the value in --help.
func manFlags(item *mango.Command, cmd *cobra.Command) {
	for name, flag := range item.Flags {
		f := cmd.Flags().Lookup(name)
		if f == nil || f.Hidden { // --help leaves it out too
			delete(item.Flags, name)
			continue
		}
		valueName, usage := pflag.UnquoteUsage(f)
		flag.Usage = usage + manDefault(f)
		if v := manValueName(f.Name, valueName); v != "" {
			flag.Name += " " + v
		}
		item.Flags[name] = flag
	}
	for _, sub := range cmd.Commands() {
		if child, ok := item.Commands[sub.Name()]; ok {
			manFlags(child, sub)
		}
	}
}

// manValueNames name the values that --help calls by their type ("string").
var manValueNames = map[string]string{
	"profile": "NAME", "region": "NAME", "user": "NAME", "service": "NAME", "member-role": "NAME",
	"format": "FORMAT", "output": "FORMAT", "sort": "KEY", "addr": "HOST:PORT", "seed": "SEED",
	"state": "FILE", "debug": "FILE", "deny": "ACTIONS", "drop-reply": "LIST", "deny-assume": "IDS",
	"endpoint-url": "URL", "id": "ID",
}

// manValueName is a flag's value as the README writes it: "--profile NAME";
// "" for a flag that takes none.
func manValueName(flag, typeName string) string {
	if v, ok := manValueNames[flag]; ok && typeName != "" {
		return v
	}
	return strings.ToUpper(typeName)
}

// manDefault is " (default X)" for a default worth stating.
func manDefault(f *pflag.Flag) string {
	if slices.Contains([]string{"", "0", "false", "[]"}, f.DefValue) {
		return ""
	}
	return " (default " + f.DefValue + ")"
}

// manParagraphs rejoins text wrapped for --help into one line a paragraph:
// mango starts a new paragraph at every newline.
func manParagraphs(s string) string {
	paras := strings.Split(s, "\n\n")
	for i, p := range paras {
		paras[i] = strings.Join(strings.Fields(p), " ")
	}
	return strings.Join(paras, "\n")
}

// manKeys is the KEYS section: every binding of the UI's keymap, as its help
// shows it (the README's key table is checked against the same keymap).
func manKeys() string {
	doc := roff.NewDocument()
	doc.Section("Keys")
	doc.Text("The terminal UI's keys, as its help (?) lists them:")
	for _, k := range keymapRows() {
		doc.TaggedParagraph(-1)
		doc.TextBold(k[0])
		doc.EndSection()
		doc.Text(k[1])
	}
	return "\n" + doc.String()
}

// keymapRows is every binding of ui.DefaultKeyMap as (help key, help text).
func keymapRows() [][2]string {
	v := reflect.ValueOf(ui.DefaultKeyMap())
	var out [][2]string
	for i := range v.NumField() {
		if b, ok := v.Field(i).Interface().(key.Binding); ok && b.Help().Key != "" {
			out = append(out, [2]string{b.Help().Key, b.Help().Desc})
		}
	}
	return out
}
