//go:build !unix

package validate_test

import "time"

// processCPU is not available here; benchmarks then report 0 cpu-ns/op.
func processCPU() time.Duration { return 0 }
