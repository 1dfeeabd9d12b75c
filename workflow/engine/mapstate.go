package engine

import (
	"sync"
	"time"
)

// inlineMapConcurrency is the most iterations an inline Map runs at once
// when MaxConcurrency is 0, as in AWS.
const inlineMapConcurrency = 40

// mapAttempt runs one attempt of an inline Map state.
func (th *thread) mapAttempt(st *state, raw any, entered time.Time, retries int) (any, *failure, error) {
	in, err := th.inputOf(st, raw)
	if err != nil {
		return nil, failed(err), nil
	}
	itemsV := in
	if st.itemsPath != nil {
		if itemsV, err = st.itemsPath.Get(in, "ItemsPath"); err != nil {
			return nil, failed(err), nil
		}
	}
	items, ok := itemsV.([]any)
	if !ok {
		return nil, failed(runtimeError("Map state '" + st.name + "': ItemsPath must select a JSON array, got " + string(mustEncode(itemsV)))), nil
	}
	limit := st.maxConcurrency
	if st.maxConcurrencyPath != nil {
		v, err := st.maxConcurrencyPath.Get(in, "MaxConcurrencyPath")
		if err != nil {
			return nil, failed(err), nil
		}
		n, ok := nonNegativeInt(v)
		if !ok {
			return nil, failed(runtimeError("MaxConcurrencyPath must select a non-negative integer, got " + string(mustEncode(v)))), nil
		}
		limit = int(n)
	}
	if limit == 0 {
		limit = inlineMapConcurrency
	}
	started, err := th.emit(evMapStarted, details{n1: int32(len(items))}, nil)
	if err != nil {
		return nil, nil, err
	}
	if f := th.recordedFanOutFailure(evMapFailed); f != nil {
		return nil, f, nil
	}
	tolerant := st.hasToleratedCount || st.hasToleratedPct
	var (
		mu       sync.Mutex
		failures int
	)
	results := make([]any, len(items))
	err = th.fanOut(len(items), limit, started.id, func(child *thread, i int) error {
		d := &details{st: st, n1: int32(i)}
		if _, err := child.emit(evMapIterationStarted, *d, nil); err != nil {
			return err
		}
		out, err := child.iteration(st, in, items[i], i, entered, retries)
		se, isFailure := err.(*stateError)
		switch {
		case err == nil:
			if _, err := child.emit(evMapIterationSucceeded, *d, nil); err != nil {
				return err
			}
			results[i] = out
			return nil
		case !isFailure:
			return err
		}
		if _, err := child.emit(evMapIterationFailed, *d, nil); err != nil {
			return err
		}
		if !tolerant {
			return se
		}
		results[i] = se.errorOutput()
		mu.Lock()
		failures++
		n := failures
		mu.Unlock()
		if (st.hasToleratedCount && n > st.toleratedCount) ||
			(st.hasToleratedPct && float64(n)*100/float64(len(items)) > st.toleratedPercent) {
			return &stateError{Name: ErrExceedToleratedFailureThresh, Cause: "The specified tolerated failure threshold was exceeded"}
		}
		return nil
	})
	if f, err := th.fanOutFailure(err, evMapFailed); f != nil || err != nil {
		return nil, f, err
	}
	if _, err := th.emit(evMapSucceeded, details{}, nil); err != nil {
		return nil, nil, err
	}
	var ctxObj any
	if st.usesContext {
		ctxObj = th.contextObject(st, entered, retries, "")
	}
	out, err := th.finishResult(st, raw, results, ctxObj)
	if err != nil {
		return nil, failed(err), nil
	}
	return out, nil, nil
}

// iteration runs the item processor for one item; ItemSelector (or
// Parameters) builds its input from the Map's effective input and
// $$.Map.Item.
func (th *thread) iteration(st *state, in, item any, index int, entered time.Time, retries int) (any, error) {
	input := item
	if st.itemSelector != nil {
		var ctxObj any
		if st.usesContext {
			th.item = &mapItem{index: index, value: item}
			ctxObj = th.contextObject(st, entered, retries, "")
			th.item = nil
		}
		var err error
		if input, err = st.itemSelector.Eval(in, ctxObj); err != nil {
			return nil, asStateError(err)
		}
	}
	return th.run(st.processor, input)
}
