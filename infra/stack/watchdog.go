package stack

import (
	"context"
	"time"
)

// startWatchdog runs the SLA watchdog every period on the stack's clock,
// as the EventBridge schedule does on AWS.
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
			if rep, err := s.Tracks.Watchdog(ctx); err != nil {
				s.log.WithError(err).Warn("watchdog run failed")
			} else if rep.AtRisk > 0 || rep.Reconciled.Started > 0 || rep.Reconciled.Opened > 0 {
				s.log.WithField("report", rep).Info("watchdog")
			}
		}
	}()
}
