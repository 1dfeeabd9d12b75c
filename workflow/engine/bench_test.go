package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// benchEngine returns an engine running bench.asl.json with its trivial
// handlers, and the state machine's ARN.
func benchEngine(b *testing.B, dbPath string) (*Engine, string, string) {
	b.Helper()
	e := newTestEngine(b, Options{Handlers: benchHandlers(), DBPath: dbPath, RetainExecutions: 1000})
	arn := mustCreate(b, e, "bench", readTestdata(b, "bench.asl.json"))
	return e, arn, readTestdata(b, "input.json")
}

func runBench(b *testing.B, e *Engine, arn, input string) {
	ctx := context.Background()
	x, err := e.StartExecution(ctx, arn, "", input)
	if err != nil {
		b.Fatal(err)
	}
	if x, err = e.Wait(ctx, x.Arn); err != nil || x.Status != StatusSucceeded {
		b.Fatalf("execution: %v %s %s", err, x.Status, x.Cause)
	}
}

// benchInFlight runs b.N executions with at most inFlight running at once.
func benchInFlight(b *testing.B, e *Engine, arn, input string, inFlight int) {
	var wg sync.WaitGroup
	work := make(chan struct{})
	for range inFlight {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range work {
				runBench(b, e, arn, input)
			}
		}()
	}
	b.ResetTimer()
	for range b.N {
		work <- struct{}{}
	}
	close(work)
	wg.Wait()
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "executions/s")
}

// BenchmarkInMemorySequential: one execution at a time, in memory.
func BenchmarkInMemorySequential(b *testing.B) {
	e, arn, input := benchEngine(b, "")
	b.ReportAllocs()
	benchInFlight(b, e, arn, input, 1)
}

// BenchmarkInMemory100InFlight: 100 executions in flight, in memory.
func BenchmarkInMemory100InFlight(b *testing.B) {
	e, arn, input := benchEngine(b, "")
	b.ReportAllocs()
	benchInFlight(b, e, arn, input, 100)
}

// BenchmarkDurable8InFlight: 8 in flight, every decision in SQLite.
func BenchmarkDurable8InFlight(b *testing.B) {
	e, arn, input := benchEngine(b, filepath.Join(b.TempDir(), "bench.db"))
	b.ReportAllocs()
	benchInFlight(b, e, arn, input, 8)
}

// BenchmarkWaitingOnTokens holds 10,000 executions waiting for task
// tokens and reports the heap they take (target: ≤ 200 MB RSS).
func BenchmarkWaitingOnTokens(b *testing.B) {
	const n = 10000
	def := `{"StartAt":"Wait","States":{"Wait":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
		"Parameters":{"FunctionName":"park","Payload":{"token.$":"$$.Task.Token","company.$":"$.company"}},"End":true}}}`
	for range b.N {
		b.StopTimer()
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		tokens := make(chan string, n)
		e := newTestEngine(b, Options{Handlers: map[string]Handler{
			"park": func(_ context.Context, in json.RawMessage) (json.RawMessage, error) {
				var v struct{ Token string }
				if err := json.Unmarshal(in, &v); err != nil {
					return nil, err
				}
				tokens <- v.Token
				return json.RawMessage(`{}`), nil
			},
		}})
		arn := mustCreate(b, e, "park", def)
		input := readTestdata(b, "input.json")
		b.StartTimer()
		for i := range n {
			if _, err := e.StartExecution(context.Background(), arn, fmt.Sprint("x", i), input); err != nil {
				b.Fatal(err)
			}
		}
		got := make([]string, 0, n)
		for range n {
			got = append(got, <-tokens)
		}
		b.StopTimer()
		runtime.GC()
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "heapMB")
		if rss, ok := residentMB(); ok {
			b.ReportMetric(rss, "rssMB")
		}
		for _, tok := range got {
			if err := e.SendTaskSuccess(context.Background(), tok, `{"ok":true}`); err != nil {
				b.Fatal(err)
			}
		}
		e.Close()
	}
}

// residentMB reads the process's resident set size (Linux).
func residentMB() (float64, bool) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return float64(kb) / 1024, err == nil
		}
	}
	return 0, false
}
