package stack

import (
	"context"
	"testing"
	"time"

	"github.com/kaiban/kaiban/infra/sim"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/onestop/confirmtest"
	"github.com/kaiban/kaiban/shared/tracks"
	"github.com/kaiban/kaiban/shared/validate"
)

// After a restart, a stored submission that never got an execution is
// started and completes, and an application in flight whose execution is
// gone gets a clerk task saying so: nothing accepted stays stranded.
func TestStartUpReconcilesStrandedApplications(t *testing.T) {
	dir := t.TempDir()
	// The founders sign as their links arrive.
	auto := &confirmtest.AutoSign{}
	cfg := Config{DataDir: dir, Profile: sim.Instant(), WatchdogEvery: -1, AgencyTimeout: 2 * time.Second, Notifier: auto}
	st, err := Start(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	auto.Use(st.API.Service(), st.Outbox)
	// One submission through the API, so the engine holds an execution:
	// a blank engine beside applications in progress is refused at start
	// (checkPairing), a lost execution beside others is the reconciler's.
	submitTo(t, st)
	now := time.Now()
	form, err := validate.New().Check(exampleForm(t, nil), now, validate.LangZH)
	if err != nil {
		t.Fatal(err)
	}
	// Stored as the API stores them, with no execution: one as if
	// StartExecution had failed, one as if its execution were lost.
	for id, status := range map[string]kaiban.AppStatus{"KB20261127NEVERSTARTEDAAAA": kaiban.AppSubmitted, "KB20261127EXECUTIONLOSTAAA": kaiban.AppInProgress} {
		app := kaiban.Application{ID: id, Status: kaiban.AppSubmitted, Form: form, SubmittedAt: now,
			Deadline: now.Add(kaiban.DeadlineAfterSubmission), UpdatedAt: now}
		if _, err := st.Store.CreateApplication(t.Context(), kaiban.CreateRequest{Application: app, BodyHash: "x"}); err != nil {
			t.Fatal(err)
		}
		if status != kaiban.AppSubmitted {
			if _, err := st.Store.UpdateApplication(t.Context(), id, kaiban.ApplicationUpdate{Status: status, UpdatedAt: now}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	auto = &confirmtest.AutoSign{} // not the closed stack's
	cfg.Notifier = auto
	st, err = Start(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	auto.Use(st.API.Service(), st.Outbox)
	defer st.Close()
	// The reconciler may have sent the links before the founders'
	// notifier was in place: they open them again, and sign.
	if _, err := st.API.Service().OpenConfirmations(t.Context(), "KB20261127NEVERSTARTEDAAAA"); err != nil && !kaiban.IsName(err, kaiban.ErrNotFound) {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	started := time.Now()
	for {
		app, err := st.Store.GetApplication(ctx, "KB20261127NEVERSTARTEDAAAA")
		if err != nil {
			t.Fatal(err)
		}
		if app.Status == kaiban.AppCompleted {
			break
		}
		if time.Since(started) > 25*time.Second {
			cs, _ := st.Store.(kaiban.Confirmations).ListConfirmations(t.Context(), "KB20261127NEVERSTARTEDAAAA")
			t.Fatalf("the submission that never started is %s, want COMPLETED (confirmations %+v, signing %v)", app.Status, cs, auto.Errs())
		}
		time.Sleep(10 * time.Millisecond) // polling the store, not a synchronisation
	}
	task, err := st.Store.GetClerkTask(ctx, tracks.StrandedTaskID("KB20261127EXECUTIONLOSTAAA"))
	if err != nil {
		t.Fatalf("no clerk task for the application whose execution is lost: %v", err)
	}
	if task.Status != kaiban.TaskOpen || task.Track != kaiban.TaskSubjectExecution || task.ErrorName != "ExecutionDoesNotExist" {
		t.Errorf("task %+v, want an open %q task for ExecutionDoesNotExist", task, kaiban.TaskSubjectExecution)
	}
}
