//go:build unix

package sqlite

import (
	"errors"
	"os"
	"syscall"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// lockFile takes an exclusive advisory lock on path (created if missing)
// for as long as the returned file stays open. The store caches committed
// state in memory (appCache), which is only right while it is the file's
// one writer; a second store on the same file, in this process or another,
// is refused instead of silently serving stale reads. The kernel drops the
// lock when the process dies, so a killed stack restarts cleanly.
func lockFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, kaiban.Wrap(kaiban.ErrStoreUnavailable, err, "cannot create the store's lock file")
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, kaiban.Errorf(kaiban.ErrStoreUnavailable, "the database is in use by another store (another kaiban process on the same data directory?)")
		}
		return nil, kaiban.Wrap(kaiban.ErrStoreUnavailable, err, "cannot lock the database")
	}
	return f, nil
}
