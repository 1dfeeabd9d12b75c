package api

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/sirupsen/logrus"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/names"
	"github.com/kaiban/kaiban/shared/onestop"
	"github.com/kaiban/kaiban/shared/validate"
	"github.com/kaiban/kaiban/shared/web"
)

// DefaultClerkGroup is the Cognito group whose members may use the clerk
// routes.
const DefaultClerkGroup = "clerks"

// MinTokenSecretBytes is the shortest TokenSecret accepted.
const MinTokenSecretBytes = onestop.MinTokenSecretBytes

// Deps is everything the API needs, built once by the composition root.
type Deps struct {
	Store     kaiban.Store
	Validator *validate.Validator
	// Workflow starts executions and delivers clerk decisions.
	Workflow onestop.Workflow
	Clock    func() time.Time // default time.Now
	Logger   *logrus.Logger   // default: discard
	// TokenSecret keys the sealing of access tokens for idempotent replays;
	// at least MinTokenSecretBytes, the same on every instance.
	TokenSecret []byte
	// Assets serves the web pages; default web.Asset (the embedded portal
	// and console). Tests substitute their own.
	Assets func(path string) (body []byte, contentType string, ok bool)
	// ClerkGroup is the group required on clerk routes; default
	// DefaultClerkGroup.
	ClerkGroup string
	// NewApplicationID names new applications (onestop.Deps.NewID);
	// nil: the service's own.
	NewApplicationID func(now time.Time) string
	// Confirm turns on the founders' confirmations (onestop.Deps.Confirm);
	// nil: off, the confirmation routes answer 404.
	Confirm *onestop.ConfirmDeps
	// Notifier and PublicBaseURL: onestop.Deps.
	Notifier      kaiban.Notifier
	PublicBaseURL string
	// Drafts: onestop.Deps.
	Drafts kaiban.Drafts
	// Ratings and Stats: onestop.Deps.
	Ratings kaiban.Ratings
	Stats   kaiban.Stats
	// Names checks company names (onestop.Deps.Names); nil: POST
	// /v1/names/check answers 500 Config.Invalid and the form's
	// validation leaves names to the agency.
	Names *names.Checker
	// ClerkSignIn is how the clerk console signs in (GET
	// /v1/clerk-signin); nil: that route answers 404.
	ClerkSignIn *ClerkSignIn
	// Documents: onestop.Deps.Documents.
	Documents *onestop.DocumentsDeps
}

// service is the part of deps the application service takes.
func (d Deps) service() onestop.Deps {
	return onestop.Deps{Store: d.Store, Validator: d.Validator, Workflow: d.Workflow, Clock: d.Clock, Logger: d.Logger, TokenSecret: d.TokenSecret, NewID: d.NewApplicationID,
		Confirm: d.Confirm, Notifier: d.Notifier, PublicBaseURL: d.PublicBaseURL, Drafts: d.Drafts, Names: d.Names, Ratings: d.Ratings, Stats: d.Stats, Documents: d.Documents}
}

// Check reports a kaiban.ErrConfig error for deps the server cannot work
// with. The composition root calls it before serving.
func (d Deps) Check() error {
	return d.service().Check()
}

// Server is the API. It is safe for concurrent use.
type Server struct {
	svc        *onestop.Service
	log        *logrus.Logger
	assets     func(string) ([]byte, string, bool)
	clerkGroup string
	routes     []route
	signIn     *ClerkSignIn
	csp        string // the pages' Content-Security-Policy (pagePolicy)
}

// NewServer builds the API from deps (see Deps.Check).
func NewServer(deps Deps) *Server {
	s := &Server{
		svc:        onestop.New(deps.service()),
		log:        deps.Logger,
		assets:     deps.Assets,
		clerkGroup: deps.ClerkGroup,
		signIn:     deps.ClerkSignIn,
		csp:        pagePolicy(deps.ClerkSignIn, deps.PublicBaseURL),
	}
	if s.log == nil {
		s.log = logrus.New()
		s.log.SetOutput(io.Discard)
	}
	if s.assets == nil {
		s.assets = web.Asset
	}
	if s.clerkGroup == "" {
		s.clerkGroup = DefaultClerkGroup
	}
	s.routes = s.routeTable()
	return s
}

// Service is the application service the API adapts.
func (s *Server) Service() *onestop.Service { return s.svc }

// Handle is the Lambda handler. It always answers with a response and a nil
// error, so API Gateway relays the API's own error shape; a panic is
// recovered, logged and answered 500.
func (s *Server) Handle(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (resp events.APIGatewayV2HTTPResponse, _ error) {
	start := time.Now()
	r := s.newRequest(&ev)
	defer func() {
		if p := recover(); p != nil {
			r.log.WithField("panic", fmt.Sprint(p)).WithField("stack", string(debug.Stack())).Error("panic serving request")
			resp = errorResponse(r.lang, kaiban.Errorf(kaiban.ErrInternal, "internal error"))
		}
		r.log.WithFields(logrus.Fields{
			"status":     resp.StatusCode,
			"durationMs": float64(time.Since(start).Microseconds()) / 1000,
		}).Info("request")
	}()
	resp, err := s.serve(kaiban.WithInteractive(ctx), r)
	if err != nil {
		if st := kaiban.HTTPStatus(err); st >= 500 {
			r.log.WithError(err).WithField("errorName", kaiban.ErrorName(err)).Error("request failed")
		}
		resp = errorResponse(r.lang, err)
	}
	return resp, nil
}

// serve routes r and runs its handler, checking the clerk's JWT first on
// clerk routes.
func (s *Server) serve(ctx context.Context, r *request) (events.APIGatewayV2HTTPResponse, error) {
	rt, params, err := s.match(r.ev.RequestContext.HTTP.Method, r.ev.RawPath)
	if err != nil {
		return methodNotAllowedOr(err, r.lang)
	}
	r.params = params
	r.log = r.log.WithField("route", rt.method+" "+rt.pattern)
	if rt.clerk {
		c, err := s.clerkFrom(r.ev)
		if err != nil {
			return events.APIGatewayV2HTTPResponse{}, err
		}
		r.clerk = c
		r.log = r.log.WithField("clerk", c.Sub)
	}
	return rt.handle(ctx, r)
}

// ClerkDecision is the task output delivered when a clerk resolves a task
// (onestop.ClerkDecision).
type ClerkDecision = onestop.ClerkDecision
