package api

import (
	"context"
	"net/http"

	"github.com/aws/aws-lambda-go/events"

	"github.com/kaiban/kaiban/shared/logging"
	"github.com/kaiban/kaiban/shared/onestop"
)

// correctApplication: POST /v1/applications/{id}/corrections with the
// access token and {"changes":{"field.path":"value"}}; 200 with the
// resumed track, 400 for a change not asked or a form that no longer
// validates (every failing field), 409 when no correction is awaited.
func (s *Server) correctApplication(ctx context.Context, r *request) (events.APIGatewayV2HTTPResponse, error) {
	token, err := requiredToken(r, "access token")
	if err != nil {
		return noResponse, err
	}
	var q onestop.CorrectionRequest
	if err := decodeBody(r, &q); err != nil {
		return noResponse, err
	}
	res, err := s.svc.Correct(r.service(ctx), r.params["id"], token, q, r.lang)
	if err != nil {
		return noResponse, err
	}
	r.log = r.log.WithField(logging.FieldApplicationID, res.ID)
	return jsonResponse(http.StatusOK, res), nil
}
