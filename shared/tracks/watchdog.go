package tracks

import (
	"context"
	"encoding/json"
	"time"

	"github.com/kaiban/kaiban/shared/delivery"
	"github.com/kaiban/kaiban/shared/kaiban"
)

// WatchdogMargin is how far ahead the watchdog looks: applications whose
// deadline falls within it are at risk.
const WatchdogMargin = 30 * time.Minute

// Priorities the watchdog gives clerk tasks; higher sorts first.
const (
	PriorityAtRisk = 1
	PriorityLate   = 2
)

// WatchdogReport is what one watchdog run found and did.
type WatchdogReport struct {
	AtRisk      int `json:"atRisk"`
	Late        int `json:"late"`
	Raised      int `json:"raised"`
	Opened      int `json:"opened"`
	OldestOpenM int `json:"oldestOpenTaskMinutes"`
	// Redelivered counts clerk decisions this run handed to their
	// workflows after the API could not (see package delivery).
	Redelivered int `json:"redelivered"`
	// Reconciled is the reconciliation the watchdog runs after its SLA
	// scan (when the service has its Executions).
	Reconciled ReconcileReport `json:"reconciled"`
}

// Watchdog finds applications that will miss (or have missed) their 4-hour
// deadline, raises their clerk tasks to the top of the queue or opens one,
// and publishes the late count that the SLA alarm watches. It runs on a
// schedule: EventBridge on AWS, a ticker in the local stack. Each run also
// reconciles (Reconcile): a submission whose execution never started gets
// one, and an application at risk whose execution is gone gets a clerk
// task saying so.
func (s *Service) Watchdog(ctx context.Context) (WatchdogReport, error) {
	now := s.now().UTC()
	var rep WatchdogReport
	// The queue's oldest task is read beside the at-risk scan: tasks this
	// run opens are new and cannot be the oldest, so the two are
	// independent, and a scheduled run waits for one round trip, not two.
	var (
		queue    []kaiban.ClerkTask
		queueErr error
		listed   = make(chan struct{})
	)
	go func() {
		defer close(listed)
		queue, queueErr = s.store.ListClerkTasks(ctx, kaiban.TaskFilter{Status: kaiban.TaskOpen, Limit: kaiban.MaxListLimit})
	}()
	defer func() { <-listed }()
	if s.sender != nil {
		// A decision that never reached its workflow leaves an application
		// waiting for a clerk who has already answered: deliver it first.
		dr, err := delivery.Redeliver(ctx, s.store, s.sender, now)
		rep.Redelivered = dr.Delivered + dr.Gone
		if err != nil {
			s.log.WithError(err).WithField("failed", dr.Failed).Warn("re-delivering clerk decisions failed; next run tries again")
		}
	}
	apps, err := s.store.ListAtRisk(ctx, now.Add(WatchdogMargin), kaiban.MaxListLimit)
	if err != nil {
		return rep, err
	}
	for _, app := range apps {
		if app.Status == kaiban.AppNeedsCorrection {
			// The clock stands still while the applicant corrects: the
			// deadline moves by the wait once they have.
			continue
		}
		prio := PriorityAtRisk
		rep.AtRisk++
		if app.Deadline.Before(now) {
			prio = PriorityLate
			rep.Late++
		}
		open, err := s.store.OpenTasksFor(ctx, app.ID)
		if err != nil {
			return rep, err
		}
		for _, t := range open {
			if t.Priority < prio {
				if err := s.store.RaiseClerkTask(ctx, t.ID, prio); err != nil {
					return rep, err
				}
				rep.Raised++
			}
		}
		if len(open) == 0 {
			task := kaiban.ClerkTask{
				ID: "W" + app.ID, ApplicationID: app.ID, Track: kaiban.TaskSubjectDeadline, Kind: kaiban.TaskDeadlineRisk,
				Status: kaiban.TaskOpen, Reason: "即将超过4小时办结时限，请督办", Deadline: app.Deadline, Priority: prio, CreatedAt: now,
			}
			ev, err := s.taskEvent(task, "system", "task.opened", map[string]any{"taskId": task.ID, "kind": kaiban.TaskDeadlineRisk})
			if err != nil {
				return rep, err
			}
			created, err := s.store.CreateClerkTaskWithAudit(ctx, task, ev)
			if err != nil {
				return rep, err
			}
			if !created.Created {
				// One reminder per application: a clerk has already
				// acknowledged it (the task ID is per application).
				continue
			}
			rep.Opened++
		}
	}
	<-listed
	if queueErr != nil {
		return rep, queueErr
	}
	for _, t := range queue {
		if m := int(now.Sub(t.CreatedAt).Minutes()); m > rep.OldestOpenM {
			rep.OldestOpenM = m
		}
	}
	s.publish(ctx,
		kaiban.Metric{Name: kaiban.MetricLateApplications, Value: float64(rep.Late), Unit: "Count"},
		kaiban.Metric{Name: kaiban.MetricAtRisk, Value: float64(rep.AtRisk), Unit: "Count"},
		kaiban.Metric{Name: kaiban.MetricOldestTaskMinutes, Value: float64(rep.OldestOpenM), Unit: "None"})
	rec, err := s.Reconcile(ctx, ReconcileScope{Submitted: true, InFlight: true, InFlightDueBefore: now.Add(WatchdogMargin)})
	rep.Reconciled = rec
	return rep, err
}

// WatchdogHandler is Watchdog as a function, the target of its
// EventBridge schedule. It runs only for a scheduled event: anything else
// (a misdirected test event, another service's payload) is Input.Invalid,
// so a stray invocation neither raises tasks nor publishes metrics.
func (s *Service) WatchdogHandler(ctx context.Context, in json.RawMessage) (json.RawMessage, error) {
	var ev struct {
		Source     string `json:"source"`
		DetailType string `json:"detail-type"`
	}
	if err := json.Unmarshal(in, &ev); err != nil || ev.Source != "aws.events" || ev.DetailType != "Scheduled Event" {
		return nil, kaiban.Errorf(kaiban.ErrInput, "the watchdog runs for its schedule: want an aws.events Scheduled Event")
	}
	rep, err := s.Watchdog(ctx)
	if err != nil {
		return nil, err
	}
	return encode(rep)
}
