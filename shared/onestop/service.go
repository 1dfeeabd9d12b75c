package onestop

import (
	"context"
	"encoding/json"
	"io"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/kaiban/kaiban/shared/delivery"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/logging"
	"github.com/kaiban/kaiban/shared/names"
	"github.com/kaiban/kaiban/shared/notify"
	"github.com/kaiban/kaiban/shared/validate"
)

// MinTokenSecretBytes is the shortest TokenSecret accepted.
const MinTokenSecretBytes = 32

// Workflow is the port to the one-stop state machine. Its methods are
// named after the Step Functions actions they make, which is how the IAM
// check (infra/sam) knows what the api function must be granted.
// Adapters: shared/sfnworkflow (the SDK, on AWS) and the local stack's,
// which calls the engine in process.
type Workflow interface {
	// StartExecution starts the application's execution, named by its
	// ID, with input ExecutionInput. An execution of that name that
	// already exists is success: the input depends on the ID alone.
	StartExecution(ctx context.Context, applicationID string) error
	// SendTaskSuccess delivers a clerk's decision to the task waiting on
	// token (see delivery.TaskSender).
	delivery.TaskSender
}

// ExecutionInput is the input of every execution: just the application ID.
type ExecutionInput struct {
	ApplicationID string `json:"applicationId"`
}

// ClerkDecision is the task output delivered when a clerk resolves a task;
// the domain owns its shape because the state machine's handlers read it
// too.
type ClerkDecision = kaiban.ClerkOutcome

// ClerkIdentity names the clerk who acted.
type ClerkIdentity = kaiban.ClerkIdentity

// Deps is everything the service needs, built once by the composition
// root.
type Deps struct {
	Store     kaiban.Store
	Validator *validate.Validator
	Workflow  Workflow
	Clock     func() time.Time // default time.Now
	Logger    *logrus.Logger   // default: discard
	// TokenSecret keys the sealing of access tokens for idempotent replays
	// and the scoping of Idempotency-Keys; at least MinTokenSecretBytes,
	// the same on every instance.
	TokenSecret []byte
	// NewID names a new application submitted at now; default
	// newApplicationID (time-ordered, 50 random bits). The day simulation
	// passes its seeded IDs so a seed replays the same day.
	NewID func(now time.Time) string
	// Confirm turns on the founders' confirmations; nil: off.
	Confirm *ConfirmDeps
	// Notifier sends the applicant's "submitted" message with the status
	// link; nil sends nothing. PublicBaseURL is the base of that link (the
	// portal's scheme and host, e.g. https://kaiban.example.cn).
	Notifier      kaiban.Notifier
	PublicBaseURL string
	// Drafts keeps the forms being filled in; nil: the draft routes
	// answer 404.
	Drafts kaiban.Drafts
	// Ratings keeps the applicants' ratings; nil: the rating route
	// answers 404 and the status page offers no rating.
	Ratings kaiban.Ratings
	// Stats keeps the dashboard's daily aggregates; nil: nothing is
	// counted and GET /v1/stats answers 404.
	Stats kaiban.Stats
	// Names checks company names (the name check, the form's validation);
	// nil: names are checked by the registration agency alone.
	Names *names.Checker
	// Activity lists the clerks' resolved tasks for the supervisor's
	// view; nil: the Store's, if it has one (every store does).
	Activity kaiban.TaskActivity
	// Documents turns on the issued documents' routes; nil: they answer
	// 404.
	Documents *DocumentsDeps
}

// Check reports a kaiban.ErrConfig error for deps the service cannot work
// with. The composition root calls it before serving.
func (d Deps) Check() error {
	switch {
	case d.Store == nil:
		return kaiban.Errorf(kaiban.ErrConfig, "onestop: Store is required")
	case d.Validator == nil:
		return kaiban.Errorf(kaiban.ErrConfig, "onestop: Validator is required")
	case d.Workflow == nil:
		return kaiban.Errorf(kaiban.ErrConfig, "onestop: Workflow is required")
	case len(d.TokenSecret) < MinTokenSecretBytes:
		return kaiban.Errorf(kaiban.ErrConfig, "onestop: TokenSecret must be at least %d bytes", MinTokenSecretBytes)
	case d.Confirm != nil:
		return d.Confirm.check()
	}
	return nil
}

// Service is the application service. It is safe for concurrent use.
type Service struct {
	store     kaiban.Store
	validator *validate.Validator
	workflow  Workflow
	now       func() time.Time
	log       *logrus.Logger
	secret    []byte
	newID     func(time.Time) string
	confirm   *ConfirmDeps
	personKey []byte // kaiban.PersonKey's key
	notify    *notify.Sender
	baseURL   string
	drafts    kaiban.Drafts
	names     *names.Checker
	activity  kaiban.TaskActivity
	ratings   kaiban.Ratings
	stats     kaiban.Stats
	// corrections is the store's corrections part; nil when the store
	// keeps none (a clerk cannot then send a task back for correction).
	corrections kaiban.Corrections
	docs        *DocumentsDeps
}

// New builds the service from deps (see Deps.Check).
func New(deps Deps) *Service {
	s := &Service{
		store:     deps.Store,
		validator: deps.Validator,
		workflow:  deps.Workflow,
		now:       deps.Clock,
		log:       deps.Logger,
		secret:    append([]byte(nil), deps.TokenSecret...),
		newID:     deps.NewID,
		confirm:   deps.Confirm,
		personKey: personKeySecret(deps.TokenSecret),
		names:     deps.Names,
	}
	s.corrections, _ = deps.Store.(kaiban.Corrections)
	if s.newID == nil {
		s.newID = newApplicationID
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = logrus.New()
		s.log.SetOutput(io.Discard)
	}
	s.notify = notify.NewSender(deps.Notifier, s.now, s.log)
	s.baseURL = deps.PublicBaseURL
	s.drafts = deps.Drafts
	s.activity = deps.Activity
	if s.activity == nil {
		s.activity, _ = deps.Store.(kaiban.TaskActivity)
	}
	s.ratings = deps.Ratings
	s.stats = deps.Stats
	s.docs = deps.Documents
	return s
}

type logKey struct{}

// WithLog returns ctx carrying e, the caller's log entry (a request's,
// with its ID and route): what the service logs about a call goes there,
// so a request's lines stay together.
func WithLog(ctx context.Context, e *logrus.Entry) context.Context {
	return context.WithValue(ctx, logKey{}, e)
}

// logFor is the logger for a call about one application: the caller's
// entry (WithLog), else the service's.
func (s *Service) logFor(ctx context.Context, applicationID string) *logrus.Entry {
	e, ok := ctx.Value(logKey{}).(*logrus.Entry)
	if !ok || e == nil {
		e = logrus.NewEntry(s.log)
	}
	return e.WithField(logging.FieldApplicationID, applicationID)
}

// Redeliver delivers the clerk decisions recorded but never handed to
// their workflow (delivery.Redeliver): what the local stack's loop runs.
func (s *Service) Redeliver(ctx context.Context) (delivery.Report, error) {
	return delivery.Redeliver(ctx, s.store, s.workflow, s.now())
}

// encodeAudit marshals an audit event's After.
func encodeAudit(after any) (json.RawMessage, error) {
	b, err := json.Marshal(after)
	if err != nil {
		return nil, kaiban.Wrap(kaiban.ErrInternal, err, "cannot encode audit event")
	}
	return b, nil
}
