package sfnapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/kaiban/kaiban/workflow/engine"
)

// errorTypePrefix is the namespace AWS puts before the error code in
// __type; the SDK and botocore keep only the part after '#'.
const errorTypePrefix = "com.amazonaws.swf.service.v2.model#"

// Protocol-level error codes, the ones AWS JSON services use for problems
// with the request itself rather than with the resources it names.
const (
	codeSerialization    = "SerializationException"
	codeUnknownOperation = "UnknownOperationException"
	codeValidation       = "ValidationException"
	codeTooLarge         = "RequestEntityTooLargeException"
	codeUnsupportedMedia = "UnsupportedMediaTypeException"
	codeInvalidToken     = "InvalidToken"
	codeInternal         = "InternalFailure"
	codeUnavailable      = "ServiceUnavailable"
)

// requestError is an error of the HTTP layer with its status; the engine's
// own errors arrive as *engine.APIError and are mapped by statusOf.
type requestError struct {
	status  int
	code    string
	message string
}

func (e *requestError) Error() string { return e.code + ": " + e.message }

func badRequest(code, format string, args ...any) *requestError {
	return &requestError{status: http.StatusBadRequest, code: code, message: fmt.Sprintf(format, args...)}
}

// missing is AWS's wording for an absent required member.
func missing(member string) *requestError {
	return badRequest(codeValidation, "1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", member)
}

// classify turns any error from an action into what goes on the wire. Every
// error the client caused is a 4xx with AWS's code; anything else is a 500
// whose message says nothing about internals (the caller logs the cause).
func classify(err error) (status int, body awsError, internal bool) {
	var re *requestError
	if errors.As(err, &re) {
		return re.status, awsError{Type: errorTypePrefix + re.code, Message: re.message}, false
	}
	var ae *engine.APIError
	if errors.As(err, &ae) {
		return http.StatusBadRequest, awsError{Type: errorTypePrefix + ae.Code, Message: ae.Message}, false
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return http.StatusServiceUnavailable, awsError{Type: errorTypePrefix + codeUnavailable, Message: "the request was cancelled before it completed"}, false
	}
	return http.StatusInternalServerError, awsError{Type: errorTypePrefix + codeInternal, Message: "internal error"}, true
}
