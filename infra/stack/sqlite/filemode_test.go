package sqlite

import (
	"os"
	"path/filepath"
	"testing"
)

// The database and the files SQLite makes beside it are private, whether
// the database is new (SQLite alone would make it 0644 less the umask) or
// was left 0644 by an earlier run or a copy.
func TestDatabaseFilesArePrivate(t *testing.T) {
	for _, preexisting := range []bool{false, true} {
		name := map[bool]string{false: "new", true: "left 0644"}[preexisting]
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "kaiban.db")
			if preexisting {
				s, err := Open(t.Context(), path, testKey)
				if err != nil {
					t.Fatal(err)
				}
				s.Close()
				for _, suffix := range []string{"", "-wal", "-shm", ".lock"} {
					if err := os.WriteFile(path+suffix, nil, 0o644); err != nil && suffix != "" {
						t.Fatal(err)
					}
					if err := os.Chmod(path+suffix, 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			s, err := Open(t.Context(), path, testKey)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if _, err := s.w.ExecContext(t.Context(), `CREATE TABLE IF NOT EXISTS mode_probe(x)`); err != nil {
				t.Fatal(err)
			}
			for _, suffix := range []string{"", "-wal", "-shm", ".lock"} {
				fi, err := os.Stat(path + suffix)
				if err != nil {
					t.Errorf("%s: %v", filepath.Base(path+suffix), err)
					continue
				}
				if fi.Mode().Perm() != 0o600 {
					t.Errorf("%s has mode %v, want 0600", filepath.Base(path+suffix), fi.Mode().Perm())
				}
			}
		})
	}
}
