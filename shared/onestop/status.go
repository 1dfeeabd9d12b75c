package onestop

import (
	"context"
	"encoding/json"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/validate"
)

// StatusView is what an applicant sees of their application: progress and
// results, never the form's ID numbers or mobiles.
type StatusView struct {
	ID              string           `json:"id"`
	Status          kaiban.AppStatus `json:"status"`
	CreditCode      string           `json:"creditCode"`
	SubmittedAt     time.Time        `json:"submittedAt"`
	Deadline        time.Time        `json:"deadline"`
	CompletedAt     *time.Time       `json:"completedAt"`
	TimeLeftSeconds int64            `json:"timeLeftSeconds"`
	Message         string           `json:"message,omitempty"`
	MessageCode     string           `json:"messageCode,omitempty"`
	Tracks          []TrackView      `json:"tracks"`
	// Permits lists the permits the business scope needs after
	// registration (empty when it needs none).
	Permits []PermitView `json:"permits"`
	// AcceptedAt (受理) is when the last founder signed; nil until then.
	AcceptedAt *time.Time `json:"acceptedAt"`
	// Confirmations lists each founder's confirmation, names masked.
	Confirmations []ConfirmationSummary `json:"confirmations,omitempty"`
	// FiledBy names the clerk who filed the application for the
	// applicant (帮办); absent when the applicant filed it.
	FiledBy *FiledByView `json:"filedBy,omitempty"`
	// Rating is the rating widget's data once the application has ended
	// (absent before).
	Rating *RatingStatus `json:"rating,omitempty"`
	// Correction is what the applicant is asked to correct while the
	// application is NEEDS_CORRECTION; absent otherwise.
	Correction *CorrectionView `json:"correction,omitempty"`
	// PausedSince is when the half-day clock stopped to wait for the
	// applicant's correction (TimeLeftSeconds then stands still); absent
	// while it runs.
	PausedSince *time.Time `json:"pausedSince,omitempty"`
}

// TrackView is one track in a StatusView.
type TrackView struct {
	Name       kaiban.TrackName   `json:"name"`
	Status     kaiban.TrackStatus `json:"status"`
	Attempts   int                `json:"attempts"`
	StartedAt  *time.Time         `json:"startedAt"`
	FinishedAt *time.Time         `json:"finishedAt"`
	Result     json.RawMessage    `json:"result"`
	Message    string             `json:"message"`
	// MessageCode names the kind of message (kaiban.Notice*), the same in
	// every language; "" when there is none.
	MessageCode string `json:"messageCode,omitempty"`
}

// Status answers the applicant holding the access token. An unknown ID,
// a malformed ID and a wrong token are all the same kaiban.ErrNotFound, so
// nobody can probe which applications exist.
func (s *Service) Status(ctx context.Context, id, token string, lang validate.Lang) (StatusView, error) {
	if !validApplicationID(id) {
		return StatusView{}, kaiban.Errorf(kaiban.ErrNotFound, "application not found")
	}
	if err := s.store.CheckAccessToken(ctx, id, token); err != nil {
		return StatusView{}, notFoundIfInput(err)
	}
	app, err := s.store.GetApplication(ctx, id)
	if err != nil {
		return StatusView{}, err
	}
	v := newStatusView(app, s.now(), lang)
	if err := s.addConfirmations(ctx, &v, app, lang); err != nil {
		return StatusView{}, err
	}
	trail, err := s.store.ListAudit(ctx, id)
	if err != nil {
		return StatusView{}, err
	}
	if v.FiledBy = filedByView(trail, lang); v.FiledBy != nil {
		v.FiledBy.Sub = "" // the applicant gets the clerk's name, not their account
	}
	if v.Rating, err = s.ratingStatus(ctx, app, lang); err != nil {
		return StatusView{}, err
	}
	if err := s.addCorrection(ctx, &v, app, lang); err != nil {
		return StatusView{}, err
	}
	return v, nil
}

// newStatusView renders app for the applicant. Messages are stored in one
// language; they are given in lang (kaiban.LocalizeNotice), so a Chinese
// page never shows an agency client's English text and an English one
// gets the service's own notices in English.
func newStatusView(app *kaiban.Application, now time.Time, lang validate.Lang) StatusView {
	en := lang == validate.LangEN
	appMsg, appCode := kaiban.LocalizeNotice(app.Message, en)
	v := StatusView{
		ID:              app.ID,
		Status:          app.Status,
		CreditCode:      app.CreditCode,
		SubmittedAt:     app.SubmittedAt,
		Deadline:        app.Deadline,
		CompletedAt:     app.CompletedAt,
		TimeLeftSeconds: timeLeft(app, now),
		Message:         appMsg,
		MessageCode:     appCode,
		Tracks:          make([]TrackView, 0, len(kaiban.Tracks)),
		Permits:         permitViews(app.Form.Company.BusinessScope, lang),
	}
	secrets := personalData(&app.Form)
	for _, name := range kaiban.Tracks {
		t := app.Track(name)
		if t == nil {
			v.Tracks = append(v.Tracks, TrackView{Name: name, Status: kaiban.TrackPending})
			continue
		}
		msg, code := kaiban.LocalizeNotice(t.Message, en)
		v.Tracks = append(v.Tracks, TrackView{
			Name:        t.Name,
			Status:      t.Status,
			Attempts:    t.Attempts,
			StartedAt:   t.StartedAt,
			FinishedAt:  t.FinishedAt,
			Result:      redactJSON(t.Result, secrets),
			Message:     redact(msg, secrets),
			MessageCode: code,
		})
	}
	return v
}

// timeLeft is the whole seconds until the deadline, 0 once it has passed
// or the application is finished.
func timeLeft(app *kaiban.Application, now time.Time) int64 {
	if app.Status.Terminal() {
		return 0
	}
	return max(0, int64(app.Deadline.Sub(now)/time.Second))
}

// notFoundIfInput turns the store's ErrInput for a key it cannot use into
// the 404 a missing application gets.
func notFoundIfInput(err error) error {
	if kaiban.IsName(err, kaiban.ErrInput) {
		return kaiban.Wrap(kaiban.ErrNotFound, err, "not found")
	}
	return err
}
