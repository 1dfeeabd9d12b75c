package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// The audited writes below apply the change, then append the event; when
// the append fails the change is undone before the lock is released, so
// no reader ever sees one without the other, as in a transaction.

// appendLocked chains e after its application's head and stores it; the
// caller holds mu.
func (m *MemStore) appendLocked(e kaiban.AuditEvent) (kaiban.AuditEvent, error) {
	if m.failAudit {
		return kaiban.AuditEvent{}, kaiban.Errorf(kaiban.ErrStoreUnavailable, "the audit event cannot be stored (injected fault)")
	}
	ma, ok := m.apps[e.ApplicationID]
	if !ok {
		return kaiban.AuditEvent{}, kaiban.Errorf(kaiban.ErrNotFound, "application not found")
	}
	e = copyEvent(e)
	head, err := kaiban.ChainAfter(m.auditKey, ma.head, &e)
	if err != nil {
		return kaiban.AuditEvent{}, err
	}
	m.audit[e.ApplicationID] = append(m.audit[e.ApplicationID], e)
	ma.head = head
	return copyEvent(e), nil
}

// CreateApplicationWithAudit implements kaiban.AuditedWriter.
func (m *MemStore) CreateApplicationWithAudit(ctx context.Context, req kaiban.CreateRequest, e kaiban.AuditEvent) (kaiban.CreateResult, error) {
	if err := kaiban.CheckAuditEventOf(req.Application.ID, e); err != nil {
		return kaiban.CreateResult{}, err
	}
	form, err := kaiban.CheckCreateRequest(req)
	if err != nil {
		return kaiban.CreateResult{}, err
	}
	if err := m.lock(ctx); err != nil {
		return kaiban.CreateResult{}, err
	}
	defer m.mu.Unlock()
	res, err := m.create(req, form)
	if err != nil || !res.Created {
		return res, err
	}
	if _, err := m.appendLocked(e); err != nil {
		delete(m.apps, req.Application.ID)
		if req.IdempotencyKey != "" {
			delete(m.idem, req.IdempotencyKey)
		}
		return kaiban.CreateResult{}, err
	}
	return res, nil
}

// UpdateApplicationWithAudit implements kaiban.AuditedWriter.
func (m *MemStore) UpdateApplicationWithAudit(ctx context.Context, id string, u kaiban.ApplicationUpdate, e kaiban.AuditEvent) (*kaiban.Application, error) {
	if err := kaiban.CheckAuditEventOf(id, e); err != nil {
		return nil, err
	}
	if err := kaiban.CheckApplicationUpdate(id, u); err != nil {
		return nil, err
	}
	if err := m.lock(ctx); err != nil {
		return nil, err
	}
	defer m.mu.Unlock()
	ma, ok := m.apps[id]
	if !ok {
		return nil, kaiban.Errorf(kaiban.ErrNotFound, "application not found")
	}
	saved := ma.app // update replaces fields, never what they point to
	a, err := m.update(id, u)
	if err != nil {
		return nil, err
	}
	if _, err := m.appendLocked(e); err != nil {
		ma.app = saved
		return nil, err
	}
	return a, nil
}

// UpdateTrackWithAudit implements kaiban.AuditedWriter.
func (m *MemStore) UpdateTrackWithAudit(ctx context.Context, applicationID string, t kaiban.Track, e kaiban.AuditEvent) (kaiban.Track, error) {
	if err := kaiban.CheckAuditEventOf(applicationID, e); err != nil {
		return kaiban.Track{}, err
	}
	if err := kaiban.CheckTrack(applicationID, t); err != nil {
		return kaiban.Track{}, err
	}
	if err := m.lock(ctx); err != nil {
		return kaiban.Track{}, err
	}
	defer m.mu.Unlock()
	ma, ok := m.apps[applicationID]
	if !ok {
		return kaiban.Track{}, kaiban.Errorf(kaiban.ErrNotFound, "application not found")
	}
	saved := copyTrack(*ma.app.Track(t.Name))
	out, err := m.updateTrack(applicationID, t)
	if err != nil {
		return kaiban.Track{}, err
	}
	if _, err := m.appendLocked(e); err != nil {
		*ma.app.Track(t.Name) = saved
		return kaiban.Track{}, err
	}
	return out, nil
}

// CreateClerkTaskWithAudit implements kaiban.TaskAuditedWriter.
func (m *MemStore) CreateClerkTaskWithAudit(ctx context.Context, t kaiban.ClerkTask, e kaiban.AuditEvent) (kaiban.CreatedTask, error) {
	if err := kaiban.CheckAuditEventOf(t.ApplicationID, e); err != nil {
		return kaiban.CreatedTask{}, err
	}
	if err := kaiban.CheckClerkTask(t); err != nil {
		return kaiban.CreatedTask{}, err
	}
	if err := m.lock(ctx); err != nil {
		return kaiban.CreatedTask{}, err
	}
	defer m.mu.Unlock()
	c, err := m.createTask(t)
	if err != nil || !c.Created {
		return c, err
	}
	if _, err := m.appendLocked(e); err != nil {
		delete(m.tasks, t.ID)
		return kaiban.CreatedTask{}, err
	}
	return c, nil
}

// ClaimClerkTaskWithAudit implements kaiban.TaskAuditedWriter.
func (m *MemStore) ClaimClerkTaskWithAudit(ctx context.Context, id, clerk string, now time.Time, e kaiban.AuditEvent) (kaiban.ClaimedTask, error) {
	if err := kaiban.CheckAuditEvent(e); err != nil {
		return kaiban.ClaimedTask{}, err
	}
	if err := kaiban.CheckClaim(id, clerk, now); err != nil {
		return kaiban.ClaimedTask{}, err
	}
	if err := m.lock(ctx); err != nil {
		return kaiban.ClaimedTask{}, err
	}
	defer m.mu.Unlock()
	saved, ok := m.tasks[id]
	if ok && saved.ApplicationID != e.ApplicationID {
		return kaiban.ClaimedTask{}, kaiban.Errorf(kaiban.ErrInput, "the audit event is for another application")
	}
	c, err := m.claim(id, clerk, now)
	if err != nil || !c.Fresh {
		return c, err
	}
	if _, err := m.appendLocked(e); err != nil {
		m.tasks[id] = saved
		return kaiban.ClaimedTask{}, err
	}
	return c, nil
}

// ReleaseClerkTaskWithAudit implements kaiban.TaskAuditedWriter.
func (m *MemStore) ReleaseClerkTaskWithAudit(ctx context.Context, id, clerk string, now time.Time, e kaiban.AuditEvent) (kaiban.ClerkTask, error) {
	if err := kaiban.CheckAuditEvent(e); err != nil {
		return kaiban.ClerkTask{}, err
	}
	if err := kaiban.CheckClaim(id, clerk, now); err != nil {
		return kaiban.ClerkTask{}, err
	}
	if err := m.lock(ctx); err != nil {
		return kaiban.ClerkTask{}, err
	}
	defer m.mu.Unlock()
	saved, ok := m.tasks[id]
	if ok && saved.ApplicationID != e.ApplicationID {
		return kaiban.ClerkTask{}, kaiban.Errorf(kaiban.ErrInput, "the audit event is for another application")
	}
	t, err := m.release(id, clerk)
	if err != nil {
		return kaiban.ClerkTask{}, err
	}
	if _, err := m.appendLocked(e); err != nil {
		m.tasks[id] = saved
		return kaiban.ClerkTask{}, err
	}
	return t, nil
}

// memFault is the MemStore's Fault hook.
type memFault struct{}

// MemFault returns the Fault hook for stores made by NewMemStore.
func MemFault() Fault { return memFault{} }

func (memFault) FailAudit(t *testing.T, s kaiban.Store) {
	t.Helper()
	m := s.(*MemStore)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.failAudit = true
}
