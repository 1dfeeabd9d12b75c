// Package delivery hands a clerk's recorded decision to the workflow that
// waits for it. The API records the decision first (one conditional write,
// so of crossing decisions exactly one wins) and delivers it next; a
// delivery that fails, or a process that dies in between, leaves the task
// RESOLVED without DeliveredAt, and Redeliver, run in the background (the
// local stack's loop, the watchdog on AWS), delivers it later. Delivery is
// idempotent: a token the workflow no longer waits for counts as
// delivered, so delivering twice never resumes a workflow twice.
//
// The package knows no transport: the workflow is reached through
// TaskSender, which an adapter implements (the Step Functions SDK on AWS,
// the engine called in process locally).
package delivery

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// TaskSender hands a task's output to the workflow waiting on its token.
// Its method is named after the Step Functions action it makes, which is
// how the IAM check (infra/sam) knows what to grant.
type TaskSender interface {
	// SendTaskSuccess resumes the wait on token with output. An error
	// wrapping ErrTaskGone means the workflow no longer waits for the
	// token (it was answered, timed out or stopped); any other error
	// means the workflow could not be reached.
	SendTaskSuccess(ctx context.Context, token string, output json.RawMessage) error
}

// ErrTaskGone is what a TaskSender wraps when the workflow no longer waits
// for a token: for delivery that is done, not a failure.
var ErrTaskGone = errors.New("the workflow no longer waits for this task token")

// Outcome says what a delivery found.
type Outcome int

const (
	// Delivered: the workflow took the decision now.
	Delivered Outcome = iota + 1
	// Gone: the workflow no longer waits for this token (an earlier
	// delivery got through, or the wait timed out or was stopped).
	Gone
)

// Deliver sends the resolved task's decision with SendTaskSuccess and
// records the delivery. clerk names who decided (the task keeps only the
// sub; the API passes the full identity). An error means the workflow or
// the store could not be reached: the task stays undelivered for
// Redeliver.
func Deliver(ctx context.Context, store kaiban.Store, sender TaskSender, t kaiban.ClerkTask, clerk kaiban.ClerkIdentity, now time.Time) (Outcome, error) {
	if t.Status != kaiban.TaskResolved {
		return 0, kaiban.Errorf(kaiban.ErrInput, "task %s is not resolved", t.ID)
	}
	out := Gone
	if rule, _ := kaiban.RuleFor(t.Class(), t.Decision); rule.SetsStatus != "" {
		// No workflow waits on this task: carrying the decision out is
		// setting the application's status.
		if err := setStatus(ctx, store, t, rule.SetsStatus, now); err != nil {
			return 0, err
		}
		out = Delivered
	} else if t.TaskToken != "" {
		data := t.Data
		if len(data) == 0 {
			data = json.RawMessage("null")
		}
		b, err := json.Marshal(kaiban.ClerkOutcome{Decision: t.Decision, Note: t.Note, Data: data, Clerk: clerk})
		if err != nil {
			return 0, kaiban.Wrap(kaiban.ErrInternal, err, "cannot encode decision")
		}
		switch err := sender.SendTaskSuccess(ctx, t.TaskToken, b); {
		case err == nil:
			out = Delivered
		case errors.Is(err, ErrTaskGone):
		default:
			return 0, kaiban.Wrap(kaiban.ErrWorkflowUnavailable, err, "cannot reach the workflow")
		}
	}
	if err := store.MarkClerkTaskDelivered(ctx, t.ID, now); err != nil {
		return 0, err
	}
	return out, nil
}

// setStatus moves the task's application to status with its audit event,
// unless it has already finished (a repeated delivery, or the workflow
// came back and finished it).
func setStatus(ctx context.Context, store kaiban.Store, t kaiban.ClerkTask, status kaiban.AppStatus, now time.Time) error {
	app, err := store.GetApplication(ctx, t.ApplicationID)
	if err != nil {
		return err
	}
	if app.Status.Terminal() {
		return nil
	}
	code := kaiban.NoticeClerkEnded
	if status == kaiban.AppCompleted {
		code = kaiban.NoticeClerkFinished
	}
	msg := kaiban.NoticeTextZH(code)
	u := kaiban.ApplicationUpdate{Status: status, Message: &msg, UpdatedAt: now}
	if status == kaiban.AppCompleted {
		u.CompletedAt = &now
	}
	after, err := json.Marshal(map[string]any{"taskId": t.ID, "decision": t.Decision, "status": status})
	if err != nil {
		return kaiban.Wrap(kaiban.ErrInternal, err, "cannot encode audit event")
	}
	e := kaiban.AuditEvent{ApplicationID: t.ApplicationID, Time: now, Actor: "clerk:" + t.ResolvedBy, Action: "application." + strings.ToLower(string(status)), After: after}
	_, err = kaiban.UpdateApplicationAudited(ctx, store, t.ApplicationID, u, e)
	if kaiban.Finished(err) {
		return nil // finished between the read and the write
	}
	return err
}

// Grace is how long after its resolution Redeliver leaves a task alone:
// the API delivers at once, and re-delivering a decision it is delivering
// right now would only cost a call.
const Grace = 30 * time.Second

// Report is what one Redeliver pass did.
type Report struct {
	Delivered int `json:"delivered"`
	Gone      int `json:"gone"`
	Failed    int `json:"failed"`
}

// Redeliver delivers the decisions of tasks resolved at least Grace
// before now and not yet delivered, up to kaiban.MaxListLimit per pass. A
// failed delivery is counted and left for the next pass; the first error
// is returned after the others have been tried.
func Redeliver(ctx context.Context, store kaiban.Store, sender TaskSender, now time.Time) (Report, error) {
	var rep Report
	owed, err := store.UndeliveredClerkTasks(ctx, kaiban.MaxListLimit)
	if err != nil {
		return rep, err
	}
	var first error
	for _, t := range owed {
		if t.ResolvedAt != nil && now.Sub(*t.ResolvedAt) < Grace {
			continue
		}
		out, err := Deliver(ctx, store, sender, t, kaiban.ClerkIdentity{Sub: t.ResolvedBy}, now)
		switch {
		case err != nil:
			rep.Failed++
			if first == nil {
				first = err
			}
		case out == Delivered:
			rep.Delivered++
		default:
			rep.Gone++
		}
	}
	return rep, first
}
