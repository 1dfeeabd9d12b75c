package storetest

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// testClerkDecisions checks claims (re-claim, release, lease), the one
// winner of crossing resolutions and the record of delivery.
func testClerkDecisions(t *testing.T, open func(t *testing.T) kaiban.Store, _ config) {
	t.Run("ReclaimChangesNothing", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		MustCreate(t, s, "app-1", T0)
		MustCreateTask(t, s, Task("task-1", "app-1", "tax", T0, 0))
		first, err := s.ClaimClerkTask(t.Context(), "task-1", "clerk-a", T0.Add(time.Minute))
		if err != nil || !first.Fresh {
			t.Fatalf("first claim: fresh=%v err=%v", first.Fresh, err)
		}
		again, err := s.ClaimClerkTask(t.Context(), "task-1", "clerk-a", T0.Add(2*time.Minute))
		if err != nil || again.Fresh || again.ClaimedAt == nil || !again.ClaimedAt.Equal(T0.Add(time.Minute)) {
			t.Fatalf("re-claim: fresh=%v claimedAt=%v err=%v, want no change", again.Fresh, again.ClaimedAt, err)
		}
	})

	t.Run("ReleaseReturnsTheTaskToTheQueue", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		MustCreate(t, s, "app-1", T0)
		MustCreateTask(t, s, Task("task-1", "app-1", "tax", T0, 0))
		_, err := s.ReleaseClerkTask(t.Context(), "task-1", "clerk-a", T0)
		WantName(t, err, kaiban.ErrTaskNotClaimed)
		if _, err := s.ClaimClerkTask(t.Context(), "task-1", "clerk-a", T0); err != nil {
			t.Fatal(err)
		}
		_, err = s.ReleaseClerkTask(t.Context(), "task-1", "clerk-b", T0)
		WantName(t, err, kaiban.ErrTaskNotClaimed)
		got, err := s.ReleaseClerkTask(t.Context(), "task-1", "clerk-a", T0.Add(time.Minute))
		if err != nil || got.Status != kaiban.TaskOpen || got.ClaimedBy != "" || got.ClaimedAt != nil {
			t.Fatalf("release: %+v, %v", got, err)
		}
		open, err := s.ListClerkTasks(t.Context(), kaiban.TaskFilter{Status: kaiban.TaskOpen})
		if err != nil || len(open) != 1 {
			t.Fatalf("open queue after release: %v, %v", taskIDs(open), err)
		}
		c, err := s.ClaimClerkTask(t.Context(), "task-1", "clerk-b", T0.Add(2*time.Minute))
		if err != nil || !c.Fresh || c.ClaimedBy != "clerk-b" {
			t.Fatalf("claim after release: %+v, %v", c, err)
		}
	})

	t.Run("ClaimLapsesAfterTheLease", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		MustCreate(t, s, "app-1", T0)
		MustCreateTask(t, s, Task("task-1", "app-1", "tax", T0, 0))
		if _, err := s.ClaimClerkTask(t.Context(), "task-1", "clerk-a", T0); err != nil {
			t.Fatal(err)
		}
		_, err := s.ClaimClerkTask(t.Context(), "task-1", "clerk-b", T0.Add(kaiban.ClaimLease-time.Second))
		WantName(t, err, kaiban.ErrTaskClaimed)
		c, err := s.ClaimClerkTask(t.Context(), "task-1", "clerk-b", T0.Add(kaiban.ClaimLease))
		if err != nil || !c.Fresh || c.ClaimedBy != "clerk-b" {
			t.Fatalf("claim after the lease: %+v, %v", c, err)
		}
		_, err = s.ResolveClerkTask(t.Context(), "task-1", "clerk-a", kaiban.Resolution{Decision: kaiban.DecisionRetry}, T0.Add(kaiban.ClaimLease+time.Second))
		WantName(t, err, kaiban.ErrTaskNotClaimed)
	})

	t.Run("CrossingResolutionsHaveOneWinner", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		MustCreate(t, s, "app-1", T0)
		const tasks, racers = 5, 6
		for i := range tasks {
			id := fmt.Sprintf("task-%d", i)
			MustCreateTask(t, s, Task(id, "app-1", "tax", T0, 0))
			if _, err := s.ClaimClerkTask(t.Context(), id, "clerk-a", T0); err != nil {
				t.Fatal(err)
			}
		}
		decisions := []kaiban.Decision{kaiban.DecisionComplete, kaiban.DecisionReject}
		won := make([][]kaiban.Decision, tasks)
		var mu sync.Mutex
		var wg sync.WaitGroup
		for i := range tasks {
			for r := range racers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					id, d := fmt.Sprintf("task-%d", i), decisions[r%2]
					ev := kaiban.AuditEvent{ApplicationID: "app-1", Time: T0.Add(time.Minute), Actor: "clerk:clerk-a", Action: "task.resolved",
						After: json.RawMessage(fmt.Sprintf(`{"taskId":%q,"decision":%q}`, id, d))}
					_, err := kaiban.ResolveClerkTaskAudited(t.Context(), s, id, "clerk-a", kaiban.Resolution{Decision: d}, T0.Add(time.Minute), ev)
					switch {
					case err == nil:
						mu.Lock()
						won[i] = append(won[i], d)
						mu.Unlock()
					case !kaiban.IsName(err, kaiban.ErrTaskResolved):
						t.Errorf("%s %s: %v, want success or %s", id, d, err, kaiban.ErrTaskResolved)
					}
				}()
			}
		}
		wg.Wait()
		events, err := s.ListAudit(t.Context(), "app-1")
		if err != nil {
			t.Fatal(err)
		}
		audited := map[string][]kaiban.Decision{}
		for _, e := range events {
			var a struct {
				TaskID   string          `json:"taskId"`
				Decision kaiban.Decision `json:"decision"`
			}
			if e.Action == "task.resolved" && json.Unmarshal(e.After, &a) == nil {
				audited[a.TaskID] = append(audited[a.TaskID], a.Decision)
			}
		}
		for i := range tasks {
			id := fmt.Sprintf("task-%d", i)
			got, err := s.GetClerkTask(t.Context(), id)
			if err != nil {
				t.Fatal(err)
			}
			if len(won[i]) != 1 || got.Decision != won[i][0] || len(audited[id]) != 1 || audited[id][0] != got.Decision {
				t.Errorf("%s: winners %v, stored %q, audited %v; want one winner, stored and audited alike", id, won[i], got.Decision, audited[id])
			}
		}
		if err := s.VerifyAudit(t.Context(), "app-1"); err != nil {
			t.Errorf("audit chain: %v", err)
		}
	})

	t.Run("DeliveryIsRecorded", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		MustCreate(t, s, "app-1", T0)
		for _, id := range []string{"task-1", "task-2", "task-3"} {
			MustCreateTask(t, s, Task(id, "app-1", "tax", T0, 0))
			if _, err := s.ClaimClerkTask(t.Context(), id, "clerk-a", T0); err != nil {
				t.Fatal(err)
			}
		}
		err := s.MarkClerkTaskDelivered(t.Context(), "task-1", T0)
		WantName(t, err, kaiban.ErrInput) // not resolved yet
		WantName(t, s.MarkClerkTaskDelivered(t.Context(), "nope", T0), kaiban.ErrNotFound)
		for i, id := range []string{"task-2", "task-1"} {
			got, err := s.ResolveClerkTask(t.Context(), id, "clerk-a", kaiban.Resolution{Decision: kaiban.DecisionRetry}, T0.Add(time.Duration(i+1)*time.Minute))
			if err != nil || got.DeliveredAt != nil {
				t.Fatalf("resolve %s: deliveredAt %v, %v", id, got.DeliveredAt, err)
			}
		}
		settled, err := s.ResolveClerkTask(t.Context(), "task-3", "clerk-a", kaiban.Resolution{Decision: kaiban.DecisionReject, Settled: true}, T0.Add(3*time.Minute))
		if err != nil || settled.DeliveredAt == nil || !settled.DeliveredAt.Equal(T0.Add(3*time.Minute)) {
			t.Fatalf("settled resolution: deliveredAt %v, %v", settled.DeliveredAt, err)
		}
		owed, err := s.UndeliveredClerkTasks(t.Context(), 10)
		if err != nil || fmt.Sprint(taskIDs(owed)) != "[task-2 task-1]" {
			t.Fatalf("undelivered: %v, %v; want [task-2 task-1] (oldest resolution first)", taskIDs(owed), err)
		}
		at := T0.Add(10 * time.Minute)
		for range 2 {
			if err := s.MarkClerkTaskDelivered(t.Context(), "task-2", at); err != nil {
				t.Fatal(err)
			}
			at = at.Add(time.Minute)
		}
		got, err := s.GetClerkTask(t.Context(), "task-2")
		if err != nil || got.DeliveredAt == nil || !got.DeliveredAt.Equal(T0.Add(10*time.Minute)) {
			t.Fatalf("task-2 deliveredAt %v, %v; want the first mark", got.DeliveredAt, err)
		}
		owed, err = s.UndeliveredClerkTasks(t.Context(), 10)
		if err != nil || fmt.Sprint(taskIDs(owed)) != "[task-1]" {
			t.Fatalf("undelivered after marking: %v, %v", taskIDs(owed), err)
		}
	})

	t.Run("NoTaskThatNoDecisionCanClose", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		MustCreate(t, s, "app-1", T0)
		noToken := Task("task-1", "app-1", "tax", T0, 0)
		noToken.TaskToken = ""
		_, err := s.CreateClerkTask(t.Context(), noToken)
		WantName(t, err, kaiban.ErrInput)
		watchdog := noToken
		watchdog.Kind, watchdog.Track = kaiban.TaskDeadlineRisk, kaiban.TaskSubjectDeadline
		MustCreateTask(t, s, watchdog)
	})
}
