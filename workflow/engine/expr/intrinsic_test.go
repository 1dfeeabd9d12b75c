package expr

import (
	"regexp"
	"strings"
	"testing"
)

func TestIntrinsicEval(t *testing.T) {
	// Inputs and expected outputs are the developer guide's examples where
	// it has one.
	tests := []struct {
		name, input, call, want string
	}{
		{"Format literal template", `{"name":"Arnav"}`, "States.Format('Hello, my name is {}.', $.name)", `"Hello, my name is Arnav."`},
		{"Format template from input", `{"name":"Arnav","template":"Hello, my name is {}."}`, "States.Format($.template, $.name)", `"Hello, my name is Arnav."`},
		{"Format numbers without .0, booleans, null", `{"n":42,"f":1.5,"b":true}`, "States.Format('{} {} {} {} {}', $.n, $.f, $.b, null, 7)", `"42 1.5 true null 7"`},
		{"Format escaped braces and quote", `{"x":"v"}`, `States.Format('it\'s \{\} {}', $.x)`, `"it's {} v"`},
		{"Format escaped backslash", `{}`, `States.Format('a\\b')`, `"a\\b"`},
		{"Format object and array like Java", `{"o":{"b":[1,"x"],"a":1}}`, "States.Format('{}', $.o)", `"{b=[1, x], a=1}"`},
		{"Format no placeholders", `{}`, "States.Format('plain')", `"plain"`},
		{"Format context path", `{}`, "States.Format('{}', $$.Execution.Name)", `"exec-1"`},
		{"StringToJson", `{"escapedJsonString":"{\"foo\": \"bar\"}"}`, "States.StringToJson($.escapedJsonString)", `{"foo":"bar"}`},
		{"StringToJson keeps member order", `{"s":"{\"b\":1,\"a\":2}"}`, "States.StringToJson($.s)", `{"b":1,"a":2}`},
		{"StringToJson of empty string is null", `{"s":""}`, "States.StringToJson($.s)", `null`},
		{"StringToJson of blank string is null", `{"s":" \n\t "}`, "States.StringToJson($.s)", `null`},
		{"StringToJson number keeps digits", `{"s":"12345678901234567890"}`, "States.StringToJson($.s)", `12345678901234567890`},
		{"JsonToString", `{"unescapedJson":{"foo":"bar"}}`, "States.JsonToString($.unescapedJson)", `"{\"foo\":\"bar\"}"`},
		{"JsonToString integers stay integers", `{"a":[1,2.5,"<&>"]}`, "States.JsonToString($.a)", `"[1,2.5,\"<&>\"]"`},
		{"Array", `{"Id":123456}`, "States.Array($.Id)", `[123456]`},
		{"Array of literals", `{}`, "States.Array('a', 1, true, null, -2.5)", `["a",1,true,null,-2.5]`},
		{"Array empty", `{}`, "States.Array()", `[]`},
		{"ArrayPartition", `{"inputArray":[1,2,3,4,5,6,7,8,9]}`, "States.ArrayPartition($.inputArray,4)", `[[1,2,3,4],[5,6,7,8],[9]]`},
		{"ArrayPartition chunk larger than array", `{"a":[1,2]}`, "States.ArrayPartition($.a, 5)", `[[1,2]]`},
		{"ArrayPartition empty", `{"a":[]}`, "States.ArrayPartition($.a, 2)", `[]`},
		{"ArrayContains", `{"inputArray":[1,2,3,4,5,6,7,8,9],"lookingFor":5}`, "States.ArrayContains($.inputArray, $.lookingFor)", `true`},
		{"ArrayContains deep equality", `{"a":[{"x":[1,{"y":2}]}],"v":{"x":[1.0,{"y":2}]}}`, "States.ArrayContains($.a, $.v)", `true`},
		{"ArrayContains absent", `{"a":[1,"5"]}`, "States.ArrayContains($.a, 5)", `false`},
		{"ArrayRange", `{}`, "States.ArrayRange(1, 9, 2)", `[1,3,5,7,9]`},
		{"ArrayRange descending", `{}`, "States.ArrayRange(10, 0, -5)", `[10,5,0]`},
		{"ArrayRange single", `{}`, "States.ArrayRange(3, 3, 1)", `[3]`},
		{"ArrayRange wrong direction is empty", `{}`, "States.ArrayRange(1, 9, -1)", `[]`},
		{"ArrayRange 1000 items", `{}`, "States.ArrayLength(States.ArrayRange(1, 1000, 1))", `1000`},
		{"ArrayGetItem", `{"inputArray":[1,2,3,4,5,6,7,8,9],"index":5}`, "States.ArrayGetItem($.inputArray, $.index)", `6`},
		{"ArrayGetItem integral float index", `{"a":["x","y"]}`, "States.ArrayGetItem($.a, 1.0)", `"y"`},
		{"ArrayLength", `{"inputArray":[1,2,3,4,5,6,7,8,9]}`, "States.ArrayLength($.inputArray)", `9`},
		{"ArrayUnique", `{"inputArray":[1,2,3,3,3,3,3,3,4]}`, "States.ArrayUnique($.inputArray)", `[1,2,3,4]`},
		{"ArrayUnique deep equality keeps first", `{"a":[{"k":1,"j":[2]},{"j":[2.0],"k":1},"1",1,1.0]}`, "States.ArrayUnique($.a)", `[{"k":1,"j":[2]},"1",1]`},
		{"Base64Encode", `{"input":"Data to encode"}`, "States.Base64Encode($.input)", `"RGF0YSB0byBlbmNvZGU="`},
		{"Base64Decode", `{"base64":"RGF0YSB0byBlbmNvZGU="}`, "States.Base64Decode($.base64)", `"Data to encode"`},
		{"Base64 round trip unicode", `{"s":"一表填报"}`, "States.Base64Decode(States.Base64Encode($.s))", `"一表填报"`},
		{"Hash SHA-1", `{"Data":"input data","Algorithm":"SHA-1"}`, "States.Hash($.Data, $.Algorithm)", `"aaff4a450a104cd177d28d18d74485e8cae074b7"`},
		{"Hash MD5", `{}`, "States.Hash('input data', 'MD5')", `"812f45842bc6d66ee14572ce20db8e86"`},
		{"Hash SHA-256", `{}`, "States.Hash('input data', 'SHA-256')", `"b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"`},
		{"Hash SHA-384", `{}`, "States.Hash('abc', 'SHA-384')", `"cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"`},
		{"Hash SHA-512", `{}`, "States.Hash('abc', 'SHA-512')", `"ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"`},
		{"JsonMerge shallow", `{"json1":{"a":{"a1":1,"a2":2},"b":2},"json2":{"a":{"a3":1,"a4":2},"c":3}}`, "States.JsonMerge($.json1, $.json2, false)", `{"a":{"a3":1,"a4":2},"b":2,"c":3}`},
		{"MathAdd", `{"value1":111,"step":-1}`, "States.MathAdd($.value1, $.step)", `110`},
		{"MathAdd rounds non-integers half up", `{}`, "States.MathAdd(1.5, 2.4)", `4`},
		{"MathAdd rounds negative halves up", `{}`, "States.MathAdd(-2.5, 0)", `-2`},
		{"MathAdd large integers exactly", `{}`, "States.MathAdd(9007199254740993, 1)", `9007199254740994`},
		{"MathRandom seeded is deterministic and in range", `{}`, "States.ArrayContains(States.ArrayRange(1, 10, 1), States.MathRandom(1, 10, 1234))", `true`},
		{"MathRandom single value", `{"start":7,"end":7}`, "States.MathRandom($.start, $.end)", `7`},
		{"StringSplit", `{"inputString":"1,2,3,4,5","splitter":","}`, "States.StringSplit($.inputString, $.splitter)", `["1","2","3","4","5"]`},
		{"StringSplit on each delimiter character", `{"inputString":"This.is+a,test=string","splitter":".+,="}`, "States.StringSplit($.inputString, $.splitter)", `["This","is","a","test","string"]`},
		{"StringSplit drops empty pieces", `{}`, "States.StringSplit(',a,,b,', ',')", `["a","b"]`},
		{"StringSplit empty string", `{}`, "States.StringSplit('', ',')", `[]`},
		{"nested calls from the guide", `{"ImageRecipe":{"Arn":"arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/my.recipe/1.0.0"}}`,
			"States.Format('{}.{}', States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 0), States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 1))",
			`"1.0"`},
		{"path with filter argument", `{"a":[{"n":1},{"n":2}]}`, "States.ArrayLength($.a[?(@.n > 1)])", `1`},
		{"path with bracket and comma", `{"a,b":[1]}`, "States.ArrayLength($['a,b'])", `1`},
		{"spaces around arguments", `{"a":[1]}`, "  States.ArrayLength(  $.a  )  ", `1`},
	}
	context := mustDecode(t, `{"Execution":{"Name":"exec-1"}}`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := CompileIntrinsic(tt.call)
			if err != nil {
				t.Fatalf("CompileIntrinsic: %v", err)
			}
			got, err := f.Eval(mustDecode(t, tt.input), context)
			if err != nil {
				t.Fatalf("Eval: %v", err)
			}
			wantJSON(t, got, tt.want)
		})
	}
}

func TestIntrinsicUUID(t *testing.T) {
	f, err := CompileIntrinsic("States.UUID()")
	if err != nil {
		t.Fatal(err)
	}
	v4 := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	a, _ := f.Eval(nil, nil)
	b, _ := f.Eval(nil, nil)
	if !v4.MatchString(a.(string)) || a == b {
		t.Errorf("UUIDs %v, %v: want two different version 4 UUIDs", a, b)
	}
}

func TestIntrinsicMathRandomRange(t *testing.T) {
	f, err := CompileIntrinsic("States.MathRandom(1, 3)")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for i := 0; i < 300; i++ {
		v, err := f.Eval(nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		seen[mustEncode(t, v)] = true
	}
	if len(seen) != 3 || !seen["1"] || !seen["2"] || !seen["3"] {
		t.Errorf("300 draws from MathRandom(1, 3) gave %v, want each of 1, 2, 3", seen)
	}
	seeded, _ := CompileIntrinsic("States.MathRandom(1, 1000000, 42)")
	x, _ := seeded.Eval(nil, nil)
	y, _ := seeded.Eval(nil, nil)
	if x != y {
		t.Errorf("seeded MathRandom gave %v then %v, want the same", x, y)
	}
}

func TestIntrinsicRuntimeErrors(t *testing.T) {
	long := strings.Repeat("x", maxStringInput+1)
	tests := []struct {
		name, input, call, errName, cause string
	}{
		{"Format count mismatch from input template", `{"t":"{} {}"}`, "States.Format($.t, 1)", ErrIntrinsicFailure, "does not match the occurrences of {}"},
		{"Format template not a string", `{"t":1}`, "States.Format($.t)", ErrIntrinsicFailure, "argument 1 must be a string, got number"},
		{"StringToJson invalid JSON", `{"s":"{not json"}`, "States.StringToJson($.s)", ErrIntrinsicFailure, "not valid JSON"},
		{"StringToJson trailing data", `{"s":"{} {}"}`, "States.StringToJson($.s)", ErrIntrinsicFailure, "not valid JSON"},
		{"StringToJson of a number", `{"s":1}`, "States.StringToJson($.s)", ErrIntrinsicFailure, "must be a string, got number"},
		{"ArrayPartition zero chunk", `{"n":0}`, "States.ArrayPartition(States.Array(1), $.n)", ErrIntrinsicFailure, "positive integer"},
		{"ArrayPartition fractional chunk", `{"n":1.5}`, "States.ArrayPartition(States.Array(1), $.n)", ErrIntrinsicFailure, "must be an integer"},
		{"ArrayRange too long", `{}`, "States.ArrayRange(1, 1001, 1)", ErrIntrinsicFailure, "more than 1000 items"},
		{"ArrayRange zero step", `{"s":0}`, "States.ArrayRange(1, 2, $.s)", ErrIntrinsicFailure, "step must not be 0"},
		{"ArrayRange extreme bounds", `{}`, "States.ArrayRange(-9223372036854775808, 9223372036854775807, 1)", ErrIntrinsicFailure, "more than 1000 items"},
		{"ArrayGetItem out of range", `{"a":[1,2]}`, "States.ArrayGetItem($.a, 2)", ErrIntrinsicFailure, "out of bounds"},
		{"ArrayGetItem negative", `{"a":[1,2],"i":-1}`, "States.ArrayGetItem($.a, $.i)", ErrIntrinsicFailure, "out of bounds"},
		{"ArrayLength of an object", `{"a":{}}`, "States.ArrayLength($.a)", ErrIntrinsicFailure, "must be an array, got object"},
		{"Base64Decode invalid", `{"s":"!!!"}`, "States.Base64Decode($.s)", ErrIntrinsicFailure, "not valid base64"},
		{"Base64Encode too long", `{"s":"` + long + `"}`, "States.Base64Encode($.s)", ErrIntrinsicFailure, "maximum is 10000"},
		{"Hash too long", `{"s":"` + long + `"}`, "States.Hash($.s, 'MD5')", ErrIntrinsicFailure, "maximum is 10000"},
		{"Hash unknown algorithm from input", `{"a":"SHA-3"}`, "States.Hash('x', $.a)", ErrIntrinsicFailure, "unsupported hashing algorithm"},
		{"Hash of a number", `{"n":1}`, "States.Hash($.n, 'MD5')", ErrIntrinsicFailure, "must be a string"},
		{"JsonMerge deep from input", `{"d":true}`, "States.JsonMerge(States.StringToJson('{}'), States.StringToJson('{}'), $.d)", ErrIntrinsicFailure, "shallow"},
		{"JsonMerge of an array", `{"a":[]}`, "States.JsonMerge($.a, $.a, false)", ErrIntrinsicFailure, "must be an object"},
		{"MathAdd of a string", `{"s":"1"}`, "States.MathAdd($.s, 1)", ErrIntrinsicFailure, "must be a number, got string"},
		{"MathAdd overflow", `{}`, "States.MathAdd(9223372036854775807, 1)", ErrIntrinsicFailure, "overflows"},
		{"MathRandom end before start", `{}`, "States.MathRandom(5, 1)", ErrIntrinsicFailure, "must not be less than"},
		{"StringSplit of null", `{"s":null}`, "States.StringSplit($.s, ',')", ErrIntrinsicFailure, "must be a string, got null"},
		{"path selecting nothing", `{}`, "States.Format('{}', $.missing)", ErrRuntime, "The JSONPath '$.missing' specified for the field"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := CompileIntrinsic(tt.call)
			if err != nil {
				t.Fatalf("CompileIntrinsic: %v", err)
			}
			_, err = f.Eval(mustDecode(t, tt.input), nil)
			if errName(err) != tt.errName {
				t.Fatalf("Eval error = %v, want %s", err, tt.errName)
			}
			if !strings.Contains(err.(*Error).Cause, tt.cause) {
				t.Errorf("cause %q does not mention %q", err.(*Error).Cause, tt.cause)
			}
		})
	}
}

func TestCompileIntrinsicErrors(t *testing.T) {
	tests := []struct{ call, mention string }{
		{"States.Nope(1)", "unknown intrinsic function States.Nope"},
		{`States.Format('a\nb')`, `malformed escape sequence '\n'`},
		{`States.Format('a\"b')`, `malformed escape sequence '\"'`},
		{`States.StringToJson('\u0041')`, `malformed escape sequence '\u'`},
		{`States.Format('trailing\')`, "unterminated string literal"},
		{"States.Format()", "at least 1"},
		{"States.Format('{} {}', 1)", "2 {} placeholder(s) but 1 value(s)"},
		{"States.Format(1)", "must be a string, got number"},
		{"States.ArrayLength()", "takes 1 argument(s), got 0"},
		{"States.ArrayLength($.a, $.b)", "takes 1 argument(s), got 2"},
		{"States.ArrayLength('abc')", "must be an array, got string"},
		{"States.ArrayLength(States.Format('x'))", "States.Format returns a string"},
		{"States.ArrayPartition($.a, 0)", "positive integer"},
		{"States.ArrayPartition($.a, 1.5)", "must be an integer"},
		{"States.ArrayRange(1, 2)", "takes 3 argument(s)"},
		{"States.Hash('x', 'SHA-3')", `algorithm "SHA-3" is not supported`},
		{"States.JsonMerge($.a, $.b, true)", "only shallow merging"},
		{"States.MathRandom(1)", "takes 2 to 3 arguments"},
		{"States.UUID(1)", "takes 0 argument(s)"},
		{"States.Format('x'", "missing ')'"},
		{"States.Format('x)", "unterminated string literal"},
		{"States.Format('x') extra", "unexpected"},
		{"States.Array(1 2)", "expected ',' or ')'"},
		{"States.Array(foo)", "unexpected 'f'"},
		{"States.Array(1.)", "invalid number"},
		{"States.Array($.a[)", "invalid JSONPath"},
		{"States.Array", "expected '('"},
		{"Format('x')", "expected a States.* function"},
		{strings.Repeat("States.Array(", 11) + strings.Repeat(")", 11), "nested deeper than 10"},
	}
	for _, tt := range tests {
		t.Run(tt.call, func(t *testing.T) {
			_, err := CompileIntrinsic(tt.call)
			if err == nil {
				t.Fatal("CompileIntrinsic succeeded, want an error")
			}
			if !strings.Contains(err.Error(), tt.mention) {
				t.Errorf("error %q does not mention %q", err, tt.mention)
			}
		})
	}
	if _, err := CompileIntrinsic(strings.Repeat("States.Array(", 10) + strings.Repeat(")", 10)); err != nil {
		t.Errorf("10 nested calls: %v, want them accepted", err)
	}
}

func TestIsIntrinsic(t *testing.T) {
	for s, want := range map[string]bool{
		"States.Format('x')":  true,
		" States.UUID ()":     true,
		"States.Nope(1)":      true, // shaped like a call; compiling reports the name
		"$.States.Format":     false,
		"States.Format":       false,
		"States.":             false,
		"States.Array$.a":     false,
		"Hello States.UUID()": false,
	} {
		if got := IsIntrinsic(s); got != want {
			t.Errorf("IsIntrinsic(%q) = %v, want %v", s, got, want)
		}
	}
}
