package delivery_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/delivery"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/storetest"
)

// workflow answers SendTaskSuccess like Step Functions: once per token,
// TaskDoesNotExist after, or err while it is set.
type workflow struct {
	mu    sync.Mutex
	taken map[string]kaiban.ClerkOutcome
	err   error
}

func (w *workflow) SendTaskSuccess(_ context.Context, token string, output json.RawMessage) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return w.err
	}
	if _, ok := w.taken[token]; ok {
		return fmt.Errorf("TaskDoesNotExist: %w", delivery.ErrTaskGone)
	}
	var o kaiban.ClerkOutcome
	if err := json.Unmarshal(output, &o); err != nil {
		return err
	}
	w.taken[token] = o
	return nil
}

// resolved stores a task resolved by alice at at, not yet delivered.
func resolved(t *testing.T, s kaiban.Store, id string, at time.Time) {
	t.Helper()
	storetest.MustCreateTask(t, s, storetest.Task(id, "app-1", "tax", storetest.T0.Add(4*time.Hour), 0))
	if _, err := s.ClaimClerkTask(t.Context(), id, "alice", at); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ResolveClerkTask(t.Context(), id, "alice", kaiban.Resolution{Decision: kaiban.DecisionRetry, Note: "n"}, at); err != nil {
		t.Fatal(err)
	}
}

func TestRedeliverDeliversOwedDecisionsOnce(t *testing.T) {
	s := storetest.NewMemStore()
	storetest.MustCreate(t, s, "app-1", storetest.T0)
	now := storetest.T0.Add(time.Hour)
	resolved(t, s, "old", now.Add(-time.Hour))
	resolved(t, s, "fresh", now.Add(-delivery.Grace/2)) // the API may be delivering it right now
	wf := &workflow{taken: map[string]kaiban.ClerkOutcome{}, err: errors.New("engine down")}

	rep, err := delivery.Redeliver(t.Context(), s, wf, now)
	if err == nil || rep.Failed != 1 {
		t.Fatalf("workflow down: %+v %v, want one failure reported", rep, err)
	}
	if owed, _ := s.UndeliveredClerkTasks(t.Context(), 10); len(owed) != 2 {
		t.Fatalf("a failed delivery was recorded as done: %d owed", len(owed))
	}

	wf.err = nil
	rep, err = delivery.Redeliver(t.Context(), s, wf, now)
	if err != nil || rep != (delivery.Report{Delivered: 1}) {
		t.Fatalf("workflow back: %+v %v", rep, err)
	}
	if o := wf.taken["sfn-token-old"]; o.Decision != kaiban.DecisionRetry || o.Clerk.Sub != "alice" || string(o.Data) != "null" {
		t.Errorf("delivered %+v", o)
	}
	if _, ok := wf.taken["sfn-token-fresh"]; ok {
		t.Error("a decision resolved within the grace period was re-delivered")
	}

	// Later both are due; the old one is already delivered and not sent again.
	rep, err = delivery.Redeliver(t.Context(), s, wf, now.Add(time.Minute))
	if err != nil || rep != (delivery.Report{Delivered: 1}) || len(wf.taken) != 2 {
		t.Fatalf("second pass: %+v %v, %d taken", rep, err, len(wf.taken))
	}
}

func TestDeliverCountsAnAnsweredTokenAsDelivered(t *testing.T) {
	s := storetest.NewMemStore()
	storetest.MustCreate(t, s, "app-1", storetest.T0)
	resolved(t, s, "t1", storetest.T0)
	task, _ := s.GetClerkTask(t.Context(), "t1")
	wf := &workflow{taken: map[string]kaiban.ClerkOutcome{"sfn-token-t1": {}}}
	out, err := delivery.Deliver(t.Context(), s, wf, task, kaiban.ClerkIdentity{Sub: "alice"}, storetest.T0)
	if err != nil || out != delivery.Gone {
		t.Fatalf("%v %v, want Gone", out, err)
	}
	if got, _ := s.GetClerkTask(t.Context(), "t1"); got.DeliveredAt == nil {
		t.Error("delivery not recorded")
	}
}
