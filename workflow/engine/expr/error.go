package expr

// Error names of the Step Functions predefined errors this package raises.
// They are the names a state machine matches with ErrorEquals.
const (
	ErrRuntime                = "States.Runtime"
	ErrIntrinsicFailure       = "States.IntrinsicFailure"
	ErrParameterPathFailure   = "States.ParameterPathFailure"
	ErrResultPathMatchFailure = "States.ResultPathMatchFailure"
)

// Error is a runtime failure with a Step Functions error name. The engine
// turns it into the state's failure (Error = Name, Cause = Cause), so
// Cause follows the wording AWS uses where it is known.
type Error struct {
	Name  string
	Cause string
}

func (e *Error) Error() string { return e.Name + ": " + e.Cause }

// ErrorName reports Name, matching the convention of the engine's task
// handler errors.
func (e *Error) ErrorName() string { return e.Name }

func runtimeErr(cause string) *Error { return &Error{Name: ErrRuntime, Cause: cause} }
