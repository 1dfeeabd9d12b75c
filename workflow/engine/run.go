package engine

import (
	"encoding/json"
	"errors"
	"math"
	"time"

	"github.com/kaiban/kaiban/workflow/engine/expr"
)

var enteredType, exitedType [len(kindNames)]string

func init() {
	for i, n := range kindNames {
		enteredType[i] = n + stateEnteredSuffix
		exitedType[i] = n + stateExitedSuffix
	}
}

// emptyObject is what a null InputPath or OutputPath yields. Values are
// never modified in place, so one instance serves everyone.
var emptyObject = expr.EmptyObject()

// run executes a machine (the state machine, a branch or an item
// processor) from its start until a state ends it.
func (th *thread) run(m *machine, input any) (any, error) {
	st := m.start
	for {
		out, next, err := th.runState(st, input)
		if err != nil {
			return nil, err
		}
		if next == nil {
			return out, nil
		}
		st, input = next, out
	}
}

// runState runs one state and returns its output and the next state (nil
// when the machine ends). A *stateError is a failure the state did not
// catch.
func (th *thread) runState(st *state, raw any) (any, *state, error) {
	ev, err := th.emit(enteredType[st.kind], details{st: st, payload: raw}, nil)
	if err != nil {
		return nil, nil, err
	}
	if !ev.live { // recorded by an earlier engine: its input is authoritative
		r, err := ev.recorded()
		if err != nil || r.Name != st.name {
			return nil, nil, errDiverged
		}
		if raw, err = recordedValue(r.Input); err != nil {
			return nil, nil, err
		}
	}
	entered := ev.time()
	th.enteredID, th.enteredAt = ev.id, entered
	out, next, err := th.runKind(st, raw, entered)
	if err != nil { // errors.As would allocate se on every state otherwise
		var se *stateError
		if errors.As(err, &se) {
			err = locate(se, st.name, ev.id)
		}
	}
	return out, next, err
}

// runKind runs the state by its type, once it is entered.
func (th *thread) runKind(st *state, raw any, entered time.Time) (any, *state, error) {
	if st.jsonata != nil {
		return th.runJSONata(st, raw, entered)
	}
	switch st.kind {
	case kindPass:
		return th.pass(st, raw, entered)
	case kindChoice:
		return th.choice(st, raw)
	case kindWait:
		return th.wait(st, raw, entered)
	case kindSucceed:
		in, err := th.inputOf(st, raw)
		if err != nil {
			return nil, nil, asStateError(err)
		}
		out, err := th.exitWith(st, in)
		return out, nil, err
	case kindFail:
		return nil, nil, th.fail(st, raw, entered)
	default:
		return th.withRetry(st, raw, entered)
	}
}

// exitWith applies OutputPath to v and records the state's exit.
func (th *thread) exitWith(st *state, v any) (any, error) {
	out, err := th.outputOf(st, v)
	if err != nil {
		return nil, asStateError(err)
	}
	return th.exit(st, out)
}

// exit records the state's exit with its output (checked against the
// payload quota) and returns the output, as recorded when resuming.
func (th *thread) exit(st *state, out any) (any, error) {
	if st.assign != nil {
		return th.exitAssign(st, out, st.assign)
	}
	if max := th.x.e.maxPayload; st.mayGrow() && jsonSize(out, max) > max {
		return nil, &stateError{Name: ErrDataLimitExceeded, Cause: "The state/task '" + st.name + "' returned a result with a size exceeding the maximum number of bytes service limit."}
	}
	ev, err := th.emit(exitedType[st.kind], details{st: st, payload: out}, nil)
	if err != nil {
		return nil, err
	}
	if !ev.live {
		r, err := ev.recorded()
		if err != nil {
			return nil, errDiverged
		}
		return recordedValue(r.Output)
	}
	return out, nil
}

func (th *thread) next(st *state) *state {
	if st.end {
		return nil
	}
	return st.next
}

func (th *thread) inputOf(st *state, raw any) (any, error) {
	switch {
	case st.inputNull:
		return emptyObject, nil
	case st.inputPath == nil:
		return raw, nil
	}
	return th.pathIn(st.inputPath, raw, st, th.enteredAt, 0, "InputPath")
}

func (th *thread) outputOf(st *state, v any) (any, error) {
	switch {
	case st.outputNull:
		return emptyObject, nil
	case st.outputPath == nil:
		return v, nil
	}
	return th.pathIn(st.outputPath, v, st, th.enteredAt, 0, "OutputPath")
}

// resultInto places result into raw as ResultPath says: null keeps raw,
// no ResultPath (or "$") replaces it.
func resultInto(path *expr.Path, null bool, raw, result any) (any, error) {
	switch {
	case null:
		return raw, nil
	case path == nil:
		return result, nil
	}
	return path.Set(raw, result)
}

// finishResult applies ResultSelector, ResultPath and OutputPath to a
// task's (or Parallel's, or Map's) result.
func (th *thread) finishResult(st *state, raw, result, ctxObj any) (any, error) {
	if st.jsonata != nil {
		return result, nil // Output and Assign are applied on exit (jsonataResult)
	}
	var err error
	if st.resultSelector != nil {
		if result, err = st.resultSelector.Eval(result, ctxObj); err != nil {
			return nil, err
		}
	}
	th.assignIn = result
	out, err := resultInto(st.resultPath, st.resultNull, raw, result)
	if err != nil {
		return nil, err
	}
	return th.outputOf(st, out)
}

func (th *thread) pass(st *state, raw any, entered time.Time) (any, *state, error) {
	in, err := th.inputOf(st, raw)
	if err != nil {
		return nil, nil, asStateError(err)
	}
	result := in
	if st.parameters != nil {
		var ctxObj any
		if st.usesContext {
			ctxObj = th.contextObject(st, entered, 0, "")
		}
		if result, err = st.parameters.Eval(in, th.scope(ctxObj)); err != nil {
			return nil, nil, asStateError(err)
		}
	}
	if st.hasResult {
		result = st.result
	}
	th.assignIn = result
	out, err := resultInto(st.resultPath, st.resultNull, raw, result)
	if err != nil {
		return nil, nil, asStateError(err)
	}
	out, err = th.exitWith(st, out)
	return out, th.next(st), err
}

func (th *thread) choice(st *state, raw any) (any, *state, error) {
	in, err := th.inputOf(st, raw)
	if err != nil {
		return nil, nil, asStateError(err)
	}
	th.assignIn = in
	var ctxObj any
	if st.usesContext {
		ctxObj = th.contextObject(st, th.enteredAt, 0, "")
	}
	next := st.defaultNext
	var ruleAssign *expr.Template
	for _, c := range st.choices {
		ok, err := c.rule.MatchContext(in, th.scope(ctxObj))
		if err != nil {
			return nil, nil, asStateError(err)
		}
		if ok {
			next, ruleAssign = c.next, c.assign
			break
		}
	}
	if next == nil {
		return nil, nil, &stateError{Name: ErrNoChoiceMatched, Cause: "No Matches!"}
	}
	if ruleAssign != nil { // the state's Assign applies too
		out, err := th.outputOf(st, in)
		if err != nil {
			return nil, nil, asStateError(err)
		}
		byState, err := th.evalAssign(st, st.assign)
		if err != nil {
			return nil, nil, err
		}
		byRule, err := th.evalAssign(st, ruleAssign)
		if err != nil {
			return nil, nil, err
		}
		out, err = th.exitAssigning(st, out, mergeAssigned(byState, byRule))
		return out, next, err
	}
	out, err := th.exitWith(st, in)
	return out, next, err
}

func (th *thread) wait(st *state, raw any, entered time.Time) (any, *state, error) {
	in, err := th.inputOf(st, raw)
	if err != nil {
		return nil, nil, asStateError(err)
	}
	var due time.Time
	switch {
	case st.hasSeconds:
		due = entered.Add(time.Duration(st.waitSeconds) * time.Second)
	case st.hasTimestamp:
		due = st.waitTimestamp
	case st.secondsPath != nil:
		v, err := th.pathIn(st.secondsPath, in, st, entered, 0, "SecondsPath")
		if err != nil {
			return nil, nil, asStateError(err)
		}
		secs, ok := nonNegativeInt(v)
		if !ok {
			return nil, nil, runtimeError("The SecondsPath parameter does not reference a valid non-negative integer value: " + string(mustEncode(v)))
		}
		due = entered.Add(time.Duration(secs) * time.Second)
	case st.timestampPath != nil:
		v, err := th.pathIn(st.timestampPath, in, st, entered, 0, "TimestampPath")
		if err != nil {
			return nil, nil, asStateError(err)
		}
		s, _ := v.(string)
		if due, err = time.Parse(time.RFC3339Nano, s); err != nil {
			return nil, nil, runtimeError("The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: " + string(mustEncode(v)))
		}
	}
	if due.Sub(entered) > maxWait || (st.hasSeconds || st.secondsPath != nil) && due.Before(entered) {
		return nil, nil, runtimeError("The Wait state '" + st.name + "' would wait until " + formatTime(due) +
			", beyond the maximum duration of an execution (one year)")
	}
	if err := th.sync(); err != nil {
		return nil, nil, err
	}
	if err := th.sleepUntil(due); err != nil {
		return nil, nil, err
	}
	th.assignIn = in
	out, err := th.exitWith(st, in)
	return out, th.next(st), err
}

// maxWait is the longest a Wait state may wait: an execution lasts at
// most one year on AWS.
const maxWait = 365 * 24 * time.Hour

// nonNegativeInt reads a JSON number that is a whole number ≥ 0.
func nonNegativeInt(v any) (int64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	i, err := n.Int64()
	if err != nil {
		f, ferr := n.Float64()
		if ferr != nil || f != math.Trunc(f) || f > math.MaxInt32 {
			return 0, false
		}
		i = int64(f)
	}
	return i, i >= 0
}

func (th *thread) fail(st *state, raw any, entered time.Time) error {
	se := &stateError{Name: st.errName, Cause: st.cause}
	var ctxObj any
	if st.usesContext {
		ctxObj = th.contextObject(st, entered, 0, "")
	}
	for _, f := range []struct {
		expr  *valueExpr
		field string
		dst   *string
	}{{st.errorExpr, "ErrorPath", &se.Name}, {st.causeExpr, "CausePath", &se.Cause}} {
		if f.expr == nil {
			continue
		}
		v, err := f.expr.eval(raw, th.scope(ctxObj), f.field)
		if err != nil {
			return asStateError(err)
		}
		s, ok := v.(string)
		if !ok {
			return runtimeError("The " + f.field + " of Fail state '" + st.name + "' must select a string, got " + string(mustEncode(v)))
		}
		*f.dst = s
	}
	return se
}

// failure is an attempt's failure; emit records it (with the retry delay
// chosen, so a resumed engine waits the same), or is nil when nothing is
// recorded for it (e.g. a path that failed before the task was
// scheduled).
type failure struct {
	se   *stateError
	emit func(meta *eventMeta) (*event, error)
}

func failed(err error) *failure { return &failure{se: asStateError(err)} }

// withRetry runs a Task, Parallel or Map state with its Retry and Catch.
func (th *thread) withRetry(st *state, raw any, entered time.Time) (any, *state, error) {
	var counts []int
	retries := 0
	for {
		var (
			out any
			f   *failure
			err error
		)
		switch st.kind {
		case kindTask:
			out, f, err = th.taskAttempt(st, raw, entered, retries)
		case kindParallel:
			out, f, err = th.parallelAttempt(st, raw, entered, retries)
		default:
			out, f, err = th.mapAttempt(st, raw, entered, retries)
		}
		if err != nil {
			return nil, nil, err
		}
		if f == nil {
			if st.jsonata != nil {
				out, err = th.jsonataResult(st, raw, out, entered, retries)
				return out, th.next(st), err
			}
			out, err = th.exit(st, out)
			if err == nil {
				return out, th.next(st), nil
			}
			var se *stateError
			if !errors.As(err, &se) || se.Name != ErrDataLimitExceeded {
				return out, th.next(st), err
			}
			// An output over the quota is the state's failure, which
			// its Catch handles as AWS does.
			f = &failure{se: se}
		}
		f.se = locate(f.se, st.name, th.enteredID)
		delay, retry := decideRetry(st, f.se, &counts, th.jitter(st))
		base := time.Time{}
		if f.emit != nil {
			ev, err := f.emit(&eventMeta{DelayMs: delay.Milliseconds()})
			if err != nil {
				return nil, nil, err
			}
			if !ev.live && ev.meta != nil && ev.meta.DelayMs > 0 {
				delay = time.Duration(ev.meta.DelayMs) * time.Millisecond
			}
			base = ev.time()
		}
		if retry {
			if base.IsZero() {
				base = th.x.e.now()
			}
			if err := th.sync(); err != nil {
				return nil, nil, err
			}
			if err := th.sleepUntil(base.Add(delay)); err != nil {
				return nil, nil, err
			}
			retries++
			continue
		}
		if f.se.Name == ErrRuntime {
			return nil, nil, f.se // AWS: always fails the execution
		}
		for i, c := range st.catch {
			if !f.se.matches(c.errorEquals) {
				continue
			}
			if st.jsonata != nil {
				out, err := th.jsonataCatch(st, i, raw, f.se, entered, retries)
				return out, c.next, err
			}
			out, err := resultInto(c.resultPath, c.resultNull, raw, f.se.errorOutput())
			if err != nil {
				return nil, nil, asStateError(err)
			}
			if c.assign != nil || st.assign != nil {
				th.assignIn = f.se.errorOutput()
				out, err = th.exitAssign(st, out, c.assign) // the state's own Assign does not apply
				return out, c.next, err
			}
			out, err = th.exit(st, out)
			return out, c.next, err
		}
		return nil, nil, f.se
	}
}

// maxRetryDelay bounds computed backoff so it cannot overflow.
const maxRetryDelay = 99999999 * time.Second

// decideRetry applies the first retrier whose ErrorEquals matches: it
// retries while that retrier has attempts left, after IntervalSeconds ×
// BackoffRate^n, capped by MaxDelaySeconds, and with FULL jitter a
// uniformly random delay between 0 and that.
func decideRetry(st *state, se *stateError, counts *[]int, jitter func(n int, max int64) int64) (time.Duration, bool) {
	if se.terminal() {
		return 0, false
	}
	for i, r := range st.retry {
		if !se.matches(r.errorEquals) {
			continue
		}
		if *counts == nil {
			*counts = make([]int, len(st.retry))
		}
		n := (*counts)[i]
		if n >= r.maxAttempts {
			return 0, false
		}
		(*counts)[i]++
		secs := float64(r.intervalSeconds) * math.Pow(r.backoffRate, float64(n))
		if r.maxDelaySeconds > 0 && secs > float64(r.maxDelaySeconds) {
			secs = float64(r.maxDelaySeconds)
		}
		d := maxRetryDelay
		if secs < maxRetryDelay.Seconds() {
			d = time.Duration(secs * float64(time.Second))
		}
		if r.jitterFull {
			d = time.Duration(jitter(n, int64(d)+1))
		}
		return d, true
	}
	return 0, false
}
