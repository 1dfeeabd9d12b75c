package api

import (
	"context"
	"net/http"

	"github.com/aws/aws-lambda-go/events"
)

// referenceMaxAge is how long a browser or a CDN may keep a reference
// answer: the lists are embedded in the build, so they change only with
// a deployment, and a picker an hour out of date is still checked by the
// validator on submission.
const referenceMaxAge = "public, max-age=3600"

// referenceResponse is a 200 JSON answer that, unlike every other API
// answer, holds nothing personal and may be cached; it varies with the
// language (bank names, error messages).
func referenceResponse(v any) events.APIGatewayV2HTTPResponse {
	resp := jsonResponse(http.StatusOK, v)
	if resp.StatusCode == http.StatusOK {
		resp.Headers["Cache-Control"] = referenceMaxAge
		resp.Headers["Vary"] = "Accept-Language"
	}
	return resp
}

// referenceRegions: GET /v1/reference/regions, the city → district cascade
// with postal codes.
func (s *Server) referenceRegions(context.Context, *request) (events.APIGatewayV2HTTPResponse, error) {
	return referenceResponse(s.svc.Regions()), nil
}

// referenceBanks: GET /v1/reference/banks?city=, the banks and the
// branches in the city.
func (s *Server) referenceBanks(_ context.Context, r *request) (events.APIGatewayV2HTTPResponse, error) {
	v, err := s.svc.Banks(r.ev.QueryStringParameters["city"], r.lang)
	if err != nil {
		return noResponse, err
	}
	return referenceResponse(v), nil
}

// referenceEngravers: GET /v1/reference/engravers?city=, the seal
// engravers registered in the city.
func (s *Server) referenceEngravers(_ context.Context, r *request) (events.APIGatewayV2HTTPResponse, error) {
	v, err := s.svc.Engravers(r.ev.QueryStringParameters["city"], r.lang)
	if err != nil {
		return noResponse, err
	}
	return referenceResponse(v), nil
}

// referenceWorkdays: GET /v1/reference/workdays, the working days the bank
// appointment may take. The list moves with the day, so it is cached for
// minutes, not the hour the other reference lists are.
func (s *Server) referenceWorkdays(_ context.Context, _ *request) (events.APIGatewayV2HTTPResponse, error) {
	resp := jsonResponse(http.StatusOK, s.svc.BankWorkdays())
	if resp.StatusCode == http.StatusOK {
		resp.Headers["Cache-Control"] = "public, max-age=300"
	}
	return resp, nil
}
