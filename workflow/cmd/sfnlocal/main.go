// Command sfnlocal runs Amazon States Language state machines on the local
// engine (workflow/engine), the same definition files that are deployed to
// AWS Step Functions.
//
//	sfnlocal run DEFINITION [--input FILE|-] [--mock-config FILE --test-case NAME [--state-machine NAME]] [--history] [--real-time]
//	sfnlocal validate DEFINITION
//	sfnlocal bench DEFINITION --input FILE --mock-config FILE --test-case NAME [-n N] [--concurrency C] [--warmup W] [--durable DIR] [--retain R] [--cpuprofile FILE] [--memprofile FILE]
//	sfnlocal serve [--addr 127.0.0.1:8083] [--db FILE] [--definitions DIR] [--mock-config FILE --test-case NAME]
//
// run prints the output on stdout and exits 0, or prints {"Error","Cause"}
// and exits 1; it exits 2 when the definition, input or mock configuration
// is unusable. Mock configurations use AWS Step Functions Local's format,
// so existing test files work unchanged. run uses a virtual clock, so
// waits and retry back-offs take no wall-clock time (--real-time to wait).
//
// main only wires the process (signals, arguments, environment, streams)
// to run, which tests drive directly.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

// gcPercent is sfnlocal's garbage-collection target (GOGC) unless the
// environment sets one. The engine allocates fast while its live heap
// (running executions and the retained histories) stays small, so at
// Go's default of 100 the collector runs dozens of times a second and
// marks that heap each time. At 200 it runs half as often; a higher
// target saves little more once the heap has grown, and makes a fresh
// process fault in a larger heap first (measured on the benchmark
// definition: 400 was 15 % slower over the first 20,000 executions and
// 3 % faster after them).
const gcPercent = 200

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
