package api

import (
	"context"
	"net/http"

	"github.com/aws/aws-lambda-go/events"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/logging"
)

// auditCheck is the verification of an audit trail as the console shows
// it: intact, the chain's first break (brokenAt, reason) and every precise
// finding, the chain's and the stored state's against the trail.
type auditCheck struct {
	Intact   bool           `json:"intact"`
	BadSeq   int64          `json:"brokenAt,omitempty"`
	Problem  string         `json:"reason,omitempty"`
	Problems []auditProblem `json:"problems"`
}

// auditProblem is a kaiban.AuditProblem with a message in the caller's
// language.
type auditProblem struct {
	kaiban.AuditProblem
	Message string `json:"message"`
}

// clerkApplicationView is everything a clerk needs to decide a case.
type clerkApplicationView struct {
	Application     *kaiban.Application `json:"application"`
	TimeLeftSeconds int64               `json:"timeLeftSeconds"`
	OpenTasks       []taskView          `json:"openTasks"`
	Audit           []kaiban.AuditEvent `json:"audit"`
	AuditCheck      auditCheck          `json:"auditVerification"`
}

// clerkApplication answers the full application, including the form's
// personal data, so the viewing is itself recorded in the audit trail
// before anything is shown.
func (s *Server) clerkApplication(ctx context.Context, r *request) (events.APIGatewayV2HTTPResponse, error) {
	id := r.params["id"]
	if !validApplicationID(id) {
		return events.APIGatewayV2HTTPResponse{}, kaiban.Errorf(kaiban.ErrNotFound, "application not found")
	}
	app, err := s.store.GetApplication(ctx, id)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, notFoundIfInput(err)
	}
	r.log = r.log.WithField(logging.FieldApplicationID, id)
	now := s.now()
	if err := s.audit(ctx, id, r.clerk, "application.viewed", now, map[string]any{"clerk": r.clerk}); err != nil {
		if !kaiban.IsName(err, kaiban.ErrStoreCorrupt) {
			return events.APIGatewayV2HTTPResponse{}, err
		}
		// The store refuses to chain after a head that was tampered
		// with. The clerk must still see what verification found; the
		// viewing is recorded in the log instead.
		r.log.WithField("clerk", r.clerk.Sub).WithError(err).Warn("application viewed; the audit trail takes no events")
	}
	open, err := s.store.OpenTasksFor(ctx, id)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	trail, err := s.store.ListAudit(ctx, id)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	ver, err := kaiban.VerifyApplication(ctx, s.store, app)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	check := auditCheck{Intact: ver.Intact(), Problems: make([]auditProblem, len(ver.Problems))}
	for i, p := range ver.Problems {
		check.Problems[i] = auditProblem{AuditProblem: p, Message: auditProblemMessage(p, r.lang)}
	}
	if br := ver.Break; br != nil {
		check.BadSeq, check.Problem = br.Seq, br.Reason
	} else if !check.Intact {
		check.BadSeq, check.Problem = ver.Problems[0].Seq, ver.Problems[0].Reason
	}
	if !check.Intact {
		r.log.WithField("auditProblems", ver.Problems).Warn("audit trail does not verify")
	}
	if len(ver.Events) >= len(trail) {
		trail = ver.Events // the trail the state was compared with
	}
	v := clerkApplicationView{
		Application:     app,
		TimeLeftSeconds: timeLeft(app, now),
		OpenTasks:       make([]taskView, len(open)),
		Audit:           trail,
		AuditCheck:      check,
	}
	for i, t := range open {
		v.OpenTasks[i] = newTaskView(t, now, r.lang)
	}
	if v.Audit == nil {
		v.Audit = []kaiban.AuditEvent{}
	}
	return jsonResponse(http.StatusOK, v), nil
}
