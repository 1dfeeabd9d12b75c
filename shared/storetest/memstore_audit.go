package storetest

import (
	"context"
	"slices"
	"testing"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// AppendAudit implements kaiban.Store.
func (m *MemStore) AppendAudit(ctx context.Context, e kaiban.AuditEvent) (kaiban.AuditEvent, error) {
	if err := kaiban.CheckAuditEvent(e); err != nil {
		return kaiban.AuditEvent{}, err
	}
	if err := m.lock(ctx); err != nil {
		return kaiban.AuditEvent{}, err
	}
	defer m.mu.Unlock()
	return m.appendLocked(e)
}

// ListAudit implements kaiban.Store.
func (m *MemStore) ListAudit(ctx context.Context, applicationID string) ([]kaiban.AuditEvent, error) {
	if err := kaiban.CheckKey("application id", applicationID); err != nil {
		return nil, err
	}
	if err := m.lock(ctx); err != nil {
		return nil, err
	}
	defer m.mu.Unlock()
	if _, ok := m.apps[applicationID]; !ok {
		return nil, kaiban.Errorf(kaiban.ErrNotFound, "application not found")
	}
	out := make([]kaiban.AuditEvent, 0, len(m.audit[applicationID]))
	for _, e := range m.audit[applicationID] {
		out = append(out, copyEvent(e))
	}
	return out, nil
}

// VerifyAudit implements kaiban.Store.
func (m *MemStore) VerifyAudit(ctx context.Context, applicationID string) error {
	if err := kaiban.CheckKey("application id", applicationID); err != nil {
		return err
	}
	if err := m.lock(ctx); err != nil {
		return err
	}
	defer m.mu.Unlock()
	ma, ok := m.apps[applicationID]
	if !ok {
		return kaiban.Errorf(kaiban.ErrNotFound, "application not found")
	}
	if err := kaiban.RequireAuditKey(m.auditKey); err != nil {
		return err
	}
	return kaiban.VerifyAudit(m.auditKey, m.audit[applicationID], ma.head)
}

// AuditKey is the fixed audit key of the test stores: NewMemStore uses it,
// and the SQLite and DynamoDB tests give it to theirs.
var AuditKey = mustAuditKey([]byte("kaiban-test-audit-key-0123456789"))

func mustAuditKey(b []byte) kaiban.AuditKey {
	k, err := kaiban.NewAuditKey(b)
	if err != nil {
		panic(err)
	}
	return k
}

// UseAuditKey replaces the store's audit key (nil: none, so appending and
// verifying are ErrConfig, as on the real stores).
func (m *MemStore) UseAuditKey(k kaiban.AuditKey) *MemStore {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.auditKey = k
	return m
}

func copyEvent(e kaiban.AuditEvent) kaiban.AuditEvent {
	e.Time = e.Time.UTC()
	e.Before, e.After = slices.Clone(e.Before), slices.Clone(e.After)
	return e
}

// memTamper is the MemStore's Tamper hook.
type memTamper struct{}

// MemTamper returns the Tamper hook for stores made by NewMemStore.
func MemTamper() Tamper { return memTamper{} }

func (memTamper) RewriteAudit(t *testing.T, s kaiban.Store, applicationID string, events []kaiban.AuditEvent) {
	t.Helper()
	m := s.(*MemStore)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.audit[applicationID] = slices.Clone(events)
}

func (memTamper) RewriteHead(t *testing.T, s kaiban.Store, applicationID string, seq int64, hash string) {
	t.Helper()
	m := s.(*MemStore)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.apps[applicationID].head.Seq, m.apps[applicationID].head.Hash = seq, hash
}

func (memTamper) StoredApplication(t *testing.T, s kaiban.Store, id string) []byte { return nil }
