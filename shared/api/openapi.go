package api

import (
	"context"
	_ "embed"
	"net/http"

	"github.com/aws/aws-lambda-go/events"
)

// openAPIDocument is the published description of the API, written by
// hand: it is the file make lint checks and the file served, byte for
// byte, and it links into the api function without a generator or a YAML
// library. TestOpenAPICoversRoutes holds it to routeTable both ways, and
// checks key answers against its schemas.
//
//go:embed openapi.json
var openAPIDocument []byte

// openAPI: GET /openapi.json. The document holds nothing personal and
// changes only with a deployment, so it may be cached like the reference
// lists.
func (s *Server) openAPI(context.Context, *request) (events.APIGatewayV2HTTPResponse, error) {
	resp := events.APIGatewayV2HTTPResponse{StatusCode: http.StatusOK, Headers: jsonHeaders(), Body: string(openAPIDocument)}
	resp.Headers["Cache-Control"] = referenceMaxAge
	return resp, nil
}
