package drills

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// TestFailedClerkCompletionGoesBackToAClerk: a completion the track
// handler cannot record (here 17 KB of data sent straight to the workflow,
// past the API's up-front check) must not reject the application: the
// workflow hands the track back to a clerk with the reason, and a second,
// recordable completion finishes the application.
func TestFailedClerkCompletionGoesBackToAClerk(t *testing.T) {
	f := startFaultStack(t)
	sealed := editForm(t, func(form map[string]any) {
		addr := form["company"].(map[string]any)["address"].(map[string]any)
		addr["detail"] = "沈阳市浑南区创新路196号封存楼2门1203室"
	})
	id := f.http.submit(sealed, "complete-too-large").ID
	ids := []string{id}
	f.until("a seal task", ids, time.Second, 10*time.Minute, func(a *kaiban.Application) bool {
		_, open := f.openTask(a.ID)
		return open
	})
	first, _ := f.openTask(id)
	out, err := json.Marshal(kaiban.ClerkOutcome{
		Decision: kaiban.DecisionComplete, Note: "演练",
		Data:  json.RawMessage(`{"x":"` + strings.Repeat("a", 17<<10) + `"}`),
		Clerk: kaiban.ClerkIdentity{Sub: "clerk-drill"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.st.Engine.SendTaskSuccess(context.Background(), first.TaskToken, string(out)); err != nil {
		t.Fatal(err)
	}
	var second kaiban.ClerkTask
	f.until("the seal back with a clerk", ids, time.Second, 10*time.Minute, func(a *kaiban.Application) bool {
		if a.Status == kaiban.AppRejected {
			t.Fatalf("a failed clerk completion rejected the application: %s", a.Message)
		}
		open, err := f.st.Store.OpenTasksFor(context.Background(), a.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, task := range open {
			if task.ID != first.ID {
				second = task
				return true
			}
		}
		return false
	})
	if second.Track != string(kaiban.TrackSeal) || second.Reason == "" {
		t.Errorf("second task %+v, want the seal with the reason", second)
	}
	f.resolve(second, kaiban.DecisionComplete)
	f.until("COMPLETED", ids, time.Second, 10*time.Minute, func(a *kaiban.Application) bool { return a.Status == kaiban.AppCompleted })
}
