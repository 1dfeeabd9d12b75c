package api

import (
	"context"
	"net/http"

	"github.com/aws/aws-lambda-go/events"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// ContentSecurityPolicy is sent with every page and asset: only the
// service's own scripts, styles and API, no framing, no inline script.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// page serves the embedded web pages and their assets.
func (s *Server) page(_ context.Context, r *request) (events.APIGatewayV2HTTPResponse, error) {
	return s.asset(r.ev.RawPath)
}

// statusPage serves the portal for the links the applicant receives by SMS
// and e-mail, the status link /status/{id}#token=… and a draft's resume
// link /drafts/{id}#token=…: the portal reads the token from
// the fragment (which never reaches this server), keeps it in the tab's
// sessionStorage and takes it out of the address bar. The ID is not looked
// up here: the page asks the API with the token, so an unknown ID and a
// wrong token look the same.
func (s *Server) statusPage(_ context.Context, _ *request) (events.APIGatewayV2HTTPResponse, error) {
	return s.asset("/index.html")
}

// asset answers with the embedded file at path.
func (s *Server) asset(path string) (events.APIGatewayV2HTTPResponse, error) {
	body, ctype, ok := s.assets(path)
	if !ok {
		return events.APIGatewayV2HTTPResponse{}, kaiban.Errorf(kaiban.ErrNotFound, "no such page")
	}
	return events.APIGatewayV2HTTPResponse{
		StatusCode: http.StatusOK,
		Headers: map[string]string{
			"Content-Type":            ctype,
			"Content-Security-Policy": s.csp,
			"X-Content-Type-Options":  "nosniff",
			"Referrer-Policy":         "no-referrer",
			"X-Frame-Options":         "DENY",
			// Pages change with each deployment; revalidate.
			"Cache-Control": "no-cache",
		},
		Body: string(body),
	}, nil
}

// healthz answers liveness checks; it touches no dependency so a slow
// store does not make the function look dead.
func (s *Server) healthz(context.Context, *request) (events.APIGatewayV2HTTPResponse, error) {
	return jsonResponse(http.StatusOK, map[string]string{"status": "ok"}), nil
}
