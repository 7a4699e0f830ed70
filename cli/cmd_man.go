package cli

import (
	"fmt"
	"strings"

	mcobra "github.com/muesli/mango-cobra"
	"github.com/muesli/roff"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// newManCmd is `iamcreds man`: the man page, made from the command tree (as
// glow's man_cmd.go does), so it lists the same commands and flags as --help.
func newManCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "man",
		Short: "print the man page (roff) of iamcreds and its commands",
		Example: `  iamcreds man | man -l -
  iamcreds man > ~/.local/share/man/man1/iamcreds.1`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			unquoteFlagUsage(cmd.Root())
			page, err := mcobra.NewManPage(1, cmd.Root())
			if err != nil {
				return failed(err)
			}
			page = page.WithLongDescription(manParagraphs(tuiAbout)).
				WithSection("Exit Status", exitStatusHelp())
			if _, err := fmt.Fprint(cmd.OutOrStdout(), page.Build(roff.NewDocument())); err != nil {
				return failed(err)
			}
			return nil
		},
	}
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

// unquoteFlagUsage drops the backquotes that name a flag's value in --help
// ("a JSON seed `file`"): the man page would show them as they are.
func unquoteFlagUsage(cmd *cobra.Command) {
	cmd.Flags().VisitAll(func(f *pflag.Flag) { f.Usage = strings.ReplaceAll(f.Usage, "`", "") })
	for _, sub := range cmd.Commands() {
		unquoteFlagUsage(sub)
	}
}
