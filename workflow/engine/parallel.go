package engine

import (
	"errors"
	"time"
)

// parallelAttempt runs one attempt of a Parallel state: every branch on
// the same effective input, concurrently; the result is the array of
// their outputs. One failing branch cancels the others and the state
// fails with that branch's error.
func (th *thread) parallelAttempt(st *state, raw any, entered time.Time, retries int) (any, *failure, error) {
	in, err := th.inputOf(st, raw)
	if err != nil {
		return nil, failed(err), nil
	}
	var ctxObj any
	if st.usesContext {
		ctxObj = th.contextObject(st, entered, retries, "")
	}
	if st.parameters != nil {
		if in, err = st.parameters.Eval(in, th.scope(ctxObj)); err != nil {
			return nil, failed(err), nil
		}
	}
	if st.jsonata != nil {
		if in, err = th.jsonataArguments(st, raw, entered, retries, ""); err != nil {
			return nil, failed(err), nil
		}
	}
	started, err := th.emit(evParallelStarted, details{}, nil)
	if err != nil {
		return nil, nil, err
	}
	if f := th.recordedFanOutFailure(evParallelFailed); f != nil {
		return nil, f, nil
	}
	results := make([]any, len(st.branches))
	err = th.fanOut(len(st.branches), 0, started.id, func(child *thread, i int) error {
		out, err := child.run(st.branches[i], in)
		results[i] = out
		return err
	})
	if f, err := th.fanOutFailure(err, evParallelFailed); f != nil || err != nil {
		return nil, f, err
	}
	if _, err := th.emit(evParallelSucceeded, details{}, nil); err != nil {
		return nil, nil, err
	}
	out, err := th.finishResult(st, raw, results, th.scope(ctxObj))
	if err != nil {
		return nil, failed(err), nil
	}
	return out, nil, nil
}

// recordedFanOutFailure returns, when resuming, the recorded failure of a
// Parallel or Map whose children were cancelled part-way: they are not
// run again.
func (th *thread) recordedFanOutFailure(evType string) *failure {
	rec := th.peek()
	if rec == nil || rec.typ != evType {
		return nil
	}
	se := &stateError{Name: ErrRuntime, Cause: executionDivergedCause}
	if rec.meta != nil {
		se = &stateError{Name: rec.meta.Error, Cause: rec.meta.Cause}
	}
	return &failure{se: se, emit: func(meta *eventMeta) (*event, error) { return th.emit(evType, details{}, meta) }}
}

// fanOutFailure turns fanOut's error into the state's failure (recorded
// as evType, with the error kept for resuming) or an abort.
func (th *thread) fanOutFailure(err error, evType string) (*failure, error) {
	if err == nil {
		return nil, nil
	}
	var se *stateError
	if !errors.As(err, &se) {
		return nil, err
	}
	return &failure{se: se, emit: func(meta *eventMeta) (*event, error) {
		meta.Error, meta.Cause = se.Name, se.Cause
		return th.emit(evType, details{err: se}, meta)
	}}, nil
}
