package tracks

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/notify"
)

// kindCorrection is the escalate input's kind of the states that wait for
// the applicant's correction (the definition's AskApplicant and SendBack).
const kindCorrection = "CORRECTION"

// kindCorrectionDue is the escalate input's kind of the state before such a
// wait (AskApplicantDue, SendBackDue): it answers a correctionDueOutput.
const kindCorrectionDue = "CORRECTION_DUE"

// correctionDueOutput is a correction's times, computed once before the
// wait: the wait times out after TimeoutSeconds (its TimeoutSecondsPath)
// and the correction stores AskedAt and DueAt, so the wait ends at the
// dueAt the applicant is shown.
type correctionDueOutput struct {
	AskedAt        time.Time `json:"askedAt"`
	DueAt          time.Time `json:"dueAt"`
	TimeoutSeconds int64     `json:"timeoutSeconds"`
}

// correctionDueAt is the correction asked at now: due
// kaiban.CorrectionDueAt(now), which is whole days later at the same clock
// time, so TimeoutSeconds is exact (rounded up, never 0, were it not).
func correctionDueAt(now time.Time) correctionDueOutput {
	now = now.UTC()
	due := kaiban.CorrectionDueAt(now)
	d := due.Sub(now)
	secs := int64(d / time.Second)
	if d%time.Second != 0 {
		secs++
	}
	return correctionDueOutput{AskedAt: now, DueAt: due, TimeoutSeconds: max(1, secs)}
}

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
// task, as for any refusal; busy then says why when the applicant is
// already correcting another track's fields (the store keeps one open
// correction per application: a second would never reach them).
func (s *Service) askApplicant(ctx context.Context, req escalateInput) (ok bool, busy string, err error) {
	corr, has := s.store.(kaiban.Corrections)
	if !has {
		return false, "", nil
	}
	due := correctionDueAt(s.now())
	if req.AskedAt != nil && req.DueAt != nil {
		// The times the wait's timeout was computed from (correctionDue).
		due.AskedAt, due.DueAt = req.AskedAt.UTC(), req.DueAt.UTC()
	}
	c := kaiban.Correction{ApplicationID: req.ApplicationID, Track: kaiban.TrackName(req.Track), AskedAt: due.AskedAt,
		DueAt: due.DueAt, TaskToken: req.TaskToken}
	if req.Clerk != nil {
		var d correctionData
		if json.Unmarshal(req.Clerk.Data, &d) != nil {
			return false, "", nil
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
		return false, "", nil
	}
	// Counted once: a retried step finds the correction already open.
	prev, err := corr.GetCorrection(ctx, c.ApplicationID)
	fresh := kaiban.IsName(err, kaiban.ErrNotFound) || err == nil && prev.Status != kaiban.CorrectionOpen
	if err == nil && prev.Status == kaiban.CorrectionOpen && prev.Track != c.Track {
		s.logFor(req.ApplicationID).WithFields(map[string]any{"track": req.Track, "waiting": prev.Track}).Info("a correction is already awaited: a clerk takes this one")
		return false, fmt.Sprintf("（申请人正在补正%s的信息，补正后可再退回补正）", kaiban.TrackLabelZH(prev.Track)), nil
	}
	app, opened, err := kaiban.OpenCorrectionAudited(ctx, s.store, corr, c)
	if err != nil {
		return false, "", err
	}
	if fresh && opened.TaskToken == c.TaskToken {
		if err := kaiban.CountStats(ctx, s.stats, c.AskedAt, kaiban.CorrectionCounters(c.ReasonCode)); err != nil {
			s.logFor(app.ID).WithError(err).Warn("stats: the correction not counted")
		}
	}
	if cur := app.Track(c.Track); cur != nil && cur.Status != kaiban.TrackWaitingClerk {
		ev, err := s.auditEvent(app.ID, "system", "track.waiting_applicant", nil, map[string]any{"fields": c.Fields})
		if err != nil {
			return false, "", err
		}
		if _, err := kaiban.MutateTrackAudited(ctx, s.store, app.ID, *cur, func(t *kaiban.Track) error {
			t.Status = kaiban.TrackWaitingClerk
			t.Message = c.Note
			return nil
		}, ev); err != nil {
			return false, "", err
		}
	}
	s.milestone(ctx, app, notify.CorrectionEvent(s.base, app.ID, opened))
	s.logFor(app.ID).WithFields(map[string]any{"track": req.Track, "fields": c.Fields}).Info("asked the applicant to correct")
	return true, "", nil
}
