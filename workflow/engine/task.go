package engine

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/kaiban/kaiban/workflow/engine/expr"
)

// outcome is how a task attempt ended.
type outcome struct {
	ok     bool
	raw    json.RawMessage // success: the result as the task returned it
	value  any             // success: the decoded result, when known
	se     *stateError     // failure
	evType string          // the event that records the outcome
	// ev is set when the outcome is already recorded outside this
	// thread's replay (SendTaskSuccess/Failure recorded it).
	ev *event
}

// taskWait coordinates one attempt's waiting: for a task token, and for
// TimeoutSeconds and HeartbeatSeconds. The first of the callback, a timer
// or the owner itself to settle it wins; whoever settles it for someone
// else wakes the owner with a clock hold taken on its behalf.
type taskWait struct {
	th    *thread
	st    *state
	token string

	mu         sync.Mutex
	settled    bool
	res        outcome
	wake       chan func() // the hold taken for the owner
	timeout    Timer
	heartbeat  Timer
	hbEvery    time.Duration
	cancelCall context.CancelFunc
}

func (w *taskWait) stopTimersLocked() {
	if w.timeout != nil {
		w.timeout.Stop()
	}
	if w.heartbeat != nil {
		w.heartbeat.Stop()
	}
}

// settleFor settles the wait from outside the owner and wakes it.
func (w *taskWait) settleForLocked(o outcome) {
	w.settled, w.res = true, o
	w.stopTimersLocked()
	if w.cancelCall != nil {
		w.cancelCall()
	}
	w.wake <- w.th.x.e.clock.Hold()
}

// settleByOwner settles with the owner's own outcome; if someone else
// settled first it returns theirs (and drops the hold they took, since
// the owner is holding already).
func (w *taskWait) settleByOwner(o outcome) outcome {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.settled {
		select {
		case r := <-w.wake:
			r()
		default:
		}
		return w.res
	}
	w.settled, w.res = true, o
	w.stopTimersLocked()
	return o
}

// timedOut is the timer callback for TimeoutSeconds and HeartbeatSeconds.
func (w *taskWait) timedOut(name, cause string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.settled {
		return
	}
	evType := evTaskTimedOut
	if w.st.resKind == resLambdaARN {
		evType = evLambdaTimedOut
	}
	w.settleForLocked(outcome{se: &stateError{Name: name, Cause: cause}, evType: evType})
}

func (w *taskWait) armHeartbeatLocked() {
	if w.hbEvery <= 0 {
		return
	}
	if w.heartbeat != nil {
		w.heartbeat.Stop()
	}
	w.heartbeat = w.th.x.e.clock.AfterFunc(w.hbEvery, func() {
		w.timedOut(ErrHeartbeatTimeout, "")
	})
}

// park waits, without holding the clock, until the wait is settled.
func (th *thread) park(w *taskWait) (outcome, error) {
	th.mayBlock()
	th.h.drop()
	select {
	case r := <-w.wake:
		th.h.adopt(r)
		return w.res, nil
	case <-th.ctx.Done():
		w.mu.Lock()
		w.settled = true
		w.stopTimersLocked()
		select {
		case r := <-w.wake:
			r()
		default:
		}
		w.mu.Unlock()
		th.h.take()
		return outcome{}, errAborted
	}
}

// taskAttempt runs one attempt of a Task state.
func (th *thread) taskAttempt(st *state, raw any, entered time.Time, retries int) (any, *failure, error) {
	x := th.x
	e := x.e
	token := ""
	if st.waitsForToken() {
		if rec := th.peek(); rec != nil && rec.typ == evTaskScheduled && rec.meta != nil {
			token = rec.meta.Token
		}
		if token == "" {
			token = newToken(x.arn)
		}
	}
	var ctxObj any
	if st.usesContext {
		ctxObj = th.contextObject(st, entered, retries, token)
	}
	in, err := th.inputOf(st, raw)
	if err != nil {
		return nil, failed(err), nil
	}
	timeout, heartbeat, err := th.taskTimeouts(st, in)
	if err != nil {
		return nil, failed(err), nil
	}
	if st.parameters != nil {
		if in, err = st.parameters.Eval(in, th.scope(ctxObj)); err != nil {
			return nil, failed(err), nil
		}
	}
	if st.jsonata != nil {
		if in, timeout, heartbeat, err = th.jsonataTaskInput(st, raw, entered, retries, token); err != nil {
			return nil, failed(err), nil
		}
	}
	payload := mustEncode(in)
	if len(payload) > e.maxPayload {
		return nil, failed(&stateError{Name: ErrDataLimitExceeded, Cause: "The state/task '" + st.name + "' has an input with a size exceeding the maximum number of bytes service limit."}), nil
	}

	var scheduled *event
	if st.resKind == resLambdaARN {
		if scheduled, err = th.emit(evLambdaScheduled, details{st: st, text: payload, n1: int32(timeout)}, nil); err != nil {
			return nil, nil, err
		}
		if _, err = th.emit(evLambdaStarted, details{}, nil); err != nil {
			return nil, nil, err
		}
	} else {
		d := details{st: st, text: payload, n1: int32(timeout), n2: int32(heartbeat)}
		if scheduled, err = th.emit(evTaskScheduled, d, &eventMeta{Token: token}); err != nil {
			return nil, nil, err
		}
		if _, err = th.emit(evTaskStarted, details{st: st}, nil); err != nil {
			return nil, nil, err
		}
	}
	call := TaskCall{
		ExecutionArn: x.arn, StateMachineName: x.sm.info.Name, StateName: st.name, Resource: st.resource,
		Invocation: x.nextInvocation(st.name), Input: payload, TaskToken: token,
	}

	o, submitted, err := th.recordedOutcome(st)
	if err != nil {
		return nil, nil, err
	}
	if o == nil { // live: nothing recorded about how this attempt ended
		var w *taskWait
		if token != "" || timeout > 0 || heartbeat > 0 {
			w = &taskWait{th: th, st: st, token: token, wake: make(chan func(), 1), hbEvery: time.Duration(heartbeat) * time.Second}
			if token != "" {
				e.tokens.register(token, w)
				defer e.tokens.remove(token)
			}
			w.mu.Lock()
			if timeout > 0 {
				left := scheduled.time().Add(time.Duration(timeout) * time.Second).Sub(e.now())
				w.timeout = e.clock.AfterFunc(left, func() { w.timedOut(ErrTimeout, "") })
			}
			w.armHeartbeatLocked()
			w.mu.Unlock()
			defer func() {
				w.mu.Lock()
				w.stopTimersLocked()
				w.mu.Unlock()
			}()
		}
		// A task token leaves the engine with the call, so the attempt
		// that owns it is made durable first: a callback for a token the
		// engine forgot in a crash could never be delivered. A plain
		// invocation does not wait for the journal: if the engine crashes
		// before recording it, resuming re-enters the state and invokes
		// again, which the at-least-once contract of Lambda tasks already
		// asks every handler to tolerate.
		flushOrSync := th.flush
		if token != "" {
			flushOrSync = th.sync
		}
		if err := flushOrSync(); err != nil {
			return nil, nil, err
		}
		var res outcome
		if !submitted {
			if res, submitted, err = th.invoke(st, call, in, w); err != nil {
				return nil, nil, err
			}
		}
		if submitted {
			if res, err = th.park(w); err != nil {
				return nil, nil, err
			}
		}
		o = &res
	}

	if !o.ok {
		se, evType, ev := o.se, o.evType, o.ev
		return nil, &failure{se: se, emit: func(meta *eventMeta) (*event, error) {
			if ev != nil {
				return ev, nil
			}
			return th.emit(evType, details{st: st, err: se}, meta)
		}}, nil
	}
	if o.ev == nil {
		evType := evTaskSucceeded
		if st.resKind == resLambdaARN {
			evType = evLambdaSucceeded
		}
		d := details{st: st, text: o.raw}
		if o.raw == nil {
			d.payload = o.value
		}
		if _, err := th.emit(evType, d, nil); err != nil {
			return nil, nil, err
		}
	}
	// The result goes to the journal now; the next action waits for it.
	if err := th.flush(); err != nil {
		return nil, nil, err
	}
	result := o.value
	if o.raw != nil {
		if result, err = st.results.decode(o.raw); err != nil {
			return nil, failed(runtimeError("The task '" + st.name + "' returned a result that is not valid JSON")), nil
		}
	}
	out, err := th.finishResult(st, raw, result, th.scope(ctxObj))
	if err != nil {
		return nil, failed(err), nil
	}
	return out, nil, nil
}

// recordedOutcome reads, when resuming, how the attempt ended before the
// engine stopped: it replays a TaskSubmitted (submitted: only the token
// wait remains) and returns a recorded success or failure, or nil when
// the attempt must run (again: at-least-once).
func (th *thread) recordedOutcome(st *state) (*outcome, bool, error) {
	rec := th.peek()
	submitted := false
	if rec != nil && rec.typ == evTaskSubmitted {
		if _, err := th.emit(evTaskSubmitted, details{}, nil); err != nil {
			return nil, false, err
		}
		submitted = true
		rec = th.peek()
	}
	if rec == nil {
		return nil, submitted, nil
	}
	r, err := rec.recorded()
	if err != nil {
		return nil, false, errDiverged
	}
	switch rec.typ {
	case evTaskSucceeded, evLambdaSucceeded:
		v, err := recordedValue(r.Output)
		if err != nil {
			return nil, false, err
		}
		return &outcome{ok: true, value: v, evType: rec.typ}, submitted, nil
	case evTaskFailed, evTaskTimedOut, evLambdaFailed, evLambdaTimedOut:
		return &outcome{se: &stateError{Name: r.Error, Cause: r.Cause}, evType: rec.typ}, submitted, nil
	}
	return nil, false, errDiverged
}

// invoke runs the task. It returns submitted=true when the task now waits
// for its token. With a timeout or heartbeat the call runs on its own
// goroutine so the timers can end the attempt while it is still running.
func (th *thread) invoke(st *state, call TaskCall, in any, w *taskWait) (outcome, bool, error) {
	e := th.x.e
	if w == nil {
		watched := th.watchCall()
		res, err := e.invokeTask(th.ctx, st, call, in)
		if watched {
			th.unwatch()
		}
		return th.taskOutcome(st, res, err), false, nil
	}
	if w.timeout == nil && w.heartbeat == nil {
		watched := th.watchCall()
		res, err := e.invokeTask(th.ctx, st, call, in)
		if watched {
			th.unwatch()
		}
		return th.afterInvoke(st, w, res, err)
	}
	res, err, ok := th.invokeAsync(st, call, in, w)
	if !ok { // a timer settled the attempt first, or the execution ended
		if th.ctx.Err() != nil {
			return outcome{}, false, errAborted
		}
		return w.res, false, nil
	}
	return th.afterInvoke(st, w, res, err)
}

func (th *thread) afterInvoke(st *state, w *taskWait, res json.RawMessage, err error) (outcome, bool, error) {
	if errors.Is(err, ErrWaitForTaskToken) && w.token != "" {
		w.mu.Lock()
		if !w.settled {
			if res == nil {
				res = json.RawMessage("{}")
			}
			if _, err := th.emit(evTaskSubmitted, details{st: st, payload: res}, nil); err != nil {
				w.mu.Unlock()
				return outcome{}, false, err
			}
		}
		w.mu.Unlock()
		if err := th.sync(); err != nil {
			return outcome{}, false, err
		}
		return outcome{}, true, nil
	}
	o := w.settleByOwner(th.taskOutcome(st, res, err))
	return o, false, nil
}

type invokeResult struct {
	res     json.RawMessage
	err     error
	release func()
}

// invokeAsync runs the call on its own goroutine, which holds the clock
// while it runs, and waits for it or for the attempt to be settled.
func (th *thread) invokeAsync(st *state, call TaskCall, in any, w *taskWait) (json.RawMessage, error, bool) {
	e := th.x.e
	callCtx, cancel := context.WithCancel(th.ctx)
	defer cancel()
	gh := &hold{clock: e.clock, release: e.clock.Hold()}
	gctx := context.WithValue(callCtx, holdKey{}, gh)
	w.mu.Lock()
	w.cancelCall = cancel
	w.mu.Unlock()
	done := make(chan invokeResult, 1)
	abandoned := false
	go func() {
		defer gh.drop()
		res, err := e.invokeTask(gctx, st, call, in)
		w.mu.Lock()
		defer w.mu.Unlock()
		if !abandoned {
			done <- invokeResult{res: res, err: err, release: e.clock.Hold()}
		}
	}()
	th.mayBlock()
	th.h.drop()
	select {
	case r := <-done:
		th.h.adopt(r.release)
		return r.res, r.err, true
	case r := <-w.wake:
		th.h.adopt(r)
	case <-th.ctx.Done():
		th.h.take()
	}
	w.mu.Lock()
	abandoned = true
	select {
	case r := <-done:
		r.release()
	default:
	}
	w.mu.Unlock()
	return nil, nil, false
}

// taskOutcome turns an invoker's result into an outcome.
func (th *thread) taskOutcome(st *state, res json.RawMessage, err error) outcome {
	failType := evTaskFailed
	if st.resKind == resLambdaARN {
		failType = evLambdaFailed
	}
	switch {
	case err != nil:
		return outcome{se: asStateError(err), evType: failType}
	case len(res) > th.x.e.maxPayload:
		return outcome{se: &stateError{Name: ErrDataLimitExceeded, Cause: "The state/task '" + st.name + "' returned a result with a size exceeding the maximum number of bytes service limit."}, evType: failType}
	case len(res) == 0:
		res = json.RawMessage("null")
	}
	return outcome{ok: true, raw: res}
}

// taskTimeouts resolves TimeoutSeconds(Path) and HeartbeatSeconds(Path)
// against the state's effective input.
func (th *thread) taskTimeouts(st *state, in any) (timeout, heartbeat int, err error) {
	timeout, heartbeat = st.timeoutSeconds, st.heartbeatSeconds
	if st.timeoutPath != nil || st.heartbeatPath != nil { // the loop allocates: only when there is a path
		if timeout, heartbeat, err = th.taskTimeoutPaths(st, in, timeout, heartbeat); err != nil {
			return 0, 0, err
		}
	}
	if heartbeat > 0 && timeout > 0 && heartbeat >= timeout {
		return 0, 0, runtimeError("HeartbeatSeconds must be smaller than TimeoutSeconds")
	}
	return timeout, heartbeat, nil
}

// taskTimeoutPaths resolves TimeoutSecondsPath and HeartbeatSecondsPath.
func (th *thread) taskTimeoutPaths(st *state, in any, timeout, heartbeat int) (int, int, error) {
	for _, f := range []struct {
		path  *expr.Path
		field string
		dst   *int
	}{{st.timeoutPath, "TimeoutSecondsPath", &timeout}, {st.heartbeatPath, "HeartbeatSecondsPath", &heartbeat}} {
		if f.path == nil {
			continue
		}
		v, err := th.pathIn(f.path, in, st, th.enteredAt, 0, f.field)
		if err != nil {
			return 0, 0, err
		}
		n, ok := nonNegativeInt(v)
		if !ok || n < 1 || n > 99999999 {
			return 0, 0, runtimeError("The " + f.field + " parameter does not reference a valid positive integer value: " + string(mustEncode(v)))
		}
		*f.dst = int(n)
	}
	return timeout, heartbeat, nil
}
