package apigw

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// MaxRequestBytes is the HTTP API's payload limit (10 MB); larger requests
// are answered 413 before the handler runs, as API Gateway does.
const MaxRequestBytes = 10 << 20

// Handler is a Lambda handler for HTTP API payload format 2.0.
type Handler func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error)

// NewHTTPHandler serves h over net/http. Requests whose decoded path starts
// with one of protectedPrefixes must carry a bearer JWT that auth accepts;
// otherwise the adapter answers 401 {"message":"Unauthorized"} without
// calling h. A nil auth with protected prefixes refuses every protected
// request: a missing authorizer must fail closed.
func NewHTTPHandler(h Handler, auth *JWTAuthorizer, protectedPrefixes ...string) http.Handler {
	return &adapter{
		handler:   h,
		auth:      auth,
		protected: append([]string(nil), protectedPrefixes...),
		env:       defaultEnv(),
	}
}

type adapter struct {
	handler   Handler
	auth      *JWTAuthorizer
	protected []string
	env       env
}

func (a *adapter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	requestID := a.env.requestID()
	w.Header().Set("Apigw-Requestid", requestID)
	// Every answer, the adapter's own 401/413/500/502 included, is
	// nosniff (writeResponse keeps it so) and not cacheable unless the
	// handler sets its own Cache-Control.
	w.Header().Set(headerNoSniff, valueNoSniff)
	w.Header().Set(headerCache, valueNoStore)

	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxRequestBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeMessage(w, http.StatusRequestEntityTooLarge, "Request Entity Too Large")
			return
		}
		writeMessage(w, http.StatusBadRequest, "Bad Request")
		return
	}

	ev := newEvent(r, body, requestID, a.env.now())
	if a.isProtected(ev.RawPath) {
		jwtDesc, err := a.authorize(ev.Headers["authorization"])
		if err != nil {
			w.Header().Set("Www-Authenticate", fmt.Sprintf(`Bearer scope="" error="invalid_token" error_description=%q`, kaiban.ErrorMessage(err)))
			writeMessage(w, http.StatusUnauthorized, "Unauthorized")
			return
		}
		ev.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{JWT: jwtDesc}
	}

	resp, err := a.handler(r.Context(), ev)
	if err != nil {
		// API Gateway answers a failed invocation with this body.
		writeMessage(w, http.StatusInternalServerError, "Internal Server Error")
		return
	}
	writeResponse(w, resp)
}

func (a *adapter) isProtected(path string) bool {
	for _, p := range a.protected {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

func (a *adapter) authorize(header string) (*events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription, error) {
	if a.auth == nil {
		return nil, kaiban.Errorf(kaiban.ErrUnauthorized, "no authorizer configured")
	}
	return a.auth.Authorize(header)
}

// writeResponse writes a handler response as API Gateway would. A body
// marked base64 that does not decode is the handler's fault: 502, as API
// Gateway answers a malformed integration response.
func writeResponse(w http.ResponseWriter, resp events.APIGatewayV2HTTPResponse) {
	body := []byte(resp.Body)
	if resp.IsBase64Encoded {
		b, err := base64.StdEncoding.DecodeString(resp.Body)
		if err != nil {
			writeMessage(w, http.StatusBadGateway, "Internal Server Error")
			return
		}
		body = b
	}
	h := w.Header()
	for k, v := range resp.Headers {
		h.Set(k, v)
	}
	for k, vs := range resp.MultiValueHeaders {
		h.Del(k)
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	for _, c := range resp.Cookies {
		h.Add("Set-Cookie", c)
	}
	h.Set(headerNoSniff, valueNoSniff)
	if h.Get("Content-Type") == "" && len(body) > 0 {
		// API Gateway defaults a payload 2.0 response to JSON.
		h.Set("Content-Type", "application/json")
	}
	status := resp.StatusCode
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// writeMessage writes API Gateway's own error body: {"message": "..."}.
func writeMessage(w http.ResponseWriter, status int, msg string) {
	b, _ := json.Marshal(struct {
		Message string `json:"message"`
	}{msg})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
