package tracks

import (
	"context"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/notify"
)

// askApplicant handles an agency's refusal that names the fields to
// correct (kaiban.ErrAgencyNeedsCorrection): instead of a clerk task, the
// waiting branch's token goes into a correction the applicant answers
// (package onestop, Correct), and the application waits for them. ok is
// false when the refusal carries no usable ask or the store keeps no
// corrections; the caller then opens a clerk task as for any refusal.
func (s *Service) askApplicant(ctx context.Context, req escalateInput) (ok bool, err error) {
	corr, has := s.store.(kaiban.Corrections)
	if req.Error != kaiban.ErrAgencyNeedsCorrection || req.Kind != kaiban.TaskTrackException || !has {
		return false, nil
	}
	text, ask, found := kaiban.SplitCorrectionAsk(causeMessage(req.Error, req.Cause))
	if !found {
		return false, nil
	}
	now := s.now().UTC()
	track := kaiban.TrackName(req.Track)
	app, opened, err := kaiban.OpenCorrectionAudited(ctx, s.store, corr, kaiban.Correction{
		ApplicationID: req.ApplicationID, Track: track, Fields: ask.Fields, ReasonCode: ask.ReasonCode,
		Note: text, AskedBy: "agency:" + req.Track, AskedAt: now, DueAt: kaiban.CorrectionDueAt(now), TaskToken: req.TaskToken,
	})
	if err != nil {
		return false, err
	}
	if cur := app.Track(track); cur != nil && cur.Status != kaiban.TrackWaitingClerk {
		ev, err := s.auditEvent(app.ID, "system", "track.waiting_applicant", nil, map[string]any{"fields": ask.Fields})
		if err != nil {
			return false, err
		}
		if _, err := kaiban.MutateTrackAudited(ctx, s.store, app.ID, *cur, func(t *kaiban.Track) error {
			t.Status = kaiban.TrackWaitingClerk
			t.Message = text
			return nil
		}, ev); err != nil {
			return false, err
		}
	}
	s.milestone(ctx, app, notify.CorrectionEvent("", app.ID, opened))
	s.logFor(app.ID).WithFields(map[string]any{"track": req.Track, "fields": ask.Fields}).Info("asked the applicant to correct")
	return true, nil
}
