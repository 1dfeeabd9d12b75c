package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/aws/aws-lambda-go/events"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/logging"
)

// auditCheck is the verification of an audit trail as the console shows
// it.
type auditCheck struct {
	Intact  bool   `json:"intact"`
	BadSeq  int64  `json:"brokenAt,omitempty"`
	Problem string `json:"reason,omitempty"`
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
		return events.APIGatewayV2HTTPResponse{}, err
	}
	open, err := s.store.OpenTasksFor(ctx, id)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	trail, err := s.store.ListAudit(ctx, id)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	check := auditCheck{Intact: true}
	if err := s.store.VerifyAudit(ctx, id); err != nil {
		var br *kaiban.AuditBreak
		if !errors.As(err, &br) {
			return events.APIGatewayV2HTTPResponse{}, err
		}
		r.log.WithField("auditBreak", br.Error()).Warn("audit trail does not verify")
		check = auditCheck{BadSeq: br.Seq, Problem: br.Reason}
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
