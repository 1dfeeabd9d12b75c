package sqlite

import (
	"context"
	"fmt"
	"testing"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/storetest"
)

// BenchmarkCreateAnd10TrackUpdates is the stores' common workload
// (storetest.BenchCreateAnd10TrackUpdates) on SQLite.
func BenchmarkCreateAnd10TrackUpdates(b *testing.B) {
	storetest.BenchCreateAnd10TrackUpdates(b, MustOpen(b))
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

// BenchmarkCreateAnd10TrackUpdatesParallel is the same workload with
// the concurrency of a loaded service; concurrent writes share commits
// (see Store.write).
func BenchmarkCreateAnd10TrackUpdatesParallel(b *testing.B) {
	storetest.BenchCreateAnd10TrackUpdatesParallel(b, MustOpen(b))
}
