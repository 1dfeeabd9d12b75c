package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kaiban/kaiban/workflow/engine"
)

// benchResult is the one JSON line bench prints.
type benchResult struct {
	Executions          int     `json:"executions"`
	Seconds             float64 `json:"seconds"`
	ExecutionsPerSecond float64 `json:"executionsPerSecond"`
	P50Ms               float64 `json:"p50Ms"`
	P99Ms               float64 `json:"p99Ms"`
}

// benchCommand runs N executions of a mocked definition, C at a time, and
// prints throughput and latency percentiles. It is how anyone measures a
// state machine on the engine without writing Go.
func benchCommand(ctx context.Context, e env, args []string) int {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	input := fs.String("input", "", "input JSON file")
	var mf mockFlags
	fs.StringVar(&mf.config, "mock-config", "", "Step Functions Local mock configuration file")
	fs.StringVar(&mf.testCase, "test-case", "", "test case in the mock configuration")
	fs.StringVar(&mf.machine, "state-machine", "", "state machine in the mock configuration (default: the only one)")
	n := fs.Int("n", 10000, "executions to measure")
	concurrency := fs.Int("concurrency", 1, "executions in flight at once")
	warmup := fs.Int("warmup", 500, "executions run first and not measured")
	durable := fs.String("durable", "", "directory for a durable (SQLite) engine; default in memory")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the measured executions to this file")
	memProfile := fs.String("memprofile", "", "write a profile of the measured executions' allocations to this file")
	retain := fs.Int("retain", 1000, "finished executions an in-memory engine keeps (with their history); the rest are forgotten, oldest first")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return e.report(err)
	}
	switch {
	case len(pos) != 1:
		return e.report(invalidf("bench takes one DEFINITION file (got %d arguments)", len(pos)))
	case *input == "" || mf.config == "" || mf.testCase == "":
		return e.report(invalidf("bench needs --input, --mock-config and --test-case"))
	case *n < 1 || *concurrency < 1 || *warmup < 0 || *retain < 1:
		return e.report(invalidf("-n, --concurrency and --retain must be at least 1, --warmup at least 0"))
	}
	j, err := e.prepare(pos[0], *input, mf)
	if err != nil {
		return e.report(err)
	}
	log, err := e.logger()
	if err != nil {
		return e.report(err)
	}
	// The engine keeps only the newest finished executions, as a
	// long-running local engine does: what is measured is running
	// executions, not holding every history of the run in memory.
	opts := engine.Options{Logger: log, Invoker: j.mocks.invoke, RetainExecutions: *retain}
	if *durable != "" {
		if err := os.MkdirAll(*durable, 0o755); err != nil {
			return e.report(invalidf("--durable: %v", err))
		}
		// A fresh database per run, removed afterwards: the benchmark
		// measures writing history, not reading an old one.
		opts.DBPath = filepath.Join(*durable, fmt.Sprintf("sfnlocal-bench-%d.db", time.Now().UnixNano()))
		defer removeDB(opts.DBPath)
	}
	eng, err := engine.New(ctx, opts)
	if err != nil {
		return e.report(fmt.Errorf("starting the engine: %w", err))
	}
	defer eng.Close() // runs before removeDB

	sm, err := eng.CreateStateMachine(ctx, j.name, string(j.definition), roleArn)
	if err != nil {
		return e.report(apiFailure("creating the state machine", err))
	}
	if _, err := benchRun(ctx, eng, sm.Arn, j.input, *warmup, *concurrency); err != nil {
		return e.report(err)
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return e.report(invalidf("--cpuprofile: %v", err))
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return e.report(invalidf("--cpuprofile: %v", err))
		}
	}
	if *memProfile != "" {
		runtime.GC() // the profile then counts the measured executions' allocations from here
		runtime.MemProfileRate = 4096
	}
	start := time.Now()
	lat, err := benchRun(ctx, eng, sm.Arn, j.input, *n, *concurrency)
	secs := time.Since(start).Seconds()
	if *cpuProfile != "" {
		pprof.StopCPUProfile()
	}
	if *memProfile != "" {
		if err := writeAllocs(*memProfile); err != nil {
			return e.report(invalidf("--memprofile: %v", err))
		}
	}
	if err != nil {
		return e.report(err)
	}
	b, _ := json.Marshal(benchResult{
		Executions:          *n,
		Seconds:             round(secs, 4),
		ExecutionsPerSecond: round(float64(*n)/secs, 1),
		P50Ms:               round(percentile(lat, 0.50), 3),
		P99Ms:               round(percentile(lat, 0.99), 3),
	})
	fmt.Fprintf(e.stdout, "%s\n", b)
	return exitOK
}

// benchRun runs n executions with c in flight and returns each one's
// latency (start to finish). Any execution that does not succeed stops the
// benchmark: a fast wrong answer is not a result.
func benchRun(ctx context.Context, svc engine.Service, smArn, input string, n, c int) ([]time.Duration, error) {
	lat := make([]time.Duration, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	var once sync.Once
	var firstErr error
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for range min(c, max(n, 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n || ctx.Err() != nil {
					return
				}
				t0 := time.Now()
				err := benchOne(ctx, svc, smArn, input)
				lat[i] = time.Since(t0)
				if err != nil {
					once.Do(func() { firstErr = err; cancel() })
					return
				}
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return lat, nil
}

// runner is a service that starts an execution and waits for it in one
// call (the local engine): with many executions in flight, enough others
// can finish between StartExecution and Wait for an in-memory engine to
// have forgotten the execution (--retain) by the time Wait looks it up.
type runner interface {
	RunExecution(ctx context.Context, stateMachineArn, name, input string) (engine.Execution, error)
}

func benchOne(ctx context.Context, svc engine.Service, smArn, input string) error {
	var ex engine.Execution
	var err error
	if r, ok := svc.(runner); ok {
		if ex, err = r.RunExecution(ctx, smArn, "", input); err != nil {
			return apiFailure("running an execution", err)
		}
	} else {
		if ex, err = svc.StartExecution(ctx, smArn, "", input); err != nil {
			return apiFailure("starting an execution", err)
		}
		if ex, err = svc.Wait(ctx, ex.Arn); err != nil {
			return fmt.Errorf("waiting for an execution: %w", err)
		}
	}
	if ex.Status != engine.StatusSucceeded {
		return fmt.Errorf("%w: %s ended %s: %s: %s", errExecutionFailed, ex.Name, ex.Status, ex.Error, ex.Cause)
	}
	return nil
}

// percentile is the nearest-rank percentile of lat, in milliseconds.
func percentile(lat []time.Duration, p float64) float64 {
	if len(lat) == 0 {
		return 0
	}
	s := slices.Clone(lat)
	slices.Sort(s)
	rank := int(math.Ceil(p*float64(len(s)))) - 1
	rank = max(0, min(rank, len(s)-1))
	return float64(s[rank]) / float64(time.Millisecond)
}

// removeDB deletes a SQLite database and its WAL files.
func removeDB(path string) {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		_ = os.Remove(path + suffix)
	}
}

func round(v float64, digits int) float64 {
	f := math.Pow(10, float64(digits))
	return math.Round(v*f) / f
}

// writeAllocs writes the allocation profile (sampled) to path.
func writeAllocs(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
