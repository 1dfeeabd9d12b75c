package storetest

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// BenchCreateAnd10TrackUpdates measures one application's life in a
// store: an idempotent create followed by ten versioned track updates,
// each carrying the version the previous write returned. applications/s
// is 1e9 / ns/op. Every store's benchmark runs this one workload, so
// their figures compare.
func BenchCreateAnd10TrackUpdates(b *testing.B, s kaiban.Store) {
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		if err := createAnd10Updates(b, s, fmt.Sprintf("bench-%08d", i)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "applications/s")
}

// BenchCreateAnd10TrackUpdatesParallel is the same workload with the
// concurrency of a loaded service: many submissions at once, each
// driving its own tracks.
func BenchCreateAnd10TrackUpdatesParallel(b *testing.B, s kaiban.Store) {
	var seq atomic.Int64
	b.SetParallelism(8)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := createAnd10Updates(b, s, fmt.Sprintf("bench-%08d", seq.Add(1))); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "applications/s")
}

// createAnd10Updates is one application of the benchmarks' workload.
func createAnd10Updates(b *testing.B, s kaiban.Store, id string) error {
	ctx := b.Context()
	res, err := s.CreateApplication(ctx, Idempotent(Request(id, T0), "key-"+id, id))
	if err != nil {
		return err
	}
	tracks := res.Application.Tracks
	for u := range 10 {
		t := &tracks[u%len(tracks)]
		t.Status, t.Attempts = kaiban.TrackRunning, t.Attempts+1
		now := T0.Add(time.Duration(u) * time.Second)
		t.StartedAt = &now
		if *t, err = s.UpdateTrack(ctx, id, *t); err != nil {
			return err
		}
	}
	return nil
}
