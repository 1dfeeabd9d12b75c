package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/kaiban/kaiban/workflow/engine"
	"github.com/kaiban/kaiban/workflow/engine/sfnapi"
)

// shutdownGrace bounds how long in-flight API calls may take once the
// process is asked to stop.
const shutdownGrace = 10 * time.Second

// serveCommand serves the Step Functions API until ctx ends (SIGINT or
// SIGTERM in main), then drains requests and closes the engine.
func serveCommand(ctx context.Context, e env, args []string) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8083", "loopback address to listen on")
	db := fs.String("db", "", "SQLite file for durable executions (default: in memory)")
	defs := fs.String("definitions", "", "directory of *.asl.json definitions to create at start")
	s3 := s3Dirs{}
	fs.Var(s3, "s3-dir", "bucket=PATH: a local folder standing for an S3 bucket (distributed Map); repeatable")
	var mf mockFlags
	fs.StringVar(&mf.config, "mock-config", "", "Step Functions Local mock configuration answering Task states")
	fs.StringVar(&mf.testCase, "test-case", "", "test case in the mock configuration")
	fs.StringVar(&mf.machine, "state-machine", "", "state machine in the mock configuration (default: the only one)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return e.report(err)
	}
	if len(pos) != 0 {
		return e.report(invalidf("serve takes no arguments (got %q)", pos))
	}
	if err := checkLoopback(*addr); err != nil {
		return e.report(err)
	}
	mocks, err := e.loadMocks(mf)
	if err != nil {
		return e.report(err)
	}
	log, err := e.logger()
	if err != nil {
		return e.report(err)
	}
	eng, err := engine.New(ctx, engine.Options{DBPath: *db, Logger: log, Invoker: serveInvoker(mocks), S3Dirs: s3})
	if err != nil {
		return e.report(fmt.Errorf("starting the engine: %w", err))
	}
	defer eng.Close()
	if *defs != "" {
		if err := createDefinitions(ctx, e, eng, *defs); err != nil {
			return e.report(err)
		}
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return e.report(fmt.Errorf("listening on %s: %w", *addr, err))
	}
	srv := &http.Server{
		Handler:           sfnapi.NewHandler(eng, sfnapi.WithLogger(log)),
		ReadHeaderTimeout: 10 * time.Second,
	}
	fmt.Fprintf(e.stdout, "sfnlocal: Step Functions API on http://%s\n", ln.Addr())

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return e.report(fmt.Errorf("serving: %w", err))
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return e.report(fmt.Errorf("shutting down: %w", err))
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return e.report(fmt.Errorf("serving: %w", err))
	}
	fmt.Fprintln(e.stdout, "sfnlocal: stopped")
	return exitOK
}

// serveInvoker answers Task states for the server, which has no Go
// handlers: a mocked state gets its mock; an unmocked .waitForTaskToken
// state waits for SendTaskSuccess/SendTaskFailure through the API (its
// token is in the TaskScheduled event's parameters), which is how a local
// stack drives callbacks; any other Task fails the execution with
// States.Runtime naming the state, so the gap is visible.
func serveInvoker(mocks *mockCase) engine.TaskInvoker {
	return func(ctx context.Context, call engine.TaskCall) (json.RawMessage, error) {
		if mocks != nil && mocks.states[call.StateName] != nil {
			return mocks.invoke(ctx, call)
		}
		if call.TaskToken != "" {
			return nil, engine.ErrWaitForTaskToken
		}
		return nil, &engine.TaskError{Name: engine.ErrRuntime, Cause: fmt.Sprintf("sfnlocal serve: Task state %q (%s) has no mock; give it one with --mock-config", call.StateName, call.Resource)}
	}
}

// checkLoopback refuses non-loopback addresses: the API, like Step
// Functions Local, has no authentication.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return invalidf("--addr %q: %v", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return invalidf("--addr %q: the API is unauthenticated, so it listens on loopback only (127.0.0.1 or [::1])", addr)
	}
	return nil
}

// createDefinitions creates a state machine for every *.asl.json (or
// *.json) file in dir, named after the file. A state machine that already
// exists in a durable database is left as it is.
func createDefinitions(ctx context.Context, e env, svc engine.Service, dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return invalidf("--definitions: %v", err)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	for _, ent := range entries {
		if ent.IsDir() || !strings.HasSuffix(ent.Name(), ".json") {
			continue
		}
		path := filepath.Join(dir, ent.Name())
		def, err := os.ReadFile(path)
		if err != nil {
			return invalidf("%v", err)
		}
		if err := validateDefinition(def); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		sm, err := svc.CreateStateMachine(ctx, machineName(path, ""), string(def), roleArn)
		var ae *engine.APIError
		switch {
		case errors.As(err, &ae) && ae.Code == "StateMachineAlreadyExists":
			fmt.Fprintf(e.stderr, "sfnlocal: %s: kept the existing state machine (%s)\n", path, ae.Message)
		case err != nil:
			return fmt.Errorf("%s: %w", path, apiFailure("creating the state machine", err))
		default:
			fmt.Fprintf(e.stdout, "sfnlocal: created %s\n", sm.Arn)
		}
	}
	return nil
}
