package drills

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// TestCrossingDecisionsDrill sends, for each of 50 clerk tasks, two
// conflicting decisions (complete and reject) from the same clerk at the
// same moment, against the local stack (SQLite store, our engine). Exactly
// one of each pair may answer 200 and the other 409, and for every task the
// stored decision, its audit event and what the workflow then did (the
// application COMPLETED with the seal done by hand, or REJECTED) must
// agree. The same race is run against all three stores at the store level
// by the contract case ClerkDecisions/CrossingResolutionsHaveOneWinner.
func TestCrossingDecisionsDrill(t *testing.T) {
	const n = 50
	f := startFaultStack(t)
	sealed := editForm(t, func(form map[string]any) {
		addr := form["company"].(map[string]any)["address"].(map[string]any)
		addr["detail"] = "沈阳市浑南区创新路196号封存楼2门1203室"
	})
	ids := make([]string, n)
	for i := range ids {
		ids[i] = f.http.submit(sealed, fmt.Sprintf("crossing-%d", i)).ID
	}
	f.until("a seal task per application", ids, time.Second, 10*time.Minute, func(a *kaiban.Application) bool {
		_, open := f.openTask(a.ID)
		return open
	})

	type answer struct {
		decision kaiban.Decision
		code     int
	}
	answers := make([][]answer, n)
	var wg sync.WaitGroup
	for i, id := range ids {
		task, _ := f.openTask(id)
		if r := f.http.do(request{method: http.MethodPost, path: "/v1/clerk/tasks/" + task.ID + "/claim", bearer: f.clerk}); r.code != http.StatusOK {
			t.Fatalf("claim %s: HTTP %d %s", task.ID, r.code, r.body)
		}
		var mu sync.Mutex
		start := make(chan struct{})
		for _, d := range []kaiban.Decision{kaiban.DecisionComplete, kaiban.DecisionReject} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				body := fmt.Sprintf(`{"decision":%q,"note":"演练","data":{"filingCode":"D-%d"}}`, d, i)
				r := f.http.do(request{method: http.MethodPost, path: "/v1/clerk/tasks/" + task.ID + "/resolve", bearer: f.clerk, body: []byte(body)})
				mu.Lock()
				answers[i] = append(answers[i], answer{d, r.code})
				mu.Unlock()
			}()
		}
		close(start)
	}
	wg.Wait()

	f.until("every application decided", ids, time.Second, 30*time.Minute, func(a *kaiban.Application) bool {
		return a.Status == kaiban.AppCompleted || a.Status == kaiban.AppRejected
	})
	ctx := context.Background()
	completed, rejected := 0, 0
	for i, id := range ids {
		var winner kaiban.Decision
		ok, conflicts := 0, 0
		for _, a := range answers[i] {
			switch a.code {
			case http.StatusOK:
				ok++
				winner = a.decision
			case http.StatusConflict:
				conflicts++
			default:
				t.Errorf("%s: %s answered %d", id, a.decision, a.code)
			}
		}
		if ok != 1 || conflicts != 1 {
			t.Errorf("%s: %d answered 200 and %d answered 409, want one each", id, ok, conflicts)
			continue
		}
		tasks, err := f.st.Store.ListClerkTasks(ctx, kaiban.TaskFilter{Track: string(kaiban.TrackSeal), Status: kaiban.TaskResolved, Limit: kaiban.MaxListLimit})
		if err != nil {
			t.Fatal(err)
		}
		var stored kaiban.ClerkTask
		for _, tk := range tasks {
			if tk.ApplicationID == id {
				stored = tk
			}
		}
		events, err := f.st.Store.ListAudit(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var audited []kaiban.Decision
		for _, e := range events {
			var after struct {
				Decision kaiban.Decision `json:"decision"`
			}
			if e.Action == "task.resolved" && json.Unmarshal(e.After, &after) == nil {
				audited = append(audited, after.Decision)
			}
		}
		app, err := f.st.Store.GetApplication(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		did := kaiban.DecisionReject
		if app.Status == kaiban.AppCompleted {
			did = kaiban.DecisionComplete
			completed++
		} else {
			rejected++
		}
		if stored.Decision != winner || len(audited) != 1 || audited[0] != winner || did != winner || stored.DeliveredAt == nil {
			t.Errorf("%s: answered 200 for %s; stored %q (delivered %v); audited %v; the workflow %s the application",
				id, winner, stored.Decision, stored.DeliveredAt, audited, app.Status)
		}
	}
	t.Logf("50 tasks, two crossing decisions each: %d completed by hand, %d rejected; one 200 and one 409 each; store, audit and workflow agree", completed, rejected)
}
