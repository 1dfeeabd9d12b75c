package api

import (
	"context"
	"net/http"

	"github.com/aws/aws-lambda-go/events"

	"github.com/kaiban/kaiban/shared/logging"
	"github.com/kaiban/kaiban/shared/onestop"
)

// rateApplication: POST /v1/applications/{id}/rating with the access
// token as a bearer token and {score, tags, comment} → 201 with the
// rating; a second rating and a running application are 409.
func (s *Server) rateApplication(ctx context.Context, r *request) (events.APIGatewayV2HTTPResponse, error) {
	token, err := requiredToken(r, "access token")
	if err != nil {
		return noResponse, err
	}
	var q onestop.RatingRequest
	if err := decodeBody(r, &q); err != nil {
		return noResponse, err
	}
	r.log = r.log.WithField(logging.FieldApplicationID, r.params["id"])
	v, err := s.svc.Rate(r.service(ctx), r.params["id"], token, q, r.lang)
	if err != nil {
		return noResponse, err
	}
	return jsonResponse(http.StatusCreated, v), nil
}

// stats: GET /v1/stats?days=30 (1–90) → the public dashboard's figures,
// no sign-in. Cacheable for a minute: the figures move slowly.
func (s *Server) stats(ctx context.Context, r *request) (events.APIGatewayV2HTTPResponse, error) {
	d, err := s.svc.Stats(r.service(ctx), r.ev.QueryStringParameters["days"], r.lang)
	if err != nil {
		return noResponse, err
	}
	resp := jsonResponse(http.StatusOK, d)
	resp.Headers["Cache-Control"] = "public, max-age=60"
	return resp, nil
}
