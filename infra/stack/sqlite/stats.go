package sqlite

import (
	"context"
	"database/sql"

	"github.com/kaiban/kaiban/shared/kaiban"
)

var _ kaiban.Stats = (*Store)(nil)

// AddStats implements kaiban.Stats: one upsert per counter, all in one
// transaction of the writer.
func (s *Store) AddStats(ctx context.Context, day string, c kaiban.Counters) error {
	if err := kaiban.CheckStats(day, c); err != nil {
		return err
	}
	if len(c) == 0 {
		return nil
	}
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		for k, v := range c {
			if _, err := tx.ExecContext(ctx, `INSERT INTO stats_days (day, counter, n) VALUES (?, ?, ?)
				ON CONFLICT (day, counter) DO UPDATE SET n = n + excluded.n`, day, k, v); err != nil {
				return err
			}
		}
		return nil
	})
	return storeErr(err, "cannot add to the stats")
}

// StatsDays implements kaiban.Stats: a range read of the primary key.
func (s *Store) StatsDays(ctx context.Context, from, to string) ([]kaiban.DayCounters, error) {
	if err := kaiban.CheckStatsRange(from, to); err != nil {
		return nil, err
	}
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT day, counter, n FROM stats_days WHERE day BETWEEN ? AND ? ORDER BY day`, from, to)
	if err != nil {
		return nil, storeErr(err, "cannot read the stats")
	}
	defer rows.Close()
	var out []kaiban.DayCounters
	for rows.Next() {
		var day, k string
		var n int64
		if err := rows.Scan(&day, &k, &n); err != nil {
			return nil, storeErr(err, "cannot read the stats")
		}
		if len(out) == 0 || out[len(out)-1].Day != day {
			out = append(out, kaiban.DayCounters{Day: day, Counters: kaiban.Counters{}})
		}
		out[len(out)-1].Counters[k] = n
	}
	return out, storeErr(rows.Err(), "cannot read the stats")
}
