package engine

import "testing"

// TestBenchDefinition runs the shared benchmark definition end to end:
// the output every benchmark relies on.
func TestBenchDefinition(t *testing.T) {
	e := newTestEngine(t, Options{Handlers: benchHandlers()})
	arn := mustCreate(t, e, "bench", readTestdata(t, "bench.asl.json"))
	x := runToEnd(t, e, arn, readTestdata(t, "input.json"))
	if x.Status != StatusSucceeded {
		t.Fatalf("status %s: %s %s", x.Status, x.Error, x.Cause)
	}
	want := `{"company":{"name":"Acme","country":"GB","type":"LTD"},"key":"Acme-GB","validation":{"valid":true},
		"checks":[{"nameFree":true},{"kyc":"passed"}],"record":{"id":"Acme-GB"}}`
	if !jsonEq(t, x.Output, want) {
		t.Errorf("output\n got %s\nwant %s", x.Output, want)
	}
	h := historyOf(t, e, x.Arn)
	types := eventTypes(h)
	for _, want := range []string{"ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionSucceeded", "ParallelStateStarted", "ParallelStateSucceeded", "ChoiceStateExited", "SucceedStateExited", "ExecutionSucceeded"} {
		if !contains(types, want) {
			t.Errorf("history lacks %s: %v", want, types)
		}
	}
	for i, ev := range h {
		if ev.ID != int64(i+1) {
			t.Fatalf("event %d has id %d", i, ev.ID)
		}
		if i > 0 && (ev.PreviousEventID <= 0 || ev.PreviousEventID >= ev.ID) {
			t.Errorf("event %d (%s) previousEventId %d", ev.ID, ev.Type, ev.PreviousEventID)
		}
	}
}
