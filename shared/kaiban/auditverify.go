package kaiban

import (
	"context"
	"errors"
)

// AuditVerification is the outcome of VerifyApplication.
type AuditVerification struct {
	Events   []AuditEvent   // the trail as read
	Break    *AuditBreak    // the chain's first break, or nil
	Problems []AuditProblem // every finding, the chain's break first; empty when intact
}

// Intact reports whether nothing was found.
func (v AuditVerification) Intact() bool { return len(v.Problems) == 0 }

// VerifyApplication checks an application's trail as the console shows
// it: the keyed chain and signed head (Store.VerifyAudit), then the stored
// state (form, status, credit code, tracks, clerk tasks) against what the
// trail last set. app is the application as just read.
//
// Every change is written together with its event, but the trail, the
// tasks and the application are separate reads: a change committed between
// them would look like a difference that is gone a moment later. So a
// difference is reported only if it is still there when the trail and the
// state are read a second time.
func VerifyApplication(ctx context.Context, s Store, app *Application) (AuditVerification, error) {
	var v AuditVerification
	for attempt := 0; ; attempt++ {
		events, err := s.ListAudit(ctx, app.ID)
		if err != nil {
			return v, err
		}
		tasks, err := tasksOf(ctx, s, app.ID, events)
		if err != nil {
			return v, err
		}
		problems := CompareState(events, app, tasks)
		if len(problems) == 0 || attempt == 1 {
			v = AuditVerification{Events: events, Problems: problems}
			break
		}
		if app, err = s.GetApplication(ctx, app.ID); err != nil {
			return v, err
		}
	}
	if err := s.VerifyAudit(ctx, app.ID); err != nil {
		var br *AuditBreak
		if !errors.As(err, &br) {
			return v, err
		}
		v.Break = br
		v.Problems = append([]AuditProblem{{Seq: br.Seq, Field: "audit", Reason: br.Reason}}, v.Problems...)
	}
	if v.Problems == nil {
		v.Problems = []AuditProblem{}
	}
	return v, nil
}

// tasksOf returns the clerk tasks the trail mentions and the open ones the
// store has for the application.
func tasksOf(ctx context.Context, s Store, appID string, events []AuditEvent) ([]ClerkTask, error) {
	tasks, err := s.OpenTasksFor(ctx, appID)
	if err != nil {
		return nil, err
	}
	for _, id := range TaskIDs(events) {
		t, err := s.GetClerkTask(ctx, id)
		if IsName(err, ErrNotFound) {
			continue // reported as deleted by CompareState
		}
		if err != nil {
			return nil, err
		}
		tasks = append(tasks, t)
	}
	return tasks, nil
}
