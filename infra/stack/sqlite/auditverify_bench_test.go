package sqlite

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/storetest"
)

// BenchmarkVerifyApplication is what the clerk view pays to verify one
// completed application, reads included: the trail (twice: once for the
// state replay, once with its head for the chain), the application and
// its clerk task. The application went through the audited paths the
// handlers use: submission, seven tracks started and succeeded, a clerk
// task opened, claimed and resolved, completion (19 events).
func BenchmarkVerifyApplication(b *testing.B) {
	s := MustOpen(b)
	ctx := context.Background()
	ev := func(action string) kaiban.AuditEvent {
		return kaiban.AuditEvent{ApplicationID: "app-1", Time: storetest.T0, Actor: "system", Action: action}
	}
	res, err := kaiban.CreateApplicationAudited(ctx, s, storetest.Request("app-1", storetest.T0), ev("application.submitted"))
	if err != nil {
		b.Fatal(err)
	}
	for _, tr := range res.Application.Tracks {
		running, err := kaiban.MutateTrackAudited(ctx, s, "app-1", tr, func(t *kaiban.Track) error {
			t.Status = kaiban.TrackRunning
			return nil
		}, ev("track.running"))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := kaiban.MutateTrackAudited(ctx, s, "app-1", running, func(t *kaiban.Track) error {
			t.Status, t.Result = kaiban.TrackSucceeded, json.RawMessage(`{"number":"N-1","issued":true}`)
			return nil
		}, ev("track.succeeded")); err != nil {
			b.Fatal(err)
		}
	}
	task := storetest.MustCreateTask(b, s, storetest.Task("T1", "app-1", "seal", storetest.T0, 0))
	claimed, err := s.ClaimClerkTask(ctx, "T1", "alice", storetest.T0)
	if err != nil {
		b.Fatal(err)
	}
	done, err := s.ResolveClerkTask(ctx, "T1", "alice", kaiban.Resolution{Decision: kaiban.DecisionRetry}, storetest.T0)
	if err != nil {
		b.Fatal(err)
	}
	for _, t := range []kaiban.ClerkTask{task, claimed.ClerkTask, done} {
		e := ev("task")
		if err := e.Record(kaiban.AuditSet{Task: kaiban.TaskSetOf(t)}); err != nil {
			b.Fatal(err)
		}
		if _, err := s.AppendAudit(ctx, e); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := kaiban.UpdateApplicationAudited(ctx, s, "app-1", kaiban.ApplicationUpdate{Status: kaiban.AppCompleted}, ev("application.completed")); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		app, err := s.GetApplication(ctx, "app-1")
		if err != nil {
			b.Fatal(err)
		}
		v, err := kaiban.VerifyApplication(ctx, s, app)
		if err != nil || !v.Intact() {
			b.Fatalf("%+v %v", v.Problems, err)
		}
	}
}
