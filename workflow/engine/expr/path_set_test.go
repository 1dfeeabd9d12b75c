package expr

import (
	"testing"
)

func TestPathSet(t *testing.T) {
	tests := []struct {
		name, doc, path, value, want string
	}{
		// The developer guide's ResultPath examples.
		{"root replaces the input", `{"comment":"x"}`, "$", `"Hello, AWS Step Functions!"`, `"Hello, AWS Step Functions!"`},
		{"adds a member", `{"comment":"An input comment.","data":{"val1":23,"val2":17},"extra":"foo","lambda":{"who":"AWS Step Functions"}}`,
			"$.lambdaresult", `"Hello, AWS Step Functions!"`,
			`{"comment":"An input comment.","data":{"val1":23,"val2":17},"extra":"foo","lambda":{"who":"AWS Step Functions"},"lambdaresult":"Hello, AWS Step Functions!"}`},
		{"nested member beside siblings", `{"strings":{"a":"x"}}`, "$.strings.lambdaresult", `"y"`, `{"strings":{"a":"x","lambdaresult":"y"}}`},
		{"replaces an existing member", `{"a":{"b":1,"c":2}}`, "$.a.b", `{"n":true}`, `{"a":{"b":{"n":true},"c":2}}`},
		{"creates missing objects", `{"a":1}`, "$.x.y.z", `3`, `{"a":1,"x":{"y":{"z":3}}}`},
		{"replaces an array element", `{"a":[1,{"b":2},3]}`, "$.a[1].b", `9`, `{"a":[1,{"b":9},3]}`},
		{"negative index", `{"a":[1,2,3]}`, "$.a[-1]", `0`, `{"a":[1,2,0]}`},
		{"bracket names", `{}`, "$['a b']['c']", `1`, `{"a b":{"c":1}}`},
		{"null value", `{"a":1}`, "$.a", `null`, `{"a":null}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := CompileReferencePath(tt.path)
			if err != nil {
				t.Fatal(err)
			}
			doc := mustDecode(t, tt.doc)
			before := mustEncode(t, doc)
			got, err := p.Set(doc, mustDecode(t, tt.value))
			if err != nil {
				t.Fatalf("Set: %v", err)
			}
			wantJSON(t, got, tt.want)
			if after := mustEncode(t, doc); after != before {
				t.Errorf("Set modified its input: before %s, after %s", before, after)
			}
		})
	}
}

func TestPathSetMatchFailure(t *testing.T) {
	tests := []struct {
		name, doc, path, cause string
	}{
		{"member of a string", `"hello"`, "$.a", `Unable to apply ReplacementPath "$.a" to input "\"hello\""`},
		{"member of an array", `[1,2]`, "$.a", `Unable to apply ReplacementPath "$.a" to input "[1,2]"`},
		{"member of a nested number", `{"a":1}`, "$.a.b", `Unable to apply ReplacementPath "$.a.b" to input "{\"a\":1}"`},
		{"member of null", `{"a":null}`, "$.a.b", `Unable to apply ReplacementPath "$.a.b" to input "{\"a\":null}"`},
		{"index past the end", `{"a":[1]}`, "$.a[1]", `Unable to apply ReplacementPath "$.a[1]" to input "{\"a\":[1]}"`},
		{"index into an object", `{"a":{}}`, "$.a[0]", `Unable to apply ReplacementPath "$.a[0]" to input "{\"a\":{}}"`},
		{"index into a missing member", `{}`, "$.a[0]", `Unable to apply ReplacementPath "$.a[0]" to input "{}"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := CompileReferencePath(tt.path)
			if err != nil {
				t.Fatal(err)
			}
			_, err = p.Set(mustDecode(t, tt.doc), "v")
			if errName(err) != ErrResultPathMatchFailure {
				t.Fatalf("Set error = %v, want %s", err, ErrResultPathMatchFailure)
			}
			if got := err.(*Error).Cause; got != tt.cause {
				t.Errorf("cause = %s, want %s", got, tt.cause)
			}
		})
	}
}

func TestPathSetRejectsIndefinitePaths(t *testing.T) {
	for _, path := range []string{"$.a[*]", "$..a", "$$.Execution"} {
		p, err := CompilePath(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.Set(mustDecode(t, `{"a":[1]}`), 1); errName(err) != ErrResultPathMatchFailure {
			t.Errorf("Set with %s: error = %v, want %s", path, err, ErrResultPathMatchFailure)
		}
	}
}
