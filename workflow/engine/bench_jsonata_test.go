package engine

import "testing"

// TestBenchJSONataDefinition: the JSONata version of the benchmark
// definition gives the JSONPath version's output.
func TestBenchJSONataDefinition(t *testing.T) {
	e := newTestEngine(t, Options{Handlers: benchHandlers()})
	input := readTestdata(t, "input.json")
	want := runToEnd(t, e, mustCreate(t, e, "bench", readTestdata(t, "bench.asl.json")), input)
	got := runToEnd(t, e, mustCreate(t, e, "bench-jsonata", readTestdata(t, "bench-jsonata.asl.json")), input)
	if got.Status != StatusSucceeded {
		t.Fatalf("status %s: %s %s", got.Status, got.Error, got.Cause)
	}
	if !jsonEq(t, got.Output, want.Output) {
		t.Errorf("output\n got %s\nwant %s", got.Output, want.Output)
	}
}

func benchJSONataEngine(b *testing.B) (*Engine, string, string) {
	b.Helper()
	e := newTestEngine(b, Options{Handlers: benchHandlers(), RetainExecutions: 1000})
	arn := mustCreate(b, e, "bench-jsonata", readTestdata(b, "bench-jsonata.asl.json"))
	return e, arn, readTestdata(b, "input.json")
}

// BenchmarkJSONataInMemorySequential: BenchmarkInMemorySequential on the
// JSONata version of the definition.
func BenchmarkJSONataInMemorySequential(b *testing.B) {
	e, arn, input := benchJSONataEngine(b)
	b.ReportAllocs()
	benchInFlight(b, e, arn, input, 1)
}

// BenchmarkJSONataInMemory100InFlight: BenchmarkInMemory100InFlight on
// the JSONata version of the definition.
func BenchmarkJSONataInMemory100InFlight(b *testing.B) {
	e, arn, input := benchJSONataEngine(b)
	b.ReportAllocs()
	benchInFlight(b, e, arn, input, 100)
}
