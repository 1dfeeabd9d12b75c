package jsonata

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"slices"
	"strconv"

	blues "github.com/blues/jsonata-go"
	"github.com/blues/jsonata-go/jlib"
	"github.com/blues/jsonata-go/jtypes"
)

// evalOrder is what the evaluation in progress knows of key order: the
// objects it converted (whose maps it can recognise) and its object
// constructors. evalSafely sets it under evalMu, so the functions below,
// which the evaluator calls during that evaluation, read it safely.
var evalOrder struct {
	conv  *converter
	ctors [][]string
}

// The functions that walk an object's keys, replaced so that they walk
// them in the object's order (JSONata keeps insertion order; the
// evaluator's objects are Go maps): $keys, $each and $spread.
func init() {
	if err := blues.RegisterExts(map[string]blues.Extension{
		"keys":   {Func: orderedKeysFn, UndefinedHandler: jtypes.ArgUndefined(0), EvalContextHandler: jtypes.ArgCountEquals(0)},
		"each":   {Func: orderedEach, UndefinedHandler: jtypes.ArgUndefined(0), EvalContextHandler: eachContext},
		"spread": {Func: orderedSpread, UndefinedHandler: jtypes.ArgUndefined(0), EvalContextHandler: jtypes.ArgCountEquals(0)},
	}); err != nil {
		panic(err)
	}
}

// orderedKeys are m's keys in order: an object of the input's own order,
// else the order values.go gives an expression's result (the inputs' key
// order, then the constructors', then sorted).
func orderedKeys(m map[string]any) []string {
	c := evalOrder.conv
	if c != nil && c.made != nil {
		if o, ok := c.made[reflect.ValueOf(m).UnsafePointer()]; ok && o.Len() == len(m) {
			keys := make([]string, 0, len(m))
			for _, mem := range o.Members() {
				keys = append(keys, mem.Key)
			}
			return keys
		}
	}
	if c != nil {
		return c.orderKeys(m, evalOrder.ctors)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func asObject(v reflect.Value) (map[string]any, bool) {
	v = jtypes.Resolve(v)
	if !v.IsValid() || !v.CanInterface() {
		return nil, false
	}
	m, ok := v.Interface().(map[string]any)
	return m, ok
}

// orderedKeysFn is $keys: an object's keys, or the distinct keys of an
// array's objects, in order.
func orderedKeysFn(v reflect.Value) (any, error) {
	var keys []string
	seen := map[string]bool{}
	add := func(m map[string]any) {
		for _, k := range orderedKeys(m) {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	if m, ok := asObject(v); ok {
		add(m)
	} else if r := jtypes.Resolve(v); jtypes.IsArray(r) {
		for i := range r.Len() {
			m, ok := asObject(r.Index(i))
			if !ok {
				return jlib.Keys(v)
			}
			add(m)
		}
	} else {
		return jlib.Keys(v)
	}
	return sequence(keys)
}

// orderedEach is $each(object, function(value, key, object)).
func orderedEach(v reflect.Value, fn jtypes.Callable) (any, error) {
	m, ok := asObject(v)
	if !ok {
		return jlib.Each(v, fn)
	}
	if argc := fn.ParamCount(); argc < 1 || argc > 3 {
		return nil, errors.New("function must take 1, 2 or 3 arguments")
	}
	obj := reflect.ValueOf(m)
	argv := make([]reflect.Value, fn.ParamCount())
	var out []any
	for _, k := range orderedKeys(m) {
		for i := range argv {
			argv[i] = [3]reflect.Value{reflect.ValueOf(m[k]), reflect.ValueOf(k), obj}[i]
		}
		res, err := fn.Call(argv)
		if err != nil {
			return nil, err
		}
		if res.IsValid() && res.CanInterface() {
			out = append(out, res.Interface())
		}
	}
	return sequence(out)
}

// orderedSpread is $spread: an object's pairs as one-key objects, in
// order; an array's objects each spread in turn.
func orderedSpread(v reflect.Value) (any, error) {
	var out []any
	var spread func(reflect.Value) error
	spread = func(v reflect.Value) error {
		if m, ok := asObject(v); ok {
			for _, k := range orderedKeys(m) {
				out = append(out, map[string]any{k: m[k]})
			}
			return nil
		}
		if r := jtypes.Resolve(v); jtypes.IsArray(r) {
			for i := range r.Len() {
				if err := spread(r.Index(i)); err != nil {
					return err
				}
			}
			return nil
		}
		res, err := jlib.Spread(v)
		if err != nil {
			return err
		}
		if a, ok := res.([]any); ok {
			out = append(out, a...)
		} else if res != nil {
			out = append(out, res)
		}
		return nil
	}
	if err := spread(v); err != nil {
		return nil, err
	}
	return sequence(out)
}

// sequence is a function's result as JSONata gives it: nothing is
// undefined, one item is that item, more are an array.
func sequence[T any](xs []T) (any, error) {
	switch len(xs) {
	case 0:
		return nil, jtypes.ErrUndefined
	case 1:
		return xs[0], nil
	}
	return xs, nil
}

// writeJSON writes v as JavaScript's JSON.stringify does inside
// jsonata-js's $string: objects in their order, numbers rounded to 15
// significant digits, strings without HTML escaping. A non-empty indent
// lays it out as JSON.stringify(v, null, indent) does: every member and
// element on its own line, indented once more per level than prefix.
func writeJSON(b *bytes.Buffer, v any, indent, prefix string) error {
	inner := prefix + indent
	newline := func() {
		if indent != "" {
			b.WriteByte('\n')
			b.WriteString(inner)
		}
	}
	closing := func() {
		if indent != "" {
			b.WriteByte('\n')
			b.WriteString(prefix)
		}
	}
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case map[string]any:
		b.WriteByte('{')
		for i, k := range orderedKeys(x) {
			if i > 0 {
				b.WriteByte(',')
			}
			newline()
			writeString(b, k)
			b.WriteByte(':')
			if indent != "" {
				b.WriteByte(' ')
			}
			if err := writeJSON(b, x[k], indent, inner); err != nil {
				return err
			}
		}
		if len(x) > 0 {
			closing()
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			newline()
			if err := writeJSON(b, e, indent, inner); err != nil {
				return err
			}
		}
		if len(x) > 0 {
			closing()
		}
		b.WriteByte(']')
	case string:
		writeString(b, x)
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return errors.New("$string: cannot convert an infinite or NaN number to a string")
		}
		r, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 15, 64), 64)
		b.WriteString(jsNumber(r))
	case bool:
		b.WriteString(strconv.FormatBool(x))
	default:
		if jtypes.IsCallable(reflect.ValueOf(v)) {
			b.WriteString(`""`)
			return nil
		}
		s, err := jlib.String(v)
		if err != nil {
			return err
		}
		b.WriteString(s)
	}
	return nil
}

func writeString(b *bytes.Buffer, s string) {
	var sb bytes.Buffer
	e := json.NewEncoder(&sb)
	e.SetEscapeHTML(false)
	_ = e.Encode(s) // a string always encodes
	b.Write(bytes.TrimRight(sb.Bytes(), "\n"))
}
