//go:build unix

package stack

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// lockName is the data directory's lock file.
const lockName = "kaiban.lock"

// lockDataDir takes an exclusive advisory lock on the data directory for as
// long as the returned file stays open. Everything a start does to the
// directory (reading or creating keys, opening the databases) happens under
// it, so two stacks started together on one directory cannot both create a
// key and leave each other's data unreadable: the second is refused. The
// kernel drops the lock when the process dies, so a killed stack restarts
// cleanly.
func lockDataDir(dir string) (*os.File, error) {
	path := filepath.Join(dir, lockName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, kaiban.Wrap(kaiban.ErrStoreUnavailable, err, "cannot create the data directory's lock file "+path)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, kaiban.Errorf(kaiban.ErrStoreUnavailable, "the data directory %s is in use by another kaiban process; stop it first or start this one with another --data directory", dir)
		}
		return nil, kaiban.Wrap(kaiban.ErrStoreUnavailable, err, "cannot lock the data directory "+dir)
	}
	return f, nil
}
