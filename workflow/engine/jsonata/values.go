package jsonata

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"slices"
	"strconv"
)

// This file is the one place that knows how the engine represents JSON
// values (decoded with json.Number, objects as map[string]any, arrays as
// []any): it walks and builds them for templates, and converts them to
// and from the values the evaluator works with (numbers as float64).

// objectEntries returns an engine object's keys (in the order outputs
// keep) and values; ok is false for anything else.
func objectEntries(v any) (keys []string, vals []any, ok bool) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, nil, false
	}
	keys = make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	vals = make([]any, len(keys))
	for i, k := range keys {
		vals[i] = m[k]
	}
	return keys, vals, true
}

// arrayItems returns an engine array's elements.
func arrayItems(v any) ([]any, bool) {
	a, ok := v.([]any)
	return a, ok
}

// newObject builds an engine object from a template's keys and values.
func newObject(keys []string, vals []any) any {
	m := make(map[string]any, len(keys))
	for i, k := range keys {
		m[k] = vals[i]
	}
	return m
}

// newArray builds an engine array.
func newArray(vals []any) any { return vals }

// toJSONata converts an engine value for evaluation. Objects and arrays
// are copied only when they hold numbers to convert.
func toJSONata(v any) any {
	switch x := v.(type) {
	case nil:
		return jsonNull
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return string(x)
		}
		return f
	case map[string]any:
		var out map[string]any
		for k, e := range x {
			c := toJSONata(e)
			if out == nil && !same(c, e) {
				out = make(map[string]any, len(x))
				for k2, e2 := range x {
					out[k2] = e2
				}
			}
			if out != nil {
				out[k] = c
			}
		}
		if out == nil {
			return x
		}
		return out
	case []any:
		var out []any
		for i, e := range x {
			c := toJSONata(e)
			if out == nil && !same(c, e) {
				out = make([]any, len(x))
				copy(out, x)
			}
			if out != nil {
				out[i] = c
			}
		}
		if out == nil {
			return x
		}
		return out
	}
	return v
}

// same reports whether conversion left a value as it was: scalars compare
// by value, objects and arrays by identity.
func same(a, b any) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		return ok && reflect.ValueOf(x).UnsafePointer() == reflect.ValueOf(y).UnsafePointer()
	case []any:
		y, ok := b.([]any)
		return ok && len(x) == len(y) && (len(x) == 0 || &x[0] == &y[0])
	}
	if !reflect.TypeOf(a).Comparable() {
		return true // Go-built values the converter leaves alone
	}
	return a == b
}

// jsonNull is how the evaluator represents JSON null: a nil interface
// inside its data would read as a missing value.
var jsonNull = (*any)(nil)

// errNotJSON is returned for results JSON cannot hold (functions, NaN,
// infinities).
var errNotJSON = errors.New("the result is not a JSON value")

// fromJSONata converts an evaluation result to an engine value.
func fromJSONata(v any) (any, error) {
	switch x := v.(type) {
	case nil, string, bool, json.Number:
		return x, nil
	case float64:
		return number(x)
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			c, err := fromJSONata(e)
			if err != nil {
				return nil, err
			}
			out[k] = c
		}
		return out, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			c, err := fromJSONata(e)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	}
	return fromReflect(reflect.ValueOf(v))
}

// fromReflect handles the typed values the evaluator sometimes returns
// ([]string, map[string]string, ints, pointers).
func fromReflect(rv reflect.Value) (any, error) {
	for rv.IsValid() && (rv.Kind() == reflect.Interface || rv.Kind() == reflect.Pointer) {
		if rv.IsNil() {
			return nil, nil
		}
		rv = rv.Elem()
	}
	if !rv.IsValid() {
		return nil, nil
	}
	switch rv.Kind() {
	case reflect.String:
		return rv.String(), nil
	case reflect.Bool:
		return rv.Bool(), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return json.Number(strconv.FormatInt(rv.Int(), 10)), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return json.Number(strconv.FormatUint(rv.Uint(), 10)), nil
	case reflect.Float32, reflect.Float64:
		return number(rv.Float())
	case reflect.Slice, reflect.Array:
		out := make([]any, rv.Len())
		for i := range out {
			c, err := fromReflect(rv.Index(i))
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	case reflect.Map:
		if rv.Type().Key().Kind() != reflect.String {
			return nil, errNotJSON
		}
		out := make(map[string]any, rv.Len())
		it := rv.MapRange()
		for it.Next() {
			c, err := fromReflect(it.Value())
			if err != nil {
				return nil, err
			}
			out[it.Key().String()] = c
		}
		return out, nil
	}
	return nil, errNotJSON
}

// number formats f as JavaScript's JSON.stringify does (as Go's
// encoding/json does too): plain notation from 1e-6 up to 1e21.
func number(f float64) (any, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, errNotJSON
	}
	if f == 0 {
		return json.Number("0"), nil
	}
	format := byte('f')
	if abs := math.Abs(f); abs < 1e-6 || abs >= 1e21 {
		format = 'e'
	}
	b := strconv.AppendFloat(make([]byte, 0, 24), f, format, -1, 64)
	if format == 'e' {
		// e-07 → e-7, as JavaScript writes it
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return json.Number(b), nil
}
