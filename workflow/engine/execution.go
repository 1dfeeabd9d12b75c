package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/google/uuid"

	"github.com/kaiban/kaiban/workflow/engine/internal/journal"

	"github.com/kaiban/kaiban/workflow/engine/expr"
)

// execution is one run of a state machine. Its goroutines are the root
// thread plus one per running Parallel branch or Map worker.
type execution struct {
	e        *Engine
	seq      int64 // the journal's key for it
	sm       *stateMachine
	arn      string
	name     string
	inputStr string
	input    any
	start    time.Time
	ctxOnce  sync.Once
	ctxExec  *expr.Object // $$.Execution, built on first use

	ctx    context.Context // ends when the execution stops or the engine closes
	cancel context.CancelFunc
	done   chan struct{} // closed when no longer RUNNING

	mu          sync.Mutex
	status      string
	output      string
	errName     string
	cause       string
	stop        time.Time
	events      []*event
	inJournal   bool // finished and durable: history is read from the journal
	nextID      int64
	pending     []journal.Event // recorded in memory, not yet handed to the journal
	pendingRow  bool            // the executions row changed
	lastWait    func() error    // waits for the newest batch handed to the journal
	sent        []sentBatch     // handed to the journal, not yet known durable, oldest first
	rewriteMu   sync.Mutex      // one rewrite at a time (see rewrite)
	invocations []invocationCount
	replay      map[string][]*event // resuming: recorded events per thread, not yet replayed
	preTokens   []string            // resuming: tokens registered before their thread got there
	timeout     Timer
}

func (e *Engine) newExecution(sm *stateMachine, arn, name, inputStr string, input any, start time.Time) *execution {
	x := &execution{
		e: e, sm: sm, arn: arn, name: name, inputStr: inputStr, input: input, start: start,
		status: StatusRunning, done: make(chan struct{}),
	}
	x.seq = e.execSeq.Add(1)
	if n := sm.eventsHint.Load(); n > 0 {
		x.events = make([]*event, 0, n)
	}
	x.ctx, x.cancel = context.WithCancel(e.ctx)
	return x
}

// contextExecution returns $$.Execution.
func (x *execution) contextExecution() *expr.Object {
	x.ctxOnce.Do(func() {
		x.ctxExec = expr.NewObject([]expr.Member{
			{Key: "Id", Value: x.arn}, {Key: "Input", Value: x.input}, {Key: "Name", Value: x.name},
			{Key: "RoleArn", Value: x.sm.info.RoleArn}, {Key: "StartTime", Value: formatTime(x.start)},
			{Key: "RedriveCount", Value: json.Number("0")},
		})
	})
	return x.ctxExec
}

// StartExecution starts an execution; see Service for its idempotency.
func (e *Engine) StartExecution(ctx context.Context, stateMachineArn, name, input string) (Execution, error) {
	x, err := e.startExecution(ctx, stateMachineArn, name, input, true, e.pool.spawn)
	if err != nil {
		return Execution{}, err
	}
	return x.describe(), nil
}

// RunExecution starts an execution as StartExecution does and runs it to
// its end. Unlike StartExecution followed by Wait, it cannot miss the
// end: an in-memory engine forgets the oldest finished executions
// (RetainExecutions), and under load enough others can finish between
// the two calls for Wait to find none by that ARN.
//
// The execution's root runs on the calling goroutine, which would
// otherwise only wait for it: handing a short execution to a worker and
// its result back costs two goroutine wake-ups, which on a busy machine
// took as long as the execution itself. So RunExecution returns only
// once the execution has ended (or the engine closes), whatever ctx
// does; ctx bounds only the start. Executions that may wait for long
// (Wait states, task tokens) are better started with StartExecution.
//
// Its start is not committed on its own before the run (nobody has been
// told of it yet): on a durable engine the start and the end are
// committed together before RunExecution returns. A crash before then
// loses an execution no caller was answered for, as AWS's synchronous
// Express executions do, though a task it invoked may have run.
func (e *Engine) RunExecution(ctx context.Context, stateMachineArn, name, input string) (Execution, error) {
	var run func()
	x, err := e.startExecution(ctx, stateMachineArn, name, input, false, func(f func()) { run = f })
	if err != nil {
		return Execution{}, err
	}
	run()
	select {
	case <-x.done:
		return x.describe(), nil
	case <-e.ctx.Done(): // closing: a durable execution stays RUNNING, to resume
		return Execution{}, errEngineClosed
	}
}

// startExecution records an execution's start, durably before it
// returns if ackStart, and hands its run to launch (a worker, or the
// caller's own goroutine).
func (e *Engine) startExecution(ctx context.Context, stateMachineArn, name, input string, ackStart bool, launch func(func())) (*execution, error) {
	sm, err := e.machine(stateMachineArn)
	if err != nil {
		return nil, err
	}
	if sm.def == nil {
		return nil, &APIError{Code: "InvalidDefinition", Message: "the stored definition of " + stateMachineArn + " does not parse with this engine's substitutions"}
	}
	if name == "" {
		name = uuid.NewString()
	} else if !validName(name) {
		return nil, &APIError{Code: "InvalidName", Message: "invalid execution name: " + name}
	}
	if strings.TrimSpace(input) == "" {
		input = "{}"
	}
	if len(input) > e.maxPayload {
		return nil, &APIError{Code: "InvalidExecutionInput", Message: fmt.Sprintf("the input exceeds the maximum size of %d bytes", e.maxPayload)}
	}
	v, err := decodeJSON([]byte(input))
	if err != nil {
		return nil, &APIError{Code: "InvalidExecutionInput", Message: "Invalid State Machine Execution Input: the input is not valid JSON"}
	}
	arn := executionArn(sm.info.Name, name)
	x := e.newExecution(sm, arn, name, input, v, e.now())

	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil, errEngineClosed
	}
	if old := e.execs[arn]; old != nil {
		e.mu.Unlock()
		if old.inputStr == input {
			return old, nil
		}
		return nil, &APIError{Code: "ExecutionAlreadyExists", Message: "Execution Already Exists: '" + arn + "'"}
	}
	e.execs[arn] = x
	e.wg.Add(1)
	e.mu.Unlock()

	root := x.newThread(x.ctx, "", 0, &hold{clock: e.clock, release: e.clock.Hold()})
	// The start is acknowledged only once it is durable: the caller (the
	// API's 202) relies on the execution surviving a restart. A caller
	// that runs the execution (RunExecution) is told nothing before its
	// end, which is made durable with everything before it, so its start
	// is handed to the journal without waiting.
	if _, err = root.emit(evExecutionStarted, details{payload: v, err: sm.roleArn}, nil); err == nil {
		x.mu.Lock()
		x.pendingRow = true
		x.mu.Unlock()
		err = x.flush(ackStart) // no rewrite: the caller is told, and nothing depends on it yet
	}
	if err != nil {
		root.h.drop()
		x.cancel()
		e.mu.Lock()
		delete(e.execs, arn)
		e.mu.Unlock()
		e.wg.Done()
		e.log.WithError(err).WithField("executionArn", arn).Error("cannot record execution start")
		return nil, errors.New("engine: cannot record the execution")
	}
	x.armTimeout(time.Duration(sm.def.TimeoutSeconds) * time.Second)
	launch(func() { x.run(root) })
	return x, nil
}

// run drives the root thread to the end.
func (x *execution) run(root *thread) {
	defer x.e.wg.Done()
	defer root.h.drop()
	if x.e.admission != nil {
		// A refusal is the execution's or the engine's context ending
		// (stopped, timed out, closing); the first state sees it and ends
		// the execution the usual way.
		_ = x.e.admission.Admit(x.ctx)
	}
	out, err := root.run(x.sm.def.root, x.input)
	if err == nil {
		x.sm.rootEventsHint.Store(int32(min(root.emitted, 1<<10)))
	}
	x.complete(root, out, err)
}

// complete records how the root thread ended.
func (x *execution) complete(root *thread, out any, err error) {
	if err == nil {
		if jsonSize(out, x.e.maxPayload) > x.e.maxPayload {
			x.terminate(root.last, StatusFailed, nil, &stateError{Name: ErrDataLimitExceeded, Cause: "The state/task output exceeds the maximum payload size."})
			return
		}
		x.terminate(root.last, StatusSucceeded, out, nil)
		return
	}
	var se *stateError // only here: errors.As makes it escape, an allocation
	switch {
	case errors.Is(err, errAborted):
		// stopped or timed out (already recorded), or the engine is closing
	case errors.As(err, &se):
		x.terminate(root.last, StatusFailed, nil, se)
	case errors.Is(err, errDiverged):
		x.terminate(root.last, StatusFailed, nil, runtimeError(executionDivergedCause))
	default:
		x.e.log.WithError(err).WithField("executionArn", x.arn).Error("execution failed inside the engine")
		x.terminate(root.last, StatusFailed, nil, runtimeError(executionJournalFailCause))
	}
}

var terminalEvent = map[string]string{
	StatusSucceeded: evExecutionSucceeded,
	StatusFailed:    evExecutionFailed,
	StatusTimedOut:  evExecutionTimedOut,
	StatusAborted:   evExecutionAborted,
}

// terminate moves a RUNNING execution to status and records it; the first
// caller wins (the root thread finishing, StopExecution, the execution
// timeout). prev is the event the terminal event follows (0: the newest).
func (x *execution) terminate(prev int64, status string, output any, se *stateError) bool {
	x.mu.Lock()
	if x.status != StatusRunning {
		x.mu.Unlock()
		return false
	}
	now := x.e.now()
	x.status, x.stop = status, now
	var d details
	if status == StatusSucceeded {
		// The output text serves as both the execution's output and the
		// event's payload: mustEncode's buffer is never changed afterwards.
		d.text = mustEncode(output)
		x.output = unsafe.String(unsafe.SliceData(d.text), len(d.text))
	} else if se != nil {
		x.errName, x.cause = se.Name, se.Cause
		d.err = se
	}
	if prev == 0 {
		prev = x.nextID
	}
	x.nextID++
	x.appendLocked(&event{id: x.nextID, prev: prev, typ: terminalEvent[status], ts: now.UnixNano(), live: true, d: d})
	x.pendingRow = true
	timer := x.timeout
	x.sm.eventsHint.Store(int32(min(len(x.events), 1<<12)))
	x.mu.Unlock()

	x.cancel()
	if timer != nil {
		timer.Stop()
	}
	err := x.sync()
	if err != nil {
		x.e.log.WithError(err).WithField("executionArn", x.arn).Error("cannot record the end of the execution")
	}
	x.e.tokens.dropPending(x)
	x.mu.Lock()
	if err == nil && x.e.journal != nil {
		// The history is durable; keep memory for running executions.
		x.events, x.inJournal, x.sent = nil, true, nil
	}
	x.replay = nil
	x.mu.Unlock()
	close(x.done)
	x.e.retainFinished(x)
	return true
}

// armTimeout starts the state machine's TimeoutSeconds clock.
func (x *execution) armTimeout(d time.Duration) {
	if x.sm.def.TimeoutSeconds == 0 {
		return
	}
	t := x.e.clock.AfterFunc(d, func() {
		if x.ctx.Err() != nil && x.e.ctx.Err() != nil {
			return // the engine is closing
		}
		x.terminate(0, StatusTimedOut, nil, &stateError{Name: ErrTimeout, Cause: executionTimedOutCause})
	})
	x.mu.Lock()
	x.timeout = t
	x.mu.Unlock()
}

// appendLocked records an event in memory and, for a durable engine,
// queues it for the journal. x.mu must be held.
func (x *execution) appendLocked(ev *event) {
	x.events = append(x.events, ev)
	if x.e.journal == nil {
		return
	}
	if ev.raw == nil {
		ev.raw = encodeDetails(ev.typ, &ev.d)
	}
	var meta []byte
	if ev.meta != nil {
		meta, _ = json.Marshal(ev.meta)
	}
	if x.pending == nil {
		x.pending = make([]journal.Event, 0, 8) // a flush usually carries a state's few events
	}
	x.pending = append(x.pending, journal.Event{
		ExecSeq: x.seq, ID: ev.id, PrevID: ev.prev, Type: ev.typ, Time: ev.time(),
		Thread: ev.thread, Details: ev.raw, Meta: meta,
	})
}

// sync makes everything recorded so far durable before the caller acts
// on it (write-ahead). Batches reach the journal in the order they were
// recorded, and once one fails the journal refuses the execution's later
// ones, so the newest one's success means all are durable. On a failure
// it rewrites what is missing until it is durable (see rewrite). In
// memory it is a no-op.
func (x *execution) sync() error {
	if err := x.flush(true); err != nil {
		return x.rewrite(err)
	}
	return nil
}

// rewrite waits out a journal that cannot write (a full disk): it hands
// the journal again, as one batch that lifts the refusal, everything of
// the execution since its first write that failed, and retries with
// backoff while the engine runs. The step that was waiting goes on once
// its history is durable, with no hole in it; if the engine closes first,
// the stored history is still a prefix, which resumes on the next start.
func (x *execution) rewrite(err error) error {
	x.rewriteMu.Lock()
	defer x.rewriteMu.Unlock()
	// Every batch handed over before the failure has settled once the
	// newest has; those that committed are left out.
	x.mu.Lock()
	sent := x.sent
	x.mu.Unlock()
	for _, b := range sent {
		_ = b.wait()
	}
	delay := 50 * time.Millisecond
	for attempt := 0; ; attempt++ {
		x.mu.Lock()
		x.trimSentLocked()
		if len(x.sent) == 0 && len(x.pending) == 0 && !x.pendingRow {
			x.mu.Unlock()
			return nil // another thread's rewrite made it durable
		}
		b := &journal.Batch{Executions: []journal.Execution{x.rowLocked()}, Retry: true}
		for _, old := range x.sent {
			b.Events = append(b.Events, old.b.Events...)
		}
		b.Events = append(b.Events, x.pending...)
		x.pending, x.pendingRow = nil, false
		w := x.e.journal.Append(b)
		x.sent, x.lastWait = []sentBatch{{b, w}}, w
		x.mu.Unlock()
		if err = w(); err == nil {
			if attempt > 0 {
				x.e.log.WithField("executionArn", x.arn).Info("execution history recorded again; the execution goes on")
			}
			return nil
		}
		if attempt == 0 {
			x.e.log.WithError(err).WithField("executionArn", x.arn).Warn("cannot record the execution's history; retrying")
		}
		select {
		case <-x.e.ctx.Done():
			return err
		case <-time.After(delay):
		}
		delay = min(2*delay, 5*time.Second)
	}
}

// sentBatch is a batch handed to the journal and the wait for it.
type sentBatch struct {
	b    *journal.Batch
	wait func() error
}

// trimSentLocked forgets the oldest handed-over batches that are durable.
// x.mu must be held.
func (x *execution) trimSentLocked() {
	n := 0
	for _, s := range x.sent {
		if done, err := s.b.Settled(); !done || err != nil {
			break
		}
		n++
	}
	x.sent = x.sent[n:]
}

// flush hands what is recorded to the journal and, if wait, waits until
// it is durable. Without waiting, the commit overlaps the execution's
// next steps; anything that acts on the world syncs first, and batches
// commit in order, so nothing is acted on before what led to it is
// durable.
func (x *execution) flush(wait bool) error {
	if x.e.journal == nil {
		return nil
	}
	x.mu.Lock()
	if len(x.pending) > 0 || x.pendingRow {
		b := &journal.Batch{Events: x.pending}
		if x.pendingRow {
			b.Executions = []journal.Execution{x.rowLocked()}
		}
		x.pending, x.pendingRow = nil, false
		x.lastWait = x.e.journal.Append(b)
		x.trimSentLocked()
		x.sent = append(x.sent, sentBatch{b, x.lastWait})
	}
	w := x.lastWait
	x.mu.Unlock()
	if w == nil || !wait {
		return nil
	}
	return w()
}

func (x *execution) rowLocked() journal.Execution {
	return journal.Execution{
		Seq: x.seq, Arn: x.arn, StateMachineArn: x.sm.info.Arn, Name: x.name, Status: x.status,
		Input: x.inputStr, Output: x.output, Error: x.errName, Cause: x.cause,
		Started: x.start, Stopped: x.stop,
	}
}

// invocationCount is how many times a Task state was invoked.
type invocationCount struct {
	state string
	n     int
}

// nextInvocation counts a Task state's invocations in this execution. A
// slice, not a map: an execution has few Task states, and a map costs
// two allocations per execution.
func (x *execution) nextInvocation(stateName string) int {
	x.mu.Lock()
	defer x.mu.Unlock()
	for i := range x.invocations {
		if c := &x.invocations[i]; c.state == stateName {
			c.n++
			return c.n - 1
		}
	}
	if x.invocations == nil {
		x.invocations = make([]invocationCount, 0, 8)
	}
	x.invocations = append(x.invocations, invocationCount{state: stateName, n: 1})
	return 0
}

func (x *execution) describe() Execution {
	x.mu.Lock()
	defer x.mu.Unlock()
	return Execution{
		Arn: x.arn, StateMachineArn: x.sm.info.Arn, Name: x.name, Status: x.status,
		Input: x.inputStr, Output: x.output, Error: x.errName, Cause: x.cause,
		StartDate: x.start, StopDate: x.stop,
	}
}

// DescribeExecution returns an execution.
func (e *Engine) DescribeExecution(ctx context.Context, executionArn string) (Execution, error) {
	x, err := e.execution(executionArn)
	if err != nil {
		return Execution{}, err
	}
	return x.describe(), nil
}

// ListExecutions lists a state machine's executions, newest first.
func (e *Engine) ListExecutions(ctx context.Context, stateMachineArn, status string) ([]Execution, error) {
	sm, err := e.machine(stateMachineArn)
	if err != nil {
		return nil, err
	}
	e.mu.RLock()
	xs := make([]*execution, 0, 16)
	for _, x := range e.execs {
		if x.sm == sm {
			xs = append(xs, x)
		}
	}
	e.mu.RUnlock()
	out := make([]Execution, 0, len(xs))
	for _, x := range xs {
		if d := x.describe(); status == "" || d.Status == status {
			out = append(out, d)
		}
	}
	slices.SortFunc(out, func(a, b Execution) int {
		if c := b.StartDate.Compare(a.StartDate); c != 0 {
			return c
		}
		return strings.Compare(b.Arn, a.Arn)
	})
	return out, nil
}

// GetExecutionHistory returns an execution's events, oldest first.
func (e *Engine) GetExecutionHistory(ctx context.Context, executionArn string) ([]HistoryEvent, error) {
	x, err := e.execution(executionArn)
	if err != nil {
		return nil, err
	}
	x.mu.Lock()
	if !x.inJournal {
		evs := slices.Clone(x.events)
		x.mu.Unlock()
		out := make([]HistoryEvent, len(evs))
		for i, ev := range evs {
			out[i] = ev.historyEvent()
		}
		return out, nil
	}
	x.mu.Unlock()
	recs, err := e.journal.Events(ctx, x.seq)
	if err != nil {
		e.log.WithError(err).WithField("executionArn", executionArn).Error("cannot read history")
		return nil, errors.New("engine: cannot read the execution history")
	}
	out := make([]HistoryEvent, len(recs))
	for i := range recs {
		out[i] = eventFromRecord(&recs[i]).historyEvent()
	}
	return out, nil
}

// StopExecution aborts a running execution. Stopping a finished one
// returns its stop date.
func (e *Engine) StopExecution(ctx context.Context, executionArn, errName, cause string) (time.Time, error) {
	x, err := e.execution(executionArn)
	if err != nil {
		return time.Time{}, err
	}
	x.terminate(0, StatusAborted, nil, &stateError{Name: errName, Cause: cause})
	return x.describe().StopDate, nil
}

// Wait blocks until the execution is no longer RUNNING or ctx ends.
func (e *Engine) Wait(ctx context.Context, executionArn string) (Execution, error) {
	x, err := e.execution(executionArn)
	if err != nil {
		return Execution{}, err
	}
	select {
	case <-x.done:
		return x.describe(), nil
	case <-ctx.Done():
		return Execution{}, ctx.Err()
	case <-e.ctx.Done():
		return Execution{}, errEngineClosed
	}
}

func eventFromRecord(r *journal.Event) *event {
	ev := &event{id: r.ID, prev: r.PrevID, typ: r.Type, ts: r.Time.UnixNano(), thread: r.Thread, raw: r.Details}
	if len(r.Meta) > 0 {
		ev.meta = &eventMeta{}
		_ = json.Unmarshal(r.Meta, ev.meta)
	}
	return ev
}

// formatTime renders a timestamp the way $$ shows it.
func formatTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
