package tracks

import (
	"context"
	"fmt"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// Executions is what the reconciler needs of the workflow service: start
// an application's execution (named by the application, so starting it
// twice is harmless) and look at it. shared/sfnworkflow implements it over
// Step Functions; the method names are the IAM actions they need.
type Executions interface {
	StartExecution(ctx context.Context, applicationID string) error
	DescribeExecution(ctx context.Context, applicationID string) (kaiban.Execution, error)
}

// ReconcileGrace is how long a submission may stay SUBMITTED before the
// reconciler starts its execution: longer than the API takes between
// storing it and starting it, so the two do not race.
const ReconcileGrace = time.Minute

// PriorityStranded is the priority of a clerk task about an application
// whose execution is gone: nothing else will move it.
const PriorityStranded = PriorityLate

// ReconcileScope says which applications a reconciliation looks at.
type ReconcileScope struct {
	// Submitted: applications still SUBMITTED after ReconcileGrace get
	// their execution started (the API stores a submission, the intent to
	// start, before it starts the execution, and that start can fail).
	Submitted bool
	// InFlight: applications IN_PROGRESS or ACTION_REQUIRED whose
	// execution does not exist or has ended without finishing them get a
	// clerk task with the reason (after a restart: an execution that could
	// not resume).
	InFlight bool
	// SubmittedBefore limits the reconciliation to applications submitted
	// before it; zero: ReconcileGrace ago. A stack starting up passes its
	// start time: nothing submitted before it is still being started.
	SubmittedBefore time.Time
	// InFlightDueBefore, if set, narrows InFlight to applications whose
	// deadline is before it. The scheduled run checks only those the
	// watchdog finds at risk (one DescribeExecution each, every run);
	// start-up checks them all.
	InFlightDueBefore time.Time
}

// UseExecutions gives the service its workflow where it can only be built
// after the service (the local stack: the engine needs the handlers
// first). Call it before Reconcile or Watchdog run.
func (s *Service) UseExecutions(e Executions) { s.exec = e }

// ReconcileReport is what one reconciliation found and did.
type ReconcileReport struct {
	Checked int `json:"checked"`
	Started int `json:"started"`
	Opened  int `json:"opened"` // clerk tasks about stranded applications
}

// reconcilePages bounds one reconciliation to this many pages of
// kaiban.MaxListLimit applications per status; the rest waits for the
// next run.
const reconcilePages = 50

// Reconcile makes sure that every accepted application either has a
// running execution, has finished, or has a clerk task saying why not.
// Executions are named by the application ID, so starting one twice is
// harmless. Without Deps.Executions it does nothing.
func (s *Service) Reconcile(ctx context.Context, scope ReconcileScope) (ReconcileReport, error) {
	var rep ReconcileReport
	if s.exec == nil {
		return rep, nil
	}
	cutoff := scope.SubmittedBefore
	if cutoff.IsZero() {
		cutoff = s.now().UTC().Add(-ReconcileGrace)
	}
	// Applications are found by deadline. One submitted before the cutoff
	// has a deadline before InitialDeadline(cutoff): the whole signing
	// window later when founders sign. In flight, the deadline counts from
	// acceptance, so an application accepted before the cutoff is due
	// before cutoff + 4 h; one still waiting for its founders is checked
	// once its signing window has passed (its workflow ends it then).
	before := cutoff.Add(kaiban.DeadlineAfterSubmission)
	due := map[kaiban.AppStatus]time.Time{}
	var statuses []kaiban.AppStatus
	if scope.Submitted {
		statuses = append(statuses, kaiban.AppSubmitted)
		due[kaiban.AppSubmitted] = kaiban.InitialDeadline(cutoff, s.sigs != nil)
	}
	if scope.InFlight {
		statuses = append(statuses, kaiban.AppInProgress, kaiban.AppActionRequired)
		for _, st := range statuses[len(statuses)-2:] {
			due[st] = before
			if d := scope.InFlightDueBefore; !d.IsZero() && d.Before(before) {
				due[st] = d
			}
		}
	}
	for _, st := range statuses {
		q := kaiban.StatusQuery{Status: st, DeadlineBefore: due[st], Limit: kaiban.MaxListLimit}
		for range reconcilePages {
			apps, err := s.store.ListByStatus(ctx, q)
			if err != nil {
				return rep, err
			}
			for i := range apps {
				rep.Checked++
				if err := s.reconcileOne(ctx, &apps[i], &rep); err != nil {
					return rep, err
				}
			}
			if len(apps) < q.Limit {
				break
			}
			last := apps[len(apps)-1]
			q.AfterDeadline, q.AfterID = last.Deadline, last.ID
		}
	}
	return rep, nil
}

// reconcileOne checks one application's execution.
func (s *Service) reconcileOne(ctx context.Context, app *kaiban.Application, rep *ReconcileReport) error {
	out, err := s.exec.DescribeExecution(ctx, app.ID)
	switch {
	case err != nil:
		return kaiban.Wrap(kaiban.ErrWorkflowUnavailable, err, "cannot describe the execution")
	case !out.Exists:
		if app.Status == kaiban.AppSubmitted {
			return s.start(ctx, app, rep)
		}
		return s.stranded(ctx, app, "ExecutionDoesNotExist", "no execution exists for this application", rep)
	case out.Status == "RUNNING":
		return nil
	}
	cause := out.Cause
	if cause == "" {
		cause = "the execution ended as " + out.Status
	}
	name := out.Error
	if name == "" {
		name = "Execution" + out.Status
	}
	return s.stranded(ctx, app, name, cause, rep)
}

// start starts the execution of a submission that never got one.
func (s *Service) start(ctx context.Context, app *kaiban.Application, rep *ReconcileReport) error {
	if err := s.exec.StartExecution(ctx, app.ID); err != nil {
		return kaiban.Wrap(kaiban.ErrWorkflowUnavailable, err, "cannot start the workflow")
	}
	rep.Started++
	s.logFor(app.ID).Warn("reconciler started the execution of a submission that had none")
	// Starting an execution sets no stored state: a plain event.
	e, err := s.auditEvent(app.ID, "system", "execution.started", nil, map[string]any{"by": "reconciler"})
	if err != nil {
		return err
	}
	_, err = s.store.AppendAudit(ctx, e)
	return err
}

// stranded opens the clerk task of an application no execution will move
// (once: the task's ID is derived from the application's), unless it has
// finished meanwhile.
func (s *Service) stranded(ctx context.Context, app *kaiban.Application, errName, cause string, rep *ReconcileReport) error {
	now, err := s.store.GetApplication(ctx, app.ID)
	if err != nil {
		return err
	}
	if now.Status.Terminal() {
		return nil
	}
	open, err := s.store.OpenTasksFor(ctx, app.ID)
	if err != nil {
		return err
	}
	for _, t := range open {
		if t.Track == kaiban.TaskSubjectExecution {
			return nil
		}
	}
	task := kaiban.ClerkTask{
		ID: StrandedTaskID(app.ID), ApplicationID: app.ID, Track: kaiban.TaskSubjectExecution, Kind: kaiban.TaskTrackException,
		Status: kaiban.TaskOpen, ErrorName: errName, Reason: fmt.Sprintf("办理流程已中断，需人工处理：%s", cause),
		Deadline: app.Deadline, Priority: PriorityStranded, CreatedAt: s.now().UTC(),
	}
	ev, err := s.taskEvent(task, "system", "task.opened", map[string]any{"taskId": task.ID, "kind": task.Kind, "track": task.Track, "error": errName})
	if err != nil {
		return err
	}
	got, err := s.store.CreateClerkTaskWithAudit(ctx, task, ev)
	if err != nil {
		return err
	}
	if !got.Created {
		return nil // a clerk has already decided about this application
	}
	rep.Opened++
	s.logFor(app.ID).WithFields(map[string]any{"error": errName, "cause": cause}).Error("application stranded: its execution cannot move it; opened a clerk task")
	return nil
}

// StrandedTaskID is the ID of the clerk task about an application whose
// execution is gone.
func StrandedTaskID(appID string) string { return "X" + appID }
