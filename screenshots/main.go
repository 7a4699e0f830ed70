// Command screenshots regenerates the PNGs of the README: it drives the real UI
// against the local IAM endpoint's demo account at a fixed size and clock, and
// renders each TrueColor View() with package render. Run: go run ./screenshots
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	dir := flag.String("out", "screenshots", "directory the PNGs are written to")
	flag.Parse()
	names, err := generate(*dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "screenshots:", err)
		os.Exit(1)
	}
	for _, n := range names {
		fmt.Println(filepath.Join(*dir, n))
	}
}
