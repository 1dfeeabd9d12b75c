package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/sirupsen/logrus"
)

// Exit codes. Scripts rely on them: 1 means the state machine ran and
// failed, 2 means it could not be run as given.
const (
	exitOK       = 0
	exitFailed   = 1 // the execution failed, timed out or was aborted
	exitInvalid  = 2 // bad usage, definition, input or mock configuration
	exitInternal = 3 // the engine could not do its job (I/O, database)
)

const usage = `usage: sfnlocal <command> [arguments]

commands:
  run DEFINITION [--input FILE|-] [--mock-config FILE --test-case NAME [--state-machine NAME]] [--history] [--real-time] [--s3-dir BUCKET=PATH]...
  validate DEFINITION
  bench DEFINITION --input FILE --mock-config FILE --test-case NAME [-n N] [--concurrency C] [--warmup W] [--durable DIR] [--retain R] [--cpuprofile FILE] [--memprofile FILE]
  serve [--addr 127.0.0.1:8083] [--db FILE] [--definitions DIR] [--s3-dir BUCKET=PATH]... [--mock-config FILE --test-case NAME [--state-machine NAME]]

exit status: 0 success, 1 execution failed, 2 invalid usage or input, 3 internal error
environment: SFNLOCAL_LOG_LEVEL (default warn) sets the engine's log level;
  GOGC (default 200 here, Go's is 100) trades memory for less garbage-collection work
`

// env is what every command gets from the process.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// run is the whole program; main only supplies the process's context,
// arguments, environment and streams, so tests drive the real thing.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitInvalid
	}
	var cmd func(context.Context, env, []string) int
	switch args[0] {
	case "run":
		cmd = runCommand
	case "validate":
		cmd = validateCommand
	case "bench":
		cmd = benchCommand
	case "serve":
		cmd = serveCommand
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	default:
		fmt.Fprintf(stderr, "sfnlocal: unknown command %q\n\n%s", args[0], usage)
		return exitInvalid
	}
	return cmd(ctx, e, args[1:])
}

// errInvalid marks errors that are the caller's to fix (exit 2);
// errExecutionFailed marks an execution that ran and failed (exit 1).
var (
	errInvalid         = errors.New("invalid")
	errExecutionFailed = errors.New("execution failed")
)

func invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errInvalid}, args...)...)
}

// report prints err and returns the exit code it deserves.
func (e env) report(err error) int {
	msg := strings.TrimPrefix(err.Error(), errInvalid.Error()+": ")
	fmt.Fprintln(e.stderr, "sfnlocal:", msg)
	switch {
	case errors.Is(err, errInvalid):
		return exitInvalid
	case errors.Is(err, errExecutionFailed):
		return exitFailed
	}
	return exitInternal
}

// parseArgs parses flags that may come before or after the positional
// arguments (`run def.json --input x` and `run --input x def.json`), which
// the flag package alone does not allow.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, invalidf("%s: %v", fs.Name(), err)
		}
		if fs.NArg() == 0 {
			return positional, nil
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// readInput reads a file, or stdin for "-".
func (e env) readInput(name string) ([]byte, error) {
	if name == "-" {
		b, err := io.ReadAll(e.stdin)
		if err != nil {
			return nil, fmt.Errorf("reading stdin: %w", err)
		}
		return b, nil
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, invalidf("%v", err)
	}
	return b, nil
}

// logger logs to stderr at SFNLOCAL_LOG_LEVEL (default warn).
func (e env) logger() (*logrus.Logger, error) {
	l := logrus.New()
	l.SetOutput(e.stderr)
	l.SetLevel(logrus.WarnLevel)
	if s := e.getenv("SFNLOCAL_LOG_LEVEL"); s != "" {
		lvl, err := logrus.ParseLevel(s)
		if err != nil {
			return nil, invalidf("SFNLOCAL_LOG_LEVEL: %v", err)
		}
		l.SetLevel(lvl)
	}
	return l, nil
}
