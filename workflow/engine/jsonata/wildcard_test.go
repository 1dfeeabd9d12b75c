package jsonata

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	blues "github.com/blues/jsonata-go"
)

// evalOrUndefined is evalJSONata with an undefined result as the text
// "undefined".
func evalOrUndefined(t *testing.T, src, input string) string {
	t.Helper()
	got, err := evalJSONata(t, src, input)
	var je *Error
	if errors.As(err, &je) && strings.Contains(je.Cause, "returned nothing (undefined)") {
		return "undefined"
	}
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	return got
}

// The wildcard and descendant steps visit an object's values in its key
// order, at every run: the objects here have enough keys that a walk in
// Go map order comes out in key order in a few runs out of thousands.
func TestWildcardAndDescendantsInKeyOrder(t *testing.T) {
	const doc = `{
		"prices": {"x": 1, "y": 2, "z": 3, "w": 4, "v": 5, "u": 6},
		"nested": {"p": {"z": 1, "y": 2, "x": 3}, "o": {"w": 4, "v": 5, "u": 6}},
		"mixed": {"m": [1, [2, 3]], "l": {"k": 4}, "j": 5, "i": [], "h": 6},
		"rows": [{"z": 1, "y": 2, "x": 3}, {"w": 4, "v": 5, "u": 6}],
		"tree": {"id": 1, "left": {"id": 2, "kids": [{"id": 3}, {"z": {"id": 5}, "id": 4}]}, "right": {"id": 6}, "more": {"id": 7}},
		"n": 5, "s": "text", "none": null, "empty": {}
	}`
	for _, tc := range []struct{ name, src, want string }{
		{"object values", `prices.*`, `[1,2,3,4,5,6]`},
		{"nested objects", `nested.*.*`, `[1,2,3,4,5,6]`},
		{"array values flattened", `mixed.*`, `[1,2,3,{"k":4},5,6]`},
		{"array of objects", `rows.*`, `[1,2,3,4,5,6]`},
		{"wildcard then field", `nested.*.y`, `2`},
		{"first value", `(prices.*)[0]`, `1`},
		{"descendants", `tree.**.id`, `[1,2,3,4,5,6,7]`},
		{"descendants over arrays", `rows.**`, `[{"z":1,"y":2,"x":3},1,2,3,{"w":4,"v":5,"u":6},4,5,6]`},
		{"descendants of an array value", `tree.left.kids.**.id`, `[3,4,5]`},
		{"descendants of a scalar", `n.**`, `5`},
		{"wildcard of a number", `n.*`, `undefined`},
		{"wildcard of a string", `s.*`, `undefined`},
		{"wildcard of null", `none.*`, `undefined`},
		{"wildcard of an empty object", `empty.*`, `undefined`},
		{"wildcard of a function", `$sum.*`, `undefined`},
		{"wildcard of a missing field", `missing.*`, `undefined`},
		{"built object", `{"z": 1, "y": 2, "x": 3, "w": 4, "v": 5, "u": 6}.*`, `[1,2,3,4,5,6]`},
		{"built object descendants", `{"z": {"id": 1}, "y": {"id": 2}, "x": {"id": 3}, "w": {"id": 4}}.**.id`, `[1,2,3,4]`},
		{"built from the input", `{"b": prices.z, "a": prices.x, "c": prices.y}.*`, `[3,1,2]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for range 20 {
				if got := evalOrUndefined(t, tc.src, doc); got != tc.want {
					t.Fatalf("%s = %s; want %s", tc.src, got, tc.want)
				}
			}
		})
	}
}

// Apart from order, the steps return what the evaluator's own return:
// the same values, as many times, undefined in the same cases.
func TestWildcardAndDescendantsValuesAsEvaluator(t *testing.T) {
	const doc = `{"a": {"b": [1, [2, {"c": 3}]], "d": {"e": "x", "f": true}}, "g": [{"h": 4}, {"h": 5, "i": [6]}], "j": 7, "k": []}`
	for _, src := range []string{
		`*`, `*.*`, `**`, `**.h`, `a.*`, `a.b.*`, `g.*`, `g.**`, `j.*`, `j.**`, `k.*`, `k.**`,
		`**[h > 4].i`, `$count(**)`, `a.**.*`, `{"z": a, "y": g}.**`, `[a, g].*`,
	} {
		got := evalOrUndefined(t, src, doc)
		want := "undefined"
		e, err := blues.Compile(src)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		var in any
		if err := json.Unmarshal([]byte(doc), &in); err != nil {
			t.Fatal(err)
		}
		r, err := e.Eval(in)
		switch {
		case errors.Is(err, blues.ErrUndefined):
		case err != nil:
			t.Fatalf("%s: evaluator: %v", src, err)
		default:
			b, _ := json.Marshal(r)
			want = string(b)
		}
		if g, w := unordered(t, got), unordered(t, want); g != w {
			t.Errorf("%s = %s; the evaluator's step gives %s", src, got, want)
		}
	}
}

// unordered is a JSON result with object keys sorted and, if it is an
// array, its items sorted.
func unordered(t *testing.T, s string) string {
	t.Helper()
	if s == "undefined" {
		return s
	}
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	a, ok := v.([]any)
	if !ok {
		b, _ := json.Marshal(v)
		return string(b)
	}
	items := make([]string, len(a))
	for i, x := range a {
		b, _ := json.Marshal(x)
		items[i] = string(b)
	}
	slices.Sort(items)
	return "[" + strings.Join(items, ",") + "]"
}
