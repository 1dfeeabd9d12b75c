package jsonata

import (
	"errors"
	"testing"
)

// TestLoneBangIsRefusedBeforeTheParser: a ! that is not != is a syntax
// error, reported as one; before a character outside ASCII it used to
// crash the process (a stack overflow in the evaluator's parser) or
// panic. A ! inside a string, name, comment or regular expression, and
// != itself, are left to the parser.
func TestLoneBangIsRefusedBeforeTheParser(t *testing.T) {
	refused := []string{"${!\uFFFD00", "{!é", "(!中", "[!é", "$range(0,0!\uFFFD00", "a ! b", "!", "x !"}
	for _, src := range refused {
		if _, err := compileSafely(src); !errors.Is(err, errLoneBang) {
			t.Errorf("%q: error %v, want %v", src, err, errLoneBang)
		}
	}
	accepted := []string{`a != b`, `"!é" & 'x!'`, "`a!é`.b", `/* !é */ 1`, `$match("a!", /!é/)`, `a != "!"`, `1 / 2 != 3`}
	for _, src := range accepted {
		if loneBang(src) {
			t.Errorf("%q refused as a lone !", src)
		}
		if _, err := compileSafely(src); errors.Is(err, errLoneBang) {
			t.Errorf("%q: %v", src, err)
		}
	}
}
