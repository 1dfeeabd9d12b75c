package jsonata

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"

	"github.com/kaiban/kaiban/workflow/engine/expr"
)

// A parsed expression is reused, but a variable bound for one evaluation
// is never visible to another where it is not in scope.
func TestReuseDoesNotLeakVariables(t *testing.T) {
	tmpl, err := Compile("{% $exists($v) ? $v : 'unset' %}", "Output")
	if err != nil {
		t.Fatal(err)
	}
	for i, tc := range []struct {
		vars *expr.Object
		want any
	}{
		{obj(map[string]any{"v": "one"}), "one"},
		{nil, "unset"},
		{obj(map[string]any{"v": "two"}), "two"},
		{obj(map[string]any{"other": "x"}), "unset"},
	} {
		got, err := tmpl.Eval(&Bindings{Vars: tc.vars})
		if err != nil || got != tc.want {
			t.Errorf("evaluation %d = %v, %v; want %v", i, got, err, tc.want)
		}
	}
}

// Concurrent evaluations of one template each see their own bindings.
func TestConcurrentEvaluations(t *testing.T) {
	tmpl, err := Compile(obj(map[string]any{"n": "{% $n * 2 %}", "in": "{% $states.input.k %}"}), "Output")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				n := g*1000 + i
				got, err := tmpl.Eval(&Bindings{
					States: obj(map[string]any{"input": map[string]any{"k": json.Number(fmt.Sprint(n))}}),
					Vars:   obj(map[string]any{"n": json.Number(fmt.Sprint(n))}),
				})
				m, _ := got.(*expr.Object)
				gotN, _ := m.Get("n")
				gotIn, _ := m.Get("in")
				if err != nil || gotN != json.Number(fmt.Sprint(2*n)) || gotIn != json.Number(fmt.Sprint(n)) {
					t.Errorf("goroutine %d: %v %v", g, got, err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// Concurrent evaluations calling the same functions, one of them on its
// context ($string() with no argument), each get their own answer: the
// evaluator's function objects are shared, and a call writes its context
// into them.
func TestConcurrentFunctionCalls(t *testing.T) {
	tmpl, err := Compile("{% $states.input.k.$string() & '/' & $uppercase($states.input.s) %}", "Output")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				n := g*1000 + i
				got, err := tmpl.Eval(&Bindings{States: obj(map[string]any{"input": map[string]any{"k": json.Number(fmt.Sprint(n)), "s": fmt.Sprint("g", g)}})})
				if want := fmt.Sprintf("%d/G%d", n, g); err != nil || got != want {
					t.Errorf("goroutine %d: %v %v, want %s", g, got, err, want)
					return
				}
			}
		})
	}
	wg.Wait()
}

// BenchmarkTemplate: an Output template of three expressions.
func BenchmarkTemplate(b *testing.B) {
	tmpl, err := Compile(obj(map[string]any{"t": "{% $states.input.title %}", "n": "{% $states.input.n * $f %}", "s": "{% $sum($states.input.l) %}"}), "Output")
	if err != nil {
		b.Fatal(err)
	}
	bind := &Bindings{States: obj(map[string]any{"input": map[string]any{"title": "x", "n": json.Number("2"), "l": []any{json.Number("1"), json.Number("2")}}}), Vars: obj(map[string]any{"f": json.Number("3")})}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tmpl.Eval(bind); err != nil {
			b.Fatal(err)
		}
	}
}
