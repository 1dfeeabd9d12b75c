// Package sfnworkflow reaches the workflow through the AWS Step Functions
// API with the aws-sdk-go-v2 client: the adapter functions/api and the
// watchdog give the application service (shared/onestop, whose Workflow
// it is) and the re-delivery (shared/delivery), which know no SDK.
package sfnworkflow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/kaiban/kaiban/shared/delivery"
	"github.com/kaiban/kaiban/shared/kaiban"
)

// Client is the part of the Step Functions API the adapter calls; the
// aws-sdk-go-v2 *sfn.Client satisfies it.
type Client interface {
	StartExecution(ctx context.Context, in *sfn.StartExecutionInput, optFns ...func(*sfn.Options)) (*sfn.StartExecutionOutput, error)
	SendTaskSuccess(ctx context.Context, in *sfn.SendTaskSuccessInput, optFns ...func(*sfn.Options)) (*sfn.SendTaskSuccessOutput, error)
	DescribeExecution(ctx context.Context, in *sfn.DescribeExecutionInput, optFns ...func(*sfn.Options)) (*sfn.DescribeExecutionOutput, error)
}

var _ Client = (*sfn.Client)(nil)

// Workflow is the one-stop state machine behind a Step Functions client.
type Workflow struct {
	client  Client
	machine string
}

// Workflow is an onestop.Workflow (asserted in the tests: the watchdog's
// bootstrap links this package and has no use for the service).
var _ delivery.TaskSender = (*Workflow)(nil)

// New returns the workflow of the state machine stateMachineArn. A
// Workflow that only delivers decisions (the watchdog) may have no ARN.
func New(client Client, stateMachineArn string) *Workflow {
	return &Workflow{client: client, machine: stateMachineArn}
}

// executionInput is onestop.ExecutionInput.
type executionInput struct {
	ApplicationID string `json:"applicationId"`
}

// StartExecution starts the execution named applicationID with input
// {"applicationId":…}. ExecutionAlreadyExists means an earlier call
// started it, with the same input (it depends on the ID alone): success.
func (w *Workflow) StartExecution(ctx context.Context, applicationID string) error {
	input, err := json.Marshal(executionInput{ApplicationID: applicationID})
	if err != nil {
		return kaiban.Wrap(kaiban.ErrInternal, err, "cannot encode the execution input")
	}
	_, err = w.client.StartExecution(ctx, &sfn.StartExecutionInput{
		StateMachineArn: aws.String(w.machine),
		Name:            aws.String(applicationID),
		Input:           aws.String(string(input)),
	})
	var exists *sfntypes.ExecutionAlreadyExists
	if err == nil || errors.As(err, &exists) {
		return nil
	}
	return kaiban.Wrap(kaiban.ErrWorkflowUnavailable, err, "cannot start the workflow")
}

// SendTaskSuccess resumes the wait on token. TaskTimedOut,
// TaskDoesNotExist and InvalidToken wrap delivery.ErrTaskGone.
func (w *Workflow) SendTaskSuccess(ctx context.Context, token string, output json.RawMessage) error {
	_, err := w.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(token), Output: aws.String(string(output))})
	var (
		timedOut *sfntypes.TaskTimedOut
		gone     *sfntypes.TaskDoesNotExist
		invalid  *sfntypes.InvalidToken
	)
	switch {
	case err == nil:
		return nil
	case errors.As(err, &timedOut), errors.As(err, &gone), errors.As(err, &invalid):
		return fmt.Errorf("%w: %w", delivery.ErrTaskGone, err)
	}
	return kaiban.Wrap(kaiban.ErrWorkflowUnavailable, err, "cannot reach the workflow")
}

// DescribeExecution looks at the execution named applicationID, for the
// reconciler (tracks.Executions): ExecutionDoesNotExist is an execution
// that does not exist.
func (w *Workflow) DescribeExecution(ctx context.Context, applicationID string) (kaiban.Execution, error) {
	out, err := w.client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(executionArn(w.machine, applicationID))})
	var missing *sfntypes.ExecutionDoesNotExist
	switch {
	case errors.As(err, &missing):
		return kaiban.Execution{}, nil
	case err != nil:
		return kaiban.Execution{}, kaiban.Wrap(kaiban.ErrWorkflowUnavailable, err, "cannot describe the execution")
	}
	return kaiban.Execution{Exists: true, Status: string(out.Status), Error: aws.ToString(out.Error), Cause: aws.ToString(out.Cause)}, nil
}

// executionArn is the ARN of the execution named name of the state
// machine machineArn, as Step Functions forms it.
func executionArn(machineArn, name string) string {
	return strings.Replace(machineArn, ":stateMachine:", ":execution:", 1) + ":" + name
}
