package jsonata

import "fmt"

// Error names Step Functions uses for JSONata failures.
const (
	// ErrQueryEvaluation is a runtime failure of an expression, or an
	// expression that returned nothing where a value is needed.
	ErrQueryEvaluation = "States.QueryEvaluationError"
)

// Error is an evaluation failure with the States error name and the cause
// AWS reports (without the state prefix the engine adds).
type Error struct {
	Name  string
	Cause string
}

func (e *Error) Error() string { return e.Name + ": " + e.Cause }

func undefinedError(src, field string) *Error {
	return &Error{Name: ErrQueryEvaluation, Cause: fmt.Sprintf("The JSONata expression '%s' specified for the field '%s' returned nothing (undefined).", src, field)}
}

func evalError(src, field string, err error) *Error {
	return &Error{Name: ErrQueryEvaluation, Cause: fmt.Sprintf("The JSONata expression '%s' specified for the field '%s' threw an error during evaluation. %v", src, field, err)}
}

func notJSONError(src, field string) *Error {
	return &Error{Name: ErrQueryEvaluation, Cause: fmt.Sprintf("The JSONata expression '%s' specified for the field '%s' returned a value that is not JSON (a function, NaN or Infinity).", src, field)}
}

// CompileError is a template that does not parse; Field names where.
type CompileError struct {
	Field string
	Src   string
	Err   error
}

func (e *CompileError) Error() string {
	return fmt.Sprintf("The JSONata expression '%s' specified for the field '%s' is invalid: %v", e.Src, e.Field, e.Err)
}
