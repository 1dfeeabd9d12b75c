package engine

import (
	"time"

	"github.com/kaiban/kaiban/workflow/engine/expr"
	"github.com/kaiban/kaiban/workflow/engine/jsonata"
)

// A distributed Map in a JSONata state writes ItemReader and ResultWriter
// with Arguments instead of Parameters, and its counts (MaxItems,
// MaxItemsPerBatch, MaxInputBytesPerBatch) and BatchInput as literals or
// expressions; the expressions see $states.input as the state input.

// jsonataReadItems runs a JSONata distributed Map's ItemReader and
// evaluates MaxConcurrency (limit < 0 when absent).
func (th *thread) jsonataReadItems(st *state, raw any, entered time.Time, retries int) (items []any, limit int, err error) {
	r := st.dist.reader
	b := th.bindings(st, raw, entered, retries, "")
	params, err := th.jsonataArgs(st, r.jArgs, b, "ItemReader")
	if err != nil {
		return nil, 0, err
	}
	max := r.maxItems
	if r.jMaxItems != nil {
		if max, err = th.jsonataCount(st, r.jMaxItems, b, "MaxItems", 0); err != nil {
			return nil, 0, err
		}
	}
	items, se := th.x.e.readItemsWith(r, params, max)
	if se != nil {
		return nil, 0, se
	}
	limit, err = th.jsonataMaxConcurrency(st, b)
	return items, limit, err
}

// jsonataBatchSettings evaluates a JSONata ItemBatcher's counts and
// BatchInput (nil when absent).
func (th *thread) jsonataBatchSettings(st *state, in any, entered time.Time, retries int) (maxItems, maxBytes int, batchInput any, err error) {
	bt := st.dist.batcher
	b := th.bindings(st, in, entered, retries, "")
	maxItems, maxBytes = bt.maxItems, bt.maxBytes
	if bt.jMaxItems != nil {
		if maxItems, err = th.jsonataCount(st, bt.jMaxItems, b, "MaxItemsPerBatch", 1); err != nil {
			return 0, 0, nil, err
		}
	}
	if bt.jMaxBytes != nil {
		if maxBytes, err = th.jsonataCount(st, bt.jMaxBytes, b, "MaxInputBytesPerBatch", 1); err != nil {
			return 0, 0, nil, err
		}
	}
	if bt.jBatchInput != nil {
		if batchInput, err = th.eval(st, bt.jBatchInput, b); err != nil {
			return 0, 0, nil, err
		}
	}
	return maxItems, maxBytes, batchInput, nil
}

// jsonataArgs evaluates the Arguments of an ItemReader or ResultWriter,
// which must be an object.
func (th *thread) jsonataArgs(st *state, t *jsonata.Template, b *jsonata.Bindings, field string) (*expr.Object, error) {
	v, err := th.eval(st, t, b)
	if err != nil {
		return nil, err
	}
	o, ok := v.(*expr.Object)
	if !ok {
		return nil, &stateError{Name: ErrQueryEvaluation, Cause: th.causePrefix(st) + "The " + field + " Arguments field must evaluate to a JSON object, got " + string(mustEncode(v))}
	}
	return o, nil
}

// jsonataCount evaluates a count expression to an integer at least min.
func (th *thread) jsonataCount(st *state, t *jsonata.Template, b *jsonata.Bindings, field string, min int) (int, error) {
	v, err := th.eval(st, t, b)
	if err != nil {
		return 0, err
	}
	n, ok := nonNegativeInt(v)
	if !ok || int(n) < min {
		what := "a non-negative integer"
		if min > 0 {
			what = "a positive integer"
		}
		return 0, &stateError{Name: ErrQueryEvaluation, Cause: th.causePrefix(st) + "The " + field + " field must evaluate to " + what + ", got " + string(mustEncode(v))}
	}
	return int(n), nil
}
