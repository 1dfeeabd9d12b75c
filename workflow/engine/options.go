package engine

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/sirupsen/logrus"
)

// DefaultMaxPayloadBytes is Step Functions' payload quota (256 KiB).
const DefaultMaxPayloadBytes = 256 * 1024

// DefaultRetainExecutions is how many finished executions an in-memory
// engine keeps (with their history) before forgetting the oldest.
const DefaultRetainExecutions = 10000

// Options configures New.
type Options struct {
	Clock Clock // nil → RealClock
	// DBPath "" runs in memory (nothing survives Close); otherwise the
	// SQLite file holding state machines, executions and their history.
	DBPath string
	// Handlers maps Lambda function names to Go handlers. A function ARN
	// resolves by the name after "function:", without ":alias" or version.
	Handlers map[string]Handler
	// Substitutions replace ${Name} in definitions, like SAM's
	// DefinitionSubstitutions.
	Substitutions map[string]string
	// Invoker, if set, runs every Task state instead of Handlers (the
	// CLI's mock configuration uses it).
	Invoker TaskInvoker
	Logger  *logrus.Logger // nil → discard
	// MaxPayloadBytes bounds state input, output and task results;
	// 0 → DefaultMaxPayloadBytes. Larger → States.DataLimitExceeded.
	MaxPayloadBytes int
	// RetainExecutions bounds how many finished executions an in-memory
	// engine keeps; 0 → DefaultRetainExecutions, < 0 → no bound. A durable
	// engine keeps history in its database and ignores it.
	RetainExecutions int
	// JitterSeed, when non-zero, makes Retry's FULL jitter a function of
	// (seed, execution name, branch, state, attempt), so a simulation
	// replayed with the same seed waits exactly as long; 0 draws at random
	// as AWS does.
	JitterSeed uint64
	// Admission, if set, decides when each execution (started or
	// resumed) runs its first state; StartExecution has recorded it and
	// returned by then. It lets a process that also serves people defer
	// new workflow work while it is short of CPU; nil runs every
	// execution at once, as Step Functions does.
	Admission Admitter
	// S3Dirs maps S3 bucket names to local folders, where a distributed
	// Map's ItemReader reads objects (a key is a path below the folder)
	// and its ResultWriter writes. A bucket not listed fails the state
	// with States.ItemReaderFailed or States.ResultWriterFailed.
	S3Dirs map[string]string
}

// Admitter lets executions begin. Admit returns when the execution may
// run, or with ctx's error when the execution or the engine ends first.
type Admitter interface {
	Admit(ctx context.Context) error
}

// SaturationReporter is an Admitter that also says when the process is
// saturated (it is holding executions back). The durable engine then
// holds its journal's checkpoints back too, so their fsyncs do not take a
// core from the work people wait for; see journal.DB.DeferCheckpointsWhile.
type SaturationReporter interface {
	Admitter
	Saturated() bool
}

// TaskCall is one invocation of a Task state.
type TaskCall struct {
	ExecutionArn     string
	StateMachineName string
	StateName        string
	Resource         string
	// Invocation counts this state's invocations in this execution from 0,
	// retries included.
	Invocation int
	// Input is the task's effective input (after InputPath and
	// Parameters). For arn:aws:states:::lambda:invoke it is the whole
	// request ({"FunctionName":…,"Payload":…}).
	Input json.RawMessage
	// TaskToken is set for .waitForTaskToken resources.
	TaskToken string
}

// TaskInvoker runs a Task state and returns its raw result (what
// ResultSelector and ResultPath see). A returned error fails the task,
// named as Handler errors are. For a .waitForTaskToken resource, return
// ErrWaitForTaskToken to make the state wait for SendTaskSuccess or
// SendTaskFailure; any other result completes the task at once. The
// engine only reads the returned bytes and may keep them (in the
// history), so the invoker must not change them afterwards; it may
// return the same bytes to many calls.
type TaskInvoker func(ctx context.Context, call TaskCall) (json.RawMessage, error)

// ErrWaitForTaskToken is returned by a TaskInvoker to say "the work was
// handed off; wait for the task token".
var ErrWaitForTaskToken = errors.New("engine: wait for task token")

// TaskError is a task failure with an explicit Step Functions error name,
// for invokers and handlers that do not have their own error types. Its
// Error method returns Cause only, so the failure's Cause is exactly
// Cause.
type TaskError struct {
	Name  string
	Cause string
}

func (e *TaskError) Error() string { return e.Cause }

// ErrorName reports Name.
func (e *TaskError) ErrorName() string { return e.Name }
