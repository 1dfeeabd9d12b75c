package engine

import (
	"context"
	"encoding/json"
	"testing"
	"time"
)

// rendezvousDef has two branches whose tasks each wait for the other: the
// execution ends only if both branches run at the same time.
const rendezvousDef = `{
  "StartAt": "Both",
  "States": {
    "Both": {"Type": "Parallel", "End": true, "Branches": [
      {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:meetA", "End": true}}},
      {"StartAt": "B", "States": {"B": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:meetB", "End": true}}}
    ]}
  }
}`

func rendezvousHandlers() map[string]Handler {
	a, b := make(chan struct{}), make(chan struct{})
	meet := func(mine, theirs chan struct{}) Handler {
		return func(ctx context.Context, _ json.RawMessage) (json.RawMessage, error) {
			close(mine)
			select {
			case <-theirs:
				return json.RawMessage(`"met"`), nil
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
	}
	return map[string]Handler{"meetA": meet(a, b), "meetB": meet(b, a)}
}

// TestBranchesThatWaitForEachOtherBothRun: a fan-out runs quick children
// on the parent alone, so a task call that does not return must still
// let its siblings start (the call watcher, on a real clock).
func TestBranchesThatWaitForEachOtherBothRun(t *testing.T) {
	e := newTestEngine(t, Options{Handlers: rendezvousHandlers()})
	arn := mustCreate(t, e, "meet", rendezvousDef)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	x, err := e.RunExecution(ctx, arn, "", `{}`)
	if err != nil {
		t.Fatalf("the branches never met: %v", err)
	}
	if x.Status != StatusSucceeded || x.Output != `["met","met"]` {
		t.Fatalf("status %s output %s: %s %s", x.Status, x.Output, x.Error, x.Cause)
	}
}

// TestQuickBranchesRunOnTheParent: branches that do not wait run on the
// execution's own goroutine; no helper goroutine is started for them
// (but for an execution the machine stalls past the parent's budget,
// so a few are allowed: starting one per Parallel state gives 100).
func TestQuickBranchesRunOnTheParent(t *testing.T) {
	e := newTestEngine(t, Options{Handlers: benchHandlers()})
	arn := mustCreate(t, e, "bench", readTestdata(t, "bench.asl.json"))
	for range 50 {
		if x := runToEnd(t, e, arn, readTestdata(t, "input.json")); x.Status != StatusSucceeded {
			t.Fatalf("status %s: %s %s", x.Status, x.Error, x.Cause)
		}
	}
	if e.pool.spawned.Load() >= 60 { // one per execution (its root thread), none for branches
		t.Fatalf("%d goroutines handed work for 50 executions of two quick branches", e.pool.spawned.Load())
	}
}
