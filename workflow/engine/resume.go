package engine

import (
	"context"
	"time"

	"github.com/kaiban/kaiban/workflow/engine/expr"
)

// resume loads the journal: state machines, finished executions (their
// history stays on disk), and every RUNNING execution, which it restarts
// from its history. A resumed thread replays its recorded events instead
// of acting again: completed tasks are not invoked, recorded inputs,
// outputs, times and retry delays are reused, waits and retries end at
// their recorded due times, and tokens it was waiting for stay valid. A
// task that was scheduled but whose end was not recorded runs again
// (at-least-once).
func (e *Engine) resume(ctx context.Context) error {
	sms, err := e.journal.StateMachines(ctx)
	if err != nil {
		return err
	}
	for _, r := range sms {
		info := StateMachine{Arn: r.Arn, Name: r.Name, Definition: r.Definition, RoleArn: r.RoleArn, Type: r.Type, CreationDate: r.Created}
		def, err := e.parse(r.Definition)
		if err != nil {
			// Substitutions may differ from the engine that created it.
			e.log.WithError(err).WithField("stateMachineArn", r.Arn).Warn("stored state machine no longer parses; its executions cannot run")
		}
		e.machines[r.Arn] = newStateMachine(info, def)
	}
	rows, err := e.journal.Executions(ctx)
	if err != nil {
		return err
	}
	for _, r := range rows {
		if r.Seq > e.execSeq.Load() {
			e.execSeq.Store(r.Seq)
		}
	}
	resumed := 0
	for _, r := range rows {
		sm := e.machines[r.StateMachineArn]
		if sm == nil {
			continue
		}
		v, err := expr.Decode([]byte(r.Input))
		if err != nil {
			v = emptyObject
		}
		x := e.newExecution(sm, r.Arn, r.Name, r.Input, v, r.Started)
		x.seq = r.Seq
		x.status, x.output, x.errName, x.cause, x.stop = r.Status, r.Output, r.Error, r.Cause, r.Stopped
		e.execs[r.Arn] = x
		if r.Status != StatusRunning || sm.def == nil {
			x.inJournal = true
			x.cancel()
			if r.Status != StatusRunning {
				close(x.done)
			}
			continue
		}
		if err := e.resumeExecution(ctx, x); err != nil {
			return err
		}
		resumed++
	}
	if resumed > 0 {
		e.log.WithField("executions", resumed).Info("resumed running executions")
	}
	return nil
}

func (e *Engine) resumeExecution(ctx context.Context, x *execution) error {
	recs, err := e.journal.Events(ctx, x.seq)
	if err != nil {
		return err
	}
	x.replay = map[string][]*event{}
	openToken := map[string]string{} // thread → token it is waiting for
	for i := range recs {
		ev := eventFromRecord(&recs[i])
		x.events = append(x.events, ev)
		x.nextID = max(x.nextID, ev.id)
		x.replay[ev.thread] = append(x.replay[ev.thread], ev)
		switch {
		case ev.typ == evTaskScheduled && ev.meta != nil && ev.meta.Token != "":
			openToken[ev.thread] = ev.meta.Token
		case ev.typ == evTaskStarted || ev.typ == evTaskSubmitted:
		default:
			delete(openToken, ev.thread)
		}
	}
	for _, token := range openToken {
		e.tokens.preRegister(token, x)
	}
	var startedID int64
	if q := x.replay[""]; len(q) > 0 && q[0].typ == evExecutionStarted {
		startedID = q[0].id
		x.replay[""] = q[1:]
	}
	e.wg.Add(1)
	root := x.newThread(x.ctx, "", startedID, &hold{clock: e.clock, release: e.clock.Hold()})
	if ts := x.sm.def.TimeoutSeconds; ts > 0 {
		x.armTimeout(x.start.Add(time.Duration(ts) * time.Second).Sub(e.now()))
	}
	e.pool.spawn(func() { x.run(root) })
	return nil
}
