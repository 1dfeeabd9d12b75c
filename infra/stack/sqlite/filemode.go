package sqlite

import (
	"errors"
	"io/fs"
	"os"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// fileMode is the mode of the database and every file beside it: they hold
// personal data.
const fileMode os.FileMode = 0o600

// databaseSuffixes are the files of one database: the file itself, the
// files SQLite makes beside it, and the store's lock.
var databaseSuffixes = []string{"", "-wal", "-shm", "-journal", ".lock"}

// secureFiles creates the database file with mode 0600 if it is missing and
// brings the files of the database that exist to 0600, whatever the umask
// or an earlier run left. SQLite creates a new database 0644 less the umask,
// and its -wal and -shm with the mode of the database file, so an empty
// 0600 file made here (an empty file is an empty database) keeps them all
// private; Open checks again once the WAL exists.
func secureFiles(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, fileMode)
	if err != nil {
		return kaiban.Wrap(kaiban.ErrStoreUnavailable, err, "cannot create the database file")
	}
	f.Close()
	for _, suffix := range databaseSuffixes {
		fi, err := os.Stat(path + suffix)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err == nil && fi.Mode().Perm()&^fileMode != 0 {
			err = os.Chmod(path+suffix, fileMode)
		}
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return kaiban.Wrap(kaiban.ErrStoreUnavailable, err, "cannot make the database private")
		}
	}
	return nil
}
