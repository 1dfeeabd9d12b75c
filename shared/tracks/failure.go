package tracks

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// reporting wraps a step's handler with the one policy for its errors,
// wherever it runs (the Lambda runtime, the local engine), so the runners
// only translate a *kaiban.Error into their own error shape:
//   - a *kaiban.Error keeps its stable name and client-safe message, which
//     the definition's Retry and Catch match; its wrapped cause, if any,
//     is logged here as a warning;
//   - any other error becomes Internal with a fixed message, so no Go
//     detail reaches the execution history, and is logged here as an
//     error;
//   - the caller's context ending is passed through untouched: the runner
//     is stopping, and the step has not failed.
//
// The logger masks personal data; the cause is logged once, here.
func (s *Service) reporting(step string, h Handler) Handler {
	return func(ctx context.Context, in json.RawMessage) (json.RawMessage, error) {
		out, err := h(ctx, in)
		if err == nil {
			return out, nil
		}
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			return nil, err
		}
		log := s.log.WithField("function", step)
		var ke *kaiban.Error
		if errors.As(err, &ke) {
			if ke.Err != nil {
				log.WithError(ke.Err).WithField("errorName", ke.Name).Warn("step failed")
			}
			return nil, &kaiban.Error{Name: ke.Name, Message: ke.Message}
		}
		log.WithError(err).Error("step failed")
		return nil, kaiban.Errorf(kaiban.ErrInternal, "internal error")
	}
}
