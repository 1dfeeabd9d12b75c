package kaiban

// Execution is an application's workflow execution as the service sees it
// (the reconciler asks the workflow service for it).
type Execution struct {
	Exists bool   // false: no execution was ever started for the application
	Status string // RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED
	Error  string // how it failed, if it did
	Cause  string
}
