package journal

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// fileMode is the mode of the journal and the files beside it: the
// executions' inputs and outputs are the applications' data.
const fileMode os.FileMode = 0o600

// secureFiles creates the journal file with mode 0600 if it is missing and
// brings the journal's files that exist to 0600, whatever the umask or an
// earlier run left. SQLite creates a new database 0644 less the umask and
// gives its -wal and -shm the database file's mode, so an empty 0600 file
// made first (an empty file is an empty database) keeps them all private;
// Open checks again once the WAL exists.
func secureFiles(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, fileMode)
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	f.Close()
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		fi, err := os.Stat(path + suffix)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err == nil && fi.Mode().Perm()&^fileMode != 0 {
			err = os.Chmod(path+suffix, fileMode)
		}
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("journal: %w", err)
		}
	}
	return nil
}
