package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// ActivityStore is a store with its kaiban.TaskActivity part.
type ActivityStore interface {
	kaiban.Store
	kaiban.TaskActivity
}

// RunTaskActivityContract is the contract every kaiban.TaskActivity
// keeps: the tasks resolved in a period, newest first, across days, the
// period's start included and its end not, open and claimed tasks never.
// open must return a new, empty store.
func RunTaskActivityContract(t *testing.T, open func(t *testing.T) ActivityStore) {
	ids := func(ts []kaiban.ClerkTask) []string {
		out := make([]string, len(ts))
		for i, x := range ts {
			out[i] = x.ID
		}
		return out
	}
	// seed: r1 resolved at T0+1h, r2 the next (UTC) day at T0+25h, r3 at
	// T0+26h with nothing to deliver; c claimed, o open.
	seed := func(t *testing.T) ActivityStore {
		s := open(t)
		app := MustCreate(t, s, "KB-ACT-1", T0)
		for _, id := range []string{"r1", "r2", "r3", "c", "o"} {
			MustCreateTask(t, s, Task(id, app.ID, string(kaiban.TrackSeal), app.Deadline, 0))
		}
		for _, x := range []struct {
			id, clerk string
			at        time.Duration
			settled   bool
		}{{"r1", "alice", time.Hour, false}, {"r2", "bob", 25 * time.Hour, false}, {"r3", "alice", 26 * time.Hour, true}} {
			if _, err := s.ClaimClerkTask(t.Context(), x.id, x.clerk, T0.Add(x.at-time.Minute)); err != nil {
				t.Fatal(err)
			}
			r := kaiban.Resolution{Decision: kaiban.DecisionComplete, Note: "done", Settled: x.settled}
			if _, err := s.ResolveClerkTask(t.Context(), x.id, x.clerk, r, T0.Add(x.at)); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.ClaimClerkTask(t.Context(), "c", "carol", T0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		return s
	}
	t.Run("Periods", func(t *testing.T) {
		t.Parallel()
		s := seed(t)
		for _, tc := range []struct {
			name     string
			from, to time.Duration
			limit    int
			want     []string
		}{
			{"two days, newest first", 0, 48 * time.Hour, 0, []string{"r3", "r2", "r1"}},
			{"start included, end not", time.Hour, 26 * time.Hour, 0, []string{"r2", "r1"}},
			{"one day", 24 * time.Hour, 48 * time.Hour, 0, []string{"r3", "r2"}},
			{"limit keeps the newest", 0, 48 * time.Hour, 2, []string{"r3", "r2"}},
			{"nothing resolved", 2 * time.Hour, 3 * time.Hour, 0, []string{}},
		} {
			got, err := s.ResolvedTasksBetween(t.Context(), T0.Add(tc.from), T0.Add(tc.to), tc.limit)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if !slices.Equal(ids(got), tc.want) {
				t.Fatalf("%s: %v, want %v", tc.name, ids(got), tc.want)
			}
		}
		got, err := s.ResolvedTasksBetween(t.Context(), T0, T0.Add(48*time.Hour), 0)
		if err != nil {
			t.Fatal(err)
		}
		last := got[0]
		if last.ResolvedBy != "alice" || last.Decision != kaiban.DecisionComplete || last.ResolvedAt == nil ||
			!last.ResolvedAt.Equal(T0.Add(26*time.Hour)) || last.ApplicationID != "KB-ACT-1" || last.Status != kaiban.TaskResolved {
			t.Fatalf("task read back as %+v", last)
		}
	})
	// The supervisor's view lists the applications waiting for their
	// applicants' corrections by status, as the reconciler lists others.
	t.Run("WaitingForCorrection", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		for _, id := range []string{"KB-ACT-W1", "KB-ACT-W2", "KB-ACT-P1"} {
			MustCreate(t, s, id, T0)
		}
		for _, id := range []string{"KB-ACT-W1", "KB-ACT-W2"} {
			if _, err := s.UpdateApplication(t.Context(), id, kaiban.ApplicationUpdate{Status: kaiban.AppNeedsCorrection, UpdatedAt: T0.Add(time.Hour)}); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.ListByStatus(t.Context(), kaiban.StatusQuery{Status: kaiban.AppNeedsCorrection, DeadlineBefore: T0.Add(100 * 24 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, a := range got {
			ids = append(ids, a.ID)
			if a.Status != kaiban.AppNeedsCorrection || !a.UpdatedAt.Equal(T0.Add(time.Hour)) {
				t.Fatalf("%s read back as %s updated %v", a.ID, a.Status, a.UpdatedAt)
			}
		}
		if !slices.Equal(ids, []string{"KB-ACT-W1", "KB-ACT-W2"}) {
			t.Fatalf("waiting: %v", ids)
		}
	})
	t.Run("BadPeriods", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		for _, p := range [][2]time.Time{
			{T0, T0.Add(-time.Second)},
			{T0, T0.Add(kaiban.MaxActivityPeriod + time.Second)},
			{{}, T0},
		} {
			_, err := s.ResolvedTasksBetween(t.Context(), p[0], p[1], 0)
			WantName(t, err, kaiban.ErrInput)
		}
	})
}
