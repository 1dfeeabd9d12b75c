package dynamodb

import (
	"fmt"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/storetest"
)

// BenchmarkCreateAnd10TrackUpdates is the SQLite benchmark's workload
// against the local DynamoDB-API server: an idempotent create and ten
// versioned track updates. It measures the store plus the local server
// (moto is Python, and its client sends one request at a time), not
// DynamoDB itself. applications/s is 1e9 / ns/op.
func BenchmarkCreateAnd10TrackUpdates(b *testing.B) {
	s := MustOpen(b)
	ctx := b.Context()
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
