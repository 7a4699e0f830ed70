//go:build unix

package awsclient

import (
	"syscall"
	"time"
)

// processCPU is the CPU time the process has used, user and system: both ends
// of a benchmark against the in-process endpoint.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
