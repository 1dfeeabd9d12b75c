package tracks

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/notify"
)

// trackOutput is what each track function returns to the definition.
type trackOutput struct {
	Track  kaiban.TrackName   `json:"track"`
	Status kaiban.TrackStatus `json:"status"`
}

// Track returns the handler of one of the seven registrations. Action "run"
// calls the agency; "complete" records the result a clerk entered by hand.
func (s *Service) Track(name kaiban.TrackName) Handler {
	return func(ctx context.Context, in json.RawMessage) (json.RawMessage, error) {
		var req trackInput
		if err := decode(in, &req); err != nil {
			return nil, err
		}
		if err := requireID(req.ApplicationID); err != nil {
			return nil, err
		}
		if req.Track != string(name) {
			return nil, kaiban.Errorf(kaiban.ErrInput, "this function handles track %s, not %q", name, req.Track)
		}
		if req.CreditCode == "" {
			return nil, kaiban.Errorf(kaiban.ErrInput, "creditCode is required")
		}
		switch req.Action {
		case "run":
			return s.runTrack(ctx, name, req)
		case "complete":
			return s.completeTrack(ctx, name, req)
		}
		return nil, kaiban.Errorf(kaiban.ErrInput, "action must be run or complete, not %q", req.Action)
	}
}

func (s *Service) runTrack(ctx context.Context, name kaiban.TrackName, req trackInput) (json.RawMessage, error) {
	app, err := s.store.GetApplication(ctx, req.ApplicationID)
	if err != nil {
		return nil, err
	}
	cur := app.Track(name)
	if cur == nil {
		return nil, kaiban.Errorf(kaiban.ErrInput, "unknown track %q", name)
	}
	if cur.Status == kaiban.TrackSucceeded {
		// A repeated invocation (a retried Lambda, an engine resuming after
		// a crash) must not register twice; the agency call is idempotent
		// too, but there is nothing left to do.
		s.milestone(ctx, app, notify.Event{Milestone: notify.CertificateReady, Track: name})
		return encode(trackOutput{Track: name, Status: kaiban.TrackSucceeded})
	}
	if err := s.resumeIfNoOpenTasks(ctx, app); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	started, err := s.auditEvent(app.ID, "track:"+string(name), "track.running", nil, nil)
	if err != nil {
		return nil, err
	}
	running, err := kaiban.MutateTrackAudited(ctx, s.store, app.ID, *cur, func(t *kaiban.Track) error {
		t.Status = kaiban.TrackRunning
		t.Attempts++
		if t.StartedAt == nil {
			t.StartedAt = &now
		}
		t.FinishedAt = nil
		t.Message = ""
		return nil
	}, started)
	if err != nil {
		return nil, err
	}
	result, callErr := s.register(ctx, app, name, req)
	if callErr != nil {
		status := kaiban.TrackFailed
		if kaiban.IsName(callErr, kaiban.ErrAgencyUnavailable) {
			status = kaiban.TrackRetrying
		}
		// An agency's correction ask is for the Escalate step, not the
		// applicant's page.
		msg, _, _ := kaiban.SplitCorrectionAsk(kaiban.ErrorMessage(callErr))
		ev, err := s.auditEvent(app.ID, "track:"+string(name), "track."+strings.ToLower(string(status)), nil,
			map[string]any{"error": kaiban.ErrorName(callErr), "message": msg})
		if err != nil {
			return nil, err
		}
		if _, err := kaiban.MutateTrackAudited(ctx, s.store, app.ID, running, func(t *kaiban.Track) error {
			t.Status = status
			t.Message = msg
			return nil
		}, ev); err != nil {
			return nil, err
		}
		s.logFor(app.ID).WithFields(map[string]any{"track": name, "error": kaiban.ErrorName(callErr)}).Info("track attempt failed")
		return nil, callErr
	}
	return s.succeed(ctx, app, running, result, "", "track:"+string(name))
}

// succeed records a successful track and returns the function output.
func (s *Service) succeed(ctx context.Context, app *kaiban.Application, current kaiban.Track, result json.RawMessage, message, actor string) (json.RawMessage, error) {
	appID := app.ID
	now := s.now().UTC()
	name := current.Name
	ev, err := s.auditEvent(appID, actor, "track.succeeded", nil, map[string]any{"track": name, "result": result})
	if err != nil {
		return nil, err
	}
	if _, err := kaiban.MutateTrackAudited(ctx, s.store, appID, current, func(t *kaiban.Track) error {
		t.Status = kaiban.TrackSucceeded
		t.Result = result
		t.Message = message
		t.FinishedAt = &now
		if t.StartedAt == nil {
			t.StartedAt = &now
		}
		return nil
	}, ev); err != nil {
		return nil, err
	}
	s.milestone(ctx, app, notify.Event{Milestone: notify.CertificateReady, Track: name})
	return encode(trackOutput{Track: name, Status: kaiban.TrackSucceeded})
}

// completeTrack records what a clerk entered for a track they completed by
// hand (for example after registering at the counter).
func (s *Service) completeTrack(ctx context.Context, name kaiban.TrackName, req trackInput) (json.RawMessage, error) {
	if req.Clerk == nil || req.Clerk.Decision != kaiban.DecisionComplete {
		return nil, kaiban.Errorf(kaiban.ErrInput, "complete needs the clerk's decision")
	}
	wrapped, msg, err := kaiban.ClerkCompletion(req.Clerk.Data)
	if err != nil {
		return nil, err
	}
	actor := req.Clerk.Clerk.Actor()
	app, err := s.store.GetApplication(ctx, req.ApplicationID)
	if err != nil {
		return nil, err
	}
	if err := s.resumeIfNoOpenTasks(ctx, app); err != nil {
		return nil, err
	}
	cur := app.Track(name)
	if cur == nil {
		return nil, kaiban.Errorf(kaiban.ErrInput, "unknown track %q", name)
	}
	return s.succeed(ctx, app, *cur, wrapped, msg, actor)
}

// resumeIfNoOpenTasks puts an application that was waiting for a clerk back
// IN_PROGRESS once no clerk task of it is open.
func (s *Service) resumeIfNoOpenTasks(ctx context.Context, app *kaiban.Application) error {
	if app.Status != kaiban.AppActionRequired {
		return nil
	}
	open, err := s.store.OpenTasksFor(ctx, app.ID)
	if err != nil {
		return err
	}
	if len(open) > 0 {
		return nil
	}
	_, err = s.updateUnlessFinished(ctx, app.ID, kaiban.ApplicationUpdate{Status: kaiban.AppInProgress, UpdatedAt: s.now()},
		"system", "application.resumed", map[string]any{})
	return err
}

// register calls the track's agency with only the fields it needs (the
// request builders in shared/kaiban decide which) and returns the agency's
// receipt as the track result.
func (s *Service) register(ctx context.Context, app *kaiban.Application, name kaiban.TrackName, req trackInput) (json.RawMessage, error) {
	f, id, cc, att := &app.Form, app.ID, req.CreditCode, req.Identity.Attestation.ID
	var (
		out any
		err error
	)
	switch name {
	case kaiban.TrackLicense:
		out, err = s.ag.Market.IssueLicense(ctx, kaiban.NewLicenseRequest(id, f, cc, att, req.NameReservation))
	case kaiban.TrackSeal:
		out, err = s.ag.Seal.CarveSeals(ctx, kaiban.NewSealRequest(id, f, cc, att))
	case kaiban.TrackTax:
		out, err = s.ag.Tax.RegisterTaxpayer(ctx, kaiban.NewTaxRequest(id, f, cc, att))
	case kaiban.TrackSocialInsurance, kaiban.TrackMedicalInsurance, kaiban.TrackHousingFund:
		out, err = s.ag.Employer(name).RegisterEmployer(ctx, kaiban.NewEmployerRequest(name, id, f, cc, att))
	case kaiban.TrackBank:
		out, err = s.ag.Bank.BookAppointment(ctx, kaiban.NewBankRequest(id, f, cc, att))
	default:
		return nil, kaiban.Errorf(kaiban.ErrInput, "unknown track %q", name)
	}
	if err != nil {
		return nil, err
	}
	b, mErr := json.Marshal(out)
	if mErr != nil {
		return nil, kaiban.Wrap(kaiban.ErrInternal, mErr, fmt.Sprintf("encoding the %s result failed", name))
	}
	return b, nil
}
