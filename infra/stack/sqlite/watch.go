package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// ListAtRisk implements kaiban.Store, reading the partial index of open
// applications by deadline; the applications are read in the same read
// transaction, so they come from one snapshot.
func (s *Store) ListAtRisk(ctx context.Context, before time.Time, limit int) ([]kaiban.Application, error) {
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	tx, err := s.r.BeginTx(ctx, nil)
	if err != nil {
		return nil, storeErr(err, "cannot start a read")
	}
	defer tx.Rollback()
	return s.appsFound(ctx, tx, "cannot list applications at risk", `SELECT id FROM applications
		WHERE status NOT IN ('COMPLETED', 'REJECTED') AND deadline < ? ORDER BY deadline, id LIMIT ?`,
		nanos(before), kaiban.ClampLimit(limit))
}

// appsFound runs query, which selects application IDs, and reads each
// application in the same read transaction, so the list is one snapshot.
func (s *Store) appsFound(ctx context.Context, tx *sql.Tx, failure, query string, args ...any) ([]kaiban.Application, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, storeErr(err, failure)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, storeErr(err, failure)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, storeErr(err, failure)
	}
	out := make([]kaiban.Application, 0, len(ids))
	for _, id := range ids {
		a, err := s.getApp(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, *a)
	}
	return out, nil
}

// Counts implements kaiban.Store with three GROUP BY queries in one read
// transaction.
func (s *Store) Counts(ctx context.Context) (kaiban.Counts, error) {
	c := kaiban.Counts{Applications: map[kaiban.AppStatus]int{}, Tracks: map[kaiban.TrackStatus]int{}}
	if err := s.check(ctx); err != nil {
		return c, err
	}
	tx, err := s.r.BeginTx(ctx, nil)
	if err != nil {
		return c, storeErr(err, "cannot start a read")
	}
	defer tx.Rollback()
	tasks := map[kaiban.TaskStatus]int{}
	for _, q := range []struct {
		sql string
		add func(status string, n int)
	}{
		{`SELECT status, COUNT(*) FROM applications GROUP BY status`, func(st string, n int) { c.Applications[kaiban.AppStatus(st)] = n }},
		{`SELECT status, COUNT(*) FROM tracks GROUP BY status`, func(st string, n int) { c.Tracks[kaiban.TrackStatus(st)] = n }},
		{`SELECT status, COUNT(*) FROM clerk_tasks WHERE status <> 'RESOLVED' GROUP BY status`, func(st string, n int) { tasks[kaiban.TaskStatus(st)] = n }},
	} {
		rows, err := tx.QueryContext(ctx, q.sql)
		if err != nil {
			return c, storeErr(err, "cannot count")
		}
		for rows.Next() {
			var (
				st string
				n  int
			)
			if err := rows.Scan(&st, &n); err != nil {
				rows.Close()
				return c, storeErr(err, "cannot count")
			}
			q.add(st, n)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return c, storeErr(err, "cannot count")
		}
	}
	c.OpenTasks, c.ClaimedTasks = tasks[kaiban.TaskOpen], tasks[kaiban.TaskClaimed]
	return c, nil
}
