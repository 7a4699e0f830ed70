//go:build unix

package clipboard

import (
	"os/exec"
	"syscall"
)

// detach starts cmd in a session of its own, so that the hangup sent when the
// terminal closes, or the shell's job control, does not reach it.
func detach(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
}
