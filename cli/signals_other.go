//go:build !unix

package cli

import (
	"os"
	"syscall"
)

// stopSignals end a command a person or the system stops. Windows has no
// SIGHUP; Go delivers ctrl+c and ctrl+break as os.Interrupt, and a closed
// console, a log-off or a shutdown as SIGTERM.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM}

// signalName is the name people know a stop signal by.
func signalName(s os.Signal) string {
	switch s {
	case os.Interrupt:
		return "ctrl+c"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return s.String()
}

// hangupSignals: a closed console arrives as SIGTERM, which Bubble Tea watches.
var hangupSignals []os.Signal
