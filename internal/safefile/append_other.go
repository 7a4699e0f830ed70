//go:build !unix

package safefile

import (
	"io/fs"
	"os"
)

// openAppend opens path; OpenAppend's checks before and after stand in for
// O_NOFOLLOW, which this system lacks.
func openAppend(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
}

// owner: files here have no owner id OpenAppend can compare (Windows has ACLs).
func owner(fs.FileInfo) (int, bool) { return 0, false }
