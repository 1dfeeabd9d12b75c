package jsonata

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unsafe"

	"github.com/kaiban/kaiban/workflow/engine/expr"
)

// This file is the one place that knows how the engine represents JSON
// values (decoded with json.Number, objects as *expr.Object keeping their
// member order, arrays as []any): it walks and builds them for templates,
// and converts them to and from the values the evaluator works with
// (numbers as float64, objects as map[string]any).
//
// The evaluator's objects are Go maps, which have no order, so a result
// object gets its keys back in order here: an object of the input that
// comes back as it went in keeps its own order; an object an expression
// builds takes the order of the object constructor with those keys, as
// AWS writes them; any other object (a $merge, a transform) takes the
// order its keys have in the converted inputs, then the constructors',
// then sorted.

// objectEntries returns an engine object's keys (in their order) and
// values; ok is false for anything else.
func objectEntries(v any) (keys []string, vals []any, ok bool) {
	o, ok := v.(*expr.Object)
	if !ok {
		return nil, nil, false
	}
	ms := o.Members()
	keys = make([]string, len(ms))
	vals = make([]any, len(ms))
	for i, m := range ms {
		keys[i], vals[i] = m.Key, m.Value
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
	ms := make([]expr.Member, len(keys))
	for i, k := range keys {
		ms[i] = expr.Member{Key: k, Value: vals[i]}
	}
	return expr.NewObject(ms)
}

// newArray builds an engine array.
func newArray(vals []any) any { return vals }

// converter converts values for one template evaluation and remembers
// which evaluator maps it made from which engine objects, so that
// results can get their key order back.
type converter struct {
	cache *Cache
	made  map[unsafe.Pointer]*expr.Object
	// order is every key of the converted objects, by first appearance,
	// built when a result needs it.
	order map[string]int
	seen  []*expr.Object
}

// Cache keeps the evaluator form of the last few objects expressions
// returned on one thread, because a state's result is usually the next
// state's input: converting it again would cost as much as the rest of
// the evaluation. Values are immutable on both sides, so a kept form
// stays right. A Cache is used by one goroutine at a time.
type Cache struct {
	objs [cacheSize]*expr.Object
	maps [cacheSize]map[string]any
	next int
}

const cacheSize = 4

// cached returns the evaluator form of o if the cache holds it, and then
// registers it (and the objects inside) as converted from o.
func (c *converter) cached(o *expr.Object) map[string]any {
	if c == nil || c.cache == nil {
		return nil
	}
	for i, k := range c.cache.objs {
		if k == o {
			m := c.cache.maps[i]
			c.register(o, m)
			return m
		}
	}
	return nil
}

// register records m as the evaluator form of o, and so on down.
func (c *converter) register(o *expr.Object, m map[string]any) {
	if c.made == nil {
		c.made = map[unsafe.Pointer]*expr.Object{}
	}
	c.made[reflect.ValueOf(m).UnsafePointer()] = o
	c.seen = append(c.seen, o)
	for _, mem := range o.Members() {
		c.registerValue(mem.Value, m[mem.Key])
	}
}

func (c *converter) registerValue(v, conv any) {
	switch x := v.(type) {
	case *expr.Object:
		if m, ok := conv.(map[string]any); ok {
			c.register(x, m)
		}
	case []any:
		if a, ok := conv.([]any); ok && len(a) == len(x) {
			for i := range x {
				c.registerValue(x[i], a[i])
			}
		}
	}
}

// keep remembers m as the evaluator form of o.
func (c *converter) keep(o *expr.Object, m map[string]any) {
	if c == nil || c.cache == nil {
		return
	}
	k := c.cache
	k.objs[k.next], k.maps[k.next] = o, m
	k.next = (k.next + 1) % cacheSize
}

// toJSONata converts an engine value for evaluation without remembering
// key order (for values whose order cannot matter or is not known).
func toJSONata(v any) any { return (*converter)(nil).to(v) }

// to converts an engine value for evaluation. Arrays are copied only
// when they hold values to convert.
func (c *converter) to(v any) any {
	switch x := v.(type) {
	case nil:
		return jsonNull
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return string(x)
		}
		return f
	case *expr.Object:
		if m := c.cached(x); m != nil {
			return m
		}
		ms := x.Members()
		out := make(map[string]any, len(ms))
		for _, m := range ms {
			out[m.Key] = c.to(m.Value)
		}
		if c != nil {
			if c.made == nil {
				c.made = map[unsafe.Pointer]*expr.Object{}
			}
			c.made[reflect.ValueOf(out).UnsafePointer()] = x
			c.seen = append(c.seen, x)
		}
		return out
	case map[string]any: // Go values ($parse)
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = c.to(e)
		}
		return out
	case []any:
		var out []any
		for i, e := range x {
			ce := c.to(e)
			if out == nil && !same(ce, e) {
				out = make([]any, len(x))
				copy(out, x)
			}
			if out != nil {
				out[i] = ce
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
		return false // objects, converted afresh each time
	}
	return a == b
}

// inputRank is the position of key among the converted objects' keys.
func (c *converter) inputRank(key string) (int, bool) {
	if c == nil {
		return 0, false
	}
	if c.order == nil && len(c.seen) <= 4 {
		// Few objects: scanning them costs less than indexing them. A
		// key's first place in the scan orders it as the index would.
		n := 0
		for _, o := range c.seen {
			for _, m := range o.Members() {
				if m.Key == key {
					return n, true
				}
				n++
			}
		}
		return 0, false
	}
	if c.order == nil {
		c.order = map[string]int{}
		for _, o := range c.seen {
			for _, m := range o.Members() {
				if _, ok := c.order[m.Key]; !ok {
					c.order[m.Key] = len(c.order)
				}
			}
		}
	}
	r, ok := c.order[key]
	return r, ok
}

// orderKeys puts the keys of an evaluator object in the order described
// at the top of this file; ctors are the key lists of the expression's
// object constructors, in the expression's order.
func (c *converter) orderKeys(m map[string]any, ctors [][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for _, ks := range ctors {
		if len(ks) < len(keys) {
			continue
		}
		out := keys[:0:0]
		for _, k := range ks {
			if _, ok := m[k]; ok {
				out = append(out, k)
			}
		}
		if len(out) == len(keys) {
			return out
		}
	}
	ctorRank := func(k string) (int, bool) {
		n := 0
		for _, ks := range ctors {
			for _, k2 := range ks {
				if k2 == k {
					return n, true
				}
				n++
			}
		}
		return 0, false
	}
	rank := func(k string) (int, int) {
		if r, ok := c.inputRank(k); ok {
			return 0, r
		}
		if r, ok := ctorRank(k); ok {
			return 1, r
		}
		return 2, 0
	}
	slices.SortFunc(keys, func(a, b string) int {
		ga, ra := rank(a)
		gb, rb := rank(b)
		if ga != gb {
			return ga - gb
		}
		if ra != rb {
			return ra - rb
		}
		return strings.Compare(a, b)
	})
	return keys
}

// jsonNull is how the evaluator represents JSON null: a nil interface
// inside its data would read as a missing value.
var jsonNull = (*any)(nil)

// errNotJSON is returned for results JSON cannot hold (functions, NaN,
// infinities).
var errNotJSON = errors.New("the result is not a JSON value")

// fromJSONata converts an evaluation result to an engine value, objects
// with their keys in order (see the top of this file).
func fromJSONata(v any) (any, error) { return (*converter)(nil).from(v, nil) }

func (c *converter) from(v any, ctors [][]string) (any, error) {
	switch x := v.(type) {
	case nil, string, bool, json.Number:
		return x, nil
	case float64:
		return number(x)
	case map[string]any:
		if c != nil {
			if o, ok := c.made[reflect.ValueOf(x).UnsafePointer()]; ok {
				return o, nil // an input object, unchanged (maps are never changed in place)
			}
		}
		keys := c.orderKeys(x, ctors)
		ms := make([]expr.Member, len(keys))
		for i, k := range keys {
			e, err := c.from(x[k], ctors)
			if err != nil {
				return nil, err
			}
			ms[i] = expr.Member{Key: k, Value: e}
		}
		return expr.NewObject(ms), nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			ce, err := c.from(e, ctors)
			if err != nil {
				return nil, err
			}
			out[i] = ce
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
		keys := make([]string, 0, rv.Len())
		for _, k := range rv.MapKeys() {
			keys = append(keys, k.String())
		}
		slices.Sort(keys)
		ms := make([]expr.Member, len(keys))
		for i, k := range keys {
			c, err := fromReflect(rv.MapIndex(reflect.ValueOf(k).Convert(rv.Type().Key())))
			if err != nil {
				return nil, err
			}
			ms[i] = expr.Member{Key: k, Value: c}
		}
		return expr.NewObject(ms), nil
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
