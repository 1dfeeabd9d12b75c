package storetest

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

func testTracks(t *testing.T, open func(t *testing.T) kaiban.Store, _ config) {
	t.Run("VersionedUpdate", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		app := MustCreate(t, s, "app-1", T0)
		tr := *app.Track(kaiban.TrackTax)
		started, finished := T0.Add(time.Minute), T0.Add(2*time.Minute)
		tr.Status, tr.Attempts, tr.StartedAt, tr.FinishedAt = kaiban.TrackSucceeded, 2, &started, &finished
		tr.Result, tr.Message = json.RawMessage(`{"taxpayerId": "91210102MA0XXXXX1Y"}`), "税务登记完成"
		got, err := s.UpdateTrack(t.Context(), "app-1", tr)
		if err != nil {
			t.Fatal(err)
		}
		if got.Version == tr.Version {
			t.Errorf("version did not move: %d", got.Version)
		}
		stored, err := s.GetApplication(t.Context(), "app-1")
		if err != nil {
			t.Fatal(err)
		}
		st := stored.Track(kaiban.TrackTax)
		if st.Status != kaiban.TrackSucceeded || st.Attempts != 2 || !st.StartedAt.Equal(started) || !st.FinishedAt.Equal(finished) ||
			st.Message != "税务登记完成" || st.Version != got.Version {
			t.Errorf("stored track %+v, want what was written at version %d", st, got.Version)
		}
		var res map[string]string
		if err := json.Unmarshal(st.Result, &res); err != nil || res["taxpayerId"] != "91210102MA0XXXXX1Y" {
			t.Errorf("result %s: %v", st.Result, err)
		}
		for _, other := range stored.Tracks {
			if other.Name != kaiban.TrackTax && other.Status != kaiban.TrackPending {
				t.Errorf("track %s changed too", other.Name)
			}
		}

		// A writer holding the old version loses, and changes nothing.
		stale := tr
		stale.Status = kaiban.TrackFailed
		_, err = s.UpdateTrack(t.Context(), "app-1", stale)
		WantName(t, err, kaiban.ErrVersionConflict)
		again, _ := s.GetApplication(t.Context(), "app-1")
		if again.Track(kaiban.TrackTax).Status != kaiban.TrackSucceeded {
			t.Error("a stale write changed the track")
		}

		// Clearing optional fields clears them.
		cleared := *st
		cleared.Status, cleared.StartedAt, cleared.FinishedAt, cleared.Result, cleared.Message = kaiban.TrackRetrying, nil, nil, nil, ""
		if _, err := s.UpdateTrack(t.Context(), "app-1", cleared); err != nil {
			t.Fatal(err)
		}
		again, _ = s.GetApplication(t.Context(), "app-1")
		if ct := again.Track(kaiban.TrackTax); ct.StartedAt != nil || ct.FinishedAt != nil || ct.Result != nil || ct.Message != "" {
			t.Errorf("fields not cleared: %+v", ct)
		}

		_, err = s.UpdateTrack(t.Context(), "nope", kaiban.Track{Name: kaiban.TrackTax, Status: kaiban.TrackRunning})
		WantName(t, err, kaiban.ErrNotFound)
	})

	t.Run("FiftyConcurrentMutationsLoseNothing", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		MustCreate(t, s, "app-1", T0)
		const n = 50
		errs := make(chan error, n)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				<-start
				_, err := kaiban.MutateTrack(t.Context(), s, "app-1", kaiban.TrackBank, func(tr *kaiban.Track) error {
					tr.Attempts++
					tr.Status = kaiban.TrackRetrying
					return nil
				})
				errs <- err
			})
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		app, err := s.GetApplication(t.Context(), "app-1")
		if err != nil {
			t.Fatal(err)
		}
		if got := app.Track(kaiban.TrackBank).Attempts; got != n {
			t.Errorf("attempts = %d after %d increments", got, n)
		}
	})

	t.Run("ConcurrentWritersOnDifferentTracksDoNotConflict", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		app := MustCreate(t, s, "app-1", T0)
		errs := make(chan error, len(app.Tracks))
		var wg sync.WaitGroup
		for _, tr := range app.Tracks {
			wg.Go(func() {
				tr.Status = kaiban.TrackRunning
				_, err := s.UpdateTrack(t.Context(), "app-1", tr)
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("update with a fresh version failed: %v", err)
			}
		}
	})
}

// The seven tracks run in parallel and each writes its changes with its
// audit event: writers that lose the race for the audit head chain after
// the winner, and every change and event lands.
func testAuditedParallelTracks(t *testing.T, open func(t *testing.T) kaiban.Store) {
	t.Run("ParallelAuditedTrackWritesAllLand", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		app := MustCreate(t, s, "app-1", T0)
		before, err := s.ListAudit(t.Context(), "app-1")
		if err != nil {
			t.Fatal(err)
		}
		const rounds = 3
		errs := make(chan error, len(app.Tracks)*rounds)
		var wg sync.WaitGroup
		for _, tr := range app.Tracks {
			wg.Go(func() {
				for i := range rounds {
					e := Event("app-1", 0)
					e.Action = fmt.Sprintf("track.%s.%d", tr.Name, i)
					_, err := kaiban.MutateTrackAudited(t.Context(), s, "app-1", tr, func(x *kaiban.Track) error {
						x.Attempts++
						return nil
					}, e)
					if err != nil {
						errs <- err
						return
					}
					cur, err := s.GetApplication(t.Context(), "app-1")
					if err != nil {
						errs <- err
						return
					}
					tr = *cur.Track(tr.Name)
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("an audited track write failed: %v", err)
		}
		after, err := s.ListAudit(t.Context(), "app-1")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(after)-len(before), len(app.Tracks)*rounds; got != want {
			t.Errorf("%d events appended, want %d", got, want)
		}
		cur, err := s.GetApplication(t.Context(), "app-1")
		if err != nil {
			t.Fatal(err)
		}
		for _, tr := range cur.Tracks {
			if tr.Attempts != rounds {
				t.Errorf("track %s: %d attempts recorded, want %d", tr.Name, tr.Attempts, rounds)
			}
		}
		if err := s.VerifyAudit(t.Context(), "app-1"); err != nil {
			t.Errorf("trail after parallel writes: %v", err)
		}
	})
}

func testWatchdog(t *testing.T, open func(t *testing.T) kaiban.Store, _ config) {
	t.Run("ListAtRisk", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		// Submitted a minute apart, so deadlines are a minute apart.
		for i, id := range []string{"a", "b", "c", "d", "e"} {
			MustCreate(t, s, id, T0.Add(time.Duration(i)*time.Minute))
		}
		if _, err := s.UpdateApplication(t.Context(), "b", kaiban.ApplicationUpdate{Status: kaiban.AppCompleted}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateApplication(t.Context(), "c", kaiban.ApplicationUpdate{Status: kaiban.AppRejected}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateApplication(t.Context(), "d", kaiban.ApplicationUpdate{Status: kaiban.AppActionRequired}); err != nil {
			t.Fatal(err)
		}
		deadline := func(i int) time.Time { return T0.Add(kaiban.DeadlineAfterSubmission + time.Duration(i)*time.Minute) }
		tests := []struct {
			name   string
			before time.Time
			limit  int
			want   []string
		}{
			{"everything due", deadline(10), 0, []string{"a", "d", "e"}},
			{"before is exclusive", deadline(3), 0, []string{"a"}},
			{"limit", deadline(10), 2, []string{"a", "d"}},
			{"nothing due", deadline(0), 0, nil},
		}
		for _, tt := range tests {
			got, err := s.ListAtRisk(t.Context(), tt.before, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, a := range got {
				ids = append(ids, a.ID)
				if len(a.Tracks) != 7 {
					t.Errorf("%s: %s came without its tracks", tt.name, a.ID)
				}
			}
			if !reflect.DeepEqual(ids, tt.want) {
				t.Errorf("%s: got %v, want %v", tt.name, ids, tt.want)
			}
		}
	})

	t.Run("ListByStatus", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		// Submitted a minute apart, so deadlines are a minute apart; f and
		// g share a submission time.
		ids := []string{"a", "b", "c", "d", "e", "f", "g"}
		for i, id := range ids {
			MustCreate(t, s, id, T0.Add(time.Duration(min(i, 5))*time.Minute))
		}
		for id, st := range map[string]kaiban.AppStatus{"b": kaiban.AppInProgress, "c": kaiban.AppCompleted, "d": kaiban.AppRejected} {
			if _, err := s.UpdateApplication(t.Context(), id, kaiban.ApplicationUpdate{Status: st}); err != nil {
				t.Fatal(err)
			}
		}
		deadline := func(i int) time.Time { return T0.Add(kaiban.DeadlineAfterSubmission + time.Duration(i)*time.Minute) }
		tests := []struct {
			name string
			q    kaiban.StatusQuery
			want []string
		}{
			{"submitted, oldest first", kaiban.StatusQuery{Status: kaiban.AppSubmitted, DeadlineBefore: deadline(10)}, []string{"a", "e", "f", "g"}},
			{"before is exclusive", kaiban.StatusQuery{Status: kaiban.AppSubmitted, DeadlineBefore: deadline(5)}, []string{"a", "e"}},
			{"limit", kaiban.StatusQuery{Status: kaiban.AppSubmitted, DeadlineBefore: deadline(10), Limit: 3}, []string{"a", "e", "f"}},
			{"after a cursor with a tie", kaiban.StatusQuery{Status: kaiban.AppSubmitted, DeadlineBefore: deadline(10), AfterDeadline: deadline(5), AfterID: "f"}, []string{"g"}},
			{"after a cursor", kaiban.StatusQuery{Status: kaiban.AppSubmitted, DeadlineBefore: deadline(10), AfterDeadline: deadline(0), AfterID: "a"}, []string{"e", "f", "g"}},
			{"in progress", kaiban.StatusQuery{Status: kaiban.AppInProgress, DeadlineBefore: deadline(10)}, []string{"b"}},
			{"none", kaiban.StatusQuery{Status: kaiban.AppActionRequired, DeadlineBefore: deadline(10)}, nil},
		}
		for _, tt := range tests {
			got, err := s.ListByStatus(t.Context(), tt.q)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			var ids []string
			for _, a := range got {
				ids = append(ids, a.ID)
				if len(a.Tracks) != 7 || a.Form.Company.Name == "" {
					t.Errorf("%s: %s came without its tracks or form", tt.name, a.ID)
				}
			}
			if !reflect.DeepEqual(ids, tt.want) {
				t.Errorf("%s: got %v, want %v", tt.name, ids, tt.want)
			}
		}
		for _, q := range []kaiban.StatusQuery{
			{Status: kaiban.AppCompleted, DeadlineBefore: deadline(10)},
			{Status: "", DeadlineBefore: deadline(10)},
			{Status: kaiban.AppSubmitted},
		} {
			if _, err := s.ListByStatus(t.Context(), q); !kaiban.IsName(err, kaiban.ErrInput) {
				t.Errorf("%+v: %v, want %s", q, err, kaiban.ErrInput)
			}
		}
	})

	t.Run("Counts", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		for i := range 3 {
			MustCreate(t, s, fmt.Sprintf("app-%d", i), T0)
		}
		if _, err := s.UpdateApplication(t.Context(), "app-0", kaiban.ApplicationUpdate{Status: kaiban.AppInProgress}); err != nil {
			t.Fatal(err)
		}
		app, _ := s.GetApplication(t.Context(), "app-1")
		tr := *app.Track(kaiban.TrackSeal)
		tr.Status = kaiban.TrackSucceeded
		if _, err := s.UpdateTrack(t.Context(), "app-1", tr); err != nil {
			t.Fatal(err)
		}
		for i, track := range []string{"tax", "bank", "seal"} {
			MustCreateTask(t, s, Task(fmt.Sprintf("task-%d", i), "app-1", track, T0, 0))
		}
		if _, err := s.ClaimClerkTask(t.Context(), "task-0", "clerk-a", T0); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ClaimClerkTask(t.Context(), "task-1", "clerk-a", T0); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ResolveClerkTask(t.Context(), "task-1", "clerk-a", kaiban.Resolution{Decision: kaiban.DecisionRetry}, T0); err != nil {
			t.Fatal(err)
		}
		got, err := s.Counts(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		want := kaiban.Counts{
			Applications: map[kaiban.AppStatus]int{kaiban.AppSubmitted: 2, kaiban.AppInProgress: 1},
			Tracks:       map[kaiban.TrackStatus]int{kaiban.TrackPending: 20, kaiban.TrackSucceeded: 1},
			OpenTasks:    1,
			ClaimedTasks: 1,
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("counts %+v, want %+v", got, want)
		}
	})
}
