package jsonata

import (
	"encoding/json"
	"testing"
)

// FuzzTemplate: any JSON value compiles or is refused with an error, and
// a compiled template evaluates or fails with *Error; never a panic.
func FuzzTemplate(f *testing.F) {
	for _, s := range []string{
		`"{% $states.input.a %}"`, `{"a":"{% $x + 1 %}","b":["{% $partition([1,2],1) %}"]}`,
		`"{% %}"`, `"{%%}"`, `"{% ( %}"`, `"{% $range(1, 1e9, 1) %}"`, `"{% $parse('[') %}"`,
		`"{% $states.input.a.b[0].c ~> $sum() %}"`, `"{% function($x){$x}(1) %}"`, `[1,"{% 'a' & 1 %}"]`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var v any
		if json.Unmarshal([]byte(s), &v) != nil {
			return
		}
		tmpl, err := Compile(v, "Output")
		if err != nil {
			return
		}
		in := obj(map[string]any{"a": []any{json.Number("1"), map[string]any{"b": "x"}}})
		_, err = tmpl.Eval(&Bindings{States: obj(map[string]any{"input": in}), Vars: obj(map[string]any{"x": json.Number("2")})})
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("Eval error %T %v, want *Error", err, err)
			}
		}
	})
}
