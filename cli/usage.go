package cli

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Usage errors every command shares: one line, exit 2 (cmd_exit.go).

// asUsageError makes err, from cobra's argument checks, a usage error of cmd.
func asUsageError(cmd *cobra.Command, err error) error {
	var e *exitError
	if errors.As(err, &e) {
		return err
	}
	return usageError(cmd, err)
}

// noArgs refuses positional arguments; where subcommands exist, the argument is
// an unknown command, with the nearest name if one is close.
func noArgs(cmd *cobra.Command, args []string) error {
	switch {
	case len(args) == 0:
		return nil
	case !cmd.HasAvailableSubCommands():
		return usageErrorf(cmd, "unexpected argument %q", args[0])
	}
	if near := cmd.SuggestionsFor(args[0]); len(near) > 0 {
		return usageErrorf(cmd, "unknown command %q (did you mean %s?)", args[0], near[0])
	}
	return usageErrorf(cmd, "unknown command %q", args[0])
}

// flagError says what pflag refused in a person's words: the flag, the value,
// and what is wrong with it; and "-profile" (Go's flag package took one dash)
// is told it needs two.
func flagError(cmd *cobra.Command, err error) error {
	var unknown *pflag.NotExistError
	if errors.As(err, &unknown) {
		long, _, _ := strings.Cut(unknown.GetSpecifiedShortnames(), "=")
		if len(long) > 1 && cmd.Flags().Lookup(long) != nil {
			return fmt.Errorf("unknown flag -%s: long flags take two dashes, --%s", long, long)
		}
		return err
	}
	var bad *pflag.InvalidValueError
	if !errors.As(err, &bad) {
		return err
	}
	cause := bad.Unwrap()
	var num *strconv.NumError
	if errors.As(cause, &num) {
		cause = errors.New("not a number")
		if bad.GetFlag().Value.Type() == "bool" {
			cause = errors.New("not true or false")
		}
	}
	return fmt.Errorf("--%s %q: %w", bad.GetFlag().Name, bad.GetValue(), cause)
}
