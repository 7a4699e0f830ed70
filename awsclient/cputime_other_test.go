//go:build !unix

package awsclient

import "time"

// processCPU is not measured here; benchmarks then report no cpu-ms/op.
func processCPU() time.Duration { return 0 }
