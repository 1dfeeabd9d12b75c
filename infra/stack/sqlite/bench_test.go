package sqlite

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/storetest"
)

// BenchmarkCreateAnd10TrackUpdates measures one application's life in the
// store: an idempotent create followed by ten versioned track updates, each
// carrying the version the previous write returned. applications/s is
// 1e9 / ns/op.
func BenchmarkCreateAnd10TrackUpdates(b *testing.B) {
	s := MustOpen(b)
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		id := fmt.Sprintf("bench-%08d", i)
		req := storetest.Idempotent(storetest.Request(id, storetest.T0), "key-"+id, id)
		res, err := s.CreateApplication(ctx, req)
		if err != nil {
			b.Fatal(err)
		}
		tracks := res.Application.Tracks
		for u := range 10 {
			t := &tracks[u%len(tracks)]
			t.Status, t.Attempts = kaiban.TrackRunning, t.Attempts+1
			now := storetest.T0.Add(time.Duration(u) * time.Second)
			t.StartedAt = &now
			if *t, err = s.UpdateTrack(ctx, id, *t); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "applications/s")
}

// BenchmarkCreateAnd10MutateTrack is the same workload through
// kaiban.MutateTrack, which reads the whole application (and opens its
// sealed form) before every write, as the track handlers do.
func BenchmarkCreateAnd10MutateTrack(b *testing.B) {
	s := MustOpen(b)
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		id := fmt.Sprintf("bench-%08d", i)
		if _, err := s.CreateApplication(ctx, storetest.Request(id, storetest.T0)); err != nil {
			b.Fatal(err)
		}
		for u := range 10 {
			name := kaiban.Tracks[u%len(kaiban.Tracks)]
			if _, err := kaiban.MutateTrack(ctx, s, id, name, func(t *kaiban.Track) error {
				t.Attempts++
				return nil
			}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "applications/s")
}

// BenchmarkCreateAnd10TrackUpdatesParallel is the same workload with the
// concurrency of a loaded service: many submissions at once, each driving
// its own tracks. Concurrent writes share commits (see Store.write).
func BenchmarkCreateAnd10TrackUpdatesParallel(b *testing.B) {
	s := MustOpen(b)
	ctx := context.Background()
	var seq atomic.Int64
	b.SetParallelism(8)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			id := fmt.Sprintf("bench-%08d", seq.Add(1))
			req := storetest.Idempotent(storetest.Request(id, storetest.T0), "key-"+id, id)
			res, err := s.CreateApplication(ctx, req)
			if err != nil {
				b.Error(err)
				return
			}
			tracks := res.Application.Tracks
			for u := range 10 {
				t := &tracks[u%len(tracks)]
				t.Status, t.Attempts = kaiban.TrackRunning, t.Attempts+1
				if *t, err = s.UpdateTrack(ctx, id, *t); err != nil {
					b.Error(err)
					return
				}
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "applications/s")
}
