package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"iamcreds/ui"
)

// The committed PNGs must be what the command makes now: a UI change without
// `go run ./screenshots` fails here.
func TestScreenshotsUpToDate(t *testing.T) {
	dir := t.TempDir()
	names, err := generate(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		got, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(n) // tests run in the package directory
		if err != nil {
			t.Errorf("%s is not committed (go run ./screenshots): %v", n, err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is out of date: run go run ./screenshots and look at it", n)
		}
	}
}

func TestHasKey(t *testing.T) {
	if !hasKey(ui.DefaultKeyMap(), "?") || hasKey(ui.DefaultKeyMap(), "F13") {
		t.Fatal("hasKey does not find the keymap's keys")
	}
}
