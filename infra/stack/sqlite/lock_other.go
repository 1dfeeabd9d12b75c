//go:build !unix

package sqlite

import "os"

// lockFile is a no-op where flock is not available: the store then relies
// on the operator to run one process per data directory.
func lockFile(string) (*os.File, error) { return nil, nil }
