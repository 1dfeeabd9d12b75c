package stack

import (
	"context"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/kaiban/kaiban/shared/tracks"
)

// reconcileAtStart runs once the engine has resumed what was running: every
// submission accepted before this start that still has no execution gets
// one, and every application in flight whose execution is gone or could
// not resume (its recorded history no longer replays) gets a clerk task
// with the reason. Later runs ride on the watchdog's schedule
// (tracks.Service.Watchdog), with a grace period for submissions the API
// is still starting.
func (s *Stack) reconcileAtStart(ctx context.Context, startedAt time.Time) {
	rep, err := s.Tracks.Reconcile(ctx, tracks.ReconcileScope{Submitted: true, InFlight: true, SubmittedBefore: startedAt})
	if err != nil {
		// Not fatal: the watchdog's next run tries again.
		s.log.WithError(err).Warn("start-up reconciliation failed")
		return
	}
	if rep.Started > 0 || rep.Opened > 0 {
		s.log.WithFields(logrus.Fields{"checked": rep.Checked, "started": rep.Started, "clerkTasks": rep.Opened}).
			Warn("start-up reconciliation: accepted applications without a running execution")
	}
}
