// Command sfnlocal runs Amazon States Language state machines on the local
// engine: once (run), as a check (validate), as a benchmark (bench) or as a
// Step Functions API server (serve). main only wires the process to run.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
