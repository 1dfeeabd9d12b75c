package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/kaiban/kaiban/workflow/engine"
	"github.com/kaiban/kaiban/workflow/engine/sfnapi"
)

// runCommand executes a definition once and prints its output (exit 0) or
// its {"Error","Cause"} (exit 1).
func runCommand(ctx context.Context, e env, args []string) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	input := fs.String("input", "", "input JSON file, - for stdin (default {})")
	var mf mockFlags
	fs.StringVar(&mf.config, "mock-config", "", "Step Functions Local mock configuration file")
	fs.StringVar(&mf.testCase, "test-case", "", "test case in the mock configuration")
	fs.StringVar(&mf.machine, "state-machine", "", "state machine in the mock configuration (default: the only one)")
	history := fs.Bool("history", false, "print the execution history (GetExecutionHistory's JSON) on stderr")
	realTime := fs.Bool("real-time", false, "wait in wall-clock time instead of jumping the clock to the next timer")
	s3 := s3Dirs{}
	fs.Var(s3, "s3-dir", "bucket=PATH: a local folder standing for an S3 bucket (distributed Map's ItemReader and ResultWriter); repeatable")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return e.report(err)
	}
	if len(pos) != 1 {
		return e.report(invalidf("run takes one DEFINITION file (got %d arguments)", len(pos)))
	}
	j, err := e.prepare(pos[0], *input, mf)
	if err != nil {
		return e.report(err)
	}
	log, err := e.logger()
	if err != nil {
		return e.report(err)
	}
	opts := engine.Options{Logger: log, Clock: engine.NewVirtualClock(time.Now()), S3Dirs: s3}
	if *realTime {
		opts.Clock = engine.RealClock{}
	}
	if j.mocks != nil {
		opts.Invoker = j.mocks.invoke
	}
	eng, err := engine.New(ctx, opts)
	if err != nil {
		return e.report(fmt.Errorf("starting the engine: %w", err))
	}
	defer eng.Close()

	ex, err := runOnce(ctx, eng, j)
	if err != nil {
		return e.report(err)
	}
	if *history {
		events, err := eng.GetExecutionHistory(ctx, ex.Arn)
		if err != nil {
			return e.report(fmt.Errorf("reading the history: %w", err))
		}
		b, err := sfnapi.MarshalHistory(events)
		if err != nil {
			return e.report(fmt.Errorf("encoding the history: %w", err))
		}
		fmt.Fprintf(e.stderr, "%s\n", b)
	}
	if ex.Status == engine.StatusSucceeded {
		fmt.Fprintln(e.stdout, ex.Output)
		return exitOK
	}
	b, _ := json.Marshal(struct {
		Error string `json:"Error"`
		Cause string `json:"Cause"`
	}{ex.Error, ex.Cause})
	fmt.Fprintf(e.stdout, "%s\n", b)
	return exitFailed
}

// runOnce creates the state machine, starts one execution and waits for it.
func runOnce(ctx context.Context, svc engine.Service, j *job) (engine.Execution, error) {
	sm, err := svc.CreateStateMachine(ctx, j.name, string(j.definition), roleArn)
	if err != nil {
		return engine.Execution{}, apiFailure("creating the state machine", err)
	}
	ex, err := svc.StartExecution(ctx, sm.Arn, "", j.input)
	if err != nil {
		return engine.Execution{}, apiFailure("starting the execution", err)
	}
	ex, err = svc.Wait(ctx, ex.Arn)
	if err != nil {
		return engine.Execution{}, fmt.Errorf("waiting for the execution: %w", err)
	}
	return ex, nil
}

// apiFailure keeps the engine's verdict on the caller's files (an
// APIError such as InvalidDefinition or InvalidExecutionInput) as exit 2.
func apiFailure(doing string, err error) error {
	var ae *engine.APIError
	if errors.As(err, &ae) {
		return invalidf("%s: %s: %s", doing, ae.Code, ae.Message)
	}
	return fmt.Errorf("%s: %w", doing, err)
}
