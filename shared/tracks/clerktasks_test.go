package tracks

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/agency"
	"github.com/kaiban/kaiban/shared/delivery"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/storetest"
)

// sender records the task tokens it is given.
type sender struct{ tokens []string }

func (s *sender) SendTaskSuccess(_ context.Context, token string, _ json.RawMessage) error {
	s.tokens = append(s.tokens, token)
	return nil
}

// A decision recorded but never delivered (the API stopped in between)
// reaches its workflow on the watchdog's next run.
func TestWatchdogRedeliversRecordedDecisions(t *testing.T) {
	store := storetest.NewMemStore()
	storetest.MustCreate(t, store, "app-1", storetest.T0)
	storetest.MustCreateTask(t, store, storetest.Task("task-1", "app-1", "tax", storetest.T0.Add(4*time.Hour), 0))
	ctx := context.Background()
	if _, err := store.ClaimClerkTask(ctx, "task-1", "alice", storetest.T0); err != nil {
		t.Fatal(err)
	}
	if _, err := store.ResolveClerkTask(ctx, "task-1", "alice", kaiban.Resolution{Decision: kaiban.DecisionRetry}, storetest.T0); err != nil {
		t.Fatal(err)
	}
	sent := &sender{}
	svc := New(Deps{Store: store, Agencies: &agency.Clients{}, Decisions: sent,
		Now: func() time.Time { return storetest.T0.Add(delivery.Grace) }})
	rep, err := svc.Watchdog(ctx)
	if err != nil || rep.Redelivered != 1 || len(sent.tokens) != 1 || sent.tokens[0] != "sfn-token-task-1" {
		t.Fatalf("watchdog: %+v %v, sent %v", rep, err, sent.tokens)
	}
	if got, _ := store.GetClerkTask(ctx, "task-1"); got.DeliveredAt == nil {
		t.Error("delivery not recorded")
	}
}

// Rejecting an application closes its open tasks with a decision their
// kind takes, and nothing is sent to a workflow for them.
func TestClosingTasksUsesTheirOwnDecisions(t *testing.T) {
	store := storetest.NewMemStore()
	storetest.MustCreate(t, store, "app-1", storetest.T0)
	storetest.MustCreateTask(t, store, storetest.Task("task-1", "app-1", "tax", storetest.T0.Add(4*time.Hour), 0))
	storetest.MustCreateTask(t, store, kaiban.ClerkTask{ID: "W1", ApplicationID: "app-1", Track: kaiban.TaskSubjectDeadline,
		Kind: kaiban.TaskDeadlineRisk, Reason: "r", Deadline: storetest.T0.Add(4 * time.Hour), CreatedAt: storetest.T0})
	svc := New(Deps{Store: store, Agencies: &agency.Clients{}, Now: func() time.Time { return storetest.T0 }})
	if n, err := svc.closeOpenTasks(context.Background(), "app-1", "test"); err != nil || n != 2 {
		t.Fatalf("closed %d: %v", n, err)
	}
	for id, want := range map[string]kaiban.Decision{"task-1": kaiban.DecisionReject, "W1": kaiban.DecisionAcknowledge} {
		got, _ := store.GetClerkTask(context.Background(), id)
		if got.Decision != want || got.DeliveredAt == nil {
			t.Errorf("%s closed as %q (delivered %v), want %q and nothing owed", id, got.Decision, got.DeliveredAt, want)
		}
	}
}

// Once a clerk has acknowledged the watchdog's reminder, later runs
// neither reopen it nor add another task.opened event.
func TestAcknowledgedReminderIsNotReopened(t *testing.T) {
	store := storetest.NewMemStore()
	app := storetest.MustCreate(t, store, "app-1", storetest.T0)
	now := app.Deadline.Add(time.Minute)
	svc := New(Deps{Store: store, Agencies: &agency.Clients{}, Now: func() time.Time { return now }})
	ctx := context.Background()
	if rep, err := svc.Watchdog(ctx); err != nil || rep.Opened != 1 {
		t.Fatalf("first run: %+v %v", rep, err)
	}
	if _, err := store.ClaimClerkTask(ctx, "Wapp-1", "alice", now); err != nil {
		t.Fatal(err)
	}
	if _, err := store.ResolveClerkTask(ctx, "Wapp-1", "alice", kaiban.Resolution{Decision: kaiban.DecisionAcknowledge, Settled: true}, now); err != nil {
		t.Fatal(err)
	}
	before, _ := store.ListAudit(ctx, "app-1")
	now = now.Add(5 * time.Minute)
	if rep, err := svc.Watchdog(ctx); err != nil || rep.Opened != 0 {
		t.Errorf("second run: %+v %v, want nothing opened", rep, err)
	}
	if after, _ := store.ListAudit(ctx, "app-1"); len(after) != len(before) {
		t.Errorf("second run added %d audit events", len(after)-len(before))
	}
}
