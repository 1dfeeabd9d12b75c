package jsonata

import (
	"errors"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/kaiban/kaiban/workflow/engine/expr"
)

func decode(t testing.TB, s string) any {
	t.Helper()
	v, err := expr.Decode([]byte(s))
	if err != nil {
		t.Fatalf("decode %s: %v", s, err)
	}
	return v
}

func encode(t testing.TB, v any) string {
	t.Helper()
	b, err := expr.Encode(v)
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	return string(b)
}

func bindings(t testing.TB, input string, vars map[string]string) *Bindings {
	b := &Bindings{States: expr.NewObject([]expr.Member{{Key: "input", Value: decode(t, input)}, {Key: "context", Value: decode(t, `{"State":{"Name":"S"}}`)}})}
	for k, v := range vars {
		b.Vars = b.Vars.With(k, decode(t, v))
	}
	return b
}

func TestTemplateEval(t *testing.T) {
	input := `{"none":null,"nulls":[1,null],"title":"Hi","n":3,"items":[1,2,3],"price":0.1,"nested":{"a":[{"b":1},{"b":2}]}}`
	vars := map[string]string{"customer": `"Li"`, "limit": `10`}
	for _, tc := range []struct {
		name, tmpl, want string
	}{
		{"literal strings stay", `{"a":"$states.input","b":"{%no","c":"x %}"}`, `{"a":"$states.input","b":"{%no","c":"x %}"}`},
		{"whole value", `"{% $states.input.title %}"`, `"Hi"`},
		{"nested in objects and arrays", `{"t":"{% $states.input.title %}","l":[1,"{% $states.input.n * 2 %}",{"x":"{% $customer %}"}]}`, `{"t":"Hi","l":[1,6,{"x":"Li"}]}`},
		{"arithmetic as JavaScript", `"{% $states.input.price * 3 %}"`, `0.30000000000000004`},
		{"integers stay integers", `"{% $sum($states.input.items) %}"`, `6`},
		{"big numbers in exponent form", `"{% 1e21 * 10 %}"`, `1e+22`},
		{"small numbers in exponent form", `"{% 1 / 10000000 %}"`, `1e-7`},
		{"objects built by JSONata", `"{% {'who': $customer, 'max': $limit} %}"`, `{"who":"Li","max":10}`},
		{"path over arrays", `"{% $states.input.nested.a.b %}"`, `[1,2]`},
		{"context", `"{% $states.context.State.Name %}"`, `"S"`},
		{"top level path is the input", `"{% title %}"`, `"Hi"`},
		{"$partition", `"{% $partition([1,2,3,4,5], 2) %}"`, `[[1,2],[3,4],[5]]`},
		{"$range", `"{% $range(0, 10, 2) %}"`, `[0,2,4,6,8,10]`},
		{"$range down", `"{% $range(3, 1, -1) %}"`, `[3,2,1]`},
		{"$hash", `"{% $hash('input data', 'SHA-1') %}"`, `"aaff4a450a104cd177d28d18d74485e8cae074b7"`},
		{"$hash MD5", `"{% $hash('', 'MD5') %}"`, `"d41d8cd98f00b204e9800998ecf8427e"`},
		{"$random seeded is repeatable", `"{% $random(7) = $random(7) %}"`, `true`},
		{"$random in [0,1)", `"{% $random() >= 0 and $random() < 1 %}"`, `true`},
		{"$parse", `"{% $parse('{\"a\":[1,2.5,\"x\"]}') %}"`, `{"a":[1,2.5,"x"]}`},
		{"$parse with nulls", `"{% $parse('[null,{\"a\":null}]') %}"`, `[null,{"a":null}]`},
		{"null in the input is null, not missing", `"{% [$states.input.none = null, $exists($states.input.none), $states.input.nulls[1] = null] %}"`, `[true,true,true]`},
		{"null in the input passes through", `"{% $states.input.none %}"`, `null`},
		{"$uuid is a v4 uuid", `"{% $length($uuid()) %}"`, `36`},
		{"string functions", `"{% $uppercase($states.input.title) & '!' %}"`, `"HI!"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmpl, err := Compile(decode(t, tc.tmpl), "Output")
			if err != nil {
				t.Fatalf("Compile: %v", err)
			}
			got, err := tmpl.Eval(bindings(t, input, vars))
			if err != nil {
				t.Fatalf("Eval: %v", err)
			}
			if s := encode(t, got); s != tc.want {
				t.Errorf("got %s, want %s", s, tc.want)
			}
		})
	}
}

func TestUUIDFormat(t *testing.T) {
	tmpl, err := Compile("{% $uuid() %}", "Output")
	if err != nil {
		t.Fatal(err)
	}
	v, err := tmpl.Eval(bindings(t, `{}`, nil))
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(v.(string)) {
		t.Errorf("$uuid() = %v, not a version 4 UUID", v)
	}
}

// Failures carry AWS's error name and cause wording, naming the field.
func TestTemplateErrors(t *testing.T) {
	for _, tc := range []struct {
		name, tmpl, field, want string
	}{
		{"undefined in an object", `{"v":"{% $states.input.absent %}"}`, "Output",
			"The JSONata expression '$states.input.absent' specified for the field 'Output/v' returned nothing (undefined)."},
		{"undefined in an array", `{"a":[0,"{% $nope %}"]}`, "Arguments",
			"The JSONata expression '$nope' specified for the field 'Arguments/a[1]' returned nothing (undefined)."},
		{"undefined whole field", `"{% $states.input.absent %}"`, "Output",
			"The JSONata expression '$states.input.absent' specified for the field 'Output' returned nothing (undefined)."},
		{"runtime error", `"{% $states.input.title + 1 %}"`, "Output",
			"The JSONata expression '$states.input.title + 1' specified for the field 'Output' threw an error during evaluation."},
		{"bad $hash algorithm", `"{% $hash('x', 'SHA-3') %}"`, "Output", "unsupported algorithm"},
		{"$partition size", `"{% $partition([1], 0) %}"`, "Output", "positive integer"},
		{"$parse invalid", `"{% $parse('{') %}"`, "Output", "not valid JSON"},
		{"$eval refused", `"{% $eval('1') %}"`, "Output", "use $parse"},
		{"function result", `"{% $uppercase %}"`, "Output", "not JSON"},
		{"infinity", `"{% 1e308 * 10 %}"`, "Output", "threw an error"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmpl, err := Compile(decode(t, tc.tmpl), tc.field)
			if err != nil {
				t.Fatalf("Compile: %v", err)
			}
			_, err = tmpl.Eval(bindings(t, `{"title":"Hi"}`, nil))
			var je *Error
			if !errors.As(err, &je) {
				t.Fatalf("Eval error = %v, want *Error", err)
			}
			if je.Name != ErrQueryEvaluation || !strings.Contains(je.Cause, tc.want) {
				t.Errorf("got %s: %s\nwant States.QueryEvaluationError containing %q", je.Name, je.Cause, tc.want)
			}
		})
	}
}

func TestCompileErrors(t *testing.T) {
	for _, tc := range []struct{ tmpl, field string }{
		{`{"a":{"b":"{% $states.input. %}"}}`, "Output/a/b"},
		{`["{% %}"]`, "Output[0]"},
		{`"{% (1 + %}"`, "Output"},
	} {
		_, err := Compile(decode(t, tc.tmpl), "Output")
		var ce *CompileError
		if !errors.As(err, &ce) || ce.Field != tc.field {
			t.Errorf("Compile(%s) = %v, want a CompileError for %s", tc.tmpl, err, tc.field)
		}
	}
}

// A template without expressions is returned as it is.
func TestConstant(t *testing.T) {
	tmpl, err := Compile(decode(t, `{"a":[1,"x"]}`), "Output")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := tmpl.Constant(); !ok {
		t.Error("Constant() = false for a template without expressions")
	}
}

// Input values are never modified by an evaluation.
func TestInputUnchanged(t *testing.T) {
	in := decode(t, `{"a":[1,{"b":2}],"s":"x"}`)
	before := encode(t, in)
	tmpl, err := Compile(decode(t, `"{% $merge([$states.input, {'c': 3}]) %}"`), "Output")
	if err != nil {
		t.Fatal(err)
	}
	out, err := tmpl.Eval(&Bindings{States: obj(map[string]any{"input": in})})
	if err != nil {
		t.Fatal(err)
	}
	if encode(t, in) != before {
		t.Errorf("input changed: %s", encode(t, in))
	}
	if got := encode(t, out); got != `{"a":[1,{"b":2}],"s":"x","c":3}` {
		t.Errorf("got %s", got)
	}
}

func TestUsesContext(t *testing.T) {
	for _, tc := range []struct {
		tmpl string
		want bool
	}{
		{`{"a":"{% $states.input.x %}","b":"{% $states.result %}"}`, false},
		{`"{% $states.context.Execution.Id %}"`, true},
		{`["{% $string($states) %}"]`, true},
		{`"{% $states.* %}"`, true},
		{`"$states.context"`, false},
		{`{"x":{"y":"{% $lookup($states, 'con' & 'text') %}"}}`, true},
	} {
		tm, err := Compile(decode(t, tc.tmpl), "Output")
		if err != nil {
			t.Fatal(err)
		}
		if tm.UsesContext() != tc.want {
			t.Errorf("UsesContext(%s) = %v, want %v", tc.tmpl, !tc.want, tc.want)
		}
	}
}

// obj builds an engine object from a Go map (keys sorted), converting
// nested maps too, so tests can write values as literals.
func obj(m map[string]any) *expr.Object {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	ms := make([]expr.Member, len(keys))
	for i, k := range keys {
		ms[i] = expr.Member{Key: k, Value: objValue(m[k])}
	}
	return expr.NewObject(ms)
}

func objValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		return obj(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = objValue(e)
		}
		return out
	}
	return v
}

// Objects come out with their keys in AWS's order: input objects as they
// came in, objects an expression builds in the constructor's order,
// merged objects in input order and then the new keys.
func TestKeyOrder(t *testing.T) {
	input := `{"zeta":1,"alpha":{"y":2,"b":3},"mid":[{"q":1,"a":2}]}`
	for _, tc := range []struct {
		name, tmpl, want string
	}{
		{"input object passes through", `"{% $states.input %}"`, input},
		{"nested input object", `"{% $states.input.alpha %}"`, `{"y":2,"b":3}`},
		{"objects in arrays", `"{% $states.input.mid %}"`, `[{"q":1,"a":2}]`},
		{"constructor order", `"{% {'z': 1, 'a': 2, 'm': 3} %}"`, `{"z":1,"a":2,"m":3}`},
		{"nested constructors", `"{% {'z': {'y': 1, 'b': 2}, 'a': [{'k': 1, 'c': 2}]} %}"`, `{"z":{"y":1,"b":2},"a":[{"k":1,"c":2}]}`},
		{"constructor over input values", `"{% {'second': $states.input.zeta, 'first': $states.input.alpha} %}"`, `{"second":1,"first":{"y":2,"b":3}}`},
		{"merge keeps input order then new keys", `"{% $merge([$states.input.alpha, {'x': 0, 'b': 9}]) %}"`, `{"y":2,"b":9,"x":0}`},
		{"template object keeps its order", `{"z":"{% 1 %}","a":"{% 2 %}"}`, `{"z":1,"a":2}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmpl, err := Compile(decode(t, tc.tmpl), "Output")
			if err != nil {
				t.Fatal(err)
			}
			out, err := tmpl.Eval(bindings(t, input, nil))
			if err != nil {
				t.Fatal(err)
			}
			if got := encode(t, out); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

// A result kept in the Cache and read back as the next input keeps its
// values and its key order, nested objects included.
func TestCacheKeepsOrder(t *testing.T) {
	cache := &Cache{}
	first, err := Compile(decode(t, `"{% $merge([$states.input, {'nested': {'z': 1, 'a': [{'y': 2, 'b': 3}]}}]) %}"`), "Output")
	if err != nil {
		t.Fatal(err)
	}
	b := bindings(t, `{"k2":1,"k1":2}`, nil)
	b.Cache = cache
	out, err := first.Eval(b)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ tmpl, want string }{
		{`"{% $states.input %}"`, `{"k2":1,"k1":2,"nested":{"z":1,"a":[{"y":2,"b":3}]}}`},
		{`"{% $states.input.nested %}"`, `{"z":1,"a":[{"y":2,"b":3}]}`},
		{`"{% $states.input.nested.a[0] %}"`, `{"y":2,"b":3}`},
		{`"{% $states.input.k1 + $states.input.nested.z %}"`, `3`},
	} {
		tm, err := Compile(decode(t, tc.tmpl), "Output")
		if err != nil {
			t.Fatal(err)
		}
		got, err := tm.Eval(&Bindings{States: expr.NewObject([]expr.Member{{Key: "input", Value: out}}), Cache: cache})
		if err != nil {
			t.Fatal(err)
		}
		if s := encode(t, got); s != tc.want {
			t.Errorf("%s = %s, want %s", tc.tmpl, s, tc.want)
		}
	}
}
