package stack

import (
	"context"
	"time"

	"github.com/kaiban/kaiban/shared/delivery"
	"github.com/kaiban/kaiban/shared/tracks"
)

// startWatchdog runs the SLA watchdog every period on the stack's clock,
// as the EventBridge schedule does on AWS, with the re-delivery of clerk
// decisions that were recorded but never reached their workflow (a crash
// between the two, the engine briefly unavailable), and after it checks
// the executions of every application in flight.
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
			} else if rep.AtRisk > 0 || rep.Reconciled.Started > 0 || rep.Reconciled.Opened > 0 {
				s.log.WithField("report", rep).Info("watchdog")
			}
			s.reconcileInFlight(ctx)
		}
	}()
}

// reconcileInFlight opens a clerk task for every application in flight
// whose execution has ended without finishing it (a resumed execution
// whose history no longer replays, a runtime failure the definition
// cannot catch), within a watchdog period instead of when the application
// comes close to its deadline. The engine is in the process, so checking
// every application is cheap, where the watchdog on AWS checks only those
// at risk.
func (s *Stack) reconcileInFlight(ctx context.Context) {
	rep, err := s.Tracks.Reconcile(ctx, tracks.ReconcileScope{InFlight: true})
	switch {
	case err != nil:
		s.log.WithError(err).Warn("reconciling executions in flight failed")
	case rep.Opened > 0:
		s.log.WithField("report", rep).Warn("applications in flight whose execution has ended: clerk tasks opened")
	}
}
