package storetest

import (
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// testAtomic checks that every audited write is all or nothing: with the
// store's audit append failing inside the write, the write fails and
// neither the change nor its event is visible afterwards.
func testAtomic(t *testing.T, open func(t *testing.T) kaiban.Store, c config) {
	if c.fault == nil {
		t.Skip("no Fault hook given (storetest.WithFault): atomicity of audited writes not checked")
	}
	at := T0.Add(time.Minute)
	ev := func(appID, action string) kaiban.AuditEvent {
		return kaiban.AuditEvent{ApplicationID: appID, Time: at, Actor: "system", Action: action}
	}
	cases := []struct {
		name string
		// setup prepares the store before the fault is armed.
		setup func(t *testing.T, s kaiban.Store)
		// write is the audited write that must fail as a whole.
		write func(t *testing.T, s kaiban.Store) error
		// unchanged checks the state the write would have changed.
		unchanged func(t *testing.T, s kaiban.Store)
	}{
		{
			name:  "CreateApplication",
			setup: func(t *testing.T, s kaiban.Store) {},
			write: func(t *testing.T, s kaiban.Store) error {
				_, err := s.CreateApplicationWithAudit(t.Context(), Idempotent(Request("app-1", T0), "key-1", "body-1"), ev("app-1", "application.submitted"))
				return err
			},
			unchanged: func(t *testing.T, s kaiban.Store) {
				_, err := s.GetApplication(t.Context(), "app-1")
				WantName(t, err, kaiban.ErrNotFound)
				_, err = s.ListAudit(t.Context(), "app-1")
				WantName(t, err, kaiban.ErrNotFound)
				// Nor its idempotency record: the client's retry creates
				// the application instead of replaying one never stored.
				res, err := s.CreateApplication(t.Context(), Idempotent(Request("app-2", T0), "key-1", "body-1"))
				if err != nil || !res.Created || res.Application.ID != "app-2" {
					t.Errorf("retry after a failed create: %+v, %v; want app-2 created", res, err)
				}
			},
		},
		{
			name:  "UpdateApplication",
			setup: func(t *testing.T, s kaiban.Store) { MustCreate(t, s, "app-1", T0) },
			write: func(t *testing.T, s kaiban.Store) error {
				_, err := s.UpdateApplicationWithAudit(t.Context(), "app-1",
					kaiban.ApplicationUpdate{Status: kaiban.AppInProgress, CreditCode: "91210102MA0P4G3X1T", UpdatedAt: at}, ev("app-1", "application.started"))
				return err
			},
			unchanged: func(t *testing.T, s kaiban.Store) {
				a, err := s.GetApplication(t.Context(), "app-1")
				if err != nil {
					t.Fatal(err)
				}
				if a.Status != kaiban.AppSubmitted || a.CreditCode != "" || !a.UpdatedAt.Equal(T0) {
					t.Errorf("application after a failed audited update: status %s, credit code %q, updated %v; want it as created", a.Status, a.CreditCode, a.UpdatedAt)
				}
			},
		},
		{
			name:  "UpdateTrack",
			setup: func(t *testing.T, s kaiban.Store) { MustCreate(t, s, "app-1", T0) },
			write: func(t *testing.T, s kaiban.Store) error {
				tr := kaiban.Track{Name: kaiban.TrackTax, Status: kaiban.TrackRunning, Attempts: 1, StartedAt: &at}
				_, err := s.UpdateTrackWithAudit(t.Context(), "app-1", tr, ev("app-1", "track.started"))
				return err
			},
			unchanged: func(t *testing.T, s kaiban.Store) {
				a, err := s.GetApplication(t.Context(), "app-1")
				if err != nil {
					t.Fatal(err)
				}
				if tr := a.Track(kaiban.TrackTax); tr.Status != kaiban.TrackPending || tr.Version != 0 || tr.Attempts != 0 {
					t.Errorf("tax track after a failed audited update: %+v; want it PENDING at version 0", *tr)
				}
			},
		},
		{
			name:  "CreateClerkTask",
			setup: func(t *testing.T, s kaiban.Store) { MustCreate(t, s, "app-1", T0) },
			write: func(t *testing.T, s kaiban.Store) error {
				_, err := s.CreateClerkTaskWithAudit(t.Context(), Task("task-1", "app-1", "tax", T0.Add(4*time.Hour), 0), ev("app-1", "task.opened"))
				return err
			},
			unchanged: func(t *testing.T, s kaiban.Store) {
				_, err := s.GetClerkTask(t.Context(), "task-1")
				WantName(t, err, kaiban.ErrNotFound)
				if open, err := s.OpenTasksFor(t.Context(), "app-1"); err != nil || len(open) != 0 {
					t.Errorf("open tasks after a failed audited create: %v, %v; want none", open, err)
				}
			},
		},
		{
			name: "ClaimClerkTask",
			setup: func(t *testing.T, s kaiban.Store) {
				MustCreate(t, s, "app-1", T0)
				MustCreateTask(t, s, Task("task-1", "app-1", "tax", T0.Add(4*time.Hour), 0))
			},
			write: func(t *testing.T, s kaiban.Store) error {
				_, err := s.ClaimClerkTaskWithAudit(t.Context(), "task-1", "clerk-1", at, ev("app-1", "task.claimed"))
				return err
			},
			unchanged: func(t *testing.T, s kaiban.Store) { wantTask(t, s, "task-1", kaiban.TaskOpen, "") },
		},
		{
			name: "ReleaseClerkTask",
			setup: func(t *testing.T, s kaiban.Store) {
				MustCreate(t, s, "app-1", T0)
				MustCreateTask(t, s, Task("task-1", "app-1", "tax", T0.Add(4*time.Hour), 0))
				if _, err := s.ClaimClerkTask(t.Context(), "task-1", "clerk-1", at); err != nil {
					t.Fatal(err)
				}
			},
			write: func(t *testing.T, s kaiban.Store) error {
				_, err := s.ReleaseClerkTaskWithAudit(t.Context(), "task-1", "clerk-1", at.Add(time.Second), ev("app-1", "task.released"))
				return err
			},
			unchanged: func(t *testing.T, s kaiban.Store) { wantTask(t, s, "task-1", kaiban.TaskClaimed, "") },
		},
		{
			name: "ResolveClerkTask",
			setup: func(t *testing.T, s kaiban.Store) {
				MustCreate(t, s, "app-1", T0)
				MustCreateTask(t, s, Task("task-1", "app-1", "tax", T0.Add(4*time.Hour), 0))
				if _, err := s.ClaimClerkTask(t.Context(), "task-1", "clerk-1", at); err != nil {
					t.Fatal(err)
				}
			},
			write: func(t *testing.T, s kaiban.Store) error {
				_, err := s.ResolveClerkTaskWithAudit(t.Context(), "task-1", "clerk-1",
					kaiban.Resolution{Decision: kaiban.DecisionRetry, Note: "重试"}, at.Add(time.Second), ev("app-1", "task.resolved"))
				return err
			},
			unchanged: func(t *testing.T, s kaiban.Store) { wantTask(t, s, "task-1", kaiban.TaskClaimed, "") },
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := open(t)
			tc.setup(t, s)
			before := trailOf(t, s, "app-1")
			c.fault.FailAudit(t, s)
			if err := tc.write(t, s); err == nil {
				t.Fatal("the audited write succeeded although its event could not be stored")
			}
			tc.unchanged(t, s)
			if after := trailOf(t, s, "app-1"); !reflect.DeepEqual(after, before) {
				t.Errorf("audit trail changed by a failed write: %d events before, %d after", len(before), len(after))
			}
			if before != nil {
				if err := s.VerifyAudit(t.Context(), "app-1"); err != nil {
					t.Errorf("trail after a failed write does not verify: %v", err)
				}
			}
		})
	}
}

// testConcurrentAuditedClaims checks that of clerks claiming one task at
// once with ClaimClerkTaskWithAudit exactly one wins, and the trail records
// that one claim.
func testConcurrentAuditedClaims(t *testing.T, open func(t *testing.T) kaiban.Store, _ config) {
	s := open(t)
	MustCreate(t, s, "app-1", T0)
	MustCreateTask(t, s, Task("task-1", "app-1", "tax", T0.Add(4*time.Hour), 0))
	const clerks = 8
	var (
		wg   sync.WaitGroup
		won  atomic.Int32
		errs = make(chan error, clerks)
	)
	for i := range clerks {
		wg.Go(func() {
			e := kaiban.AuditEvent{ApplicationID: "app-1", Time: T0.Add(time.Minute), Actor: fmt.Sprintf("clerk:c%d", i), Action: "task.claimed"}
			c, err := s.ClaimClerkTaskWithAudit(t.Context(), "task-1", fmt.Sprintf("c%d", i), T0.Add(time.Minute), e)
			switch {
			case err == nil && c.Fresh:
				won.Add(1)
			case !kaiban.IsName(err, kaiban.ErrTaskClaimed):
				errs <- fmt.Errorf("clerk c%d: %+v, %v", i, c, err)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := won.Load(); n != 1 {
		t.Errorf("%d clerks won the claim; want exactly one", n)
	}
	if trail := trailOf(t, s, "app-1"); len(trail) != 1 || trail[0].Action != "task.claimed" {
		t.Errorf("trail: %d events; want the one winning claim", len(trail))
	}
}

// trailOf returns the application's events, nil if it does not exist.
func trailOf(t *testing.T, s kaiban.Store, appID string) []kaiban.AuditEvent {
	t.Helper()
	events, err := s.ListAudit(t.Context(), appID)
	if kaiban.IsName(err, kaiban.ErrNotFound) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return events
}

// wantTask fails unless the stored task has status and decision.
func wantTask(t *testing.T, s kaiban.Store, id string, status kaiban.TaskStatus, decision kaiban.Decision) {
	t.Helper()
	got, err := s.GetClerkTask(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != status || got.Decision != decision {
		t.Errorf("task %s after a failed audited write: status %s, decision %q; want %s, %q", id, got.Status, got.Decision, status, decision)
	}
}

// testTaskAudited checks the audited task writes: the event goes with a
// write that changes the task, and a replay or repeated claim, which
// changes nothing, appends nothing.
func testTaskAudited(t *testing.T, open func(t *testing.T) kaiban.Store, _ config) {
	s := open(t)
	MustCreate(t, s, "app-1", T0)
	at := T0.Add(time.Minute)
	ev := func(action string) kaiban.AuditEvent {
		return kaiban.AuditEvent{ApplicationID: "app-1", Time: at, Actor: "system", Action: action}
	}
	task := Task("task-1", "app-1", "tax", T0.Add(4*time.Hour), 0)
	for i, want := range []bool{true, false} {
		c, err := s.CreateClerkTaskWithAudit(t.Context(), task, ev("task.opened"))
		if err != nil || c.Created != want || c.ID != "task-1" || c.Status != kaiban.TaskOpen {
			t.Fatalf("create %d: %+v, %v; want created %v", i+1, c, err, want)
		}
	}
	for i, want := range []bool{true, false} {
		c, err := s.ClaimClerkTaskWithAudit(t.Context(), "task-1", "clerk-1", at, ev("task.claimed"))
		if err != nil || c.Fresh != want || c.Status != kaiban.TaskClaimed {
			t.Fatalf("claim %d: %+v, %v; want fresh %v", i+1, c, err, want)
		}
	}
	_, err := s.ClaimClerkTaskWithAudit(t.Context(), "task-1", "clerk-2", at, ev("task.claimed"))
	WantName(t, err, kaiban.ErrTaskClaimed)
	_, err = s.ReleaseClerkTaskWithAudit(t.Context(), "task-1", "clerk-2", at, ev("task.released"))
	WantName(t, err, kaiban.ErrTaskNotClaimed)
	other := ev("task.claimed")
	other.ApplicationID = "app-2"
	MustCreate(t, s, "app-2", T0)
	MustCreateTask(t, s, Task("task-2", "app-1", "tax", T0.Add(4*time.Hour), 0))
	_, err = s.ClaimClerkTaskWithAudit(t.Context(), "task-2", "clerk-1", at, other)
	WantName(t, err, kaiban.ErrInput)
	wantTask(t, s, "task-2", kaiban.TaskOpen, "")
	if _, err := s.ReleaseClerkTaskWithAudit(t.Context(), "task-1", "clerk-1", at, ev("task.released")); err != nil {
		t.Fatal(err)
	}
	wantTask(t, s, "task-1", kaiban.TaskOpen, "")
	var actions []string
	for _, e := range trailOf(t, s, "app-1") {
		actions = append(actions, e.Action)
	}
	if !reflect.DeepEqual(actions, []string{"task.opened", "task.claimed", "task.released"}) {
		t.Errorf("trail: %v; want task.opened, task.claimed, task.released once each (refusals record nothing)", actions)
	}
	if err := s.VerifyAudit(t.Context(), "app-1"); err != nil {
		t.Error(err)
	}
	if trail := trailOf(t, s, "app-2"); len(trail) != 0 {
		t.Errorf("app-2 trail: %d events; want none", len(trail))
	}
}
