package tracks

import (
	"context"
	"encoding/json"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/notify"
)

// compensationOutput reports what was undone.
type compensationOutput struct {
	Compensated []kaiban.TrackName `json:"compensated"`
	ClosedTasks int                `json:"closedTasks"`
	// RevokedDocuments counts the documents this run revoked.
	RevokedDocuments int `json:"revokedDocuments"`
}

// Compensate undoes, through the agencies, every track that had started
// when the application is finally rejected, closes its open clerk tasks
// and marks it REJECTED; the documents issued for it are revoked.
// Cancellation names the idempotency key of the
// original call, so it also undoes a registration whose answer never
// reached us; cancelling what never existed succeeds. Every step is
// idempotent, so the definition may retry the whole handler.
func (s *Service) Compensate(ctx context.Context, in json.RawMessage) (json.RawMessage, error) {
	var req compensateInput
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
	if req.ByHand && req.Clerk == nil {
		return nil, kaiban.Errorf(kaiban.ErrInput, "a cancellation by hand needs the clerk's decision")
	}
	reason := causeMessage(req.Error, req.Cause)
	out := compensationOutput{Compensated: []kaiban.TrackName{}}
	// Undo everything that can be undone now; an agency that cannot be
	// reached fails the handler afterwards, so the retry (or the clerk)
	// has only what is left.
	var unreachable error
	for _, t := range app.Tracks {
		if t.Status == kaiban.TrackPending || t.Status == kaiban.TrackCompensated {
			continue
		}
		if !req.ByHand {
			if err := s.cancel(ctx, app, t.Name, reason); err != nil {
				if unreachable == nil {
					unreachable = err
				}
				continue
			}
		}
		wasDone := t.Status == kaiban.TrackSucceeded
		now := s.now().UTC()
		actor, action := "system", "track.failed"
		if wasDone {
			action = "track.compensated"
		}
		if req.ByHand {
			actor = req.Clerk.Clerk.Actor()
		}
		ev, err := s.auditEvent(app.ID, actor, action, nil, map[string]any{"reason": reason, "byHand": req.ByHand})
		if err != nil {
			return nil, err
		}
		if _, err := kaiban.MutateTrackAudited(ctx, s.store, app.ID, t, func(tr *kaiban.Track) error {
			if wasDone {
				tr.Status = kaiban.TrackCompensated
				tr.Message = kaiban.NoticeTextZH(kaiban.NoticeCancelled, reason)
				if req.ByHand {
					tr.Message = kaiban.NoticeTextZH(kaiban.NoticeCancelledByClerk, reason)
				}
			} else {
				tr.Status = kaiban.TrackFailed
				if tr.Message == "" {
					tr.Message = reason
				}
			}
			tr.FinishedAt = &now
			return nil
		}, ev); err != nil {
			return nil, err
		}
		if wasDone {
			out.Compensated = append(out.Compensated, t.Name)
		}
	}
	if unreachable != nil {
		return nil, unreachable
	}
	closed, err := s.closeOpenTasks(ctx, app.ID, reason)
	if err != nil {
		return nil, err
	}
	out.ClosedTasks = closed
	// The documents issued so far stop verifying (they verify as
	// revoked); a retry revokes nothing twice.
	if s.docs != nil {
		if out.RevokedDocuments, err = s.docs.RevokeDocuments(ctx, app.ID, s.now().UTC()); err != nil {
			return nil, err
		}
	}
	if app.Status != kaiban.AppRejected {
		msg := reason
		actor := "system"
		if req.ByHand {
			actor = req.Clerk.Clerk.Actor()
		}
		// An application that completed meanwhile keeps COMPLETED: its
		// end is not counted again.
		written, err := s.updateUnlessFinished(ctx, app.ID, kaiban.ApplicationUpdate{Status: kaiban.AppRejected, Message: &msg, UpdatedAt: s.now()}, actor, "application.rejected", map[string]any{
			"error": req.Error, "reason": reason, "compensated": out.Compensated, "byHand": req.ByHand,
		})
		if err != nil {
			return nil, err
		}
		if ended, err := s.store.GetApplication(ctx, app.ID); written && err == nil {
			// A text the service did not write (an agency's own reason)
			// is counted under its error's name, which says what happened.
			_, code := kaiban.LocalizeNotice(reason, false)
			if code == "" || (code == kaiban.NoticeText || code == kaiban.NoticeUntranslated) && req.Error != "" {
				code = req.Error
			}
			s.countEnded(ctx, ended, code, s.now())
		}
	}
	rejected := *app
	if rejected.Status != kaiban.AppRejected {
		rejected.Message = reason
	}
	s.milestone(ctx, &rejected, notify.Event{Milestone: notify.Rejected})
	return encode(out)
}

// cancel undoes one track's registration at its agency.
func (s *Service) cancel(ctx context.Context, app *kaiban.Application, name kaiban.TrackName, reason string) error {
	cr := kaiban.NewCancelRequest(app.ID, string(name), &app.Form, "", reason)
	var err error
	switch name {
	case kaiban.TrackLicense:
		_, err = s.ag.Market.CancelLicense(ctx, cr)
	case kaiban.TrackSeal:
		_, err = s.ag.Seal.CancelSeals(ctx, cr)
	case kaiban.TrackTax:
		_, err = s.ag.Tax.CancelTaxpayer(ctx, cr)
	case kaiban.TrackSocialInsurance, kaiban.TrackMedicalInsurance, kaiban.TrackHousingFund:
		_, err = s.ag.Employer(name).CancelEmployer(ctx, cr)
	case kaiban.TrackBank:
		_, err = s.ag.Bank.CancelAppointment(ctx, cr)
	default:
		return kaiban.Errorf(kaiban.ErrInput, "unknown track %q", name)
	}
	return err
}

// closeOpenTasks resolves the application's unclaimed clerk tasks as
// rejected by the system: nobody should work on a rejected application.
// Tasks a clerk has claimed stay with the clerk, whose resolution then
// finds the execution finished.
func (s *Service) closeOpenTasks(ctx context.Context, appID, reason string) (int, error) {
	tasks, err := s.store.OpenTasksFor(ctx, appID)
	if err != nil {
		return 0, err
	}
	n := 0
	now := s.now().UTC()
	for _, t := range tasks {
		if t.Status != kaiban.TaskOpen {
			continue
		}
		// Each write and its event are one write (TaskAuditedWriter).
		claimed := t
		claimed.Status = kaiban.TaskClaimed
		ev, err := s.taskEvent(claimed, "system", "task.claimed", map[string]any{"taskId": t.ID})
		if err != nil {
			return n, err
		}
		if _, err := s.store.ClaimClerkTaskWithAudit(ctx, t.ID, "system", now, ev); err != nil {
			if kaiban.IsName(err, kaiban.ErrTaskClaimed) {
				continue
			}
			return n, err
		}
		note, decision := "申请已终止: "+reason, closingDecision(t)
		done := claimed
		done.Status, done.Decision = kaiban.TaskResolved, decision
		if ev, err = s.taskEvent(done, "system", "task.resolved", map[string]any{"taskId": t.ID, "decision": decision, "note": note}); err != nil {
			return n, err
		}
		if _, err := s.store.ResolveClerkTaskWithAudit(ctx, t.ID, "system", kaiban.Resolution{Decision: decision, Note: note, Settled: true}, now.Add(time.Nanosecond), ev); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// closingDecision is how the system records closing a task of an
// application that is being rejected: reject where the task's class takes
// it, else the class's first decision. Nothing is delivered (the
// resolution is Settled): the execution is already on its failure path.
func closingDecision(t kaiban.ClerkTask) kaiban.Decision {
	if _, ok := kaiban.RuleFor(t.Class(), kaiban.DecisionReject); ok {
		return kaiban.DecisionReject
	}
	if rules := kaiban.DecisionsFor(t.Class()); len(rules) > 0 {
		return rules[0].Decision
	}
	return kaiban.DecisionReject
}
