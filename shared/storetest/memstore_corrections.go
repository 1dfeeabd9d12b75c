package storetest

import (
	"context"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

var _ kaiban.Corrections = (*MemStore)(nil)

// OpenCorrection implements kaiban.Corrections.
func (m *MemStore) OpenCorrection(ctx context.Context, c kaiban.Correction, e kaiban.AuditEvent) (kaiban.Correction, error) {
	if err := kaiban.CheckCorrection(c); err != nil {
		return kaiban.Correction{}, err
	}
	if err := kaiban.CheckAuditEventOf(c.ApplicationID, e); err != nil {
		return kaiban.Correction{}, err
	}
	if err := m.lock(ctx); err != nil {
		return kaiban.Correction{}, err
	}
	defer m.mu.Unlock()
	if _, ok := m.apps[c.ApplicationID]; !ok {
		return kaiban.Correction{}, kaiban.Errorf(kaiban.ErrNotFound, "application not found")
	}
	if cur, ok := m.corrections[c.ApplicationID]; ok && cur.Status == kaiban.CorrectionOpen {
		return cur.Clone(), nil
	}
	if _, err := m.appendLocked(e); err != nil {
		return kaiban.Correction{}, err
	}
	if m.corrections == nil {
		m.corrections = map[string]kaiban.Correction{}
	}
	c = c.Clone()
	c.Status, c.CorrectedAt = kaiban.CorrectionOpen, nil
	c.AskedAt, c.DueAt = c.AskedAt.UTC(), c.DueAt.UTC()
	m.corrections[c.ApplicationID] = c
	return c.Clone(), nil
}

// GetCorrection implements kaiban.Corrections.
func (m *MemStore) GetCorrection(ctx context.Context, applicationID string) (kaiban.Correction, error) {
	if err := kaiban.CheckKey("application id", applicationID); err != nil {
		return kaiban.Correction{}, err
	}
	if err := m.lock(ctx); err != nil {
		return kaiban.Correction{}, err
	}
	defer m.mu.Unlock()
	c, ok := m.corrections[applicationID]
	if !ok {
		return kaiban.Correction{}, kaiban.Errorf(kaiban.ErrNotFound, "no correction")
	}
	return c.Clone(), nil
}

// ApplyCorrection implements kaiban.Corrections.
func (m *MemStore) ApplyCorrection(ctx context.Context, applicationID string, form kaiban.Form, now time.Time, e kaiban.AuditEvent) (kaiban.Correction, error) {
	if err := kaiban.CheckAuditEventOf(applicationID, e); err != nil {
		return kaiban.Correction{}, err
	}
	b, err := kaiban.EncodeCorrectedForm(form)
	if err != nil {
		return kaiban.Correction{}, err
	}
	if err := m.lock(ctx); err != nil {
		return kaiban.Correction{}, err
	}
	defer m.mu.Unlock()
	ma, ok := m.apps[applicationID]
	if !ok {
		return kaiban.Correction{}, kaiban.Errorf(kaiban.ErrNotFound, "application not found")
	}
	c, ok := m.corrections[applicationID]
	if !ok || c.Status != kaiban.CorrectionOpen {
		return kaiban.Correction{}, kaiban.Errorf(kaiban.ErrNotAwaitingCorrection, "no correction is awaited")
	}
	if _, err := m.appendLocked(e); err != nil {
		return kaiban.Correction{}, err
	}
	ma.form = b
	ma.app.Deadline = ma.app.Deadline.Add(kaiban.CorrectionPause(c, now))
	at := now.UTC()
	c.Status, c.CorrectedAt = kaiban.CorrectionCorrected, &at
	m.corrections[applicationID] = c
	return c.Clone(), nil
}
