package safefile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// OpenAppend opens path for appending, mode 0600, creating it if need be: a
// log that may hold account details. Like Create it follows no symbolic link,
// and it appends only to a regular file of the user running it (where the
// system has owners), made owner-only if it was not: a link or another user's
// file at the path would otherwise be chmodded and written through.
func OpenAppend(path string) (*os.File, error) {
	before, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		before = nil
	case err != nil:
		return nil, err
	default:
		if err := appendable(path, before); err != nil {
			return nil, err
		}
	}
	f, err := openAppend(path)
	if err != nil {
		return nil, err
	}
	// What was opened must be what was checked: a link or another file put
	// there in between is refused too.
	after, err := f.Stat()
	if err == nil {
		err = appendable(path, after)
	}
	if err == nil && before != nil && !os.SameFile(before, after) {
		err = fmt.Errorf("%s changed while it was opened: not appending to it", path)
	}
	if err == nil {
		err = f.Chmod(0o600) // the mode of a new file is umask's; an old one may be looser
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// appendable refuses a link, anything but a regular file, and another user's file.
func appendable(path string, fi fs.FileInfo) error {
	switch {
	case fi.Mode()&fs.ModeSymlink != 0:
		return fmt.Errorf("%s is a symbolic link: not following it (name the file itself)", path)
	case !fi.Mode().IsRegular():
		return fmt.Errorf("%s is not a regular file", path)
	}
	if uid, ok := owner(fi); ok && uid != getuid() {
		return fmt.Errorf("%s belongs to another user (uid %d): not appending to it", path, uid)
	}
	return nil
}

// getuid is the user the files must belong to; tests stand in another.
var getuid = os.Getuid
