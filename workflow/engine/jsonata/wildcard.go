package jsonata

import (
	"reflect"

	blues "github.com/blues/jsonata-go"
	"github.com/blues/jsonata-go/jtypes"
)

// The wildcard (.*) and descendant (**) steps, which tree.go puts in
// place of the evaluator's own: those range over a Go map, so an
// object's values come out in a different order at each run, where
// JSONata visits them in the object's key order. These return what the
// evaluator's steps return, values visited in orderedKeys' order.
const (
	wildcardName    = "kaibanWildcard"
	descendantsName = "kaibanDescendants"
)

func init() {
	if err := blues.RegisterExts(map[string]blues.Extension{
		wildcardName:    {Func: wildcard, UndefinedHandler: jtypes.ArgUndefined(0)},
		descendantsName: {Func: descendants, UndefinedHandler: jtypes.ArgUndefined(0)},
	}); err != nil {
		panic(err)
	}
}

// wildcard is the .* step on the context v: the values of an object (or
// the items of an array), an array value flattened into its items;
// undefined when there are none. A function or any other value has no
// values, as in JSONata.
func wildcard(v reflect.Value) (any, error) {
	var out []any
	eachValue(v, func(x reflect.Value) { out = appendFlat(out, x) })
	return sequence(out)
}

// descendants is the ** step on the context v: v and everything under
// it, depth first, each object or value before what it holds; arrays
// contribute their items, not themselves.
func descendants(v reflect.Value) (any, error) {
	var out []any
	var walk func(reflect.Value)
	walk = func(x reflect.Value) {
		if x.IsValid() && x.CanInterface() && !jtypes.IsArray(x) {
			out = append(out, x.Interface())
		}
		eachValue(x, walk)
	}
	walk(v)
	return sequence(out)
}

// eachValue calls f on each item of an array, or each value of an
// object in its key order; on nothing for any other value.
func eachValue(v reflect.Value, f func(reflect.Value)) {
	r := jtypes.Resolve(v)
	switch r.Kind() {
	case reflect.Slice, reflect.Array:
		for i := range r.Len() {
			f(r.Index(i))
		}
	case reflect.Map:
		m, ok := asObject(r)
		if !ok {
			// Not an object of the converter's kind: its keys in the
			// evaluator's order.
			for _, k := range r.MapKeys() {
				f(r.MapIndex(k))
			}
			return
		}
		for _, k := range orderedKeys(m) {
			f(r.MapIndex(reflect.ValueOf(k)))
		}
	}
}

// appendFlat appends v to out, an array as its items, nested arrays
// flattened.
func appendFlat(out []any, v reflect.Value) []any {
	if jtypes.IsArray(v) {
		r := jtypes.Resolve(v)
		for i := range r.Len() {
			out = appendFlat(out, r.Index(i))
		}
		return out
	}
	if v.IsValid() && v.CanInterface() {
		out = append(out, v.Interface())
	}
	return out
}
