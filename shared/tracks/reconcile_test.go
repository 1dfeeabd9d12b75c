package tracks

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/kaiban/kaiban/shared/agency"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/sfnworkflow"
	"github.com/kaiban/kaiban/shared/storetest"
)

const testMachine = "arn:aws:states:cn-north-1:000000000000:stateMachine:onestop"

// fakeExecutions is Step Functions with a set of executions by name.
type fakeExecutions struct {
	mu      sync.Mutex
	byName  map[string]*sfn.DescribeExecutionOutput
	started []string
}

func (f *fakeExecutions) StartExecution(_ context.Context, in *sfn.StartExecutionInput, _ ...func(*sfn.Options)) (*sfn.StartExecutionOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	name := aws.ToString(in.Name)
	if f.byName[name] != nil {
		return nil, &sfntypes.ExecutionAlreadyExists{Message: aws.String("exists")}
	}
	f.byName[name] = &sfn.DescribeExecutionOutput{Status: sfntypes.ExecutionStatusRunning}
	f.started = append(f.started, name)
	return &sfn.StartExecutionOutput{ExecutionArn: aws.String(strings.Replace(aws.ToString(in.StateMachineArn), ":stateMachine:", ":execution:", 1) + ":" + name)}, nil
}

func (f *fakeExecutions) SendTaskSuccess(context.Context, *sfn.SendTaskSuccessInput, ...func(*sfn.Options)) (*sfn.SendTaskSuccessOutput, error) {
	return nil, &sfntypes.TaskDoesNotExist{Message: aws.String("no task waits")}
}

func (f *fakeExecutions) DescribeExecution(_ context.Context, in *sfn.DescribeExecutionInput, _ ...func(*sfn.Options)) (*sfn.DescribeExecutionOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	arn := aws.ToString(in.ExecutionArn)
	prefix := strings.Replace(testMachine, ":stateMachine:", ":execution:", 1) + ":"
	if !strings.HasPrefix(arn, prefix) {
		return nil, &sfntypes.InvalidArn{Message: aws.String(arn)}
	}
	out := f.byName[strings.TrimPrefix(arn, prefix)]
	if out == nil {
		return nil, &sfntypes.ExecutionDoesNotExist{Message: aws.String("none")}
	}
	return out, nil
}

// An accepted application always ends with a running execution, a finished
// one, or a clerk task saying why not.
func TestReconcile(t *testing.T) {
	now := storetest.T0.Add(time.Hour)
	failed := &sfn.DescribeExecutionOutput{Status: sfntypes.ExecutionStatusFailed, Error: aws.String("States.Runtime"),
		Cause: aws.String("cannot resume: the recorded history does not match the definition")}
	running := &sfn.DescribeExecutionOutput{Status: sfntypes.ExecutionStatusRunning}
	tests := []struct {
		name      string
		status    kaiban.AppStatus
		submitted time.Time
		exec      *sfn.DescribeExecutionOutput
		wantStart bool
		wantTask  string // the task's ErrorName, "" for none
		inReason  string
	}{
		{"submitted, no execution: started", kaiban.AppSubmitted, now.Add(-10 * time.Minute), nil, true, "", ""},
		{"submitted within the grace period: left to the API", kaiban.AppSubmitted, now.Add(-ReconcileGrace / 2), nil, false, "", ""},
		{"submitted, running (held back by admission)", kaiban.AppSubmitted, now.Add(-10 * time.Minute), running, false, "", ""},
		{"in progress, running", kaiban.AppInProgress, now.Add(-10 * time.Minute), running, false, "", ""},
		{"in progress, execution cannot resume: clerk task", kaiban.AppInProgress, now.Add(-10 * time.Minute), failed, false, "States.Runtime", "does not match the definition"},
		{"in progress, no execution: clerk task", kaiban.AppInProgress, now.Add(-10 * time.Minute), nil, false, "ExecutionDoesNotExist", "no execution exists"},
		{"waiting for a clerk, execution timed out: clerk task", kaiban.AppActionRequired, now.Add(-10 * time.Minute),
			&sfn.DescribeExecutionOutput{Status: sfntypes.ExecutionStatusTimedOut}, false, "ExecutionTIMED_OUT", "TIMED_OUT"},
		{"completed: nothing to do", kaiban.AppCompleted, now.Add(-10 * time.Minute), nil, false, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := storetest.NewMemStore()
			storetest.MustCreate(t, store, "app-1", tt.submitted)
			if tt.status != kaiban.AppSubmitted {
				if _, err := store.UpdateApplication(t.Context(), "app-1", kaiban.ApplicationUpdate{Status: tt.status}); err != nil {
					t.Fatal(err)
				}
			}
			fx := &fakeExecutions{byName: map[string]*sfn.DescribeExecutionOutput{}}
			if tt.exec != nil {
				fx.byName["app-1"] = tt.exec
			}
			svc := New(Deps{Store: store, Agencies: &agency.Clients{}, Now: func() time.Time { return now },
				Executions: sfnworkflow.New(fx, testMachine)})
			for run := range 2 { // a second run changes nothing more
				rep, err := svc.Reconcile(t.Context(), ReconcileScope{Submitted: true, InFlight: true})
				if err != nil {
					t.Fatal(err)
				}
				if run == 1 && (rep.Started != 0 || rep.Opened != 0) {
					t.Errorf("second run acted again: %+v", rep)
				}
			}
			if got := len(fx.started) == 1; got != tt.wantStart {
				t.Errorf("started %v, want start %v", fx.started, tt.wantStart)
			}
			open, err := store.OpenTasksFor(t.Context(), "app-1")
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case tt.wantTask == "" && len(open) > 0:
				t.Errorf("unexpected clerk tasks %+v", open)
			case tt.wantTask != "" && len(open) != 1:
				t.Fatalf("open tasks %+v, want one about the execution", open)
			case tt.wantTask != "":
				task := open[0]
				if task.Track != kaiban.TaskSubjectExecution || task.ErrorName != tt.wantTask || !strings.Contains(task.Reason, tt.inReason) {
					t.Errorf("task %+v, want subject %q, error %q, reason with %q", task, kaiban.TaskSubjectExecution, tt.wantTask, tt.inReason)
				}
			}
		})
	}
}

// The watchdog reconciles too (on AWS it is the only scheduled run).
func TestWatchdogReconciles(t *testing.T) {
	now := storetest.T0.Add(time.Hour)
	store := storetest.NewMemStore()
	storetest.MustCreate(t, store, "app-1", now.Add(-10*time.Minute))
	fx := &fakeExecutions{byName: map[string]*sfn.DescribeExecutionOutput{}}
	svc := New(Deps{Store: store, Agencies: &agency.Clients{}, Now: func() time.Time { return now }})
	svc.UseExecutions(sfnworkflow.New(fx, testMachine))
	rep, err := svc.Watchdog(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Reconciled.Started != 1 || len(fx.started) != 1 {
		t.Errorf("watchdog report %+v, started %v; want the stranded submission started", rep, fx.started)
	}
}

// On its schedule the watchdog checks the executions of applications in
// flight only once they are at risk: one DescribeExecution per application
// every run would not scale; start-up checks them all.
func TestWatchdogChecksExecutionsOfApplicationsAtRisk(t *testing.T) {
	now := storetest.T0.Add(5 * time.Hour)
	failed := &sfn.DescribeExecutionOutput{Status: sfntypes.ExecutionStatusFailed, Error: aws.String("States.Runtime"), Cause: aws.String("cannot resume")}
	for _, tt := range []struct {
		name      string
		submitted time.Time
		wantTask  bool
	}{
		{"ten minutes old: not yet", now.Add(-10 * time.Minute), false},
		{"at risk: a clerk task with the reason", now.Add(-kaiban.DeadlineAfterSubmission + WatchdogMargin/2), true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			store := storetest.NewMemStore()
			storetest.MustCreate(t, store, "app-1", tt.submitted)
			if _, err := store.UpdateApplication(t.Context(), "app-1", kaiban.ApplicationUpdate{Status: kaiban.AppInProgress}); err != nil {
				t.Fatal(err)
			}
			fx := &fakeExecutions{byName: map[string]*sfn.DescribeExecutionOutput{"app-1": failed}}
			svc := New(Deps{Store: store, Agencies: &agency.Clients{}, Now: func() time.Time { return now }, Executions: sfnworkflow.New(fx, testMachine)})
			if _, err := svc.Watchdog(t.Context()); err != nil {
				t.Fatal(err)
			}
			_, err := store.GetClerkTask(t.Context(), StrandedTaskID("app-1"))
			if got := err == nil; got != tt.wantTask {
				t.Errorf("execution task opened: %v, want %v", got, tt.wantTask)
			}
			if !tt.wantTask {
				rep, err := svc.Reconcile(t.Context(), ReconcileScope{InFlight: true})
				if err != nil || rep.Opened != 1 {
					t.Errorf("a full in-flight check: %+v %v, want one task", rep, err)
				}
			}
		})
	}
}
