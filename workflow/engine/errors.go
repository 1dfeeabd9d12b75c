package engine

import (
	"errors"
	"reflect"
	"strconv"

	"github.com/kaiban/kaiban/workflow/engine/expr"
)

// Predefined error names of the Amazon States Language.
const (
	ErrAll                          = "States.ALL"
	ErrTaskFailed                   = "States.TaskFailed"
	ErrTimeout                      = "States.Timeout"
	ErrHeartbeatTimeout             = "States.HeartbeatTimeout"
	ErrRuntime                      = "States.Runtime"
	ErrDataLimitExceeded            = "States.DataLimitExceeded"
	ErrNoChoiceMatched              = "States.NoChoiceMatched"
	ErrIntrinsicFailure             = "States.IntrinsicFailure"
	ErrResultPathMatchFailure       = "States.ResultPathMatchFailure"
	ErrParameterPathFailure         = "States.ParameterPathFailure"
	ErrBranchFailed                 = "States.BranchFailed"
	ErrExceedToleratedFailureThresh = "States.ExceedToleratedFailureThreshold"
	ErrLambdaResourceNotFound       = "Lambda.ResourceNotFoundException"
)

// stateError is a failure inside an execution: what Retry and Catch match
// and what ExecutionFailed reports.
type stateError struct {
	Name  string
	Cause string
	// runtime marks a States.Runtime error the engine raised while
	// processing a state, whose Cause AWS prefixes with where it
	// happened (see locate) once.
	runtime bool
}

// locate prefixes a runtime error's Cause the way AWS does: "An error
// occurred while executing the state '<name>' (entered at the event id
// #<n>). ". Other errors are returned as they are.
func locate(se *stateError, stateName string, enteredID int64) *stateError {
	if se == nil || !se.runtime {
		return se
	}
	return &stateError{Name: se.Name, Cause: "An error occurred while executing the state '" + stateName +
		"' (entered at the event id #" + strconv.FormatInt(enteredID, 10) + "). " + se.Cause}
}

func (e *stateError) Error() string { return e.Name + ": " + e.Cause }

// terminal reports whether States.ALL (and States.TaskFailed) must not
// match the error and it is never retried: AWS documents States.Runtime
// and States.DataLimitExceeded as terminal. A Catch naming
// States.DataLimitExceeded, or States.ALL, catches it (as AWS does);
// nothing catches States.Runtime.
func (e *stateError) terminal() bool {
	return e.Name == ErrRuntime || e.Name == ErrDataLimitExceeded
}

// isTimeout reports whether States.Timeout matches the error.
func (e *stateError) isTimeout() bool {
	return e.Name == ErrTimeout || e.Name == ErrHeartbeatTimeout
}

// matches reports whether an ErrorEquals list matches the error.
func (e *stateError) matches(names []string) bool {
	for _, n := range names {
		switch {
		case n == e.Name:
			return true
		case n == ErrAll && e.Name == ErrDataLimitExceeded:
			// AWS's Catch with States.ALL catches it (Retry never
			// retries it: see terminal).
			return true
		case e.terminal():
			// only an explicit name matches a terminal error
		case n == ErrAll:
			return true
		case n == ErrTaskFailed && !e.isTimeout():
			return true
		case n == ErrTimeout && e.isTimeout():
			return true
		}
	}
	return false
}

// errorOutput is the value Catch hands to the next state.
func (e *stateError) errorOutput() any {
	return expr.NewObject([]expr.Member{{Key: "Error", Value: e.Name}, {Key: "Cause", Value: e.Cause}})
}

// asStateError turns an error from expr, a handler or the engine into a
// stateError.
func asStateError(err error) *stateError {
	var se *stateError
	if errors.As(err, &se) {
		return se
	}
	var xe *expr.Error
	if errors.As(err, &xe) {
		return &stateError{Name: xe.Name, Cause: xe.Cause, runtime: xe.Name == ErrRuntime}
	}
	return &stateError{Name: errorName(err), Cause: err.Error()}
}

// errorName names a handler error the way Lambda's errorType does: the
// error's ErrorName() if it has one, else its Go type name without the
// pointer.
func errorName(err error) string {
	var named interface{ ErrorName() string }
	if errors.As(err, &named) {
		if n := named.ErrorName(); n != "" {
			return n
		}
	}
	return typeName(err)
}

func typeName(v any) string {
	t := reflect.TypeOf(v)
	if t == nil {
		return "Error"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Name() == "" {
		return t.String()
	}
	return t.Name()
}

func runtimeError(cause string) *stateError {
	return &stateError{Name: ErrRuntime, Cause: cause, runtime: true}
}
