//go:build linux || darwin

package deliver

import (
	"os"

	"golang.org/x/sys/unix"
)

// unread is how many bytes wait in the pipe whose read end is r: what the
// command left of its standard input. -1 when it cannot be told.
func unread(r *os.File) int {
	n, err := unix.IoctlGetInt(int(r.Fd()), fionread)
	if err != nil {
		return -1
	}
	return n
}
