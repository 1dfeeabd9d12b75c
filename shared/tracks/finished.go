package tracks

import (
	"context"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// updateUnlessFinished is updateAudited for a status write on the way
// (IN_PROGRESS, ACTION_REQUIRED, ...): when the application has finished
// meanwhile the store refuses it (kaiban.ErrApplicationFinished), and the
// step goes on without it, since the finished status stands. written
// reports whether the write was made.
func (s *Service) updateUnlessFinished(ctx context.Context, appID string, u kaiban.ApplicationUpdate, actor, action string, after any) (written bool, err error) {
	err = s.updateAudited(ctx, appID, u, actor, action, after)
	if kaiban.Finished(err) {
		s.logFor(appID).WithField("status", string(u.Status)).Info("status write skipped: the application has finished")
		return false, nil
	}
	return err == nil, err
}
