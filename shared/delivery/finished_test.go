package delivery_test

import (
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/delivery"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/storetest"
)

// A clerk's "end the application" on a stopped execution that completes
// meanwhile is delivered (the task is settled) and the application stays
// COMPLETED.
func TestDeliverStatusDecisionOnAnApplicationCompletingMeanwhile(t *testing.T) {
	s := storetest.NewCompletingStore(true)
	storetest.MustCreate(t, s.MemStore, "app-1", storetest.T0)
	task := storetest.Task("t1", "app-1", kaiban.TaskSubjectExecution, storetest.T0.Add(4*time.Hour), 0)
	task.TaskToken = ""
	storetest.MustCreateTask(t, s, task)
	if _, err := s.ClaimClerkTask(t.Context(), "t1", "alice", storetest.T0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ResolveClerkTask(t.Context(), "t1", "alice", kaiban.Resolution{Decision: kaiban.DecisionReject, Note: "n"}, storetest.T0); err != nil {
		t.Fatal(err)
	}
	resolvedTask, err := s.GetClerkTask(t.Context(), "t1")
	if err != nil {
		t.Fatal(err)
	}
	out, err := delivery.Deliver(t.Context(), s, &workflow{taken: map[string]kaiban.ClerkOutcome{}}, resolvedTask, kaiban.ClerkIdentity{Sub: "alice"}, storetest.T0)
	if err != nil || out != delivery.Delivered {
		t.Fatalf("deliver: %v %v, want Delivered", out, err)
	}
	app, err := s.MemStore.GetApplication(t.Context(), "app-1")
	if err != nil || app.Status != kaiban.AppCompleted {
		t.Errorf("application after the delivery: %+v %v, want COMPLETED", app, err)
	}
	if got, _ := s.GetClerkTask(t.Context(), "t1"); got.DeliveredAt == nil {
		t.Error("delivery not recorded")
	}
}
