package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/logging"
	"github.com/kaiban/kaiban/shared/validate"
)

// submitted is the 202 answer to a submission.
type submitted struct {
	ID          string           `json:"id"`
	AccessToken string           `json:"accessToken"`
	Status      kaiban.AppStatus `json:"status"`
	Deadline    time.Time        `json:"deadline"`
	StatusURL   string           `json:"statusUrl"`
}

// submitApplication stores a valid form, records it in the audit trail and
// starts its execution. With an Idempotency-Key, a repeated request with
// the same body answers the same 202 (same ID and access token) and a
// repeated key with another body for the same legal representative answers
// 409. The key is scoped to the legal representative
// (scopedIdempotencyKey): another applicant's use of the same key is
// another key.
func (s *Server) submitApplication(ctx context.Context, r *request) (events.APIGatewayV2HTTPResponse, error) {
	body, err := jsonBody(r.ev)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	idemKey := header(r.ev, "idempotency-key")
	if err := kaiban.CheckIdempotencyKey(idemKey); err != nil {
		return events.APIGatewayV2HTTPResponse{}, &kaiban.Error{Name: kaiban.ErrMalformed, Message: "bad Idempotency-Key",
			Fields: []kaiban.FieldError{{Field: "Idempotency-Key", Code: "malformed", Message: idempotencyKeyMessage(r.lang)}}}
	}
	now := s.now()
	form, err := s.validator.Check(body, now, r.lang)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}

	sum := sha256.Sum256(body)
	bodyHash := hex.EncodeToString(sum[:])
	id := newApplicationID(now)
	token := newAccessToken()
	req := kaiban.CreateRequest{
		Application: kaiban.Application{
			ID:          id,
			Status:      kaiban.AppSubmitted,
			Form:        form,
			SubmittedAt: now,
			Deadline:    now.Add(kaiban.DeadlineAfterSubmission),
			UpdatedAt:   now,
		},
		AccessTokenHash: kaiban.HashToken(token),
		IdempotencyKey:  scopedIdempotencyKey(s.secret, &form, idemKey),
		BodyHash:        bodyHash,
	}
	var key []byte
	if idemKey != "" {
		if key, err = sealKey(s.secret, idemKey, bodyHash); err != nil {
			return events.APIGatewayV2HTTPResponse{}, kaiban.Wrap(kaiban.ErrConfig, err, "cannot derive seal key")
		}
		if req.Sealed, err = sealToken(key, id, token); err != nil {
			return events.APIGatewayV2HTTPResponse{}, kaiban.Wrap(kaiban.ErrConfig, err, "cannot seal token")
		}
	}

	// The application and its application.submitted event are one write
	// (one commit in the SQLite store): a submission is never stored
	// without its audit record.
	res, err := kaiban.CreateApplicationAudited(ctx, s.store, req, submittedEvent(&req.Application, now))
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	app := res.Application
	r.log = r.log.WithField(logging.FieldApplicationID, app.ID)
	if !res.Created {
		// A replay: recover the first call's token. Failing to open it
		// means the secret changed since; the first answer cannot be
		// repeated, which to the client is a conflict with that key.
		if token, err = openToken(key, app.ID, res.Sealed); err != nil {
			r.log.WithError(err).Warn("idempotent replay: sealed access token cannot be opened")
			return events.APIGatewayV2HTTPResponse{}, kaiban.Wrap(kaiban.ErrIdempotencyConflict, err, "cannot replay this request")
		}
		r.log.Info("idempotent replay of a submission")
	}
	if res.Created || app.Status == kaiban.AppSubmitted {
		// On a replay of a submission that never got going (the first
		// call failed after storing), finish what it started: the store
		// wrote the application and its submitted event together, so
		// only the execution can be missing.
		if err := s.startExecution(ctx, app.ID); err != nil {
			// The stored SUBMITTED application is the intent to start:
			// the reconciler (tracks.Service.Reconcile, at start-up and
			// on the watchdog's schedule) starts every submission still
			// SUBMITTED after a grace period. So the submission is
			// accepted; an error here would only make the applicant
			// submit a second application beside this one.
			r.log.WithError(err).Warn("workflow not started; the reconciler starts it")
		}
	}
	resp := jsonResponse(http.StatusAccepted, submitted{
		ID:          app.ID,
		AccessToken: token,
		Status:      app.Status,
		Deadline:    app.Deadline,
		StatusURL:   "/v1/applications/" + app.ID,
	})
	resp.Headers["Location"] = "/v1/applications/" + app.ID
	return resp, nil
}

// submittedEvent is the audit record of a submission.
func submittedEvent(app *kaiban.Application, now time.Time) kaiban.AuditEvent {
	after, _ := json.Marshal(map[string]any{"status": app.Status, "deadline": app.Deadline})
	return kaiban.AuditEvent{
		ApplicationID: app.ID,
		Time:          now,
		Actor:         "applicant",
		Action:        "application.submitted",
		After:         after,
	}
}

// startExecution starts the workflow for an application, named by its ID.
// ExecutionAlreadyExists means an earlier call started it: the input is
// always the same for one ID, so that is success.
func (s *Server) startExecution(ctx context.Context, id string) error {
	input, _ := json.Marshal(ExecutionInput{ApplicationID: id})
	_, err := s.executions.StartExecution(ctx, &sfn.StartExecutionInput{
		StateMachineArn: aws.String(s.machine),
		Name:            aws.String(id),
		Input:           aws.String(string(input)),
	})
	var exists *sfntypes.ExecutionAlreadyExists
	if err == nil || errors.As(err, &exists) {
		return nil
	}
	// The application is stored; the reconciler, or a retry with the
	// same Idempotency-Key, starts it.
	return kaiban.Wrap(kaiban.ErrWorkflowUnavailable, err, "cannot start the workflow")
}

// validateApplication is the dry run: the same checks as a submission and
// no side effects.
func (s *Server) validateApplication(_ context.Context, r *request) (events.APIGatewayV2HTTPResponse, error) {
	body, err := jsonBody(r.ev)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	if _, err := s.validator.Check(body, s.now(), r.lang); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return jsonResponse(http.StatusOK, map[string]bool{"valid": true}), nil
}

func idempotencyKeyMessage(lang validate.Lang) string {
	if lang == validate.LangEN {
		return "Idempotency-Key must be at most 128 printable ASCII characters"
	}
	return "Idempotency-Key 须为不超过 128 个可打印 ASCII 字符"
}
