package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"iamcreds/internal/testenv"
)

// The committed PNGs must be what the command makes now: a UI change without
// `go run ./screenshots` fails here.
func TestScreenshotsUpToDate(t *testing.T) {
	testenv.AWS(t) // the endpoint's client must not read the shell's AWS_PROFILE
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
