package cli

import (
	"github.com/spf13/cobra"

	"iamcreds/ui/clipboard"
)

// newClipboardClearCmd is the hidden command the secret modal starts, detached,
// when it copies a secret: it reads what to clear on stdin (a digest, never the
// secret), waits for --clipboard-clear, and clears only what still holds it, so
// a copy is cleared even when iamcreds has exited first (as `pass` does).
func newClipboardClearCmd() *cobra.Command {
	return &cobra.Command{
		Use:    clipboard.ClearerSubcommand,
		Short:  "clear a copied secret later (started by iamcreds itself)",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := clipboard.RunClearer(cmd.InOrStdin()); err != nil {
				return exitSilently(exitFailed) // detached: nobody reads its stderr
			}
			return nil
		},
	}
}
