package engine

import (
	"context"
	"testing"
	"time"
)

// TestParallelDoesNotWaitForLateHelpers: a Parallel state whose branches
// the parent thread has run itself goes on without waiting for the helper
// goroutines it started to be scheduled (on a loaded machine that wait
// was the long tail of the benchmark's executions). Here the helpers are
// held back until the execution has ended.
func TestParallelDoesNotWaitForLateHelpers(t *testing.T) {
	e := newTestEngine(t, Options{Handlers: benchHandlers()})
	gate := make(chan struct{})
	e.helperGate = gate
	defer close(gate)
	arn := mustCreate(t, e, "bench", readTestdata(t, "bench.asl.json"))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	x, err := e.StartExecution(ctx, arn, "", readTestdata(t, "input.json"))
	if err != nil {
		t.Fatal(err)
	}
	x, err = e.Wait(ctx, x.Arn)
	if err != nil {
		t.Fatalf("the execution did not end while the Parallel state's helper was not scheduled: %v", err)
	}
	if x.Status != StatusSucceeded {
		t.Fatalf("status %s: %s %s", x.Status, x.Error, x.Cause)
	}
}
