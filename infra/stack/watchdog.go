package stack

import (
	"context"
	"time"

	"github.com/kaiban/kaiban/shared/delivery"
)

// startWatchdog runs the SLA watchdog every period on the stack's clock,
// as the EventBridge schedule does on AWS, and with it the re-delivery of
// clerk decisions that were recorded but never reached their workflow (a
// crash between the two, the engine briefly unavailable).
func (s *Stack) startWatchdog(every time.Duration) {
	if every < 0 {
		return
	}
	if every == 0 {
		every = time.Minute
	}
	s.stopWD = make(chan struct{})
	s.wdDone = make(chan struct{})
	go func() {
		defer close(s.wdDone)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go func() { <-s.stopWD; cancel() }()
		for {
			if err := s.clock.Sleep(ctx, every); err != nil {
				return
			}
			if s.decisions != nil {
				if rep, err := delivery.Redeliver(ctx, s.Store, s.decisions, s.clock.Now()); err != nil {
					s.log.WithError(err).Warn("re-delivering clerk decisions failed")
				} else if rep.Delivered+rep.Gone > 0 {
					s.log.WithField("report", rep).Info("re-delivered clerk decisions")
				}
			}
			if rep, err := s.Tracks.Watchdog(ctx); err != nil {
				s.log.WithError(err).Warn("watchdog run failed")
			} else if rep.AtRisk > 0 {
				s.log.WithField("report", rep).Info("watchdog")
			}
		}
	}()
}
