package tracks

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/notify"
)

// escalateOutput is returned to the engine, which ignores it: the state
// resumes only when the clerk's decision arrives through SendTaskSuccess.
type escalateOutput struct {
	TaskID string `json:"taskId"`
}

// Escalate opens a clerk task that holds the waiting state's task token and
// the reason. The task ID derives from the token, so a retried invocation
// finds the task it already created instead of opening a second one.
func (s *Service) Escalate(ctx context.Context, in json.RawMessage) (json.RawMessage, error) {
	var req escalateInput
	if err := decode(in, &req); err != nil {
		return nil, err
	}
	if err := requireID(req.ApplicationID); err != nil {
		return nil, err
	}
	track := kaiban.TrackName(req.Track)
	if req.Kind == kindCorrectionDue {
		if !track.Valid() {
			return nil, kaiban.Errorf(kaiban.ErrInput, "a correction is for one of the seven tracks, not %q", req.Track)
		}
		return encode(correctionDueAt(s.now()))
	}
	if req.TaskToken == "" {
		return nil, kaiban.Errorf(kaiban.ErrInput, "taskToken is required")
	}
	if !kaiban.ValidTaskSubject(req.Track) {
		return nil, kaiban.Errorf(kaiban.ErrInput, "unknown track %q", req.Track)
	}
	switch req.Kind {
	case kaiban.TaskNameReview, kaiban.TaskTrackException:
	case kindCorrection:
		if !track.Valid() {
			return nil, kaiban.Errorf(kaiban.ErrInput, "a correction is for one of the seven tracks, not %q", req.Track)
		}
		asked, busy, err := s.askApplicant(ctx, req)
		if err != nil {
			return nil, err
		}
		if asked {
			return encode(escalateOutput{})
		}
		// Nothing to ask the applicant: a clerk takes the exception.
		req.Kind = kaiban.TaskTrackException
		if busy != "" {
			req.Cause = causeMessage(req.Error, req.Cause) + busy
		}
	default:
		return nil, kaiban.Errorf(kaiban.ErrInput, "unknown task kind %q", req.Kind)
	}
	app, err := s.store.GetApplication(ctx, req.ApplicationID)
	if err != nil {
		return nil, err
	}
	reason := causeMessage(req.Error, req.Cause)
	sum := sha256.Sum256([]byte(req.TaskToken))
	open := kaiban.ClerkTask{
		ID:            "T" + hex.EncodeToString(sum[:12]),
		ApplicationID: app.ID,
		Track:         req.Track,
		Kind:          req.Kind,
		Status:        kaiban.TaskOpen,
		ErrorName:     req.Error,
		Reason:        reason,
		TaskToken:     req.TaskToken,
		Deadline:      app.Deadline,
		CreatedAt:     s.now().UTC(),
	}
	if req.Kind == kaiban.TaskNameReview && s.names != nil {
		if open.Data, err = s.nameCheckData(ctx, app); err != nil {
			return nil, err
		}
	}
	ev, err := s.taskEvent(open, "system", "task.opened", map[string]any{
		"taskId": open.ID, "track": req.Track, "kind": req.Kind, "error": req.Error, "reason": reason,
	})
	if err != nil {
		return nil, err
	}
	// The task and its event are one write; a retried handler finds the
	// task and records nothing again.
	created, err := s.store.CreateClerkTaskWithAudit(ctx, open, ev)
	if err != nil {
		return nil, err
	}
	task := created.ClerkTask
	if cur := app.Track(track); cur != nil {
		ev, err := s.auditEvent(app.ID, "system", "track.waiting_clerk", nil, map[string]any{"taskId": task.ID})
		if err != nil {
			return nil, err
		}
		if _, err := kaiban.MutateTrackAudited(ctx, s.store, app.ID, *cur, func(t *kaiban.Track) error {
			t.Status = kaiban.TrackWaitingClerk
			t.Message = reason
			return nil
		}, ev); err != nil {
			return nil, err
		}
	}
	if app.Status != kaiban.AppActionRequired {
		msg := kaiban.NoticeTextZH(kaiban.NoticeWaitingForClerk)
		if _, err := s.updateUnlessFinished(ctx, app.ID, kaiban.ApplicationUpdate{Status: kaiban.AppActionRequired, Message: &msg, UpdatedAt: s.now()},
			"system", "application.action_required", map[string]any{"taskId": task.ID}); err != nil {
			return nil, err
		}
	}
	s.milestone(ctx, app, notify.Event{Milestone: notify.ActionRequired, TaskID: task.ID})
	s.logFor(app.ID).WithFields(map[string]any{"taskId": task.ID, "track": req.Track, "error": req.Error}).Info("escalated to a clerk")
	return encode(escalateOutput{TaskID: task.ID})
}
