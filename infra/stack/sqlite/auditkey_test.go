package sqlite

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/storetest"
)

// A database written before the audit head was signed (schema version 1)
// still opens; its trail is reported as not verifying and takes no more
// events, rather than being silently re-signed.
func TestUnsignedHeadOfAnOlderDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kaiban.db")
	s, err := Open(t.Context(), path, testKey)
	if err != nil {
		t.Fatal(err)
	}
	s.UseAuditKey(storetest.AuditKey)
	storetest.MustCreate(t, s, "app-1", storetest.T0)
	storetest.MustAppend(t, s, "app-1", 2)
	// Make it what version 1 left: no signature column, none of the
	// later migrations recorded.
	for _, q := range []string{
		`ALTER TABLE applications DROP COLUMN audit_mac`,
		`DROP INDEX clerk_tasks_undelivered`, `ALTER TABLE clerk_tasks DROP COLUMN delivered_at`,
		`DROP TABLE outbox`, `ALTER TABLE applications DROP COLUMN lang`, `DROP TABLE drafts`,
		`DROP TABLE name_keys`, `DROP TABLE name_records`, `DROP TABLE ratings`, `DROP TABLE stats_days`,
		`DROP TABLE corrections`, `DROP TABLE documents`,
		`DELETE FROM schema_migrations WHERE version >= 2`,
	} {
		if _, err := s.w.ExecContext(t.Context(), q); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()

	s, err = Open(t.Context(), path, testKey)
	if err != nil {
		t.Fatalf("a version-1 database does not open: %v", err)
	}
	defer s.Close()
	s.UseAuditKey(storetest.AuditKey)
	if _, err := s.GetApplication(t.Context(), "app-1"); err != nil {
		t.Fatal(err)
	}
	var br *kaiban.AuditBreak
	if err := s.VerifyAudit(t.Context(), "app-1"); !errors.As(err, &br) || br.Reason != kaiban.AuditTruncated {
		t.Errorf("verify an unsigned head: %v, want truncated", err)
	}
	_, err = s.AppendAudit(t.Context(), storetest.Event("app-1", 3))
	storetest.WantName(t, err, kaiban.ErrStoreCorrupt)
}

// Without an audit key the store neither chains nor verifies.
func TestNoAuditKeyIsConfigError(t *testing.T) {
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "kaiban.db"), testKey)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = s.AppendAudit(t.Context(), storetest.Event("app-1", 1))
	storetest.WantName(t, err, kaiban.ErrConfig)
	storetest.WantName(t, s.VerifyAudit(t.Context(), "app-1"), kaiban.ErrConfig)
	// A change written together with its event is not written either.
	_, err = s.CreateApplicationWithAudit(t.Context(), storetest.Request("app-2", storetest.T0), storetest.Event("app-2", 1))
	storetest.WantName(t, err, kaiban.ErrConfig)
	_, err = s.GetApplication(t.Context(), "app-2")
	storetest.WantName(t, err, kaiban.ErrNotFound)
}
