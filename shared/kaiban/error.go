package kaiban

import (
	"errors"
	"fmt"
	"net/http"
)

// Error names are the stable contract between handlers, the state machine
// definition (ErrorEquals), the API and its clients. Never rename one.
const (
	ErrValidation          = "Validation.Failed"
	ErrMalformed           = "Request.Malformed"
	ErrTooLarge            = "Request.TooLarge"
	ErrUnsupportedMedia    = "Request.UnsupportedMediaType"
	ErrNotFound            = "NotFound"
	ErrUnauthorized        = "Auth.Unauthorized"
	ErrForbidden           = "Auth.Forbidden"
	ErrIdempotencyConflict = "Idempotency.Conflict"
	ErrVersionConflict     = "Version.Conflict"
	// ErrApplicationFinished is a status write on a COMPLETED or REJECTED
	// application that would change its status: a finished application's
	// status is final, whoever writes later (see FinishedRefusal).
	ErrApplicationFinished = "Application.Finished"
	ErrTaskClaimed         = "Task.AlreadyClaimed"
	ErrTaskNotClaimed      = "Task.NotClaimedByYou"
	ErrTaskResolved        = "Task.AlreadyResolved"
	ErrIdentityFailed      = "Identity.Failed"
	ErrNameNeedsReview     = "Name.NeedsReview"
	ErrAgencyUnavailable   = "Agency.Unavailable"   // transient: retried by the definition
	ErrAgencyRejected      = "Agency.Rejected"      // final: escalated to a clerk
	ErrInput               = "Input.Invalid"        // a handler got input it cannot use
	ErrStoreUnavailable    = "Store.Unavailable"    // transient store failure
	ErrWorkflowUnavailable = "Workflow.Unavailable" // Step Functions could not be reached
	ErrStoreCorrupt        = "Store.Corrupt"
	ErrConfig              = "Config.Invalid"
	ErrInternal            = "Internal"
)

// FieldError is one failing field of a request, addressed by its JSON path
// (shareholders[1].idNumber), with a stable code (the validation tag, or
// "malformed") and a message in the requested language.
type FieldError struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Error is the one error type of the domain. Name is stable and
// machine-readable; Message is safe to show to a client; Fields lists every
// failing field at once for validation errors; Err is the underlying cause,
// kept for logs and never shown to clients.
type Error struct {
	Name    string
	Message string
	Fields  []FieldError
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Name + ": " + e.Message + ": " + e.Err.Error()
	}
	return e.Name + ": " + e.Message
}

// Unwrap exposes the cause to errors.Is/As.
func (e *Error) Unwrap() error { return e.Err }

// ErrorName lets the local engine and the Lambda adapter report the stable
// name as the error type, as Lambda's errorType does.
func (e *Error) ErrorName() string { return e.Name }

// Errorf returns an *Error with a formatted client-safe message.
func Errorf(name, format string, args ...any) *Error {
	return &Error{Name: name, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an *Error with a client-safe message and an internal cause.
func Wrap(name string, cause error, message string) *Error {
	return &Error{Name: name, Message: message, Err: cause}
}

// ErrorName returns the stable name of err, or ErrInternal for errors that
// are not *Error (and "" for nil).
func ErrorName(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Name
	}
	return ErrInternal
}

// IsName reports whether err is an *Error with the given name.
func IsName(err error, name string) bool {
	var e *Error
	return errors.As(err, &e) && e.Name == name
}

// ErrorMessage returns the client-safe message of err. Errors that are not
// *Error get a generic message so internal details never leak.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// HTTPStatus maps an error to its HTTP status. It is the only place that
// does so.
func HTTPStatus(err error) int {
	switch ErrorName(err) {
	case "":
		return http.StatusOK
	case ErrValidation, ErrMalformed, ErrInput:
		return http.StatusBadRequest
	case ErrUnauthorized:
		return http.StatusUnauthorized
	case ErrForbidden, ErrTaskNotClaimed:
		return http.StatusForbidden
	case ErrNotFound:
		return http.StatusNotFound
	case ErrIdempotencyConflict, ErrVersionConflict, ErrTaskClaimed, ErrTaskResolved,
		ErrConfirmationDecided, ErrConfirmationUnverified, ErrRatingExists, ErrRatingNotEnded, ErrNotAwaitingCorrection,
		ErrApplicationFinished:
		return http.StatusConflict
	case ErrTooLarge:
		return http.StatusRequestEntityTooLarge
	case ErrUnsupportedMedia:
		return http.StatusUnsupportedMediaType
	case ErrAgencyUnavailable, ErrStoreUnavailable, ErrWorkflowUnavailable:
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}
