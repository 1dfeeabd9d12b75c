package storetest

import (
	"sync"
	"testing"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// RunStatsContract is the contract every kaiban.Stats keeps: counters add
// up (also from concurrent writers), days read back in order within the
// range asked, and bad days, names and ranges are ErrInput. open must
// return a new, empty store.
func RunStatsContract(t *testing.T, open func(t *testing.T) kaiban.Stats) {
	t.Run("AddAndRead", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		adds := []struct {
			day string
			c   kaiban.Counters
		}{
			{"2026-11-27", kaiban.Counters{"submitted": 1}},
			{"2026-11-27", kaiban.Counters{"submitted": 2, "completion.b8": 1}},
			{"2026-11-25", kaiban.Counters{"rating.5": 1}},
			{"2026-11-28", kaiban.Counters{"completed": 1}},
			{"2026-12-30", kaiban.Counters{"submitted": 9}}, // outside the range read
		}
		for _, a := range adds {
			if err := s.AddStats(t.Context(), a.day, a.c); err != nil {
				t.Fatal(err)
			}
		}
		days, err := s.StatsDays(t.Context(), "2026-11-01", "2026-11-30")
		if err != nil {
			t.Fatal(err)
		}
		if len(days) != 3 || days[0].Day != "2026-11-25" || days[1].Day != "2026-11-27" || days[2].Day != "2026-11-28" {
			t.Fatalf("days = %+v", days)
		}
		if c := days[1].Counters; c["submitted"] != 3 || c["completion.b8"] != 1 || len(c) != 2 {
			t.Errorf("2026-11-27 = %v, want submitted 3, completion.b8 1", c)
		}
		if days[0].Counters["rating.5"] != 1 || days[2].Counters["completed"] != 1 {
			t.Errorf("days = %+v", days)
		}
	})
	t.Run("ConcurrentAddsAllCount", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		const n = 20
		var wg sync.WaitGroup
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := s.AddStats(t.Context(), "2026-11-27", kaiban.Counters{"submitted": 1, "completed": 2}); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		days, err := s.StatsDays(t.Context(), "2026-11-27", "2026-11-27")
		if err != nil {
			t.Fatal(err)
		}
		if len(days) != 1 || days[0].Counters["submitted"] != n || days[0].Counters["completed"] != 2*n {
			t.Fatalf("after %d concurrent adds: %+v", n, days)
		}
	})
	t.Run("BadInput", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		WantName(t, s.AddStats(t.Context(), "27.11.2026", kaiban.Counters{"submitted": 1}), kaiban.ErrInput)
		WantName(t, s.AddStats(t.Context(), "2026-11-27", kaiban.Counters{"has space": 1}), kaiban.ErrInput)
		WantName(t, s.AddStats(t.Context(), "2026-11-27", kaiban.Counters{"": 1}), kaiban.ErrInput)
		for _, r := range [][2]string{{"2026-11-30", "2026-11-01"}, {"2026-01-01", "2026-12-31"}, {"x", "2026-11-01"}} {
			_, err := s.StatsDays(t.Context(), r[0], r[1])
			WantName(t, err, kaiban.ErrInput)
		}
	})
}
