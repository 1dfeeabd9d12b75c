package jsonata

import "testing"

// Comments and quoted path steps, which JSONata reads and the
// evaluator's parser does not, are spelled for it; nothing inside
// strings, names or regular expressions changes.
func TestEvaluatorSource(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{`$."Product Name"`, "$.`Product Name`"},
		{`foo.'blah'.baz`, "foo.`blah`.baz"},
		{`"foo".bar`, "`foo`.bar"},
		{`foo . "bar"`, "foo . `bar`"},
		{`/* total */ a + b`, `  a + b`},
		{`$substring("x", 0 /* start */, 1)`, `$substring("x", 0  , 1)`},
		{`"a /* not a comment */ b"`, `"a /* not a comment */ b"`},
		{`"a" & "b"`, `"a" & "b"`},
		{`$lookup(x, "Product Name")`, `$lookup(x, "Product Name")`},
		{"`Product Name`.x", "`Product Name`.x"},
		{`$match(s, /"x".y/)`, `$match(s, /"x".y/)`},
		{`a / b / "c"`, `a / b / "c"`},
		{`[1..3]`, `[1..3]`},
		{`x."with \"escape\""`, `x."with \"escape\""`},
		{`"unterminated`, `"unterminated`},
		{`/* unterminated`, `/* unterminated`},
	} {
		if got := evaluatorSource(c.src); got != c.want {
			t.Errorf("evaluatorSource(%s) = %s, want %s", c.src, got, c.want)
		}
	}
}

// An expression with comments, or with a quoted field name as a path
// step, evaluates as JSONata's documentation describes.
func TestQuotedPathStepsAndComments(t *testing.T) {
	input := `{"Product Name": "Bowler Hat", "Other": {"Over 18 ?": true}, "items": [{"Unit Price": 2}, {"Unit Price": 3}]}`
	for _, c := range []exprCase{
		{"quoted step", `$."Product Name"`, `"Bowler Hat"`},
		{"single-quoted step", `Other.'Over 18 ?'`, `true`},
		{"quoted steps over an array", `$sum(items."Unit Price")`, `5`},
		{"in a function argument", `$uppercase($states.input."Product Name")`, `"BOWLER HAT"`},
		{"comments", "/* the name */ $.`Product Name` /* done */", `"Bowler Hat"`},
		{"a string is still a string", `"Product Name" & "!"`, `"Product Name!"`},
	} {
		got, err := evalJSONata(t, c.src, input)
		if err != nil || got != c.want {
			t.Errorf("%s: %s = %s, %v; want %s", c.name, c.src, got, err, c.want)
		}
	}
}
