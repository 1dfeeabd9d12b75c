package storetest

import (
	"context"
	"slices"

	"github.com/kaiban/kaiban/shared/kaiban"
)

var _ kaiban.Ratings = (*MemStore)(nil)

// CreateRatingWithAudit implements kaiban.Ratings.
func (m *MemStore) CreateRatingWithAudit(ctx context.Context, r kaiban.Rating, e kaiban.AuditEvent) (kaiban.Rating, error) {
	if err := kaiban.CheckRating(r); err != nil {
		return kaiban.Rating{}, err
	}
	if err := kaiban.CheckAuditEventOf(r.ApplicationID, e); err != nil {
		return kaiban.Rating{}, err
	}
	if err := m.lock(ctx); err != nil {
		return kaiban.Rating{}, err
	}
	defer m.mu.Unlock()
	if _, ok := m.ratings[r.ApplicationID]; ok {
		return kaiban.Rating{}, kaiban.Errorf(kaiban.ErrRatingExists, "the application is rated")
	}
	if _, err := m.appendLocked(e); err != nil {
		return kaiban.Rating{}, err
	}
	if m.ratings == nil {
		m.ratings = map[string]kaiban.Rating{}
	}
	r.RatedAt = r.RatedAt.UTC()
	r.Tags = append([]string{}, r.Tags...)
	m.ratings[r.ApplicationID] = r
	return copyRating(r), nil
}

// GetRating implements kaiban.Ratings.
func (m *MemStore) GetRating(ctx context.Context, applicationID string) (kaiban.Rating, error) {
	if err := kaiban.CheckKey("application id", applicationID); err != nil {
		return kaiban.Rating{}, err
	}
	if err := m.lock(ctx); err != nil {
		return kaiban.Rating{}, err
	}
	defer m.mu.Unlock()
	r, ok := m.ratings[applicationID]
	if !ok {
		return kaiban.Rating{}, kaiban.Errorf(kaiban.ErrNotFound, "no rating")
	}
	return copyRating(r), nil
}

func copyRating(r kaiban.Rating) kaiban.Rating {
	r.Tags = slices.Clone(r.Tags)
	if r.Tags == nil {
		r.Tags = []string{}
	}
	return r
}
