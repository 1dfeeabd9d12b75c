package engine

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/kaiban/kaiban/workflow/engine/expr"
	"github.com/kaiban/kaiban/workflow/engine/jsonata"
)

// ErrQueryEvaluation is a JSONata expression that failed or returned
// nothing where a value is needed.
const ErrQueryEvaluation = jsonata.ErrQueryEvaluation

// runJSONata runs a JSONata state: Task, Parallel and Map go through
// withRetry (which calls back into jsonataResult and jsonataCatch), the
// others are handled here.
func (th *thread) runJSONata(st *state, raw any, entered time.Time) (any, *state, error) {
	j := st.jsonata
	switch st.kind {
	case kindPass, kindSucceed:
		b := th.bindings(st, raw, entered, 0, "")
		out, err := th.jsonataFinish(st, b, raw, j.output, j.assign)
		return out, th.next(st), err
	case kindChoice:
		return th.jsonataChoice(st, raw, entered)
	case kindWait:
		return th.jsonataWait(st, raw, entered)
	case kindFail:
		return nil, nil, th.jsonataFail(st, raw, entered)
	}
	return th.withRetry(st, raw, entered)
}

// bindings is what the expressions of st see: $states.input, the context
// object as $states.context, and the variables in scope.
func (th *thread) bindings(st *state, input any, entered time.Time, retries int, token string) *jsonata.Bindings {
	states := []expr.Member{{Key: "input", Value: input}}
	if st.jsonata.usesContext {
		states = append(states, expr.Member{Key: "context", Value: th.contextObject(st, entered, retries, token)})
	}
	if th.jsonataCache == nil {
		th.jsonataCache = &jsonata.Cache{}
	}
	return &jsonata.Bindings{States: expr.NewObject(states), Vars: th.vars, Cache: th.jsonataCache}
}

// eval evaluates t, turning an evaluation failure into the state's
// error with AWS's prefix naming the state and the event it entered at.
func (th *thread) eval(st *state, t *jsonata.Template, b *jsonata.Bindings) (any, error) {
	v, err := t.Eval(b)
	if err != nil {
		return nil, th.queryError(st, err)
	}
	return v, nil
}

func (th *thread) queryError(st *state, err error) error {
	var je *jsonata.Error
	if !errors.As(err, &je) {
		return err
	}
	return &stateError{Name: je.Name, Cause: th.causePrefix(st) + je.Cause}
}

func (th *thread) causePrefix(st *state) string {
	return "An error occurred while executing the state '" + st.name + "' (entered at the event id #" + strconv.FormatInt(th.enteredID, 10) + "). "
}

// jsonataFinish evaluates Output (def when there is none) and Assign,
// both seeing the variables as they were when the state started, records
// the exit with the assignments, and then makes them visible.
func (th *thread) jsonataFinish(st *state, b *jsonata.Bindings, def any, output, assign *jsonata.Template) (any, error) {
	return th.jsonataFinishAssigning(st, b, def, output, assign, nil)
}

// jsonataFinishAssigning is jsonataFinish for a Choice state whose matched
// rule has an Assign of its own (ruleAssign): the state's Assign applies
// too, and the rule's value wins where both set a name.
func (th *thread) jsonataFinishAssigning(st *state, b *jsonata.Bindings, def any, output, assign, ruleAssign *jsonata.Template) (any, error) {
	out := def
	var err error
	if output != nil {
		if out, err = th.eval(st, output, b); err != nil {
			return nil, err
		}
	}
	assigned, err := th.jsonataAssigned(st, b, assign)
	if err != nil {
		return nil, err
	}
	byRule, err := th.jsonataAssigned(st, b, ruleAssign)
	if err != nil {
		return nil, err
	}
	return th.exitAssigning(st, out, mergeAssigned(assigned, byRule))
}

// jsonataAssigned evaluates an Assign field to the variables it sets (nil
// for no field).
func (th *thread) jsonataAssigned(st *state, b *jsonata.Bindings, assign *jsonata.Template) (*expr.Object, error) {
	if assign == nil {
		return nil, nil
	}
	v, err := th.eval(st, assign, b)
	if err != nil {
		return nil, err
	}
	m, ok := v.(*expr.Object)
	if !ok {
		return nil, &stateError{Name: ErrQueryEvaluation, Cause: th.causePrefix(st) + "The field 'Assign' must evaluate to a JSON object, got " + string(mustEncode(v))}
	}
	for _, name := range m.Keys() {
		if msg := variableNameProblem(name); msg != "" {
			return nil, &stateError{Name: ErrQueryEvaluation, Cause: th.causePrefix(st) + msg}
		}
	}
	return m, nil
}

// Variable size limits AWS documents: one variable, and everything one
// Assign sets, at most 256 KiB each; all the variables in scope at most
// 10 MiB.
const (
	maxVariableBytes      = 256 * 1024
	maxTotalVariableBytes = 10 * 1024 * 1024
)

// exitAssigning records the state's exit with its output and the
// variables it assigned (AWS's assignedVariables), then applies them to
// the thread's scope. A resumed thread takes both from the record.
func (th *thread) exitAssigning(st *state, out any, assigned *expr.Object) (any, error) {
	if assigned.Len() > 0 && len(th.replay) == 0 {
		total := 0
		for _, m := range assigned.Members() {
			name := m.Key
			n := jsonSize(m.Value, maxVariableBytes+1)
			if n > maxVariableBytes {
				return nil, &stateError{Name: ErrDataLimitExceeded, Cause: th.causePrefix(st) + "The variable '" + name + "' has a size exceeding the maximum number of bytes service limit."}
			}
			total += n
		}
		if total > maxVariableBytes {
			return nil, &stateError{Name: ErrDataLimitExceeded, Cause: th.causePrefix(st) + "The variables assigned by the state have a total size exceeding the maximum number of bytes service limit."}
		}
		if th.varsBytesAfter(assigned) > maxTotalVariableBytes {
			return nil, &stateError{Name: ErrDataLimitExceeded, Cause: th.causePrefix(st) + "The variables in scope would have a total size exceeding the maximum number of bytes service limit."}
		}
	}
	if max := th.x.e.maxPayload; jsonSize(out, max) > max {
		return nil, &stateError{Name: ErrDataLimitExceeded, Cause: "The state/task '" + st.name + "' returned a result with a size exceeding the maximum number of bytes service limit."}
	}
	ev, err := th.emit(exitedType[st.kind], details{st: st, payload: out, assigned: assigned}, nil)
	if err != nil {
		return nil, err
	}
	if !ev.live {
		r, err := ev.recorded()
		if err != nil {
			return nil, errDiverged
		}
		if out, err = recordedValue(r.Output); err != nil {
			return nil, err
		}
		assigned = nil
		names := make([]string, 0, len(r.AssignedVariables))
		for name := range r.AssignedVariables {
			names = append(names, name)
		}
		slices.Sort(names)
		ms := make([]expr.Member, 0, len(names))
		for _, name := range names {
			v, err := recordedValue(r.AssignedVariables[name])
			if err != nil {
				return nil, err
			}
			ms = append(ms, expr.Member{Key: name, Value: v})
		}
		if len(ms) > 0 {
			assigned = expr.NewObject(ms)
		}
	}
	th.assign(assigned)
	return out, nil
}

// assign sets variables in the thread's scope. The object is copied,
// never changed in place: child threads and earlier bindings share the
// old one.
func (th *thread) assign(assigned *expr.Object) {
	if assigned.Len() == 0 {
		return
	}
	th.varsBytes = th.varsBytesAfter(assigned)
	if th.vars.Len() == 0 {
		th.vars = assigned
		return
	}
	ms := make([]expr.Member, 0, th.vars.Len()+assigned.Len())
	ms = append(ms, th.vars.Members()...)
	th.vars = expr.NewObject(append(ms, assigned.Members()...))
}

// varsBytesAfter is the JSON size of the variables in scope once
// assigned is applied, counted from the running total so that an Assign
// costs what it sets, not what the scope holds.
func (th *thread) varsBytesAfter(assigned *expr.Object) int {
	total := th.varsBytes
	for _, m := range assigned.Members() {
		if old, ok := th.vars.Get(m.Key); ok {
			total -= jsonSize(old, maxTotalVariableBytes+1)
		}
		total += jsonSize(m.Value, maxTotalVariableBytes+1)
	}
	return total
}

func (th *thread) jsonataChoice(st *state, raw any, entered time.Time) (any, *state, error) {
	j := st.jsonata
	b := th.bindings(st, raw, entered, 0, "")
	next, output := st.defaultNext, j.output
	var ruleAssign *jsonata.Template
	for i, c := range j.choices {
		v, err := th.eval(st, c.condition, b)
		if err != nil {
			return nil, nil, err
		}
		ok, isBool := v.(bool)
		if !isBool {
			return nil, nil, &stateError{Name: ErrQueryEvaluation, Cause: th.causePrefix(st) + fmt.Sprintf("The Condition of Choices[%d] must evaluate to true or false, got %s", i, mustEncode(v))}
		}
		if ok {
			next = st.choices[i].next
			if c.output != nil {
				output = c.output
			}
			ruleAssign = c.assign
			break
		}
	}
	if next == nil {
		return nil, nil, &stateError{Name: ErrNoChoiceMatched, Cause: "No Matches!"}
	}
	out, err := th.jsonataFinishAssigning(st, b, raw, output, j.assign, ruleAssign)
	return out, next, err
}

func (th *thread) jsonataWait(st *state, raw any, entered time.Time) (any, *state, error) {
	j := st.jsonata
	b := th.bindings(st, raw, entered, 0, "")
	var due time.Time
	if j.seconds != nil {
		v, err := th.eval(st, j.seconds, b)
		if err != nil {
			return nil, nil, err
		}
		secs, ok := nonNegativeInt(v)
		if !ok {
			return nil, nil, &stateError{Name: ErrQueryEvaluation, Cause: th.causePrefix(st) + "The Seconds field must evaluate to a non-negative integer, got " + string(mustEncode(v))}
		}
		due = entered.Add(time.Duration(secs) * time.Second)
	} else {
		v, err := th.eval(st, j.timestamp, b)
		if err != nil {
			return nil, nil, err
		}
		s, _ := v.(string)
		if due, err = time.Parse(time.RFC3339Nano, s); err != nil {
			return nil, nil, &stateError{Name: ErrQueryEvaluation, Cause: th.causePrefix(st) + "The Timestamp field must evaluate to an ISO-8601 extended offset date-time format string, got " + string(mustEncode(v))}
		}
	}
	if err := th.sync(); err != nil {
		return nil, nil, err
	}
	if err := th.sleepUntil(due); err != nil {
		return nil, nil, err
	}
	out, err := th.jsonataFinish(st, b, raw, j.output, j.assign)
	return out, th.next(st), err
}

func (th *thread) jsonataFail(st *state, raw any, entered time.Time) error {
	j := st.jsonata
	b := th.bindings(st, raw, entered, 0, "")
	se := &stateError{}
	for _, f := range []struct {
		t     *jsonata.Template
		field string
		dst   *string
	}{{j.errName, "Error", &se.Name}, {j.cause, "Cause", &se.Cause}} {
		if f.t == nil {
			continue
		}
		v, err := th.eval(st, f.t, b)
		if err != nil {
			return err
		}
		s, ok := v.(string)
		if !ok {
			return &stateError{Name: ErrQueryEvaluation, Cause: th.causePrefix(st) + "The " + f.field + " field must evaluate to a string, got " + string(mustEncode(v))}
		}
		*f.dst = s
	}
	return se
}

// jsonataArguments evaluates a Task's or Parallel's Arguments: the state
// input when there are none.
func (th *thread) jsonataArguments(st *state, raw any, entered time.Time, retries int, token string) (any, error) {
	if st.jsonata.arguments == nil {
		return raw, nil
	}
	return th.eval(st, st.jsonata.arguments, th.bindings(st, raw, entered, retries, token))
}

// jsonataTaskInput evaluates a Task's Arguments, TimeoutSeconds and
// HeartbeatSeconds.
func (th *thread) jsonataTaskInput(st *state, raw any, entered time.Time, retries int, token string) (in any, timeout, heartbeat int, err error) {
	j := st.jsonata
	b := th.bindings(st, raw, entered, retries, token)
	for _, f := range []struct {
		t     *jsonata.Template
		field string
		dst   *int
	}{{j.timeout, "TimeoutSeconds", &timeout}, {j.heartbeat, "HeartbeatSeconds", &heartbeat}} {
		if f.t == nil {
			continue
		}
		v, err := th.eval(st, f.t, b)
		if err != nil {
			return nil, 0, 0, err
		}
		n, ok := nonNegativeInt(v)
		if !ok || n < 1 || n > 99999999 {
			return nil, 0, 0, &stateError{Name: ErrQueryEvaluation, Cause: th.causePrefix(st) + "The " + f.field + " field must evaluate to a positive integer, got " + string(mustEncode(v))}
		}
		*f.dst = int(n)
	}
	if heartbeat > 0 && timeout > 0 && heartbeat >= timeout {
		return nil, 0, 0, runtimeError("HeartbeatSeconds must be smaller than TimeoutSeconds")
	}
	in = raw
	if j.arguments != nil {
		if in, err = th.eval(st, j.arguments, b); err != nil {
			return nil, 0, 0, err
		}
	}
	return in, timeout, heartbeat, nil
}

// jsonataMapInput evaluates a Map's Items (the state input when absent)
// and MaxConcurrency (limit < 0 when absent).
func (th *thread) jsonataMapInput(st *state, raw any, entered time.Time, retries int) (items any, limit int, err error) {
	j := st.jsonata
	b := th.bindings(st, raw, entered, retries, "")
	items, limit = raw, -1
	if j.items != nil {
		if items, err = th.eval(st, j.items, b); err != nil {
			return nil, 0, err
		}
	}
	if _, ok := items.([]any); !ok {
		return nil, 0, &stateError{Name: ErrQueryEvaluation, Cause: th.causePrefix(st) + "The Items field must evaluate to a JSON array, got " + string(mustEncode(items))}
	}
	if limit, err = th.jsonataMaxConcurrency(st, b); err != nil {
		return nil, 0, err
	}
	return items, limit, nil
}

// jsonataMaxConcurrency evaluates a Map's MaxConcurrency (-1 when absent).
func (th *thread) jsonataMaxConcurrency(st *state, b *jsonata.Bindings) (int, error) {
	if st.jsonata.maxConcurrency == nil {
		return -1, nil
	}
	v, err := th.eval(st, st.jsonata.maxConcurrency, b)
	if err != nil {
		return 0, err
	}
	n, ok := nonNegativeInt(v)
	if !ok {
		return 0, &stateError{Name: ErrQueryEvaluation, Cause: th.causePrefix(st) + "The MaxConcurrency field must evaluate to a non-negative integer, got " + string(mustEncode(v))}
	}
	return int(n), nil
}

// jsonataTolerance evaluates a JSONata Map's ToleratedFailureCount and
// ToleratedFailurePercentage expressions into t.
func (th *thread) jsonataTolerance(st *state, t tolerance, raw any, entered time.Time, retries int) (tolerance, error) {
	j := st.jsonata
	if j.toleratedCount == nil && j.toleratedPct == nil {
		return t, nil
	}
	b := th.bindings(st, raw, entered, retries, "")
	if j.toleratedCount != nil {
		v, err := th.eval(st, j.toleratedCount, b)
		if err != nil {
			return t, err
		}
		n, ok := nonNegativeInt(v)
		if !ok {
			return t, &stateError{Name: ErrQueryEvaluation, Cause: th.causePrefix(st) + "The ToleratedFailureCount field must evaluate to a non-negative integer, got " + string(mustEncode(v))}
		}
		t.count, t.hasCount = int(n), true
	}
	if j.toleratedPct != nil {
		v, err := th.eval(st, j.toleratedPct, b)
		if err != nil {
			return t, err
		}
		f, ok := percentage(v)
		if !ok {
			return t, &stateError{Name: ErrQueryEvaluation, Cause: th.causePrefix(st) + "The ToleratedFailurePercentage field must evaluate to a number between 0 and 100, got " + string(mustEncode(v))}
		}
		t.pct, t.hasPct = f, true
	}
	return t, nil
}

// jsonataItemInput evaluates ItemSelector for one item, with
// $states.context.Map.Item set; without ItemSelector the item is the
// input.
func (th *thread) jsonataItemInput(st *state, in, item any, index int, entered time.Time, retries int) (any, error) {
	if st.jsonata.itemSelector == nil {
		return item, nil
	}
	th.item = &mapItem{index: index, value: item}
	b := th.bindings(st, in, entered, retries, "")
	th.item = nil
	return th.eval(st, st.jsonata.itemSelector, b)
}

// jsonataResult finishes a Task, Parallel or Map that succeeded: Output
// (the result when absent) and Assign see $states.result.
func (th *thread) jsonataResult(st *state, raw, result any, entered time.Time, retries int) (any, error) {
	b := th.bindings(st, raw, entered, retries, "")
	b.States = b.States.With("result", result)
	return th.jsonataFinish(st, b, result, st.jsonata.output, st.jsonata.assign)
}

// jsonataCatch finishes a state whose error catcher i caught: the
// catcher's Output (the error output when absent) and Assign see
// $states.errorOutput; the state's own Output and Assign do not apply.
func (th *thread) jsonataCatch(st *state, i int, raw any, se *stateError, entered time.Time, retries int) (any, error) {
	b := th.bindings(st, raw, entered, retries, "")
	errOut := se.errorOutput()
	b.States = b.States.With("errorOutput", errOut)
	c := st.jsonata.catch[i]
	return th.jsonataFinish(st, b, errOut, c.output, c.assign)
}
