package engine

// This file is the contract between the engine core (engine.go and friends)
// and its front ends: the Step Functions HTTP API (workflow/engine/sfnapi)
// and the CLI (workflow/cmd/sfnlocal). Names follow the AWS Step Functions
// API so the front ends are a thin mapping.

import (
	"context"
	"encoding/json"
	"time"
)

// Handler is a Go task handler registered under a Lambda function name. It
// gets the task's effective input and returns its result. A returned error
// becomes the task failure: Error is the error's name (ErrorName() string if
// the error has it, otherwise the Go type name as Lambda reports
// errorType), Cause is err.Error(). The engine only reads the returned
// bytes and may keep them (in the history): a handler must not change
// them afterwards, and may return the same bytes to many calls.
type Handler func(ctx context.Context, input json.RawMessage) (json.RawMessage, error)

// Execution status values, as AWS reports them.
const (
	StatusRunning   = "RUNNING"
	StatusSucceeded = "SUCCEEDED"
	StatusFailed    = "FAILED"
	StatusTimedOut  = "TIMED_OUT"
	StatusAborted   = "ABORTED"
)

// StateMachine is a created state machine.
type StateMachine struct {
	Arn          string
	Name         string
	Definition   string // as given, before substitutions
	RoleArn      string
	Type         string // "STANDARD"
	CreationDate time.Time
}

// Execution describes one execution.
type Execution struct {
	Arn             string
	StateMachineArn string
	Name            string
	Status          string
	Input           string
	Output          string // set when SUCCEEDED
	Error           string // set when FAILED, TIMED_OUT or ABORTED
	Cause           string
	StartDate       time.Time
	StopDate        time.Time // zero while RUNNING
}

// HistoryEvent is one entry of an execution's history. Type uses AWS's
// names (ExecutionStarted, TaskStateEntered, TaskScheduled, TaskSucceeded,
// ...). Details holds the event's detail object exactly as AWS would put it
// under e.g. "taskScheduledEventDetails" (DetailsKey says which key).
type HistoryEvent struct {
	ID              int64
	PreviousEventID int64
	Type            string
	Timestamp       time.Time
	DetailsKey      string          // e.g. "taskScheduledEventDetails"; "" when none
	Details         json.RawMessage // the detail object
}

// APIError is an error in the Step Functions API's own vocabulary; Code is
// the AWS error code (StateMachineDoesNotExist, ExecutionDoesNotExist,
// ExecutionAlreadyExists, InvalidDefinition, InvalidName, InvalidArn,
// InvalidExecutionInput, InvalidOutput, InvalidToken, TaskDoesNotExist,
// TaskTimedOut, StateMachineAlreadyExists, ValidationException).
type APIError struct {
	Code    string
	Message string
}

func (e *APIError) Error() string { return e.Code + ": " + e.Message }

// Service is what the engine offers its front ends. *Engine implements it.
type Service interface {
	CreateStateMachine(ctx context.Context, name, definition, roleArn string) (StateMachine, error)
	DescribeStateMachine(ctx context.Context, arn string) (StateMachine, error)
	ListStateMachines(ctx context.Context) ([]StateMachine, error)
	// StartExecution is idempotent by name like AWS: the same name and
	// input return the running or finished execution; the same name with
	// another input is ExecutionAlreadyExists. An empty name gets a UUID.
	StartExecution(ctx context.Context, stateMachineArn, name, input string) (Execution, error)
	DescribeExecution(ctx context.Context, executionArn string) (Execution, error)
	// ListExecutions lists newest first; status "" means all.
	ListExecutions(ctx context.Context, stateMachineArn, status string) ([]Execution, error)
	GetExecutionHistory(ctx context.Context, executionArn string) ([]HistoryEvent, error)
	StopExecution(ctx context.Context, executionArn, errName, cause string) (time.Time, error)
	SendTaskSuccess(ctx context.Context, taskToken, output string) error
	SendTaskFailure(ctx context.Context, taskToken, errName, cause string) error
	SendTaskHeartbeat(ctx context.Context, taskToken string) error
	// Wait blocks until the execution is no longer RUNNING or ctx ends.
	Wait(ctx context.Context, executionArn string) (Execution, error)
}
