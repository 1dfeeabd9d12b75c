package tracks

import (
	"context"
	"encoding/json"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/kaiban/kaiban/shared/agency"
	"github.com/kaiban/kaiban/shared/delivery"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/names"
	"github.com/kaiban/kaiban/shared/notify"
)

// Handler is the shape of every function the state machine invokes.
type Handler func(ctx context.Context, in json.RawMessage) (json.RawMessage, error)

// Deps are what the handlers need; main builds them once.
type Deps struct {
	Store    kaiban.Store
	Agencies *agency.Clients
	Metrics  kaiban.Metrics   // nil: metrics are logged only
	Now      func() time.Time // nil: time.Now
	Logger   *logrus.Logger   // nil: a discarding logger
	// Decisions delivers clerk decisions that were recorded but never
	// reached their workflow; the watchdog re-delivers them on each run
	// (package delivery). nil: the watchdog leaves them to someone else.
	Decisions delivery.TaskSender
	// Executions lets Reconcile (and the watchdog)
	// start and check executions; nil: no reconciliation.
	Executions Executions
	// Confirm drives the founders' confirmations (the confirm step).
	Confirm Confirmer
	// Notifier tells the applicant of the milestones the steps reach
	// (package notify); nil: nobody is told.
	Notifier kaiban.Notifier
	// Names checks and reserves company names in the registered-names
	// index before the agency is asked; nil: the agency's check alone.
	Names *names.Checker
	// Stats keeps the dashboard's daily aggregates; nil: nothing counted.
	Stats kaiban.Stats
	// Documents are the issued documents Compensate revokes; nil: none.
	Documents kaiban.Documents
	// PublicBaseURL is the portal's base: "certificate ready" links to
	// the status page's documents under it ("": no link).
	PublicBaseURL string
}

// Service implements the handlers over Deps.
type Service struct {
	store  kaiban.Store
	ag     *agency.Clients
	metric kaiban.Metrics
	now    func() time.Time
	log    *logrus.Logger
	sender delivery.TaskSender
	exec   Executions
	sigs   Confirmer
	notify *notify.Sender
	names  *names.Checker
	stats  kaiban.Stats
	docs   kaiban.Documents
	base   string
}

// New returns the handlers' service.
func New(d Deps) *Service {
	s := &Service{store: d.Store, ag: d.Agencies, metric: d.Metrics, now: d.Now, log: d.Logger, sender: d.Decisions, exec: d.Executions, sigs: d.Confirm, names: d.Names, stats: d.Stats, docs: d.Documents, base: d.PublicBaseURL}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = logrus.New()
		s.log.Out = discard{}
	}
	s.notify = notify.NewSender(d.Notifier, s.now, s.log)
	return s
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// Function names, as registered in the local engine and set as
// KAIBAN_STEP on AWS; Steps says what each is.
const (
	FnIdentity    = "identity"
	FnReserve     = "reserve"
	FnEscalate    = "escalate"
	FnCompensate  = "compensate"
	FnFinalize    = "finalize"
	FnWatchdog    = "watchdog"
	FnLicense     = "license"
	FnSeal        = "seal"
	FnTax         = "tax"
	FnSocial      = "social"
	FnMedical     = "medical"
	FnHousingFund = "housingfund"
	FnBank        = "bank"
)

// Handlers returns the handler of every step the step bootstrap runs
// (Step.Own), by step name, for the local
// engine's registry and the Lambda runtime, each reporting its errors by
// one policy (reporting).
func (s *Service) Handlers() map[string]Handler {
	m := make(map[string]Handler, len(Steps))
	for _, st := range Steps {
		if !st.Own() {
			continue // another bootstrap's (Step.Bootstrap)
		}
		m[st.Name] = s.reporting(st.Name, st.handlerOn(s))
	}
	return m
}

// Handler returns the function called name, or nil.
func (s *Service) Handler(name string) Handler { return s.Handlers()[name] }

func (s *Service) logFor(appID string) *logrus.Entry {
	return s.log.WithField("applicationId", appID)
}

// taskEvent is the event recording a clerk task's write, with the task's
// state as t has it after the write (kaiban.AuditSet), so verification can
// tell a decision or status edited in the database. The store writes it
// together with the task (kaiban.TaskAuditedWriter).
func (s *Service) taskEvent(t kaiban.ClerkTask, actor, action string, after any) (kaiban.AuditEvent, error) {
	e, err := s.auditEvent(t.ApplicationID, actor, action, nil, after)
	if err != nil {
		return e, err
	}
	return e, e.Record(kaiban.AuditSet{Task: kaiban.TaskSetOf(t)})
}

// updateAudited applies u to the application (a zero u changes nothing)
// and appends the audit event recording it, in one write.
func (s *Service) updateAudited(ctx context.Context, appID string, u kaiban.ApplicationUpdate, actor, action string, after any) error {
	e, err := s.auditEvent(appID, actor, action, nil, after)
	if err != nil {
		return err
	}
	_, err = kaiban.UpdateApplicationAudited(ctx, s.store, appID, u, e)
	return err
}

// auditEvent builds the event audit appends, for writes that commit it
// together with their change (kaiban.MutateTrackAudited).
func (s *Service) auditEvent(appID, actor, action string, before, after any) (kaiban.AuditEvent, error) {
	e := kaiban.AuditEvent{ApplicationID: appID, Time: s.now().UTC(), Actor: actor, Action: action}
	var err error
	if before != nil {
		if e.Before, err = json.Marshal(before); err != nil {
			return e, kaiban.Wrap(kaiban.ErrInternal, err, "audit encoding failed")
		}
	}
	if after != nil {
		if e.After, err = json.Marshal(after); err != nil {
			return e, kaiban.Wrap(kaiban.ErrInternal, err, "audit encoding failed")
		}
	}
	return e, nil
}

func (s *Service) publish(ctx context.Context, ms ...kaiban.Metric) {
	if s.metric == nil {
		for _, m := range ms {
			s.log.WithFields(logrus.Fields{"metric": m.Name, "value": m.Value, "unit": m.Unit}).Info("metric")
		}
		return
	}
	if err := s.metric.Publish(ctx, ms...); err != nil {
		names := make([]string, len(ms))
		for i, m := range ms {
			names[i] = m.Name
		}
		s.log.WithError(err).WithField("metrics", names).Warn("publishing metrics failed")
	}
}

// milestone tells the applicant that app reached ev. It runs after the
// change is stored, also when a repeated invocation finds the change
// already made (a crash may have come between the two): the message keys
// make a second send a no-op. A failed send is logged (never its text) and
// does not fail the step: the milestone has happened.
func (s *Service) milestone(ctx context.Context, app *kaiban.Application, ev notify.Event) {
	if ev.Milestone == notify.CertificateReady && ev.Link == "" && s.base != "" {
		ev.Link = notify.PageLink(s.base, app.ID)
	}
	_ = s.notify.Notify(ctx, app, ev)
}

// Notifies reports whether the step named name tells the applicant of a
// milestone (so its function needs a Notifier, and the permissions to
// send): the seven tracks (a certificate is ready), escalate (a clerk
// needs you), confirm (waiting for signatures, accepted), compensate
// (rejected) and finalize (completed).
func Notifies(name string) bool {
	switch name {
	case FnEscalate, FnConfirm, FnCompensate, FnFinalize:
		return true
	}
	for _, st := range Steps {
		if st.Name == name {
			return st.Track != ""
		}
	}
	return false
}
