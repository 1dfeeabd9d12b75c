package tracks

import (
	"context"
	"encoding/json"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/notify"
)

// FnConfirm names the founders' confirmations step: it opens them,
// waits for the signatures, reminds and closes the window. Its handler is
// Confirm. The definition runs it between VerifyIdentity and ReserveName,
// so no agency registers anything before every founder has signed.
const FnConfirm = "confirm"

// Confirmer is the founders' confirmations as the workflow drives them;
// the application service (onestop.Service) implements it.
type Confirmer interface {
	OpenConfirmations(ctx context.Context, applicationID string) ([]kaiban.Confirmation, error)
	RemindConfirmations(ctx context.Context, applicationID string) error
	AwaitConfirmations(ctx context.Context, applicationID, taskToken string) (kaiban.ConfirmOutcome, error)
	ConfirmationOutcome(ctx context.Context, applicationID string) (kaiban.ConfirmOutcome, error)
}

// UseConfirmer gives the service its confirmations where they can only be
// built after it (the local stack: the application service lives in the
// API, which needs the engine, which needs the handlers first).
func (s *Service) UseConfirmer(c Confirmer) { s.sigs = c }

// confirmInput is the input of the confirmations step.
type confirmInput struct {
	// Action: open (send the links, answer the outcome), wait (store the
	// task token; the state waits on it), remind, expire (the window has
	// closed: pending becomes expired), accept (everyone signed: tell the
	// applicant the application is accepted).
	Action        string `json:"action"`
	ApplicationID string `json:"applicationId"`
	TaskToken     string `json:"taskToken"`
}

// Confirm is the confirmations step (see confirmInput.Action). Its output
// is a kaiban.ConfirmOutcome, which the definition's Choice routes.
func (s *Service) Confirm(ctx context.Context, in json.RawMessage) (json.RawMessage, error) {
	var req confirmInput
	if err := decode(in, &req); err != nil {
		return nil, err
	}
	if err := requireID(req.ApplicationID); err != nil {
		return nil, err
	}
	if s.sigs == nil {
		return nil, kaiban.Errorf(kaiban.ErrConfig, "confirmations are not configured")
	}
	var (
		out kaiban.ConfirmOutcome
		err error
	)
	switch req.Action {
	case "open":
		if _, err = s.sigs.OpenConfirmations(ctx, req.ApplicationID); err == nil {
			out, err = s.sigs.ConfirmationOutcome(ctx, req.ApplicationID)
		}
	case "accept":
		out, err = s.sigs.ConfirmationOutcome(ctx, req.ApplicationID)
		if err == nil && out.Outcome != kaiban.OutcomeSigned {
			return nil, kaiban.Errorf(kaiban.ErrInput, "the application is not accepted: the confirmations are %s", out.Outcome)
		}
		if err == nil {
			s.milestoneOf(ctx, req.ApplicationID, notify.Event{Milestone: notify.Accepted})
		}
	case "wait":
		if req.TaskToken == "" {
			return nil, kaiban.Errorf(kaiban.ErrInput, "the wait needs its task token")
		}
		out, err = s.sigs.AwaitConfirmations(ctx, req.ApplicationID, req.TaskToken)
		if err == nil && out.Outcome != kaiban.OutcomePending {
			// Settled before the token was stored: nobody will send it.
			return nil, kaiban.Errorf(kaiban.ErrConfirmationSettled, "the confirmations are settled (%s)", out.Outcome)
		}
	case "remind":
		if err = s.sigs.RemindConfirmations(ctx, req.ApplicationID); err == nil {
			out = kaiban.ConfirmOutcome{Outcome: kaiban.OutcomePending}
			s.milestoneOf(ctx, req.ApplicationID, notify.Event{Milestone: notify.AwaitingSignatures})
		}
	case "expire":
		out, err = s.sigs.ConfirmationOutcome(ctx, req.ApplicationID)
		if err == nil && out.Outcome == kaiban.OutcomePending {
			out = kaiban.ConfirmOutcome{Outcome: kaiban.OutcomeExpired, Cause: kaiban.NoticeTextZH(kaiban.NoticeConfirmationExpired)}
		}
	default:
		return nil, kaiban.Errorf(kaiban.ErrInput, "unknown confirmation action %q", req.Action)
	}
	if err != nil {
		return nil, err
	}
	return encode(out)
}

// milestoneOf tells the applicant of ev on the application stored under
// id; a failure to read it or to send is logged by the sender, never the
// step's error (the milestone has happened).
func (s *Service) milestoneOf(ctx context.Context, id string, ev notify.Event) {
	app, err := s.store.GetApplication(ctx, id)
	if err != nil {
		s.log.WithField("applicationId", id).WithField("error", kaiban.ErrorName(err)).Warn("milestone not sent: application not read")
		return
	}
	s.milestone(ctx, app, ev)
}
