package stack

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/sirupsen/logrus"
)

// Modes of the data directory and of every file in it: they hold personal
// data, keys and a clerk's token, for this user alone.
const (
	dirMode  os.FileMode = 0o700
	fileMode os.FileMode = 0o600
)

// prepareDataDir creates the data directory (0700) if missing and tightens
// what is already there, whatever the umask or an earlier tool left.
func prepareDataDir(dir string, log *logrus.Logger) error {
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	return tightenModes(dir, log)
}

// tightenModes makes dir 0700 and every regular file directly in it 0600,
// logging a warning for each one it had to change. SQLite creates the -wal
// and -shm files itself, so a start runs it again once the databases are
// open.
func tightenModes(dir string, log *logrus.Logger) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("data directory: %s is not a directory", dir)
	}
	if fi.Mode().Perm()&^dirMode != 0 {
		if err := os.Chmod(dir, dirMode); err != nil {
			return fmt.Errorf("data directory: %w", err)
		}
		log.WithFields(logrus.Fields{"path": dir, "was": fi.Mode().Perm().String(), "now": dirMode.String()}).
			Warn("the data directory was open to other users; its mode is now 0700")
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	for _, e := range entries {
		if e.IsDir() {
			// The documents folder: 0700 like the directory itself.
			if err := tightenDir(filepath.Join(dir, e.Name()), log); err != nil {
				return err
			}
			continue
		}
		if !e.Type().IsRegular() {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue // removed meanwhile (a -wal at close)
		}
		if info.Mode().Perm()&^fileMode == 0 {
			continue
		}
		path := filepath.Join(dir, e.Name())
		if err := os.Chmod(path, fileMode); err != nil {
			if os.IsNotExist(err) {
				continue
			}
			return fmt.Errorf("data directory: %w", err)
		}
		log.WithFields(logrus.Fields{"path": path, "was": info.Mode().Perm().String(), "now": fileMode.String()}).
			Warn("a file in the data directory was readable by other users; its mode is now 0600")
	}
	return nil
}

// tightenDir makes a subdirectory of the data directory 0700, logging a
// warning if it was open to other users (or shut to its owner).
func tightenDir(path string, log *logrus.Logger) error {
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() == dirMode {
		return nil // removed meanwhile, or already right
	}
	if err := os.Chmod(path, dirMode); err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	log.WithFields(logrus.Fields{"path": path, "was": fi.Mode().Perm().String(), "now": dirMode.String()}).
		Warn("a folder in the data directory was open to other users; its mode is now 0700")
	return nil
}
