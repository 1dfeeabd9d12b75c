package stack

import (
	"time"

	"github.com/sirupsen/logrus"
)

// saturationEvery is how often the stack looks at its admission gate.
const saturationEvery = time.Second

// backlog is what the watcher reads from the admission gate: the
// executions it holds back. The gate is saturated while that is above
// zero (admission.Gate.Saturated); one read gives both, consistently.
type backlog interface {
	Waiting() int
}

// watchSaturation logs when the process becomes saturated (admission holds
// new workflows back, and the store and the journal put off checkpoints)
// and when it has recovered, so an operator sees the overload, and the
// wider power-loss window that comes with it, in the log. Saturation
// comes and goes within milliseconds under load; an episode ends only
// after two calm looks in a row, so one burst is one pair of lines. It
// returns when tick is closed or stop is.
func watchSaturation(gate backlog, log *logrus.Logger, tick <-chan time.Time, stop <-chan struct{}) {
	var (
		in          bool
		since       time.Time
		peak, calms int
	)
	for {
		var now time.Time
		select {
		case t, ok := <-tick:
			if !ok {
				return
			}
			now = t
		case <-stop:
			return
		}
		waiting := gate.Waiting()
		saturated := waiting > 0
		switch {
		case saturated && !in:
			in, since, peak, calms = true, now, waiting, 0
			log.WithField("waitingWorkflows", waiting).Warn("process saturated: new workflows wait for CPU and checkpoints are put off " +
				"(a power failure could lose up to a minute of commits until this ends)")
		case in && saturated:
			peak, calms = max(peak, waiting), 0
		case in:
			if calms++; calms >= 2 {
				in = false
				log.WithFields(logrus.Fields{"seconds": now.Sub(since).Round(time.Second).Seconds(), "peakWaitingWorkflows": peak}).
					Info("saturation ended: workflows start at once and checkpoints resume")
			}
		}
	}
}
