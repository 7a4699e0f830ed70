package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/x/term"

	"iamcreds/model"
)

// maxWhoisLine bounds a line of whois' input: a short-term key with a session
// token is a few kilobytes; a pasted log line may be longer.
const maxWhoisLine = 1 << 20

// readWhoisKeys reads the keys: from a hidden prompt when stdin is a terminal,
// else stdin's lines. A line that is no key is named by its number on stderr
// with the reason, never quoted.
func readWhoisKeys(env cliEnv, stderr io.Writer) ([]model.DecodedKey, error) {
	if fd, ok := env.inputTerminal(); ok {
		return promptKeys(fd, stderr)
	}
	var keys []model.DecodedKey
	sc := bufio.NewScanner(env.input())
	sc.Buffer(make([]byte, 0, 64*1024), maxWhoisLine)
	for n := 1; sc.Scan(); n++ {
		keys = append(keys, keysInLine(sc.Text(), fmt.Sprintf("line %d", n), stderr)...)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, &exitError{code: exitUsage, err: fmt.Errorf("a line of stdin is over %d bytes: one key a line", maxWhoisLine)}
		}
		return nil, failed(fmt.Errorf("reading stdin: %w", err))
	}
	return keys, nil
}

// promptKeys asks for keys on the terminal without echoing them, until an
// empty answer.
func promptKeys(fd uintptr, stderr io.Writer) ([]model.DecodedKey, error) {
	var keys []model.DecodedKey
	for n := 1; ; n++ {
		fmt.Fprintf(stderr, "Key %d (hidden; Enter on an empty line to finish): ", n)
		b, err := term.ReadPassword(fd)
		fmt.Fprintln(stderr)
		if err != nil {
			return nil, failed(fmt.Errorf("reading the key from the terminal: %w", err))
		}
		line := string(b)
		clear(b)
		if strings.TrimSpace(line) == "" {
			return keys, nil
		}
		found := keysInLine(line, fmt.Sprintf("key %d", n), stderr)
		if len(found) > 0 {
			fmt.Fprintf(stderr, "  read %s\n", found[0].Fingerprint())
		}
		keys = append(keys, found...)
	}
}

// keysInLine is the key the line is, or the keys in it (export VAR=ABSK…, a
// log line); a warning on stderr when there is none. Blank lines and # comments
// are skipped.
func keysInLine(line, where string, stderr io.Writer) []model.DecodedKey {
	t := strings.TrimSpace(line)
	if t == "" || strings.HasPrefix(t, "#") {
		return nil
	}
	d, err := model.DecodeKey(t)
	if err == nil {
		return []model.DecodedKey{d}
	}
	var keys []model.DecodedKey
	for _, sp := range model.FindKeys([]byte(t)) {
		if k, kerr := model.DecodeKey(t[sp[0]:sp[1]]); kerr == nil {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		// err never quotes its input.
		fmt.Fprintf(stderr, "%s: skipped: %v\n", where, err)
	}
	return keys
}
