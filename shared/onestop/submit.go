package onestop

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/notify"
	"github.com/kaiban/kaiban/shared/validate"
)

// SubmitRequest is a submission as the applicant sent it.
type SubmitRequest struct {
	// Body is the form, JSON.
	Body []byte
	// IdempotencyKey is the client's key, "" for none.
	IdempotencyKey string
	// Lang is the language of the error messages.
	Lang validate.Lang
	// FiledBy is the clerk who files for the applicant (FileForApplicant);
	// nil when the applicant files themselves.
	FiledBy *kaiban.FiledBy
}

// Submitted is the answer to a submission.
type Submitted struct {
	ID          string           `json:"id"`
	AccessToken string           `json:"accessToken"`
	Status      kaiban.AppStatus `json:"status"`
	Deadline    time.Time        `json:"deadline"`
	StatusURL   string           `json:"statusUrl"`
	// Replayed: an earlier call with the same Idempotency-Key and body
	// made this application; the answer is that call's.
	Replayed bool `json:"-"`
}

// Submit stores a valid form, records it in the audit trail and starts
// its execution. With an Idempotency-Key, a repeated request with the same
// body answers the same (same ID and access token) and a repeated key with
// another body for the same legal representative is
// kaiban.ErrIdempotencyConflict. The key is scoped to the legal
// representative (scopedIdempotencyKey): another applicant's use of the
// same key is another key.
func (s *Service) Submit(ctx context.Context, q SubmitRequest) (Submitted, error) {
	if err := kaiban.CheckIdempotencyKey(q.IdempotencyKey); err != nil {
		return Submitted{}, &kaiban.Error{Name: kaiban.ErrMalformed, Message: "bad Idempotency-Key",
			Fields: []kaiban.FieldError{{Field: "Idempotency-Key", Code: "malformed", Message: idempotencyKeyMessage(q.Lang)}}}
	}
	now := s.now()
	form, err := s.validator.Check(q.Body, now, q.Lang)
	if err != nil {
		return Submitted{}, err
	}
	if err := s.checkFormName(ctx, &form, q.Lang); err != nil {
		return Submitted{}, err
	}

	sum := sha256.Sum256(q.Body)
	bodyHash := hex.EncodeToString(sum[:])
	id := s.newID(now)
	token := newAccessToken()
	req := kaiban.CreateRequest{
		Application: kaiban.Application{
			ID:          id,
			Status:      kaiban.AppSubmitted,
			Form:        form,
			SubmittedAt: now,
			Deadline:    kaiban.InitialDeadline(now, s.confirm != nil),
			UpdatedAt:   now,
			Lang:        langOf(q.Lang),
		},
		AccessTokenHash: kaiban.HashToken(token),
		IdempotencyKey:  scopedIdempotencyKey(s.secret, &form, q.IdempotencyKey),
		BodyHash:        bodyHash,
	}
	var key []byte
	if q.IdempotencyKey != "" {
		if key, err = sealKey(s.secret, q.IdempotencyKey, bodyHash); err != nil {
			return Submitted{}, kaiban.Wrap(kaiban.ErrConfig, err, "cannot derive seal key")
		}
		if req.Sealed, err = sealToken(key, id, token); err != nil {
			return Submitted{}, kaiban.Wrap(kaiban.ErrConfig, err, "cannot seal token")
		}
	}

	// The application and its application.submitted event are one write
	// (one commit in the SQLite store): a submission is never stored
	// without its audit record.
	res, err := kaiban.CreateApplicationAudited(ctx, s.store, req, submittedEvent(&req.Application, now, q.FiledBy))
	if err != nil {
		return Submitted{}, err
	}
	app := res.Application
	log := s.logFor(ctx, app.ID)
	if res.Created {
		s.count(ctx, app.ID, app.SubmittedAt, kaiban.SubmittedCounters())
	}
	if !res.Created {
		// A replay: recover the first call's token. Failing to open it
		// means the secret changed since; the first answer cannot be
		// repeated, which to the client is a conflict with that key.
		if token, err = openToken(key, app.ID, res.Sealed); err != nil {
			log.WithError(err).Warn("idempotent replay: sealed access token cannot be opened")
			return Submitted{}, kaiban.Wrap(kaiban.ErrIdempotencyConflict, err, "cannot replay this request")
		}
		log.Info("idempotent replay of a submission")
	}
	if res.Created || app.Status == kaiban.AppSubmitted {
		// On a replay of a submission that never got going (the first
		// call failed after storing), finish what it started: the store
		// wrote the application and its submitted event together, so
		// only the execution can be missing.
		if err := s.workflow.StartExecution(ctx, app.ID); err != nil {
			// The stored SUBMITTED application is the intent to start:
			// the reconciler (tracks.Service.Reconcile, at start-up and
			// on the watchdog's schedule) starts every submission still
			// SUBMITTED after a grace period. So the submission is
			// accepted; an error here would only make the applicant
			// submit a second application beside this one.
			log.WithError(err).Warn("workflow not started; the reconciler starts it")
		}
	}
	if s.confirm != nil && (res.Created || app.Status == kaiban.AppSubmitted) {
		// Every founder gets their link on submission. A failure here
		// leaves the submission standing: opening is idempotent, and the
		// next attempt (a replay of this request) sends what is missing.
		// The workflow's first steps issue the articles and the
		// shareholders' decision seconds later; a founder signs the
		// SHA-256 of every document issued when they sign (the form's
		// always), which, people reading an SMS, is in practice all three.
		if _, err := s.OpenConfirmations(ctx, app.ID); err != nil {
			log.WithError(err).Warn("confirmation links not sent")
		}
	}
	// Sent on a replay too: the keys make a message already sent a no-op,
	// and a first call that failed before sending gets its message now.
	if err := s.notify.Notify(ctx, app, notify.Event{Milestone: notify.Submitted, Link: notify.StatusLink(s.baseURL, app.ID, token)}); err != nil {
		log.Warn("submitted: notification not sent")
	}
	return Submitted{
		ID:          app.ID,
		AccessToken: token,
		Status:      app.Status,
		Deadline:    app.Deadline,
		StatusURL:   "/v1/applications/" + app.ID,
		Replayed:    !res.Created,
	}, nil
}

// langOf is the notification language of a submission made in lang.
func langOf(lang validate.Lang) string {
	if lang == validate.LangEN {
		return kaiban.LangEN
	}
	return ""
}

// submittedEvent is the audit record of a submission: the applicant's, or
// the clerk's who filed it for them (with the filer in After).
func submittedEvent(app *kaiban.Application, now time.Time, by *kaiban.FiledBy) kaiban.AuditEvent {
	fields := map[string]any{"status": app.Status, "deadline": app.Deadline}
	actor := "applicant"
	if by != nil {
		fields["filedBy"] = by
		actor = "clerk:" + by.Clerk
	}
	after, _ := json.Marshal(fields)
	return kaiban.AuditEvent{
		ApplicationID: app.ID,
		Time:          now,
		Actor:         actor,
		Action:        "application.submitted",
		After:         after,
	}
}

// Validate is the dry run: the same checks as Submit and no side
// effects.
func (s *Service) Validate(ctx context.Context, body []byte, lang validate.Lang) error {
	form, err := s.validator.Check(body, s.now(), lang)
	if err != nil {
		return err
	}
	return s.checkFormName(ctx, &form, lang)
}

func idempotencyKeyMessage(lang validate.Lang) string {
	if lang == validate.LangEN {
		return "Idempotency-Key must be at most 128 printable ASCII characters"
	}
	return "Idempotency-Key 须为不超过 128 个可打印 ASCII 字符"
}
