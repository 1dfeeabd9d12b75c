package api

import (
	"context"
	"net/http"

	"github.com/aws/aws-lambda-go/events"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/logging"
	"github.com/kaiban/kaiban/shared/onestop"
)

// The handlers turn an event into one call of the application service
// and its answer into a response; the use cases are onestop's. Each adds
// the application it concerns to the request's log.

var noResponse events.APIGatewayV2HTTPResponse

// submitApplication: POST /v1/applications, 202 with the new (or, for a
// replayed Idempotency-Key, the first) application.
func (s *Server) submitApplication(ctx context.Context, r *request) (events.APIGatewayV2HTTPResponse, error) {
	body, err := jsonBody(r.ev)
	if err != nil {
		return noResponse, err
	}
	out, err := s.svc.Submit(r.service(ctx), onestop.SubmitRequest{Body: body, IdempotencyKey: header(r.ev, "idempotency-key"), Lang: r.lang})
	if err != nil {
		return noResponse, err
	}
	r.log = r.log.WithField(logging.FieldApplicationID, out.ID)
	resp := jsonResponse(http.StatusAccepted, out)
	resp.Headers["Location"] = out.StatusURL
	return resp, nil
}

// validateApplication: POST /v1/applications/validate, the dry run.
func (s *Server) validateApplication(ctx context.Context, r *request) (events.APIGatewayV2HTTPResponse, error) {
	body, err := jsonBody(r.ev)
	if err != nil {
		return noResponse, err
	}
	if err := s.svc.Validate(ctx, body, r.lang); err != nil {
		return noResponse, err
	}
	return jsonResponse(http.StatusOK, map[string]bool{"valid": true}), nil
}

// applicationStatus: GET /v1/applications/{id} with the access token as
// a bearer token.
func (s *Server) applicationStatus(ctx context.Context, r *request) (events.APIGatewayV2HTTPResponse, error) {
	token, err := requiredToken(r, "access token")
	if err != nil {
		return noResponse, err
	}
	v, err := s.svc.Status(r.service(ctx), r.params["id"], token, r.lang)
	if err != nil {
		return noResponse, err
	}
	r.log = r.log.WithField(logging.FieldApplicationID, v.ID)
	return jsonResponse(http.StatusOK, v), nil
}

// listTasks: GET /v1/clerk/tasks?status=&track=&limit=.
func (s *Server) listTasks(ctx context.Context, r *request) (events.APIGatewayV2HTTPResponse, error) {
	q := r.ev.QueryStringParameters
	limit, hasLimit := q["limit"]
	views, err := s.svc.ListTasks(r.service(ctx), onestop.TaskQuery{Status: q["status"], Track: q["track"], Limit: limit, HasLimit: hasLimit}, r.lang)
	if err != nil {
		return noResponse, err
	}
	return jsonResponse(http.StatusOK, map[string]any{"tasks": views, "count": len(views)}), nil
}

// claimTask: POST /v1/clerk/tasks/{id}/claim.
func (s *Server) claimTask(ctx context.Context, r *request) (events.APIGatewayV2HTTPResponse, error) {
	return s.taskAnswer(r)(s.svc.Claim(r.service(ctx), r.params["id"], r.clerk, r.lang))
}

// releaseTask: POST /v1/clerk/tasks/{id}/release.
func (s *Server) releaseTask(ctx context.Context, r *request) (events.APIGatewayV2HTTPResponse, error) {
	return s.taskAnswer(r)(s.svc.Release(r.service(ctx), r.params["id"], r.clerk, r.lang))
}

// resolveTask: POST /v1/clerk/tasks/{id}/resolve with {decision, note,
// data}; unknown fields are refused.
func (s *Server) resolveTask(ctx context.Context, r *request) (events.APIGatewayV2HTTPResponse, error) {
	if kaiban.CheckKey("task id", r.params["id"]) != nil {
		return noResponse, kaiban.Errorf(kaiban.ErrNotFound, "task not found")
	}
	var q onestop.Resolution
	if err := decodeBody(r, &q); err != nil {
		return noResponse, err
	}
	return s.taskAnswer(r)(s.svc.Resolve(r.service(ctx), r.params["id"], r.clerk, q, r.lang))
}

// taskAnswer answers a task the service returned.
func (s *Server) taskAnswer(r *request) func(onestop.TaskView, error) (events.APIGatewayV2HTTPResponse, error) {
	return func(v onestop.TaskView, err error) (events.APIGatewayV2HTTPResponse, error) {
		if err != nil {
			return noResponse, err
		}
		r.log = r.log.WithField(logging.FieldApplicationID, v.ApplicationID)
		return jsonResponse(http.StatusOK, v), nil
	}
}

// clerkApplication: GET /v1/clerk/applications/{id}.
func (s *Server) clerkApplication(ctx context.Context, r *request) (events.APIGatewayV2HTTPResponse, error) {
	v, err := s.svc.ClerkApplication(r.service(ctx), r.params["id"], r.clerk, r.lang)
	if err != nil {
		return noResponse, err
	}
	r.log = r.log.WithField(logging.FieldApplicationID, v.Application.ID)
	return jsonResponse(http.StatusOK, v), nil
}

// service is ctx carrying the request's log entry for what the service
// logs about this call.
func (r *request) service(ctx context.Context) context.Context {
	return onestop.WithLog(ctx, r.log)
}

// fileForApplicant: POST /v1/clerk/applications, a clerk files for an
// applicant (帮办) with the body of POST /v1/applications and an optional
// "channel"; 202 with the access token, shown to the clerk once.
func (s *Server) fileForApplicant(ctx context.Context, r *request) (events.APIGatewayV2HTTPResponse, error) {
	body, err := jsonBody(r.ev)
	if err != nil {
		return noResponse, err
	}
	out, err := s.svc.FileForApplicant(r.service(ctx), r.clerk, onestop.AssistRequest{Body: body, IdempotencyKey: header(r.ev, "idempotency-key"), Lang: r.lang})
	if err != nil {
		return noResponse, err
	}
	r.log = r.log.WithField(logging.FieldApplicationID, out.ID)
	resp := jsonResponse(http.StatusAccepted, out)
	resp.Headers["Location"] = out.StatusURL
	return resp, nil
}

// supervisor: GET /v1/clerk/supervisor, the supervisor's view (group
// supervisors; other clerks 403).
func (s *Server) supervisor(ctx context.Context, r *request) (events.APIGatewayV2HTTPResponse, error) {
	v, err := s.svc.Supervisor(r.service(ctx), r.clerk)
	if err != nil {
		return noResponse, err
	}
	return jsonResponse(http.StatusOK, v), nil
}
