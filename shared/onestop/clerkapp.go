package onestop

import (
	"context"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/validate"
)

// AuditCheck is the verification of an audit trail as the console shows
// it: intact, the chain's first break (brokenAt, reason) and every precise
// finding, the chain's and the stored state's against the trail.
type AuditCheck struct {
	Intact   bool           `json:"intact"`
	BadSeq   int64          `json:"brokenAt,omitempty"`
	Problem  string         `json:"reason,omitempty"`
	Problems []AuditProblem `json:"problems"`
}

// AuditProblem is a kaiban.AuditProblem with a message in the caller's
// language.
type AuditProblem struct {
	kaiban.AuditProblem
	Message string `json:"message"`
}

// ClerkApplicationView is everything a clerk needs to decide a case.
type ClerkApplicationView struct {
	Application     *kaiban.Application `json:"application"`
	TimeLeftSeconds int64               `json:"timeLeftSeconds"`
	OpenTasks       []TaskView          `json:"openTasks"`
	Audit           []kaiban.AuditEvent `json:"audit"`
	AuditCheck      AuditCheck          `json:"auditVerification"`
	// FiledBy is the clerk who filed the application for its applicant,
	// from the trail; absent when the applicant filed it.
	FiledBy *FiledByView `json:"filedBy,omitempty"`
	// PausedSince: the clock stands still while the applicant is asked
	// to correct (StatusView.PausedSince).
	PausedSince *time.Time `json:"pausedSince,omitempty"`
}

// ClerkApplication answers the full application, including the form's
// personal data, with its open tasks and its verified audit trail. The
// viewing is itself recorded in the audit trail before anything is shown.
func (s *Service) ClerkApplication(ctx context.Context, id string, clerk ClerkIdentity, lang validate.Lang) (ClerkApplicationView, error) {
	if !validApplicationID(id) {
		return ClerkApplicationView{}, kaiban.Errorf(kaiban.ErrNotFound, "application not found")
	}
	app, err := s.store.GetApplication(ctx, id)
	if err != nil {
		return ClerkApplicationView{}, notFoundIfInput(err)
	}
	log := s.logFor(ctx, id)
	now := s.now()
	if err := s.audit(ctx, id, clerk, "application.viewed", now, map[string]any{"clerk": clerk}); err != nil {
		if !kaiban.IsName(err, kaiban.ErrStoreCorrupt) {
			return ClerkApplicationView{}, err
		}
		// The store refuses to chain after a head that was tampered
		// with. The clerk must still see what verification found; the
		// viewing is recorded in the log instead.
		log.WithField("clerk", clerk.Sub).WithError(err).Warn("application viewed; the audit trail takes no events")
	}
	open, err := s.store.OpenTasksFor(ctx, id)
	if err != nil {
		return ClerkApplicationView{}, err
	}
	trail, err := s.store.ListAudit(ctx, id)
	if err != nil {
		return ClerkApplicationView{}, err
	}
	ver, err := kaiban.VerifyApplication(ctx, s.store, app)
	if err != nil {
		return ClerkApplicationView{}, err
	}
	check := AuditCheck{Intact: ver.Intact(), Problems: make([]AuditProblem, len(ver.Problems))}
	for i, p := range ver.Problems {
		check.Problems[i] = AuditProblem{AuditProblem: p, Message: auditProblemMessage(p, lang)}
	}
	if br := ver.Break; br != nil {
		check.BadSeq, check.Problem = br.Seq, br.Reason
	} else if !check.Intact {
		check.BadSeq, check.Problem = ver.Problems[0].Seq, ver.Problems[0].Reason
	}
	if !check.Intact {
		log.WithField("auditProblems", ver.Problems).Warn("audit trail does not verify")
	}
	if len(ver.Events) >= len(trail) {
		trail = ver.Events // the trail the state was compared with
	}
	v := ClerkApplicationView{
		Application:     app,
		TimeLeftSeconds: timeLeft(app, now),
		OpenTasks:       make([]TaskView, len(open)),
		Audit:           trail,
		AuditCheck:      check,
		FiledBy:         filedByView(trail, lang),
	}
	for i, t := range open {
		v.OpenTasks[i] = newTaskView(t, now, lang)
	}
	var sv StatusView
	if err := s.addCorrection(ctx, &sv, app, lang); err != nil {
		return ClerkApplicationView{}, err
	}
	if sv.PausedSince != nil {
		v.PausedSince, v.TimeLeftSeconds = sv.PausedSince, sv.TimeLeftSeconds
	}
	if v.Audit == nil {
		v.Audit = []kaiban.AuditEvent{}
	}
	return v, nil
}
