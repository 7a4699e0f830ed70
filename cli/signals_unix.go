//go:build unix

package cli

import (
	"os"
	"syscall"
)

// stopSignals end a command a person or a supervisor stops: ctrl+c, kill (or
// a container's stop), and a closed terminal or SSH session.
var stopSignals = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP}

// signalName is the name people know a stop signal by ("SIGTERM").
func signalName(s os.Signal) string {
	switch s {
	case syscall.SIGINT:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	case syscall.SIGHUP:
		return "SIGHUP"
	}
	return s.String()
}

// hangupSignals are the signals of a terminal that went away, which Bubble
// Tea does not watch (it quits on SIGINT and SIGTERM).
var hangupSignals = []os.Signal{syscall.SIGHUP}
