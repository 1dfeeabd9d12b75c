package storetest

import (
	"context"
	"slices"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

var _ kaiban.TaskActivity = (*MemStore)(nil)

// ResolvedTasksBetween implements kaiban.TaskActivity.
func (m *MemStore) ResolvedTasksBetween(ctx context.Context, from, to time.Time, limit int) ([]kaiban.ClerkTask, error) {
	if err := kaiban.CheckActivityPeriod(from, to); err != nil {
		return nil, err
	}
	if err := m.lock(ctx); err != nil {
		return nil, err
	}
	defer m.mu.Unlock()
	out := []kaiban.ClerkTask{}
	for _, t := range m.tasks {
		if t.Status == kaiban.TaskResolved && t.ResolvedAt != nil && !t.ResolvedAt.Before(from) && t.ResolvedAt.Before(to) {
			out = append(out, copyTask(t))
		}
	}
	slices.SortFunc(out, kaiban.NewestResolvedFirst)
	if n := kaiban.ClampActivityLimit(limit); len(out) > n {
		out = out[:n]
	}
	return out, nil
}
