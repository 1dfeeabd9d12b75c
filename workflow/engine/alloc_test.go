package engine

import (
	"context"
	"runtime"
	"testing"
)

// TestExecutionAllocations bounds the heap allocations of one in-memory
// execution of the shared benchmark definition (its handlers' included).
// Allocation is what the in-memory benchmark's profile is made of (the
// allocator and the garbage collector), so a change that brings back an
// allocation per event or per state shows here as a failure rather than
// as a slower benchmark on a noisy machine.
func TestExecutionAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes what allocates; allocations are counted without it")
	}
	e := newTestEngine(t, Options{Handlers: benchHandlers(), RetainExecutions: 100})
	arn := mustCreate(t, e, "bench", readTestdata(t, "bench.asl.json"))
	input := readTestdata(t, "input.json")
	ctx := context.Background()
	run := func() {
		x, err := e.StartExecution(ctx, arn, "", input)
		if err != nil {
			t.Fatal(err)
		}
		if x, err = e.Wait(ctx, x.Arn); err != nil || x.Status != StatusSucceeded {
			t.Fatalf("execution: %v %s %s", err, x.Status, x.Cause)
		}
	}
	for range 200 { // fill the retention window and warm the pools
		run()
	}
	const limit = 100
	if got := testing.AllocsPerRun(500, run); got > limit {
		t.Errorf("one execution of the benchmark definition allocates %.0f times, want at most %d", got, limit)
	}
	// Bytes as well: the garbage collector's work grows with them (most
	// are history events, which is why an event is kept small).
	const runs, maxBytes = 500, 15000
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range runs {
		run()
	}
	runtime.ReadMemStats(&after)
	if got := (after.TotalAlloc - before.TotalAlloc) / runs; got > maxBytes {
		t.Errorf("one execution of the benchmark definition allocates %d bytes, want at most %d", got, maxBytes)
	}
}
