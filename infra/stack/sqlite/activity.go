package sqlite

import (
	"context"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

var _ kaiban.TaskActivity = (*Store)(nil)

// ResolvedTasksBetween implements kaiban.TaskActivity over the partial
// index of resolved tasks by resolution time.
func (s *Store) ResolvedTasksBetween(ctx context.Context, from, to time.Time, limit int) ([]kaiban.ClerkTask, error) {
	if err := kaiban.CheckActivityPeriod(from, to); err != nil {
		return nil, err
	}
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	// INDEXED BY: with the status test alone the planner prefers the
	// queue index and reads every resolved task.
	return queryTasks(ctx, s.r, `SELECT `+taskColumns+` FROM clerk_tasks INDEXED BY clerk_tasks_resolved_at
		WHERE status = 'RESOLVED' AND resolved_at >= ? AND resolved_at < ? ORDER BY resolved_at DESC, id DESC LIMIT ?`,
		nanos(from), nanos(to), kaiban.ClampActivityLimit(limit))
}
