package stack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/kaiban/kaiban/shared/delivery"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/onestop"
	"github.com/kaiban/kaiban/workflow/engine"
)

// engineWorkflow is the application service's Workflow in the local
// stack: it calls the engine in process, in the caller's goroutine and
// with the caller's context (a virtual clock's hold included), with none
// of the SDK's encoding, signing and HTTP framing on the way.
type engineWorkflow struct {
	eng     *engine.Engine
	machine string
}

var (
	_ onestop.Workflow    = engineWorkflow{}
	_ delivery.TaskSender = engineWorkflow{}
)

// StartExecution starts the application's execution. The engine answers
// a start with the name and input of an existing execution with that
// execution; ExecutionAlreadyExists (same name, other input) cannot
// happen for an input that depends on the ID alone, and is success as on
// AWS.
func (w engineWorkflow) StartExecution(ctx context.Context, applicationID string) error {
	input, err := json.Marshal(onestop.ExecutionInput{ApplicationID: applicationID})
	if err != nil {
		return kaiban.Wrap(kaiban.ErrInternal, err, "cannot encode the execution input")
	}
	_, err = w.eng.StartExecution(ctx, w.machine, applicationID, string(input))
	if err == nil || engineCode(err) == "ExecutionAlreadyExists" {
		return nil
	}
	return kaiban.Wrap(kaiban.ErrWorkflowUnavailable, err, "cannot start the workflow")
}

// SendTaskSuccess resumes the wait on token; a token the engine no
// longer waits for wraps delivery.ErrTaskGone.
func (w engineWorkflow) SendTaskSuccess(ctx context.Context, token string, output json.RawMessage) error {
	err := w.eng.SendTaskSuccess(ctx, token, string(output))
	if err == nil {
		return nil
	}
	switch engineCode(err) {
	case "TaskTimedOut", "TaskDoesNotExist", "InvalidToken":
		return fmt.Errorf("%w: %w", delivery.ErrTaskGone, err)
	}
	return kaiban.Wrap(kaiban.ErrWorkflowUnavailable, err, "cannot reach the workflow")
}

// engineCode is the engine's error code of err, "" for none.
func engineCode(err error) string {
	var apiErr *engine.APIError
	if errors.As(err, &apiErr) {
		return apiErr.Code
	}
	return ""
}
