package agency_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/kaiban/kaiban/infra/sim"
	"github.com/kaiban/kaiban/shared/agency"
	"github.com/kaiban/kaiban/shared/kaiban"
)

// BenchmarkSealCall measures one agency call over loopback HTTP against the
// instant simulator: the per-call cost the orchestration pays on top of
// agency latency. "new" creates a record per call; "replay" repeats one key.
func BenchmarkSealCall(b *testing.B) {
	s, err := sim.Start(b.Context(), sim.Instant())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	c, err := agency.NewClients(agency.Config{Default: s.Endpoints(), Timeout: 5 * time.Second}, nil)
	if err != nil {
		b.Fatal(err)
	}
	f := testForm()
	b.Run("new", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			req := kaiban.NewSealRequest("bench-"+strconv.Itoa(i), &f, fixtureCreditCode, "IDV1")
			if _, err := c.Seal.CarveSeals(b.Context(), req); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("replay", func(b *testing.B) {
		req := kaiban.NewSealRequest("bench-replay", &f, fixtureCreditCode, "IDV1")
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Seal.CarveSeals(b.Context(), req); err != nil {
				b.Fatal(err)
			}
		}
	})
}
