//go:build !unix

package stack

import "os"

// lockDataDir is a no-op where flock is not available: the operator then
// runs one process per data directory.
func lockDataDir(string) (*os.File, error) { return nil, nil }
