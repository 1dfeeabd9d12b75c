package sqlite

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// BenchmarkStats30Days measures what GET /v1/stats?days=30 costs the
// store and the maths: one range read of 30 daily aggregates out of 90
// (each a busy day: 400 applications with their histograms, agencies,
// reasons and ratings, about 190 counters), merged and summarised and
// encoded as JSON. It reports p50 and p99 of the calls.
func BenchmarkStats30Days(b *testing.B) {
	s := MustOpen(b)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	start := time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC)
	for d := range 90 {
		day := start.AddDate(0, 0, d)
		for range 400 {
			app := &kaiban.Application{Status: kaiban.AppCompleted, Tracks: kaiban.NewTracks()}
			if rng.IntN(20) == 0 {
				app.Status = kaiban.AppRejected
			}
			done := day.Add(time.Duration(rng.ExpFloat64()*90) * time.Minute)
			app.CompletedAt, app.UpdatedAt = &done, done
			for i := range app.Tracks {
				st, fin := day, day.Add(time.Duration(rng.ExpFloat64()*30)*time.Minute)
				app.Tracks[i].StartedAt, app.Tracks[i].FinishedAt = &st, &fin
				app.Tracks[i].Status = kaiban.TrackSucceeded
			}
			c := kaiban.EndedCounters(app, day, rng.IntN(10) == 0, []string{"NAME_REFUSED", "ADDRESS", "SCOPE", "SEAL", "BANK", "ID", "TAX"}[rng.IntN(7)])
			c[kaiban.StatSubmitted] = 1
			for k, v := range kaiban.RatingCounters(1 + rng.IntN(5)) {
				c[k] = v
			}
			if err := s.AddStats(ctx, kaiban.StatsDay(day), c); err != nil {
				b.Fatal(err)
			}
		}
	}
	days, err := s.StatsDays(ctx, "2026-09-01", "2026-09-01")
	if err != nil || len(days) != 1 {
		b.Fatal(days, err)
	}
	b.ReportMetric(float64(len(days[0].Counters)), "counters/day")
	var lat []time.Duration
	b.ResetTimer()
	for b.Loop() {
		t0 := time.Now()
		rows, err := s.StatsDays(ctx, "2026-10-01", "2026-10-30")
		if err != nil || len(rows) != 30 {
			b.Fatal(len(rows), err)
		}
		if _, err := json.Marshal(kaiban.Summarize(rows, "2026-10-01", "2026-10-30", 30)); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}
