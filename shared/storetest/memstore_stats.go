package storetest

import (
	"context"
	"maps"
	"sort"

	"github.com/kaiban/kaiban/shared/kaiban"
)

var _ kaiban.Stats = (*MemStore)(nil)

// AddStats implements kaiban.Stats.
func (m *MemStore) AddStats(ctx context.Context, day string, c kaiban.Counters) error {
	if err := kaiban.CheckStats(day, c); err != nil {
		return err
	}
	if err := m.lock(ctx); err != nil {
		return err
	}
	defer m.mu.Unlock()
	if m.stats == nil {
		m.stats = map[string]kaiban.Counters{}
	}
	if m.stats[day] == nil {
		m.stats[day] = kaiban.Counters{}
	}
	for k, v := range c {
		m.stats[day][k] += v
	}
	return nil
}

// StatsDays implements kaiban.Stats.
func (m *MemStore) StatsDays(ctx context.Context, from, to string) ([]kaiban.DayCounters, error) {
	if err := kaiban.CheckStatsRange(from, to); err != nil {
		return nil, err
	}
	if err := m.lock(ctx); err != nil {
		return nil, err
	}
	defer m.mu.Unlock()
	var out []kaiban.DayCounters
	for day, c := range m.stats {
		if day >= from && day <= to {
			out = append(out, kaiban.DayCounters{Day: day, Counters: maps.Clone(c)})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Day < out[j].Day })
	return out, nil
}
