package tracks

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/notify"
)

// finalOutput is Finalize's result.
type finalOutput struct {
	Status         kaiban.AppStatus `json:"status"`
	CreditCode     string           `json:"creditCode"`
	WithinDeadline bool             `json:"withinDeadline"`
	ElapsedMinutes float64          `json:"elapsedMinutes"`
}

// Finalize marks an application whose seven tracks all succeeded COMPLETED
// and records its time against the 4-hour deadline.
func (s *Service) Finalize(ctx context.Context, in json.RawMessage) (json.RawMessage, error) {
	var req appInput
	if err := decode(in, &req); err != nil {
		return nil, err
	}
	if err := requireID(req.ApplicationID); err != nil {
		return nil, err
	}
	app, err := s.store.GetApplication(ctx, req.ApplicationID)
	if err != nil {
		return nil, err
	}
	for _, t := range app.Tracks {
		if t.Status != kaiban.TrackSucceeded {
			return nil, kaiban.Errorf(kaiban.ErrInput, "track %s is %s, not SUCCEEDED", t.Name, t.Status)
		}
	}
	done := s.now().UTC()
	if app.CompletedAt != nil { // a repeated invocation keeps the first time
		done = *app.CompletedAt
	}
	elapsed := done.Sub(app.SubmittedAt)
	within := !done.After(app.Deadline)
	if app.Status != kaiban.AppCompleted {
		msg := kaiban.NoticeTextZH(kaiban.NoticeCompleted, fmt.Sprintf("%.0f", elapsed.Minutes()))
		written, err := s.updateUnlessFinished(ctx, app.ID, kaiban.ApplicationUpdate{
			Status: kaiban.AppCompleted, CompletedAt: &done, Message: &msg, UpdatedAt: done,
		}, "system", "application.completed", map[string]any{
			"elapsedMinutes": elapsed.Minutes(), "withinDeadline": within,
		})
		if err != nil {
			return nil, err
		}
		if !written {
			// Rejected meanwhile (by a clerk's hand): that end stands and
			// is the step's answer; nothing is counted or told twice.
			return encode(finalOutput{Status: kaiban.AppRejected, CreditCode: app.CreditCode, WithinDeadline: within, ElapsedMinutes: elapsed.Minutes()})
		}
		s.publish(ctx, kaiban.Metric{Name: kaiban.MetricCompletionMinutes, Value: elapsed.Minutes(), Unit: "None"})
		ended := *app
		ended.Status, ended.CompletedAt = kaiban.AppCompleted, &done
		s.countEnded(ctx, &ended, "", done)
	}
	s.milestone(ctx, app, notify.Event{Milestone: notify.Completed})
	return encode(finalOutput{Status: kaiban.AppCompleted, CreditCode: app.CreditCode, WithinDeadline: within, ElapsedMinutes: elapsed.Minutes()})
}
