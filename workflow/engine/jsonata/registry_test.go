package jsonata

import (
	"runtime"
	"testing"
)

// An evaluation does not bind the package's functions afresh: they live
// in the evaluator's base environment, so evaluating a constant
// expression allocates little however many functions are registered
// (binding them per evaluation took some 4 KB each time).
func TestRegisteredFunctionsAreNotBoundPerEvaluation(t *testing.T) {
	tmpl, err := Compile("{% 1 + 1 %}", "Output")
	if err != nil {
		t.Fatal(err)
	}
	b := &Bindings{}
	if _, err := tmpl.Eval(b); err != nil {
		t.Fatal(err)
	}
	const runs = 200
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range runs {
		if _, err := tmpl.Eval(b); err != nil {
			t.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	perEval := (after.TotalAlloc - before.TotalAlloc) / runs
	if perEval > 2500 {
		t.Errorf("an evaluation of 1 + 1 allocates %d bytes, want at most 2500", perEval)
	}
	for _, src := range []string{`$partition([1, 2, 3], 2)`, `$string(1/3)`, `$formatInteger(3, "w")`} {
		if _, err := evalJSONata(t, src, `{}`); err != nil {
			t.Errorf("%s: %v", src, err)
		}
	}
}
