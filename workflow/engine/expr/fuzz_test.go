package expr

import (
	"encoding/json"
	"testing"
)

// fuzzDoc is evaluated by every compiled fuzz input, so the fuzzers reach
// evaluation as well as parsing.
const fuzzDoc = `{"a":{"b":[1,"x",{"c":null}],"d":"2016-03-14T01:59:00Z"},"n":1.5,"s":"a*b","t":true,"l":[[1,2],[3]]}`

func FuzzCompilePath(f *testing.F) {
	for _, s := range []string{
		"$", "$$", "$.a", "$.a.b[0]", "$.a.b[-1]", "$['a']['b']", `$["a"]`, "$.a.*", "$..c", "$..[0]", "$.l[*][1]",
		"$.a.b[0:2]", "$.a.b[:-1]", "$.a.b[0,2]", "$['a','n']", "$.a.b[?(@.c)]", "$.a.b[?(@ == 1)]",
		"$.l[?(@[0] > 0 && !(@[1] < 0) || @[0] == 'x')]", "$.a.b[?(@.c == null)]", "$.a[?(@.d <= $.a.d)]",
		"$[", "$.", "$..", "$[?(", `$['\`, "$[-", "$.a[1:2:3]",
	} {
		f.Add(s)
	}
	doc := mustDecode(f, fuzzDoc)
	f.Fuzz(func(t *testing.T, s string) {
		p, err := CompilePath(s)
		if err != nil {
			return
		}
		if p.String() != s {
			t.Fatalf("String() = %q, want %q", p.String(), s)
		}
		v, err := p.Get(doc, "f")
		if err == nil && !p.IsDefinite() {
			if _, ok := v.([]any); !ok {
				t.Fatalf("indefinite path %q returned %T, want a list", s, v)
			}
		}
		if err != nil && errName(err) != ErrRuntime {
			t.Fatalf("Get error %v, want States.Runtime", err)
		}
		if rp, err := CompileReferencePath(s); err == nil {
			if _, err := rp.Set(doc, "v"); err != nil && errName(err) != ErrResultPathMatchFailure {
				t.Fatalf("Set error %v", err)
			}
		}
	})
}

func FuzzCompileIntrinsic(f *testing.F) {
	for _, s := range []string{
		"States.Format('{} {}', $.n, $.s)", `States.Format('it\'s \{\}')`, "States.StringToJson('{\"a\":1}')",
		"States.JsonToString($.a)", "States.Array(1, 'a', true, null, $.a.b)", "States.ArrayPartition($.a.b, 2)",
		"States.ArrayContains($.a.b, 1)", "States.ArrayRange(1, 9, 2)", "States.ArrayGetItem($.a.b, 0)",
		"States.ArrayLength($.l)", "States.ArrayUnique($.l[*])", "States.Base64Encode($.s)", "States.Base64Decode('YQ==')",
		"States.Hash($.s, 'SHA-256')", "States.JsonMerge($.a, $.a, false)", "States.MathRandom(1, 5, 3)",
		"States.MathAdd($.n, -1)", "States.StringSplit($.s, '*')", "States.UUID()",
		"States.Format('{}', States.ArrayLength(States.Array($$.x)))", "States.Array($.a.b[?(@ > 0)], $['a'])",
		"States.Format(", "States.(", "States.Array('", "States.Array(1e999999999)",
	} {
		f.Add(s)
	}
	doc := mustDecode(f, fuzzDoc)
	f.Fuzz(func(t *testing.T, s string) {
		fn, err := CompileIntrinsic(s)
		if err != nil {
			return
		}
		_, err = fn.Eval(doc, doc)
		switch errName(err) {
		case "", ErrRuntime, ErrIntrinsicFailure:
		default:
			t.Fatalf("Eval(%q) error %v", s, err)
		}
		if err == nil && !IsIntrinsic(s) {
			t.Fatalf("%q compiled but IsIntrinsic is false", s)
		}
	})
}

func FuzzChoiceRule(f *testing.F) {
	for _, s := range []string{
		`{"Variable":"$.s","StringMatches":"a\\*b","Next":"x"}`,
		`{"Variable":"$.n","NumericGreaterThanEqualsPath":"$.n"}`,
		`{"Variable":"$.a.d","TimestampLessThan":"2020-01-01T00:00:00Z"}`,
		`{"Variable":"$.t","BooleanEquals":true}`,
		`{"Variable":"$.zz","IsPresent":false}`,
		`{"And":[{"Variable":"$.n","IsNumeric":true},{"Not":{"Variable":"$.s","IsNull":true}}]}`,
		`{"Or":[{"Variable":"$.a.b[0]","NumericEquals":1},{"Variable":"$$.x","IsString":true}]}`,
		`{"Variable":"$.s","StringEquals":1}`, `{}`, `[]`, `{"Not":{}}`, `{"And":[{"And":[{"And":[]}]}]}`,
	} {
		f.Add(s)
	}
	doc := mustDecode(f, fuzzDoc)
	f.Fuzz(func(t *testing.T, s string) {
		r, err := CompileChoiceRule(json.RawMessage(s))
		if err != nil {
			return
		}
		if _, err := r.MatchContext(doc, doc); err != nil && errName(err) != ErrRuntime {
			t.Fatalf("Match error %v", err)
		}
	})
}
