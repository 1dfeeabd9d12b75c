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
	var items []any
	jsonataLimit := -1
	switch {
	case st.dist != nil && st.dist.reader != nil && st.jsonata != nil:
		if items, jsonataLimit, err = th.jsonataReadItems(st, raw, entered, retries); err != nil {
			return nil, failed(err), nil
		}
	case st.dist != nil && st.dist.reader != nil:
		var se *stateError
		if items, se = th.x.e.readItems(st.dist.reader, in, th.scope(th.contextObject(st, entered, retries, ""))); se != nil {
			return nil, &failure{se: se}, nil
		}
	case st.jsonata != nil:
		var itemsV any
		if itemsV, jsonataLimit, err = th.jsonataMapInput(st, raw, entered, retries); err != nil {
			return nil, failed(err), nil
		}
		items = itemsV.([]any)
	default:
		itemsV := in
		if st.itemsPath != nil {
			if itemsV, err = th.pathIn(st.itemsPath, in, st, entered, retries, "ItemsPath"); err != nil {
				return nil, failed(err), nil
			}
		}
		var ok bool
		if items, ok = itemsV.([]any); !ok {
			return nil, failed(runtimeError("Map state '" + st.name + "': ItemsPath must select a JSON array, got " + string(mustEncode(itemsV)))), nil
		}
	}
	selector := true
	if st.dist != nil && st.dist.batcher != nil {
		var se *stateError
		if items, se = th.batchItems(st, in, items, entered, retries); se != nil {
			return nil, &failure{se: se}, nil
		}
		selector = false // applied to each item while batching
	}
	tol, se := th.tolerance(st, in)
	if se != nil {
		return nil, &failure{se: se}, nil
	}
	if st.jsonata != nil {
		if tol, err = th.jsonataTolerance(st, tol, raw, entered, retries); err != nil {
			return nil, failed(err), nil
		}
	}
	evStarted, evSucceeded, evFailed := evMapStarted, evMapSucceeded, evMapFailed
	var run *mapRun
	if st.dist != nil {
		evStarted, evSucceeded, evFailed = evMapRunStarted, evMapRunSucceeded, evMapRunFailed
		run = th.newMapRun(st)
	}
	limit := st.maxConcurrency
	if st.maxConcurrencyPath != nil {
		v, err := th.pathIn(st.maxConcurrencyPath, in, st, entered, retries, "MaxConcurrencyPath")
		if err != nil {
			return nil, failed(err), nil
		}
		n, ok := nonNegativeInt(v)
		if !ok {
			return nil, failed(runtimeError("MaxConcurrencyPath must select a non-negative integer, got " + string(mustEncode(v)))), nil
		}
		limit = int(n)
	}
	if jsonataLimit >= 0 {
		limit = jsonataLimit
	}
	if limit == 0 {
		limit = inlineMapConcurrency
	}
	d := details{n1: int32(len(items))}
	if run != nil {
		d.err = &stateError{Cause: run.arn}
	}
	started, err := th.emit(evStarted, d, nil)
	if err != nil {
		return nil, nil, err
	}
	if f := th.recordedFanOutFailure(evFailed); f != nil {
		return nil, f, nil
	}
	tolerant := tol.hasCount || tol.hasPct
	var (
		mu       sync.Mutex
		failures int
	)
	results := make([]any, len(items))
	failedItems := make([]*stateError, len(items))
	err = th.fanOut(len(items), limit, started.id, func(child *thread, i int) error {
		d := &details{st: st, n1: int32(i)}
		if _, err := child.emit(evMapIterationStarted, *d, nil); err != nil {
			return err
		}
		out, err := child.iteration(st, in, items[i], i, entered, retries, selector)
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
		failedItems[i] = se
		if !tolerant {
			return se
		}
		results[i] = se.errorOutput()
		mu.Lock()
		failures++
		n := failures
		mu.Unlock()
		if (tol.hasCount && n > tol.count) ||
			(tol.hasPct && float64(n)*100/float64(len(items)) > tol.pct) {
			return &stateError{Name: ErrExceedToleratedFailureThresh, Cause: "The specified tolerated failure threshold was exceeded"}
		}
		return nil
	})
	if f, err := th.fanOutFailure(err, evFailed); f != nil || err != nil {
		return nil, f, err
	}
	var ctxObj any
	if st.usesContext || (st.dist != nil && st.dist.writer != nil) {
		ctxObj = th.contextObject(st, entered, retries, "")
	}
	var result any = results
	if st.dist != nil && st.dist.writer != nil && !st.dist.writer.toS3 {
		result = th.previewResults(st, run, items, results, failedItems, entered)
	} else if st.dist != nil && st.dist.writer != nil {
		var se *stateError
		if result, se = th.writeResults(st, run, in, ctxObj, items, results, failedItems, entered, retries); se != nil {
			return nil, &failure{se: se}, nil
		}
	}
	if _, err := th.emit(evSucceeded, details{}, nil); err != nil {
		return nil, nil, err
	}
	out, err := th.finishResult(st, raw, result, th.scope(ctxObj))
	if err != nil {
		return nil, failed(err), nil
	}
	return out, nil, nil
}

// iteration runs the item processor for one item; ItemSelector (or
// Parameters) builds its input from the Map's effective input and
// $$.Map.Item.
func (th *thread) iteration(st *state, in, item any, index int, entered time.Time, retries int, selector bool) (any, error) {
	if st.jsonata != nil {
		input := item
		if selector {
			var err error
			if input, err = th.jsonataItemInput(st, in, item, index, entered, retries); err != nil {
				return nil, asStateError(err)
			}
		}
		return th.run(st.processor, input)
	}
	input := item
	if selector && st.itemSelector != nil {
		var ctxObj any
		if st.usesContext {
			th.item = &mapItem{index: index, value: item}
			ctxObj = th.contextObject(st, entered, retries, "")
			th.item = nil
		}
		var err error
		if input, err = st.itemSelector.Eval(in, th.scope(ctxObj)); err != nil {
			return nil, asStateError(err)
		}
	}
	return th.run(st.processor, input)
}
