package drills

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/aws/dynamodb"
	"github.com/kaiban/kaiban/shared/aws/dynamodb/dynamotest"
	"github.com/kaiban/kaiban/shared/delivery"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/storetest"
)

// tokenOnce answers SendTaskSuccess as Step Functions does: the first
// output per token is taken, later ones get TaskDoesNotExist.
type tokenOnce struct {
	mu    sync.Mutex
	taken map[string]kaiban.Decision
}

func (w *tokenOnce) SendTaskSuccess(_ context.Context, token string, output json.RawMessage) error {
	var o kaiban.ClerkOutcome
	if err := json.Unmarshal(output, &o); err != nil {
		return err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, ok := w.taken[token]; ok {
		return fmt.Errorf("TaskDoesNotExist: %w", delivery.ErrTaskGone)
	}
	w.taken[token] = o.Decision
	return nil
}

// TestCrossingDecisionsDrillDynamoDB is the crossing-decisions drill at the
// store level on the DynamoDB store (against moto_server): 50 tasks (one
// per application, as in the service), two
// conflicting resolutions at once on each by the same clerk, each recorded
// with its audit event and then delivered as the API does. Exactly one
// resolution per task wins, and the stored decision, the audit event and
// the decision the workflow received agree.
func TestCrossingDecisionsDrillDynamoDB(t *testing.T) {
	srv, err := dynamotest.Start(t.Context())
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("no DynamoDB-API server: %v", err)
		}
		t.Skipf("SKIPPED: no DynamoDB-API server (install moto): %v", err)
	}
	t.Cleanup(srv.Stop)
	store := dynamodb.New(srv.Client(), dynamotest.TableName("crossing"), nil).UseAuditKey(storetest.AuditKey)
	if err := store.CreateTable(t.Context()); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	const n = 50
	app := func(i int) string { return fmt.Sprintf("app-crossing-%02d", i) }
	for i := range n {
		id := fmt.Sprintf("task-%02d", i)
		storetest.MustCreate(t, store, app(i), storetest.T0)
		storetest.MustCreateTask(t, store, storetest.Task(id, app(i), "seal", storetest.T0.Add(4*time.Hour), 0))
		if _, err := store.ClaimClerkTask(ctx, id, "clerk-a", storetest.T0); err != nil {
			t.Fatal(err)
		}
	}
	wf := &tokenOnce{taken: map[string]kaiban.Decision{}}
	won := make([][]kaiban.Decision, n)
	refused := make([]int, n)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range n {
		id := fmt.Sprintf("task-%02d", i)
		for _, d := range []kaiban.Decision{kaiban.DecisionComplete, kaiban.DecisionReject} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				now := storetest.T0.Add(time.Minute)
				after, _ := json.Marshal(map[string]any{"taskId": id, "decision": d})
				task, err := kaiban.ResolveClerkTaskAudited(ctx, store, id, "clerk-a", kaiban.Resolution{Decision: d}, now,
					kaiban.AuditEvent{ApplicationID: app(i), Time: now, Actor: "clerk:clerk-a", Action: "task.resolved", After: after})
				mu.Lock()
				defer mu.Unlock()
				switch {
				case kaiban.IsName(err, kaiban.ErrTaskResolved):
					refused[i]++
					return
				case err != nil:
					t.Errorf("%s %s: %v", id, d, err)
					return
				}
				won[i] = append(won[i], d)
				if _, err := delivery.Deliver(ctx, store, wf, task, kaiban.ClerkIdentity{Sub: "clerk-a"}, now); err != nil {
					t.Errorf("deliver %s: %v", id, err)
				}
			}()
		}
	}
	wg.Wait()

	audited := map[string][]kaiban.Decision{}
	for i := range n {
		events, err := store.ListAudit(ctx, app(i))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range events {
			var a struct {
				TaskID   string          `json:"taskId"`
				Decision kaiban.Decision `json:"decision"`
			}
			if e.Action == "task.resolved" && json.Unmarshal(e.After, &a) == nil {
				audited[a.TaskID] = append(audited[a.TaskID], a.Decision)
			}
		}
		if err := store.VerifyAudit(ctx, app(i)); err != nil {
			t.Errorf("audit trail of %s: %v", app(i), err)
		}
	}
	for i := range n {
		id := fmt.Sprintf("task-%02d", i)
		got, err := store.GetClerkTask(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(won[i]) != 1 || refused[i] != 1 || got.Decision != won[i][0] || len(audited[id]) != 1 || audited[id][0] != got.Decision ||
			wf.taken["sfn-token-"+id] != got.Decision || got.DeliveredAt == nil {
			t.Errorf("%s: won %v, refused %d, stored %q, audited %v, workflow took %q, delivered %v",
				id, won[i], refused[i], got.Decision, audited[id], wf.taken["sfn-token-"+id], got.DeliveredAt)
		}
	}
}
