package onestop

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/kaiban/kaiban/shared/delivery"
	"github.com/kaiban/kaiban/shared/kaiban"
)

// ConfirmationOutcome reads where an application's confirmations stand as
// a whole, and records the acceptance (the deadline from the last
// signature) when everyone has signed and it is not recorded yet.
func (s *Service) ConfirmationOutcome(ctx context.Context, applicationID string) (kaiban.ConfirmOutcome, error) {
	if s.confirm == nil {
		return kaiban.ConfirmOutcome{}, kaiban.Errorf(kaiban.ErrConfig, "confirmations are not configured")
	}
	app, err := s.store.GetApplication(ctx, applicationID)
	if err != nil {
		return kaiban.ConfirmOutcome{}, err
	}
	cs, err := s.confirm.Store.ListConfirmations(ctx, applicationID)
	if err != nil {
		return kaiban.ConfirmOutcome{}, err
	}
	if len(cs) == 0 {
		return kaiban.ConfirmOutcome{Outcome: kaiban.OutcomePending}, nil
	}
	people := kaiban.Confirmers(app.Form)
	for _, c := range cs {
		if c.State == kaiban.ConfirmDeclined {
			who := ""
			if c.Seq < len(people) && len(c.Roles) > 0 {
				who = roleLabel(c.Roles[0].Role, false) + MaskName(people[c.Seq].Name) + "，理由："
			}
			text := redact(who+c.DeclineReason, personalData(&app.Form))
			return kaiban.ConfirmOutcome{Outcome: kaiban.OutcomeDeclined, Cause: kaiban.NoticeTextZH(kaiban.NoticeConfirmationDeclined, text)}, nil
		}
	}
	at := AcceptedAt(cs)
	if at == nil {
		return kaiban.ConfirmOutcome{Outcome: kaiban.OutcomePending}, nil
	}
	if deadline := at.Add(kaiban.DeadlineAfterSubmission); !app.Deadline.Equal(deadline) && !app.Status.Terminal() {
		after, err := encodeAudit(map[string]any{"acceptedAt": at, "deadline": deadline})
		if err != nil {
			return kaiban.ConfirmOutcome{}, err
		}
		if err := s.confirm.Store.AcceptApplication(ctx, app.ID, *at, kaiban.AuditEvent{
			ApplicationID: app.ID, Time: s.now().UTC(), Actor: "system", Action: "application.accepted", After: after,
		}); err != nil {
			return kaiban.ConfirmOutcome{}, err
		}
	}
	return kaiban.ConfirmOutcome{Outcome: kaiban.OutcomeSigned, AcceptedAt: at}, nil
}

// AwaitConfirmations stores the task token of the workflow state that
// waits for the signatures, then answers the outcome as it is now: a
// caller that gets anything but pending must not wait (the decision that
// settled it may have looked for a token before this one was stored).
func (s *Service) AwaitConfirmations(ctx context.Context, applicationID, taskToken string) (kaiban.ConfirmOutcome, error) {
	if s.confirm == nil {
		return kaiban.ConfirmOutcome{}, kaiban.Errorf(kaiban.ErrConfig, "confirmations are not configured")
	}
	if err := s.confirm.Store.SetConfirmationWaiter(ctx, applicationID, taskToken); err != nil {
		return kaiban.ConfirmOutcome{}, err
	}
	return s.ConfirmationOutcome(ctx, applicationID)
}

// settle tells the waiting workflow, once a decision has settled the
// confirmations (someone declined, or the last one signed). Failing to is
// logged, not answered: the decision is recorded, and the workflow reads
// the outcome again when its wait ends (the reminder, the window's end).
func (s *Service) settle(ctx context.Context, applicationID string) {
	log := s.logFor(ctx, applicationID)
	out, err := s.ConfirmationOutcome(ctx, applicationID)
	if err != nil {
		log.WithError(err).Warn("confirmations: outcome not read after a decision")
		return
	}
	if out.Outcome == kaiban.OutcomePending {
		return
	}
	token, err := s.confirm.Store.ConfirmationWaiter(ctx, applicationID)
	if kaiban.IsName(err, kaiban.ErrNotFound) {
		return // the workflow has not reached its wait: it reads the outcome first
	}
	if err != nil {
		log.WithError(err).Warn("confirmations: waiting workflow not found")
		return
	}
	b, err := json.Marshal(out)
	if err != nil {
		return
	}
	if err := s.workflow.SendTaskSuccess(ctx, token, b); err != nil && !errors.Is(err, delivery.ErrTaskGone) {
		log.WithError(err).Warn("confirmations: the waiting workflow was not told; it reads the outcome when its wait ends")
	}
}
