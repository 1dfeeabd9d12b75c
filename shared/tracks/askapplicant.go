package tracks

import (
	"context"
	"encoding/json"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/notify"
)

// kindCorrection is the escalate input's kind of the states that wait for
// the applicant's correction (the definition's AskApplicant and SendBack).
const kindCorrection = "CORRECTION"

// correctionData is a clerk's correct decision's data.
type correctionData struct {
	Fields     []string `json:"fields"`
	ReasonCode string   `json:"reasonCode"`
}

// askApplicant opens the correction the waiting state's token resumes:
// from the clerk's correct decision (req.Clerk) or from the agency's
// refusal that names the fields (kaiban.ErrAgencyNeedsCorrection, its ask
// at the end of the cause). The application waits for the applicant
// (package onestop, Correct). ok is false when there is nothing usable to
// ask or the store keeps no corrections; the caller then opens a clerk
// task, as for any refusal.
func (s *Service) askApplicant(ctx context.Context, req escalateInput) (ok bool, err error) {
	corr, has := s.store.(kaiban.Corrections)
	if !has {
		return false, nil
	}
	now := s.now().UTC()
	c := kaiban.Correction{ApplicationID: req.ApplicationID, Track: kaiban.TrackName(req.Track), AskedAt: now,
		DueAt: kaiban.CorrectionDueAt(now), TaskToken: req.TaskToken}
	if req.Clerk != nil {
		var d correctionData
		if json.Unmarshal(req.Clerk.Data, &d) != nil {
			return false, nil
		}
		msg := kaiban.CorrectionAsk{Fields: d.Fields, ReasonCode: d.ReasonCode}.Append("")
		if _, ask, found := kaiban.SplitCorrectionAsk(msg); found {
			c.Fields, c.ReasonCode = ask.Fields, ask.ReasonCode
		}
		c.Note, c.AskedBy = req.Clerk.Note, req.Clerk.Clerk.Actor()
	} else {
		text, ask, found := kaiban.SplitCorrectionAsk(causeMessage(req.Error, req.Cause))
		if found {
			c.Fields, c.ReasonCode = ask.Fields, ask.ReasonCode
		}
		c.Note, c.AskedBy = text, "agency:"+req.Track
	}
	if len(c.Fields) == 0 {
		return false, nil
	}
	app, opened, err := kaiban.OpenCorrectionAudited(ctx, s.store, corr, c)
	if err != nil {
		return false, err
	}
	// Counted once: a retried step finds the correction first stored,
	// asked at an earlier instant.
	if opened.AskedAt.Equal(c.AskedAt) {
		if err := kaiban.CountStats(ctx, s.stats, now, kaiban.CorrectionCounters(c.ReasonCode)); err != nil {
			s.logFor(app.ID).WithError(err).Warn("stats: the correction not counted")
		}
	}
	if cur := app.Track(c.Track); cur != nil && cur.Status != kaiban.TrackWaitingClerk {
		ev, err := s.auditEvent(app.ID, "system", "track.waiting_applicant", nil, map[string]any{"fields": c.Fields})
		if err != nil {
			return false, err
		}
		if _, err := kaiban.MutateTrackAudited(ctx, s.store, app.ID, *cur, func(t *kaiban.Track) error {
			t.Status = kaiban.TrackWaitingClerk
			t.Message = c.Note
			return nil
		}, ev); err != nil {
			return false, err
		}
	}
	s.milestone(ctx, app, notify.CorrectionEvent(s.base, app.ID, opened))
	s.logFor(app.ID).WithFields(map[string]any{"track": req.Track, "fields": c.Fields}).Info("asked the applicant to correct")
	return true, nil
}
