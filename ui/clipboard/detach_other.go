//go:build !unix && !windows

package clipboard

import "os/exec"

// detach has nothing to do where there are neither sessions nor consoles.
func detach(*exec.Cmd) {}
