package sfnapi

import (
	"context"
	"mime"
	"net/http"
	"strings"

	"github.com/google/uuid"
	"github.com/sirupsen/logrus"

	"github.com/kaiban/kaiban/workflow/engine"
)

const (
	targetPrefix = "AWSStepFunctions."
	// DefaultMaxBodyBytes fits the largest request AWS accepts: a 1 MiB
	// definition, JSON-escaped inside CreateStateMachine.
	DefaultMaxBodyBytes = 2 << 20
)

// action decodes one request body and runs it against the engine. It
// returns the response body.
type action func(ctx context.Context, body []byte) (any, error)

// Handler serves the Step Functions API. Build it with NewHandler.
type Handler struct {
	svc     engine.Service
	log     logrus.FieldLogger
	maxBody int64
	actions map[string]action
}

var _ http.Handler = (*Handler)(nil)

// Option configures a Handler.
type Option func(*Handler)

// WithLogger sets where internal failures are logged (they are never sent
// to clients). The default is logrus's standard logger.
func WithLogger(l logrus.FieldLogger) Option { return func(h *Handler) { h.log = l } }

// WithMaxBodyBytes sets the request body limit (default
// DefaultMaxBodyBytes); larger requests get a 413.
func WithMaxBodyBytes(n int64) Option {
	return func(h *Handler) {
		if n > 0 {
			h.maxBody = n
		}
	}
}

// NewHandler returns the Step Functions API backed by svc. If svc also
// implements StateMachineDeleter, DeleteStateMachine is offered too.
func NewHandler(svc engine.Service, opts ...Option) *Handler {
	h := &Handler{svc: svc, log: logrus.StandardLogger(), maxBody: DefaultMaxBodyBytes}
	for _, o := range opts {
		o(h)
	}
	h.actions = h.routes()
	return h
}

// ServeHTTP checks the envelope (POST, content type, target), reads the body
// within the limit and dispatches to the action.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	requestID := uuid.NewString()
	w.Header().Set("X-Amzn-RequestId", requestID)
	resp, err := h.serve(w, r)
	if err != nil {
		status, body, internal := classify(err)
		if internal {
			h.log.WithFields(logrus.Fields{"requestId": requestID, "target": r.Header.Get("X-Amz-Target")}).WithError(err).Error("sfnapi: action failed")
		}
		if status == http.StatusMethodNotAllowed {
			w.Header().Set("Allow", http.MethodPost)
		}
		_ = write(w, status, body)
		return
	}
	if err := write(w, http.StatusOK, resp); err != nil {
		h.log.WithField("requestId", requestID).WithError(err).Error("sfnapi: writing the response")
	}
}

func (h *Handler) serve(w http.ResponseWriter, r *http.Request) (any, error) {
	if r.Method != http.MethodPost {
		return nil, &requestError{status: http.StatusMethodNotAllowed, code: codeUnknownOperation, message: "the Step Functions API takes POST requests"}
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != contentType {
		return nil, &requestError{status: http.StatusUnsupportedMediaType, code: codeUnsupportedMedia, message: "Content-Type must be " + contentType}
	}
	name, ok := strings.CutPrefix(r.Header.Get("X-Amz-Target"), targetPrefix)
	act := h.actions[name]
	if !ok || act == nil {
		return nil, badRequest(codeUnknownOperation, "unknown or unsupported X-Amz-Target")
	}
	body, err := readBody(w, r, h.maxBody)
	if err != nil {
		return nil, err
	}
	return act(r.Context(), body)
}

// validator is implemented by request types with required members.
type validator interface{ validate() error }

// handle adapts a typed action to the generic form: strict decoding, then
// the required-member checks, then the call.
func handle[In any, PIn interface {
	*In
	validator
}](fn func(ctx context.Context, in PIn) (any, error)) action {
	return func(ctx context.Context, body []byte) (any, error) {
		in := PIn(new(In))
		if err := decode(body, in); err != nil {
			return nil, err
		}
		if err := in.validate(); err != nil {
			return nil, err
		}
		return fn(ctx, in)
	}
}
