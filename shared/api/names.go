package api

import (
	"context"
	"net/http"

	"github.com/aws/aws-lambda-go/events"
)

// checkName: POST /v1/names/check, the explained name check.
func (s *Server) checkName(ctx context.Context, r *request) (events.APIGatewayV2HTTPResponse, error) {
	body, err := jsonBody(r.ev)
	if err != nil {
		return noResponse, err
	}
	v, err := s.svc.CheckName(ctx, body, r.lang)
	if err != nil {
		return noResponse, err
	}
	return jsonResponse(http.StatusOK, v), nil
}
