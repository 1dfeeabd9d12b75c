package sqlite

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/storetest"
)

// What the store answers from memory is exactly what the file holds: after
// concurrent, conflicting track and application updates (some failing),
// every application read from the cache equals the same application read
// by a fresh store from the file.
func TestCachedReadsMatchTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kaiban.db")
	s, err := Open(t.Context(), path, testKey)
	if err != nil {
		t.Fatal(err)
	}
	const apps = 8
	ids := make([]string, apps)
	for i := range ids {
		ids[i] = fmt.Sprintf("app-%d", i)
		storetest.MustCreate(t, s, ids[i], storetest.T0)
	}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(w), 1))
			for n := range 150 {
				id := ids[r.IntN(apps)]
				switch r.IntN(4) {
				case 0: // a stale version: must conflict and change nothing
					_, err := s.UpdateTrack(t.Context(), id, kaiban.Track{Name: kaiban.TrackTax, Status: kaiban.TrackFailed, Version: 1 << 40})
					if !kaiban.IsName(err, kaiban.ErrVersionConflict) {
						t.Errorf("stale update: %v", err)
					}
				case 1:
					msg := fmt.Sprintf("note %d/%d", w, n)
					done := storetest.T0.Add(time.Duration(n) * time.Second)
					if _, err := s.UpdateApplication(t.Context(), id, kaiban.ApplicationUpdate{Status: kaiban.AppInProgress, Message: &msg, CompletedAt: &done, UpdatedAt: done}); err != nil {
						t.Error(err)
					}
				default:
					name := kaiban.Tracks[r.IntN(len(kaiban.Tracks))]
					at := storetest.T0.Add(time.Duration(n) * time.Millisecond).In(time.FixedZone("CST", 8*3600))
					_, err := kaiban.MutateTrack(t.Context(), s, id, name, func(tr *kaiban.Track) error {
						tr.Status, tr.Attempts, tr.StartedAt = kaiban.TrackRunning, tr.Attempts+1, &at
						tr.Result = json.RawMessage(fmt.Sprintf(`{"n":%d}`, n))
						return nil
					})
					if err != nil {
						t.Error(err)
					}
				}
			}
		})
	}
	wg.Wait()
	cached := make([]*kaiban.Application, apps)
	for i, id := range ids {
		if cached[i], err = s.GetApplication(t.Context(), id); err != nil {
			t.Fatal(err)
		}
	}
	// A caller changing what it got must not change what the next sees.
	cached[0].Tracks[0].Status = "SCRIBBLED"
	*cached[0].Tracks[0].StartedAt = time.Time{}
	again, err := s.GetApplication(t.Context(), ids[0])
	if err != nil {
		t.Fatal(err)
	}
	if again.Tracks[0].Status == "SCRIBBLED" {
		t.Error("a caller's change to a returned track reached the cache")
	}
	cached[0] = again
	s.Close()

	fresh, err := Open(t.Context(), path, testKey)
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	for i, id := range ids {
		disk, err := fresh.GetApplication(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(cached[i], disk) {
			t.Errorf("%s from memory:\n%+v\nfrom the file:\n%+v", id, cached[i], disk)
		}
	}
}
