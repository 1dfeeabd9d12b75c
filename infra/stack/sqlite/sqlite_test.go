package sqlite

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/storetest"
)

func TestOpenRefusesBadConfiguration(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		path string
		key  []byte
		want string
	}{
		{"missing key", filepath.Join(dir, "a.db"), nil, kaiban.ErrConfig},
		{"short key", filepath.Join(dir, "a.db"), []byte("too short"), kaiban.ErrConfig},
		{"empty path", "", testKey, kaiban.ErrConfig},
		{"in-memory path", ":memory:", testKey, kaiban.ErrConfig},
		{"path with a query", filepath.Join(dir, "a.db?mode=ro"), testKey, kaiban.ErrConfig},
		{"directory that does not exist", filepath.Join(dir, "no", "such", "dir", "a.db"), testKey, kaiban.ErrStoreUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Open(t.Context(), tt.path, tt.key)
			if err == nil {
				s.Close()
			}
			storetest.WantName(t, err, tt.want)
		})
	}
}

func TestDataSurvivesReopenAndMigrationsRunOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kaiban.db")
	s, err := Open(t.Context(), path, testKey)
	if err != nil {
		t.Fatal(err)
	}
	s.UseAuditKey(storetest.AuditKey)
	storetest.MustCreate(t, s, "app-1", storetest.T0)
	storetest.MustAppend(t, s, "app-1", 3)
	s.Close()

	s, err = Open(t.Context(), path, testKey)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	s.UseAuditKey(storetest.AuditKey)
	if _, err := s.GetApplication(t.Context(), "app-1"); err != nil {
		t.Errorf("application lost on reopen: %v", err)
	}
	if err := s.VerifyAudit(t.Context(), "app-1"); err != nil {
		t.Errorf("audit after reopen: %v", err)
	}
	ms, _ := loadMigrations()
	var n, max int
	if err := s.r.QueryRowContext(t.Context(), `SELECT COUNT(*), MAX(version) FROM schema_migrations`).Scan(&n, &max); err != nil {
		t.Fatal(err)
	}
	if n != len(ms) || max != ms[len(ms)-1].version {
		t.Errorf("schema_migrations has %d rows up to %d, want %d up to %d", n, max, len(ms), ms[len(ms)-1].version)
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kaiban.db")
	s, err := Open(t.Context(), path, testKey)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.ExecContext(t.Context(), `INSERT INTO schema_migrations VALUES (9999, '9999_future.sql', 0)`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = Open(t.Context(), path, testKey)
	storetest.WantName(t, err, kaiban.ErrConfig)
}

func TestWrongKeyIsAConfigurationError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kaiban.db")
	s, err := Open(t.Context(), path, testKey)
	if err != nil {
		t.Fatal(err)
	}
	storetest.MustCreate(t, s, "app-1", storetest.T0)
	s.Close()

	other := bytes.Repeat([]byte{7}, 32)
	s, err = Open(t.Context(), path, other)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = s.GetApplication(t.Context(), "app-1")
	storetest.WantName(t, err, kaiban.ErrConfig)
	// What does not need the form still works.
	if err := s.CheckAccessToken(t.Context(), "app-1", storetest.Token("app-1")); err != nil {
		t.Errorf("token check with another PII key: %v", err)
	}
}

func TestCorruptFileIsATypedError(t *testing.T) {
	t.Run("not a database", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "kaiban.db")
		if err := os.WriteFile(path, bytes.Repeat([]byte("this is not SQLite "), 512), 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := Open(t.Context(), path, testKey)
		if err == nil {
			s.Close()
		}
		storetest.WantName(t, err, kaiban.ErrStoreCorrupt)
	})

	t.Run("damaged pages", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "kaiban.db")
		s, err := Open(t.Context(), path, testKey)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"app-1", "app-2", "app-3"} {
			storetest.MustCreate(t, s, id, storetest.T0)
		}
		if _, err := s.w.ExecContext(t.Context(), `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			t.Fatal(err)
		}
		s.Close()
		// Overwrite everything after the header page with garbage.
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for i := 4096; i < len(raw); i++ {
			raw[i] = byte(i*7 + 3)
		}
		if err := os.WriteFile(path, raw, 0o600); err != nil {
			t.Fatal(err)
		}
		s, err = Open(t.Context(), path, testKey)
		if err != nil {
			storetest.WantName(t, err, kaiban.ErrStoreCorrupt)
			return
		}
		defer s.Close()
		_, err = s.GetApplication(t.Context(), "app-1")
		storetest.WantName(t, err, kaiban.ErrStoreCorrupt)
	})

	t.Run("form that no longer decodes", func(t *testing.T) {
		// The form is cached from creation on (it never changes), so the
		// damage shows when a store opened later reads it from the file.
		path := filepath.Join(t.TempDir(), "kaiban.db")
		s, err := Open(t.Context(), path, testKey)
		if err != nil {
			t.Fatal(err)
		}
		storetest.MustCreate(t, s, "app-1", storetest.T0)
		if _, err := s.w.ExecContext(t.Context(), `UPDATE applications SET form = '{"company":' WHERE id = 'app-1'`); err != nil {
			t.Fatal(err)
		}
		s.Close()
		s, err = Open(t.Context(), path, testKey)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		_, err = s.GetApplication(t.Context(), "app-1")
		storetest.WantName(t, err, kaiban.ErrStoreCorrupt)
	})
}

// A second store on a file already open is refused: the first keeps
// committed state in memory and must stay the file's only writer.
func TestSecondStoreOnOneFileIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kaiban.db")
	s, err := Open(t.Context(), path, testKey)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Open(t.Context(), path, testKey)
	storetest.WantName(t, err, kaiban.ErrStoreUnavailable)
	s.Close()
	s, err = Open(t.Context(), path, testKey)
	if err != nil {
		t.Fatalf("reopen after close: %v", err)
	}
	s.Close()
}
