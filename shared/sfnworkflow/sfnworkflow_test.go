package sfnworkflow_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/kaiban/kaiban/shared/delivery"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/onestop"
	"github.com/kaiban/kaiban/shared/sfnworkflow"
	"github.com/kaiban/kaiban/shared/tracks"
)

var (
	_ onestop.Workflow  = (*sfnworkflow.Workflow)(nil)
	_ tracks.Executions = (*sfnworkflow.Workflow)(nil)
)

// client answers every call with err and records the last input.
type client struct {
	err   error
	start *sfn.StartExecutionInput
	send  *sfn.SendTaskSuccessInput
	desc  *sfn.DescribeExecutionInput
	out   *sfn.DescribeExecutionOutput
}

func (c *client) StartExecution(_ context.Context, in *sfn.StartExecutionInput, _ ...func(*sfn.Options)) (*sfn.StartExecutionOutput, error) {
	c.start = in
	return &sfn.StartExecutionOutput{}, c.err
}

func (c *client) SendTaskSuccess(_ context.Context, in *sfn.SendTaskSuccessInput, _ ...func(*sfn.Options)) (*sfn.SendTaskSuccessOutput, error) {
	c.send = in
	return &sfn.SendTaskSuccessOutput{}, c.err
}

func (c *client) DescribeExecution(_ context.Context, in *sfn.DescribeExecutionInput, _ ...func(*sfn.Options)) (*sfn.DescribeExecutionOutput, error) {
	c.desc = in
	return c.out, c.err
}

// The reconciler sees an execution by its application: missing, running
// or ended, with why.
func TestDescribeExecution(t *testing.T) {
	failed := &sfn.DescribeExecutionOutput{Status: types.ExecutionStatusFailed, Error: aws.String("States.Runtime"), Cause: aws.String("cannot resume")}
	for _, tt := range []struct {
		name string
		out  *sfn.DescribeExecutionOutput
		err  error
		want kaiban.Execution
		fail string
	}{
		{"missing", nil, &types.ExecutionDoesNotExist{}, kaiban.Execution{}, ""},
		{"running", &sfn.DescribeExecutionOutput{Status: types.ExecutionStatusRunning}, nil, kaiban.Execution{Exists: true, Status: "RUNNING"}, ""},
		{"failed", failed, nil, kaiban.Execution{Exists: true, Status: "FAILED", Error: "States.Runtime", Cause: "cannot resume"}, ""},
		{"unreachable", nil, errors.New("connection refused"), kaiban.Execution{}, kaiban.ErrWorkflowUnavailable},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := &client{out: tt.out, err: tt.err}
			got, err := sfnworkflow.New(c, "arn:aws:states:cn-north-1:1:stateMachine:onestop").DescribeExecution(t.Context(), "KB1")
			if kaiban.ErrorName(err) != tt.fail && !(tt.fail == "" && err == nil) {
				t.Fatalf("%v, want %q", err, tt.fail)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
			if arn := aws.ToString(c.desc.ExecutionArn); arn != "arn:aws:states:cn-north-1:1:execution:onestop:KB1" {
				t.Errorf("asked for %s", arn)
			}
		})
	}
}

func TestStartExecution(t *testing.T) {
	for _, tt := range []struct {
		name string
		err  error
		want string // error name, "" for success
	}{
		{"started", nil, ""},
		{"started before: the same input", &types.ExecutionAlreadyExists{}, ""},
		{"unreachable", errors.New("connection refused"), kaiban.ErrWorkflowUnavailable},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := &client{err: tt.err}
			err := sfnworkflow.New(c, "arn:sm").StartExecution(t.Context(), "KB1")
			if kaiban.ErrorName(err) != tt.want && !(tt.want == "" && err == nil) {
				t.Fatalf("%v, want %q", err, tt.want)
			}
			if *c.start.StateMachineArn != "arn:sm" || *c.start.Name != "KB1" || *c.start.Input != `{"applicationId":"KB1"}` {
				t.Errorf("StartExecution(%s, %s, %s)", *c.start.StateMachineArn, *c.start.Name, *c.start.Input)
			}
		})
	}
}

func TestSendTaskSuccess(t *testing.T) {
	for _, tt := range []struct {
		name         string
		err          error
		gone, failed bool
	}{
		{"taken", nil, false, false},
		{"timed out", &types.TaskTimedOut{}, true, false},
		{"answered before", &types.TaskDoesNotExist{}, true, false},
		{"unknown token", &types.InvalidToken{}, true, false},
		{"unreachable", errors.New("connection refused"), false, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := &client{err: tt.err}
			err := sfnworkflow.New(c, "").SendTaskSuccess(t.Context(), "tok", []byte(`{"decision":"retry"}`))
			if errors.Is(err, delivery.ErrTaskGone) != tt.gone || kaiban.IsName(err, kaiban.ErrWorkflowUnavailable) != tt.failed {
				t.Fatalf("%v: gone %v, unavailable %v", err, tt.gone, tt.failed)
			}
			if *c.send.TaskToken != "tok" || *c.send.Output != `{"decision":"retry"}` {
				t.Errorf("SendTaskSuccess(%s, %s)", *c.send.TaskToken, *c.send.Output)
			}
		})
	}
}
