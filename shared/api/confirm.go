package api

import (
	"context"
	"net/http"

	"github.com/aws/aws-lambda-go/events"

	"github.com/kaiban/kaiban/shared/onestop"
)

// The confirmation routes: the person's link token is the credential, in
// the path (never logged: the request log names the route's pattern).

// confirmation: GET /v1/confirmations/{token}.
func (s *Server) confirmation(ctx context.Context, r *request) (events.APIGatewayV2HTTPResponse, error) {
	v, err := s.svc.Confirmation(r.service(ctx), r.params["token"], r.lang)
	if err != nil {
		return noResponse, err
	}
	return jsonResponse(http.StatusOK, v), nil
}

// confirmIdentity: POST /v1/confirmations/{token}/identity with
// {"liveness":{"passed":true|false}}.
func (s *Server) confirmIdentity(ctx context.Context, r *request) (events.APIGatewayV2HTTPResponse, error) {
	var in onestop.IdentityInput
	if err := decodeBody(r, &in); err != nil {
		return noResponse, err
	}
	v, err := s.svc.VerifyIdentity(r.service(ctx), r.params["token"], in, r.lang)
	if err != nil {
		return noResponse, err
	}
	return jsonResponse(http.StatusOK, v), nil
}

// confirmDecision: POST /v1/confirmations/{token}/decision with
// {"sign":true} or {"sign":false,"reason":"…"}.
func (s *Server) confirmDecision(ctx context.Context, r *request) (events.APIGatewayV2HTTPResponse, error) {
	var in onestop.DecisionInput
	if err := decodeBody(r, &in); err != nil {
		return noResponse, err
	}
	v, err := s.svc.Decide(r.service(ctx), r.params["token"], in, r.lang)
	if err != nil {
		return noResponse, err
	}
	return jsonResponse(http.StatusOK, v), nil
}
