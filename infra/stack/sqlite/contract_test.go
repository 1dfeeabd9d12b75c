package sqlite

import (
	"path/filepath"
	"testing"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/storetest"
)

// testKey is a fixed PII key for tests.
var testKey = []byte("0123456789abcdef0123456789abcdef")

// MustOpen opens a store on a new file in a temporary directory and closes
// it when the test ends.
func MustOpen(tb testing.TB) *Store {
	tb.Helper()
	s, err := Open(tb.Context(), filepath.Join(tb.TempDir(), "kaiban.db"), testKey)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s.UseAuditKey(storetest.AuditKey)
}

func TestContract(t *testing.T) {
	storetest.RunContract(t, func(t *testing.T) kaiban.Store { return MustOpen(t) }, storetest.WithTamper(tamper{}), storetest.WithFault(fault{}))
}

// fault makes the database refuse audit events: a trigger aborts the
// statement that inserts one, after the change it records was made in the
// same transaction.
type fault struct{}

func (fault) FailAudit(t *testing.T, ks kaiban.Store) {
	t.Helper()
	s := ks.(*Store)
	if _, err := s.w.ExecContext(t.Context(), `CREATE TRIGGER fail_audit BEFORE INSERT ON audit_events BEGIN SELECT RAISE(ABORT, 'injected fault'); END`); err != nil {
		t.Fatal(err)
	}
}

// tamper writes to the database file behind the store's back.
type tamper struct{}

func (tamper) RewriteAudit(t *testing.T, ks kaiban.Store, applicationID string, events []kaiban.AuditEvent) {
	t.Helper()
	s := ks.(*Store)
	if _, err := s.w.ExecContext(t.Context(), `DELETE FROM audit_events WHERE application_id = ?`, applicationID); err != nil {
		t.Fatal(err)
	}
	for _, e := range events {
		if _, err := s.w.ExecContext(t.Context(), `INSERT INTO audit_events (application_id, seq, time, actor, action, before, after, prev_hash, hash)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.ApplicationID, e.Seq, nanos(e.Time), e.Actor, e.Action,
			nullJSON(e.Before), nullJSON(e.After), e.PrevHash, e.Hash); err != nil {
			t.Fatal(err)
		}
	}
}

func (tamper) RewriteHead(t *testing.T, ks kaiban.Store, applicationID string, seq int64, hash string) {
	t.Helper()
	s := ks.(*Store)
	if _, err := s.w.ExecContext(t.Context(), `UPDATE applications SET audit_seq = ?, audit_hash = ? WHERE id = ?`, seq, hash, applicationID); err != nil {
		t.Fatal(err)
	}
}

func (tamper) StoredApplication(t *testing.T, ks kaiban.Store, id string) []byte {
	t.Helper()
	s := ks.(*Store)
	var form string
	var token []byte
	if err := s.r.QueryRowContext(t.Context(), `SELECT form, token_hash FROM applications WHERE id = ?`, id).Scan(&form, &token); err != nil {
		t.Fatal(err)
	}
	return append([]byte(form), token...)
}

func TestConfirmationsContract(t *testing.T) {
	storetest.RunConfirmationsContract(t, func(t *testing.T) storetest.ConfirmationStore { return MustOpen(t) })
}

func TestOutboxContract(t *testing.T) {
	storetest.RunOutboxContract(t, func(t *testing.T) kaiban.Outbox { return MustOpen(t) })
}

func TestDraftsContract(t *testing.T) {
	storetest.RunDraftsContract(t, func(t *testing.T) kaiban.Drafts { return MustOpen(t) })
}

func TestTaskActivityContract(t *testing.T) {
	storetest.RunTaskActivityContract(t, func(t *testing.T) storetest.ActivityStore { return MustOpen(t) })
}

func TestRatingsContract(t *testing.T) {
	storetest.RunRatingsContract(t, func(t *testing.T) storetest.RatingStore { return MustOpen(t) })
}

func TestStatsContract(t *testing.T) {
	storetest.RunStatsContract(t, func(t *testing.T) kaiban.Stats { return MustOpen(t) })
}

func TestCorrectionsContract(t *testing.T) {
	storetest.RunCorrectionsContract(t, func(t *testing.T) storetest.CorrectionStore { return MustOpen(t) })
}
