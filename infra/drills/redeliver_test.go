package drills

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/kaiban/kaiban/infra/stack"
	"github.com/kaiban/kaiban/shared/kaiban"
)

// TestRecordedDecisionReachesTheWorkflow: the API records a clerk's
// decision and stops before delivering it (a crash, the engine briefly
// unreachable). The local stack's background re-delivery hands it to the
// waiting execution, which completes the application; nothing is lost.
func TestRecordedDecisionReachesTheWorkflow(t *testing.T) {
	f := startFaultStack(t, func(c *stack.Config) { c.WatchdogEvery = time.Minute })
	sealed := editForm(t, func(form map[string]any) {
		addr := form["company"].(map[string]any)["address"].(map[string]any)
		addr["detail"] = "沈阳市浑南区创新路196号封存楼2门1203室"
	})
	id := f.http.submit(sealed, "recorded-not-delivered").ID
	ids := []string{id}
	f.until("a seal task", ids, time.Second, 10*time.Minute, func(a *kaiban.Application) bool {
		_, open := f.openTask(a.ID)
		return open
	})
	task, _ := f.openTask(id)
	ctx := context.Background()
	now := f.clock.Now()
	if _, err := f.st.Store.ClaimClerkTask(ctx, task.ID, "clerk-drill", now); err != nil {
		t.Fatal(err)
	}
	after, _ := json.Marshal(map[string]any{"taskId": task.ID, "decision": kaiban.DecisionComplete})
	// What the API commits before it delivers; here nothing delivers.
	if _, err := kaiban.ResolveClerkTaskAudited(ctx, f.st.Store, task.ID, "clerk-drill",
		kaiban.Resolution{Decision: kaiban.DecisionComplete, Note: "演练", Data: json.RawMessage(`{"filingCode":"R-1"}`)}, now,
		kaiban.AuditEvent{ApplicationID: id, Time: now, Actor: "clerk:clerk-drill", Action: "task.resolved", After: after}); err != nil {
		t.Fatal(err)
	}
	f.until("COMPLETED after re-delivery", ids, 10*time.Second, 10*time.Minute, func(a *kaiban.Application) bool {
		return a.Status == kaiban.AppCompleted
	})
	got, err := f.st.Store.GetClerkTask(ctx, task.ID)
	if err != nil || got.DeliveredAt == nil {
		t.Errorf("task after re-delivery: deliveredAt %v, %v", got.DeliveredAt, err)
	}
}
