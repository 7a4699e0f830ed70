//go:build windows

package clipboard

import (
	"os/exec"
	"syscall"
)

// detachedProcess is DETACHED_PROCESS: no console, so closing ours does not end it.
const detachedProcess = 0x00000008

// detach starts cmd without a console and in a process group of its own, so
// that closing the console or ctrl+c in it does not reach the clearer.
func detach(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{
		CreationFlags: detachedProcess | syscall.CREATE_NEW_PROCESS_GROUP,
		HideWindow:    true,
	}
}
