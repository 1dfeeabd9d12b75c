package storetest

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

var _ kaiban.Drafts = (*MemStore)(nil)

// CreateDraft implements kaiban.Drafts.
func (m *MemStore) CreateDraft(ctx context.Context, d kaiban.Draft) error {
	if err := kaiban.CheckDraft(d); err != nil {
		return err
	}
	if err := m.lock(ctx); err != nil {
		return err
	}
	defer m.mu.Unlock()
	if m.drafts == nil {
		m.drafts = map[string]kaiban.Draft{}
	}
	if _, ok := m.drafts[d.ID]; ok {
		return kaiban.Errorf(kaiban.ErrIdempotencyConflict, "draft %s exists", d.ID)
	}
	d.Form = append(json.RawMessage(nil), d.Form...)
	d.CreatedAt, d.UpdatedAt, d.ExpiresAt = d.CreatedAt.UTC(), d.UpdatedAt.UTC(), d.ExpiresAt.UTC()
	m.drafts[d.ID] = d
	return nil
}

// draftFor returns the live draft id whose token matches, comparing in
// constant time; the caller holds the lock.
func (m *MemStore) draftFor(id string, tokenHash [32]byte, now time.Time) (kaiban.Draft, error) {
	d, ok := m.drafts[id]
	if subtle.ConstantTimeCompare(d.TokenHash[:], tokenHash[:]) != 1 || !ok || !now.Before(d.ExpiresAt) {
		return kaiban.Draft{}, kaiban.Errorf(kaiban.ErrNotFound, "draft not found")
	}
	return d, nil
}

// SaveDraft implements kaiban.Drafts.
func (m *MemStore) SaveDraft(ctx context.Context, id string, tokenHash [32]byte, form json.RawMessage, now time.Time) (kaiban.Draft, error) {
	if err := kaiban.CheckDraftForm(form); err != nil {
		return kaiban.Draft{}, err
	}
	if err := m.lock(ctx); err != nil {
		return kaiban.Draft{}, err
	}
	defer m.mu.Unlock()
	d, err := m.draftFor(id, tokenHash, now)
	if err != nil {
		return kaiban.Draft{}, err
	}
	d.Form = append(json.RawMessage(nil), form...)
	d.UpdatedAt, d.ExpiresAt = now.UTC(), now.UTC().Add(kaiban.DraftTTL)
	m.drafts[id] = d
	return d, nil
}

// GetDraft implements kaiban.Drafts.
func (m *MemStore) GetDraft(ctx context.Context, id string, tokenHash [32]byte, now time.Time) (kaiban.Draft, error) {
	if err := m.lock(ctx); err != nil {
		return kaiban.Draft{}, err
	}
	defer m.mu.Unlock()
	d, err := m.draftFor(id, tokenHash, now)
	d.Form = append(json.RawMessage(nil), d.Form...)
	return d, err
}
