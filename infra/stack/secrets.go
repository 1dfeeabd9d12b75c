package stack

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// loadOrCreateKey reads a base64 key from dir/name, creating it with
// keyBytes random bytes on the directory's first start, so restarts read
// what earlier runs stored. The caller holds the data directory's lock
// (lockDataDir).
//
// A key is never replaced: it is created under a temporary name (O_EXCL,
// 0600, synced) and linked into place, which fails rather than overwrites if
// the name exists, and the directory is synced so the key survives a power
// failure. A missing key in a directory that already holds databases is
// refused rather than created: the data was sealed or signed with the lost
// key, and a new one would make it unreadable (every personal field, every
// access token) while the service looked healthy.
func loadOrCreateKey(dir, name string) ([]byte, error) {
	path := filepath.Join(dir, name)
	key, err := readKey(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	if held := dataFiles(dir); len(held) > 0 {
		return nil, kaiban.Errorf(kaiban.ErrConfig,
			"the key file %s is missing but the data directory already holds data (%s) protected by it; a new key would leave that data unreadable, so none is created. "+
				"Restore %s from a backup of this data directory, or start with another --data directory",
			path, strings.Join(held, ", "), name)
	}
	key = make([]byte, keyBytes)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	created, err := createExclusive(dir, name, []byte(base64.StdEncoding.EncodeToString(key)+"\n"))
	if err != nil {
		return nil, fmt.Errorf("creating the key %s: %w", path, err)
	}
	if !created { // another process made it first: use theirs
		return readKey(path)
	}
	return key, nil
}

// readKey reads and decodes a key file.
func readKey(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	key, err := decodeKey(string(b))
	if err != nil {
		return nil, kaiban.Wrap(kaiban.ErrConfig, err, path+": "+err.Error())
	}
	return key, nil
}

// dataFileNames are the databases whose presence means keys already
// protect data.
var dataFileNames = []string{"kaiban.db", "kaiban.db-wal", "engine.db", "engine.db-wal"}

// dataFiles lists the non-empty databases in dir.
func dataFiles(dir string) []string {
	var held []string
	for _, n := range dataFileNames {
		if fi, err := os.Stat(filepath.Join(dir, n)); err == nil && fi.Size() > 0 {
			held = append(held, n)
		}
	}
	return held
}

// createExclusive writes content to dir/name (0600) unless the name already
// exists, in which case it reports false and leaves the file alone. The file
// is complete and synced before it gets its name, so a reader never sees a
// half-written key.
func createExclusive(dir, name string, content []byte) (created bool, err error) {
	tmp, err := os.CreateTemp(dir, "."+name+".new-*") // O_CREATE|O_EXCL, 0600
	if err != nil {
		return false, err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(content); err != nil {
		tmp.Close()
		return false, err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return false, err
	}
	if err := tmp.Close(); err != nil {
		return false, err
	}
	if err := os.Link(tmp.Name(), filepath.Join(dir, name)); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return false, nil
		}
		return false, err
	}
	return true, syncDir(dir)
}

// syncDir makes the directory's entries (a new name) durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}
