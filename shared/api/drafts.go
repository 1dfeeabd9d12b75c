package api

import (
	"context"
	"net/http"

	"github.com/aws/aws-lambda-go/events"
)

// createDraft: POST /v1/drafts with the form as far as it is filled → 201
// {id, token, resumeLink, expiresAt}.
func (s *Server) createDraft(ctx context.Context, r *request) (events.APIGatewayV2HTTPResponse, error) {
	body, err := jsonBody(r.ev)
	if err != nil {
		return noResponse, err
	}
	out, err := s.svc.CreateDraft(r.service(ctx), body, r.lang)
	if err != nil {
		return noResponse, err
	}
	resp := jsonResponse(http.StatusCreated, out)
	resp.Headers["Location"] = "/v1/drafts/" + out.ID
	return resp, nil
}

// saveDraft: PUT /v1/drafts/{id} with the draft token as a bearer token
// and the whole form → 200 {id, form, updatedAt, expiresAt}.
func (s *Server) saveDraft(ctx context.Context, r *request) (events.APIGatewayV2HTTPResponse, error) {
	token, err := requiredToken(r, "draft token")
	if err != nil {
		return noResponse, err
	}
	body, err := jsonBody(r.ev)
	if err != nil {
		return noResponse, err
	}
	v, err := s.svc.SaveDraft(r.service(ctx), r.params["id"], token, body, r.lang)
	if err != nil {
		return noResponse, err
	}
	return jsonResponse(http.StatusOK, v), nil
}

// getDraft: GET /v1/drafts/{id} with the draft token → the draft; a wrong
// token, an unknown ID and an expired draft are the same 404.
func (s *Server) getDraft(ctx context.Context, r *request) (events.APIGatewayV2HTTPResponse, error) {
	token, err := requiredToken(r, "draft token")
	if err != nil {
		return noResponse, err
	}
	v, err := s.svc.GetDraft(r.service(ctx), r.params["id"], token)
	if err != nil {
		return noResponse, err
	}
	return jsonResponse(http.StatusOK, v), nil
}
