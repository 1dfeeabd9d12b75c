package expr

import (
	"strings"
	"testing"
)

// TestDeeplyNestedInput runs every recursive operation on an input nested
// 5,000 levels deep (encoding/json accepts up to 10,000): each must give
// an answer, not crash.
func TestDeeplyNestedInput(t *testing.T) {
	const depth = 5000
	doc := mustDecode(t, `{"x":`+strings.Repeat(`[`, depth)+`{"x":1}`+strings.Repeat(`]`, depth)+`}`)
	p, err := CompilePath("$..x")
	if err != nil {
		t.Fatal(err)
	}
	got, err := p.Get(doc, "InputPath")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(got.([]any)); n != 2 {
		t.Errorf("$..x selected %d nodes, want 2", n)
	}
	if _, err := Encode(doc); err != nil {
		t.Errorf("Encode: %v", err)
	}
	if !equal(doc, doc) {
		t.Error("a document is not equal to itself")
	}
	f, err := CompileIntrinsic("States.ArrayUnique(States.Array($.x, $.x))")
	if err != nil {
		t.Fatal(err)
	}
	u, err := f.Eval(doc, nil)
	if err != nil || len(u.([]any)) != 1 {
		t.Errorf("ArrayUnique of two equal deep values = %v, %v; want one item", u, err)
	}
}

// TestNestedFilterBudget checks that filters nesting deep scans, which
// grow polynomially with the input, stop within the work budget instead
// of running for hours.
func TestNestedFilterBudget(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"a":[`)
	for i := range 200 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"b":[{"c":1},{"c":2}]}`)
	}
	b.WriteString(`]}`)
	doc := mustDecode(t, b.String())
	p, err := CompilePath("$..[?($..[?($..[?($..c)])])]")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Get(doc, "InputPath"); err != nil {
		t.Fatal(err)
	}
}
