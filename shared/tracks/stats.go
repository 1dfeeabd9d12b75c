package tracks

import (
	"context"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// countEnded adds an application that has just ended to the dashboard's
// aggregates of day at: its acceptance→completion time, whether a clerk
// was involved (from its trail), its agencies' times and refusals, and a
// rejection's reason. A failure is logged; the application's end stands.
func (s *Service) countEnded(ctx context.Context, app *kaiban.Application, reason string, at time.Time) {
	if s.stats == nil {
		return
	}
	var cs []kaiban.Confirmation
	var err error
	if c, ok := s.store.(kaiban.Confirmations); ok {
		cs, err = c.ListConfirmations(ctx, app.ID)
	}
	var trail []kaiban.AuditEvent
	if err == nil {
		trail, err = s.store.ListAudit(ctx, app.ID)
	}
	if err == nil {
		err = kaiban.CountStats(ctx, s.stats, at, kaiban.EndedCounters(app, kaiban.AcceptedAt(app, cs), kaiban.ClerkInvolved(trail), reason))
	}
	if err != nil {
		s.logFor(app.ID).WithError(err).Warn("stats: the application's end not counted")
	}
}
