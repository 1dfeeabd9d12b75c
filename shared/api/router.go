package api

import (
	"context"
	"net/http"
	"sort"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/sirupsen/logrus"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/logging"
	"github.com/kaiban/kaiban/shared/validate"
)

// handlerFunc serves one route. A returned error is answered with the
// error shape by Handle.
type handlerFunc func(ctx context.Context, r *request) (events.APIGatewayV2HTTPResponse, error)

// route is one line of the route table. pattern segments are literals,
// "{name}" (one non-empty segment) or a final "{name...}" (the rest of the
// path, at least one segment).
type route struct {
	method  string
	pattern string
	clerk   bool // needs a JWT with the clerk group
	handle  handlerFunc
	parts   []string
}

// request is what a handler sees of one event.
type request struct {
	ev     *events.APIGatewayV2HTTPRequest
	lang   validate.Lang
	params map[string]string
	clerk  kaiban.ClerkIdentity
	log    *logrus.Entry
}

func (s *Server) newRequest(ev *events.APIGatewayV2HTTPRequest) *request {
	return &request{
		ev:   ev,
		lang: validate.LangFromHeader(header(ev, "accept-language")),
		log:  s.log.WithField(logging.FieldRequestID, ev.RequestContext.RequestID),
	}
}

// header reads a header by its lower-case name, as API Gateway delivers
// them; it also accepts other spellings for events built by hand.
func header(ev *events.APIGatewayV2HTTPRequest, name string) string {
	if v, ok := ev.Headers[name]; ok {
		return v
	}
	for k, v := range ev.Headers {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

// methodNotAllowed is returned by match when the path exists under other
// methods.
type methodNotAllowed struct{ allow []string }

func (e *methodNotAllowed) Error() string { return "method not allowed" }

// CodeMethodNotAllowed is the error code of a 405 answer (an HTTP matter,
// so it has no domain error name).
const CodeMethodNotAllowed = "Request.MethodNotAllowed"

func (s *Server) match(method, path string) (*route, map[string]string, error) {
	segs := splitPath(path)
	var allow []string
	for i := range s.routes {
		rt := &s.routes[i]
		params, ok := matchParts(rt.parts, segs)
		if !ok {
			continue
		}
		if rt.method == method {
			return rt, params, nil
		}
		allow = append(allow, rt.method)
	}
	if len(allow) > 0 {
		sort.Strings(allow)
		return nil, nil, &methodNotAllowed{allow: allow}
	}
	return nil, nil, kaiban.Errorf(kaiban.ErrNotFound, "no such route")
}

func splitPath(p string) []string {
	p = strings.TrimPrefix(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

func matchParts(parts, segs []string) (map[string]string, bool) {
	var params map[string]string
	set := func(k, v string) {
		if params == nil {
			params = map[string]string{}
		}
		params[k] = v
	}
	for i, p := range parts {
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "...}") {
			rest := segs[min(i, len(segs)):]
			if len(rest) == 0 || strings.Join(rest, "") == "" {
				return nil, false
			}
			set(p[1:len(p)-4], strings.Join(rest, "/"))
			return params, true
		}
		if i >= len(segs) {
			return nil, false
		}
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}") {
			if segs[i] == "" {
				return nil, false
			}
			set(p[1:len(p)-1], segs[i])
			continue
		}
		if p != segs[i] {
			return nil, false
		}
	}
	return params, len(parts) == len(segs)
}

// methodNotAllowedOr answers 405 with Allow for a methodNotAllowed error
// and passes any other error on.
func methodNotAllowedOr(err error, lang validate.Lang) (events.APIGatewayV2HTTPResponse, error) {
	mna, ok := err.(*methodNotAllowed)
	if !ok {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	resp := writeErrors(http.StatusMethodNotAllowed, []kaiban.FieldError{{Code: CodeMethodNotAllowed, Message: message(CodeMethodNotAllowed, lang)}})
	resp.Headers["Allow"] = strings.Join(mna.allow, ", ")
	return resp, nil
}

// bearerToken extracts the token of an "Authorization: Bearer <token>"
// value.
// requiredToken is the token (what: "access token", "draft token") the
// request carries as a bearer token; its absence is ErrUnauthorized.
func requiredToken(r *request, what string) (string, error) {
	token, ok := bearerToken(header(r.ev, "authorization"))
	if !ok {
		return "", kaiban.Errorf(kaiban.ErrUnauthorized, "%s required", what)
	}
	return token, nil
}

func bearerToken(h string) (string, bool) {
	scheme, tok, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	return tok, tok != ""
}
