package sfnapi_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/kaiban/kaiban/workflow/engine"
)

// fakeService is a small in-memory engine.Service for the HTTP mapping
// tests: it keeps what it is given and answers with AWS's error codes, so
// the tests can check what reaches the wire. The real engine is exercised
// by the integration tests.
type fakeService struct {
	mu         sync.Mutex
	now        time.Time
	machines   []engine.StateMachine
	executions []engine.Execution // oldest first
	history    map[string][]engine.HistoryEvent
	tokens     map[string]string // token -> last call
	failWith   error             // returned by every call when set
}

var _ engine.Service = (*fakeService)(nil)

func newFake() *fakeService {
	return &fakeService{
		now:     time.Date(2025, 3, 1, 9, 30, 0, 250_000_000, time.UTC),
		history: map[string][]engine.HistoryEvent{},
		tokens:  map[string]string{},
	}
}

func notFound(code, arn string) error {
	return &engine.APIError{Code: code, Message: "Does not exist: '" + arn + "'"}
}

func (f *fakeService) CreateStateMachine(_ context.Context, name, def, role string) (engine.StateMachine, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failWith != nil {
		return engine.StateMachine{}, f.failWith
	}
	sm := engine.StateMachine{Arn: "arn:aws:states:us-east-1:123456789012:stateMachine:" + name, Name: name, Definition: def, RoleArn: role, Type: "STANDARD", CreationDate: f.now}
	f.machines = append(f.machines, sm)
	return sm, nil
}

func (f *fakeService) DescribeStateMachine(_ context.Context, arn string) (engine.StateMachine, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, sm := range f.machines {
		if sm.Arn == arn {
			return sm, nil
		}
	}
	return engine.StateMachine{}, notFound("StateMachineDoesNotExist", arn)
}

func (f *fakeService) ListStateMachines(context.Context) ([]engine.StateMachine, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]engine.StateMachine(nil), f.machines...), f.failWith
}

func (f *fakeService) StartExecution(_ context.Context, smArn, name, input string) (engine.Execution, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failWith != nil {
		return engine.Execution{}, f.failWith
	}
	if name == "" {
		name = fmt.Sprintf("exec-%d", len(f.executions))
	}
	ex := engine.Execution{
		Arn: "arn:aws:states:us-east-1:123456789012:execution:sm:" + name, StateMachineArn: smArn, Name: name,
		Status: engine.StatusRunning, Input: input, StartDate: f.now,
	}
	f.executions = append(f.executions, ex)
	return ex, nil
}

func (f *fakeService) find(arn string) (int, error) {
	for i, ex := range f.executions {
		if ex.Arn == arn {
			return i, nil
		}
	}
	return -1, notFound("ExecutionDoesNotExist", arn)
}

func (f *fakeService) DescribeExecution(_ context.Context, arn string) (engine.Execution, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	i, err := f.find(arn)
	if err != nil {
		return engine.Execution{}, err
	}
	return f.executions[i], nil
}

func (f *fakeService) ListExecutions(_ context.Context, smArn, status string) ([]engine.Execution, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []engine.Execution
	for i := len(f.executions) - 1; i >= 0; i-- {
		ex := f.executions[i]
		if ex.StateMachineArn == smArn && (status == "" || ex.Status == status) {
			out = append(out, ex)
		}
	}
	return out, nil
}

func (f *fakeService) GetExecutionHistory(_ context.Context, arn string) ([]engine.HistoryEvent, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, err := f.find(arn); err != nil {
		return nil, err
	}
	return f.history[arn], nil
}

func (f *fakeService) StopExecution(_ context.Context, arn, errName, cause string) (time.Time, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	i, err := f.find(arn)
	if err != nil {
		return time.Time{}, err
	}
	f.executions[i].Status, f.executions[i].Error, f.executions[i].Cause = engine.StatusAborted, errName, cause
	f.executions[i].StopDate = f.now.Add(time.Second)
	return f.executions[i].StopDate, nil
}

func (f *fakeService) token(tok, call string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.tokens[tok]; !ok {
		return &engine.APIError{Code: "TaskDoesNotExist", Message: "Task does not exist anymore"}
	}
	f.tokens[tok] = call
	return nil
}

func (f *fakeService) SendTaskSuccess(_ context.Context, tok, output string) error {
	return f.token(tok, "success "+output)
}

func (f *fakeService) SendTaskFailure(_ context.Context, tok, errName, cause string) error {
	return f.token(tok, "failure "+errName+" "+cause)
}

func (f *fakeService) SendTaskHeartbeat(_ context.Context, tok string) error {
	return f.token(tok, "heartbeat")
}

func (f *fakeService) Wait(ctx context.Context, arn string) (engine.Execution, error) {
	return engine.Execution{}, errors.New("fake: Wait is not used by the API")
}
