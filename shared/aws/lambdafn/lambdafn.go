// Package lambdafn adapts Kaiban's JSON handlers to the AWS Lambda Go
// runtime: it reports a *kaiban.Error's stable name as the Lambda errorType,
// which Step Functions turns into the Error that the definition's Retry and
// Catch match (Agency.Unavailable, Agency.Rejected, Name.NeedsReview, ...).
package lambdafn

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/aws/aws-lambda-go/lambda/messages"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// Handler is the shape of every Kaiban function invoked by the state
// machine; the local engine registers the same functions directly.
type Handler func(ctx context.Context, in json.RawMessage) (json.RawMessage, error)

// Wrap returns h with errors rewritten for the Lambda runtime: a
// *kaiban.Error becomes errorType = its name and errorMessage = its
// client-safe message; any other error (the step's handlers report theirs
// as *kaiban.Error and log the cause, see tracks.Service.Handlers; what is
// left is a runtime ending) becomes errorType "Internal", so Go type names
// and internal details never reach the execution history.
func Wrap(h Handler) func(ctx context.Context, in json.RawMessage) (json.RawMessage, error) {
	return func(ctx context.Context, in json.RawMessage) (json.RawMessage, error) {
		out, err := h(ctx, in)
		if err == nil {
			return out, nil
		}
		return nil, ToInvokeError(err)
	}
}

// ToInvokeError converts err to the error value the Lambda runtime reports
// verbatim.
func ToInvokeError(err error) messages.InvokeResponse_Error {
	var ke *kaiban.Error
	if errors.As(err, &ke) {
		return messages.InvokeResponse_Error{Type: ke.Name, Message: ke.Message}
	}
	return messages.InvokeResponse_Error{Type: kaiban.ErrInternal, Message: "internal error"}
}
