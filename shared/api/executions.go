package api

import (
	"context"
	"github.com/kaiban/kaiban/shared/kaiban"

	"github.com/aws/aws-sdk-go-v2/service/sfn"
)

// Executions is the part of the Step Functions API the API calls. The
// aws-sdk-go-v2 *sfn.Client satisfies it, talking to AWS or to the local
// engine's Step Functions endpoint alike.
type Executions interface {
	StartExecution(ctx context.Context, in *sfn.StartExecutionInput, optFns ...func(*sfn.Options)) (*sfn.StartExecutionOutput, error)
	SendTaskSuccess(ctx context.Context, in *sfn.SendTaskSuccessInput, optFns ...func(*sfn.Options)) (*sfn.SendTaskSuccessOutput, error)
	SendTaskFailure(ctx context.Context, in *sfn.SendTaskFailureInput, optFns ...func(*sfn.Options)) (*sfn.SendTaskFailureOutput, error)
}

var _ Executions = (*sfn.Client)(nil)

// ExecutionInput is the input of every execution: just the application ID.
type ExecutionInput struct {
	ApplicationID string `json:"applicationId"`
}

// ClerkDecision is the task output sent with SendTaskSuccess when a clerk
// resolves a task; the domain owns its shape because the state machine's
// handlers read it too.
type ClerkDecision = kaiban.ClerkOutcome

// ClerkIdentity names the clerk who acted.
type ClerkIdentity = kaiban.ClerkIdentity
