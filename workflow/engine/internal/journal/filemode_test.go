package journal

import (
	"os"
	"path/filepath"
	"testing"
)

// The journal and the files SQLite makes beside it are private, whether
// new or left 0644 by an earlier run or a copy.
func TestJournalFilesArePrivate(t *testing.T) {
	for _, preexisting := range []bool{false, true} {
		name := map[bool]string{false: "new", true: "left 0644"}[preexisting]
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "engine.db")
			if preexisting {
				d, err := Open(t.Context(), path)
				if err != nil {
					t.Fatal(err)
				}
				d.Close()
				for _, suffix := range []string{"", "-wal", "-shm"} {
					if err := os.WriteFile(path+suffix, nil, 0o644); err != nil && suffix != "" {
						t.Fatal(err)
					}
					if err := os.Chmod(path+suffix, 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			d, err := Open(t.Context(), path)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			for _, suffix := range []string{"", "-wal", "-shm"} {
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
