package jsonata

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
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

// registry.go and tree.go reach into the evaluator's unexported variables
// and parse tree, whose layout is that of one version: an upgrade must
// re-check them, so it fails here until this test names the new version.
func TestEvaluatorVersionIsTheOneItsInternalsWereCheckedFor(t *testing.T) {
	const checked = "github.com/blues/jsonata-go v1.5.4"
	mod, err := os.ReadFile(filepath.Join("..", "..", "..", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(mod), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "github.com/blues/jsonata-go ") || strings.Contains(line, "github.com/blues/jsonata-go =>") {
			if line != checked && !strings.HasPrefix(line, checked+" ") {
				t.Fatalf("go.mod has %q: re-check registry.go and tree.go against that version, then name it here", line)
			}
			return
		}
	}
	t.Fatal("go.mod does not require github.com/blues/jsonata-go")
}
