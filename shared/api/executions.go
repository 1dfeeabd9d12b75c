package api

import (
	"context"
	"encoding/json"

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
// resolves a task (see the package documentation).
type ClerkDecision struct {
	Decision string          `json:"decision"` // retry, complete or reject
	Note     string          `json:"note"`
	Data     json.RawMessage `json:"data"` // null when the clerk gave none
	Clerk    ClerkIdentity   `json:"clerk"`
}

// ClerkIdentity names the clerk who acted, from the JWT's sub and username
// (or email) claims.
type ClerkIdentity struct {
	Sub      string `json:"sub"`
	Username string `json:"username,omitempty"`
}

// Actor is the clerk as the audit trail names actors: "clerk:<sub>".
func (c ClerkIdentity) Actor() string { return "clerk:" + c.Sub }
