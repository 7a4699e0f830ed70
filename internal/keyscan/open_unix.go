//go:build unix

package keyscan

import (
	"os"
	"syscall"
)

// openFile opens path for reading without waiting: a FIFO with no writer
// would otherwise block open(2) for ever. Reads of a regular file are not
// affected.
func openFile(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
