package expr

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// choiceInput is the document every Choice test runs against.
const choiceInput = `{
  "str": "beta", "other": "alpha", "same": "beta", "empty": "",
  "int": 10, "float": 10.0, "half": 2.5, "big": 12345678901234567890,
  "yes": true, "no": false, "nil": null,
  "ts": "2016-03-14T01:59:00Z", "tsOffset": "2016-03-14T02:59:00+01:00", "tsLater": "2016-03-14T02:00:00.5Z",
  "tsLower": "2016-03-14t01:59:00z", "date": "2016-03-14",
  "file": "log-2024.txt", "star": "a*b",
  "obj": {"k": 1}, "arr": [1], "numStr": "10"
}`

// choiceCases are rules matched against choiceInput with the expected
// outcome; TestChoiceEveryOperatorCovered checks every operator has one.
var choiceCases = []struct {
	rule string
	want bool
}{
	// String comparisons.
	{`{"Variable":"$.str","StringEquals":"beta"}`, true},
	{`{"Variable":"$.str","StringEquals":"Beta"}`, false},
	{`{"Variable":"$.int","StringEquals":"10"}`, false}, // type mismatch
	{`{"Variable":"$.str","StringLessThan":"gamma"}`, true},
	{`{"Variable":"$.str","StringLessThan":"beta"}`, false},
	{`{"Variable":"$.str","StringGreaterThan":"alpha"}`, true},
	{`{"Variable":"$.str","StringLessThanEquals":"beta"}`, true},
	{`{"Variable":"$.str","StringGreaterThanEquals":"beta"}`, true},
	{`{"Variable":"$.str","StringGreaterThanEquals":"c"}`, false},
	{`{"Variable":"$.str","StringEqualsPath":"$.same"}`, true},
	{`{"Variable":"$.str","StringEqualsPath":"$.other"}`, false},
	{`{"Variable":"$.str","StringLessThanPath":"$.other"}`, false},
	{`{"Variable":"$.str","StringGreaterThanPath":"$.other"}`, true},
	{`{"Variable":"$.str","StringLessThanEqualsPath":"$.same"}`, true},
	{`{"Variable":"$.str","StringGreaterThanEqualsPath":"$.same"}`, true},
	{`{"Variable":"$.str","StringEqualsPath":"$.int"}`, false}, // operand of another type
	// StringMatches: * wildcard, \* literal.
	{`{"Variable":"$.file","StringMatches":"log-*.txt"}`, true},
	{`{"Variable":"$.file","StringMatches":"*.txt"}`, true},
	{`{"Variable":"$.file","StringMatches":"log-*"}`, true},
	{`{"Variable":"$.file","StringMatches":"*"}`, true},
	{`{"Variable":"$.file","StringMatches":"l*-*4*"}`, true},
	{`{"Variable":"$.file","StringMatches":"l*-*5*"}`, false},
	{`{"Variable":"$.file","StringMatches":"*2024*2024*"}`, false},
	{`{"Variable":"$.file","StringMatches":"l*-*4*t"}`, true},
	{`{"Variable":"$.file","StringMatches":"*.csv"}`, false},
	{`{"Variable":"$.file","StringMatches":"log-2024.txt"}`, true},
	{`{"Variable":"$.star","StringMatches":"a\\*b"}`, true},
	{`{"Variable":"$.file","StringMatches":"a\\*b"}`, false},
	{`{"Variable":"$.empty","StringMatches":"*"}`, true},
	{`{"Variable":"$.int","StringMatches":"*"}`, false},
	// Numeric comparisons: by value, 10 == 10.0.
	{`{"Variable":"$.int","NumericEquals":10}`, true},
	{`{"Variable":"$.float","NumericEquals":10}`, true},
	{`{"Variable":"$.int","NumericEquals":10.0}`, true},
	{`{"Variable":"$.numStr","NumericEquals":10}`, false},
	{`{"Variable":"$.int","NumericLessThan":10.5}`, true},
	{`{"Variable":"$.int","NumericLessThan":10}`, false},
	{`{"Variable":"$.int","NumericGreaterThan":9.99}`, true},
	{`{"Variable":"$.int","NumericLessThanEquals":10}`, true},
	{`{"Variable":"$.int","NumericGreaterThanEquals":11}`, false},
	{`{"Variable":"$.big","NumericGreaterThan":12345678901234567889}`, true},
	{`{"Variable":"$.big","NumericEquals":12345678901234567891}`, false},
	{`{"Variable":"$.big","NumericLessThan":-12345678901234567891}`, false},
	{`{"Variable":"$.big","NumericEquals":1.2345678901234567890e19}`, true},
	{`{"Variable":"$.half","NumericEquals":2.50}`, true},
	{`{"Variable":"$.int","NumericEqualsPath":"$.float"}`, true},
	{`{"Variable":"$.half","NumericLessThanPath":"$.int"}`, true},
	{`{"Variable":"$.half","NumericGreaterThanPath":"$.int"}`, false},
	{`{"Variable":"$.int","NumericLessThanEqualsPath":"$.float"}`, true},
	{`{"Variable":"$.int","NumericGreaterThanEqualsPath":"$.half"}`, true},
	{`{"Variable":"$.int","NumericEqualsPath":"$.numStr"}`, false},
	// Booleans.
	{`{"Variable":"$.yes","BooleanEquals":true}`, true},
	{`{"Variable":"$.no","BooleanEquals":true}`, false},
	{`{"Variable":"$.str","BooleanEquals":true}`, false},
	{`{"Variable":"$.yes","BooleanEqualsPath":"$.yes"}`, true},
	{`{"Variable":"$.yes","BooleanEqualsPath":"$.no"}`, false},
	// Timestamps compare instants, whatever the offset.
	{`{"Variable":"$.ts","TimestampEquals":"2016-03-14T01:59:00Z"}`, true},
	{`{"Variable":"$.tsOffset","TimestampEquals":"2016-03-14T01:59:00Z"}`, true},
	{`{"Variable":"$.ts","TimestampEquals":"2016-03-14T01:59:00.000Z"}`, true},
	{`{"Variable":"$.ts","TimestampLessThan":"2016-03-14T02:00:00Z"}`, true},
	{`{"Variable":"$.ts","TimestampGreaterThan":"2016-03-14T01:58:59Z"}`, true},
	{`{"Variable":"$.ts","TimestampLessThanEquals":"2016-03-14T01:59:00Z"}`, true},
	{`{"Variable":"$.ts","TimestampGreaterThanEquals":"2016-03-14T02:00:00Z"}`, false},
	{`{"Variable":"$.tsLower","TimestampEquals":"2016-03-14T01:59:00Z"}`, false}, // lowercase t/z is not a timestamp
	{`{"Variable":"$.date","TimestampLessThan":"2017-01-01T00:00:00Z"}`, false},
	{`{"Variable":"$.int","TimestampLessThan":"2017-01-01T00:00:00Z"}`, false},
	{`{"Variable":"$.ts","TimestampEqualsPath":"$.tsOffset"}`, true},
	{`{"Variable":"$.ts","TimestampLessThanPath":"$.tsLater"}`, true},
	{`{"Variable":"$.ts","TimestampGreaterThanPath":"$.tsLater"}`, false},
	{`{"Variable":"$.tsLater","TimestampLessThanEqualsPath":"$.ts"}`, false},
	{`{"Variable":"$.tsLater","TimestampGreaterThanEqualsPath":"$.ts"}`, true},
	{`{"Variable":"$.ts","TimestampEqualsPath":"$.str"}`, false},
	// Type tests.
	{`{"Variable":"$.nil","IsNull":true}`, true},
	{`{"Variable":"$.str","IsNull":true}`, false},
	{`{"Variable":"$.str","IsNull":false}`, true},
	{`{"Variable":"$.str","IsPresent":true}`, true},
	{`{"Variable":"$.nil","IsPresent":true}`, true},
	{`{"Variable":"$.missing","IsPresent":true}`, false},
	{`{"Variable":"$.missing","IsPresent":false}`, true},
	{`{"Variable":"$.obj.missing","IsPresent":false}`, true},
	{`{"Variable":"$.half","IsNumeric":true}`, true},
	{`{"Variable":"$.numStr","IsNumeric":true}`, false},
	{`{"Variable":"$.str","IsString":true}`, true},
	{`{"Variable":"$.int","IsString":false}`, true},
	{`{"Variable":"$.no","IsBoolean":true}`, true},
	{`{"Variable":"$.nil","IsBoolean":true}`, false},
	{`{"Variable":"$.tsOffset","IsTimestamp":true}`, true},
	{`{"Variable":"$.date","IsTimestamp":true}`, false},
	{`{"Variable":"$.obj","IsTimestamp":false}`, true},
	// Boolean combinations, including the developer guide's example.
	{`{"And":[{"Variable":"$.int","NumericGreaterThanEquals":0},{"Variable":"$.int","NumericLessThan":20}]}`, true},
	{`{"And":[{"Variable":"$.int","NumericGreaterThanEquals":0},{"Variable":"$.int","NumericLessThan":5}]}`, false},
	{`{"Or":[{"Variable":"$.int","NumericLessThan":5},{"Variable":"$.str","StringEquals":"beta"}]}`, true},
	{`{"Or":[{"Variable":"$.int","NumericLessThan":5},{"Variable":"$.str","StringEquals":"x"}]}`, false},
	{`{"Not":{"Variable":"$.str","StringEquals":"beta"}}`, false},
	{`{"Not":{"Variable":"$.missing","IsPresent":true}}`, true},
	{`{"And":[{"Not":{"Variable":"$.no","BooleanEquals":true}},{"Or":[{"Variable":"$.nil","IsNull":true}]}]}`, true},
	// Comment and Next are allowed at the top.
	{`{"Variable":"$.str","StringEquals":"beta","Next":"S","Comment":"c"}`, true},
	// Indefinite Variable paths compare the list they select.
	{`{"Variable":"$.arr[*]","IsPresent":true}`, true},
}

func TestChoiceOperators(t *testing.T) {
	input := mustDecode(t, choiceInput)
	for _, tt := range choiceCases {
		t.Run(tt.rule, func(t *testing.T) {
			r, err := CompileChoiceRule(json.RawMessage(tt.rule))
			if err != nil {
				t.Fatalf("CompileChoiceRule: %v", err)
			}
			got, err := r.Match(input)
			if err != nil {
				t.Fatalf("Match: %v", err)
			}
			if got != tt.want {
				t.Errorf("Match = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestChoiceEveryOperatorCovered(t *testing.T) {
	used := map[string]bool{}
	var collect func(v any)
	collect = func(v any) {
		switch x := v.(type) {
		case *Object:
			for _, m := range x.Members() {
				used[m.Key] = true
				collect(m.Value)
			}
		case []any:
			for _, e := range x {
				collect(e)
			}
		}
	}
	for _, c := range choiceCases {
		collect(mustDecode(t, c.rule))
	}
	for _, op := range Operators() {
		if !used[op] {
			t.Errorf("operator %s has no case in choiceCases", op)
		}
	}
}

func TestChoiceMatchErrors(t *testing.T) {
	tests := []struct{ rule, cause string }{
		{`{"Variable":"$.missing","StringEquals":"x"}`, "Invalid path '$.missing': The choice state's condition path references an invalid value."},
		{`{"Variable":"$.missing","IsNull":true}`, "Invalid path '$.missing'"},
		{`{"Variable":"$.str","StringEqualsPath":"$.nope"}`, "Invalid path '$.nope'"},
		{`{"Not":{"Variable":"$.obj.x","NumericEquals":1}}`, "Invalid path '$.obj.x'"},
		{`{"Or":[{"Variable":"$.str","StringEquals":"x"},{"Variable":"$.gone","BooleanEquals":true}]}`, "Invalid path '$.gone'"},
	}
	input := mustDecode(t, choiceInput)
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			r, err := CompileChoiceRule(json.RawMessage(tt.rule))
			if err != nil {
				t.Fatalf("CompileChoiceRule: %v", err)
			}
			_, err = r.Match(input)
			if errName(err) != ErrRuntime || !strings.Contains(err.(*Error).Cause, tt.cause) {
				t.Errorf("Match error = %v, want States.Runtime mentioning %q", err, tt.cause)
			}
		})
	}
}

func TestChoiceContextObject(t *testing.T) {
	r, err := CompileChoiceRule(json.RawMessage(`{"Variable":"$$.Execution.Input.flag","BooleanEqualsPath":"$.flag"}`))
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.MatchContext(mustDecode(t, `{"flag":true}`), mustDecode(t, `{"Execution":{"Input":{"flag":true}}}`))
	if err != nil || !got {
		t.Errorf("MatchContext = %v, %v; want true", got, err)
	}
	if _, err := r.Match(mustDecode(t, `{"flag":true}`)); errName(err) != ErrRuntime {
		t.Errorf("Match without a context: error = %v, want States.Runtime", err)
	}
}

func TestCompileChoiceRuleErrors(t *testing.T) {
	tests := []struct{ rule, mention string }{
		{`{"Variable":"$.a","StringEquals":"x","NumericEquals":1}`, "StringEquals: a rule has exactly one comparison operator, found NumericEquals, StringEquals"},
		{`{"Variable":"$.a","StringEqual":"x"}`, "StringEqual: unknown field"},
		{`{"Variable":"$.a"}`, "Variable: a rule needs a comparison operator"},
		{`{"StringEquals":"x"}`, "Variable: required with StringEquals"},
		{`{"Variable":1,"StringEquals":"x"}`, "Variable: must be a string path"},
		{`{"Variable":"a","StringEquals":"x"}`, "Variable: invalid JSONPath"},
		{`{"Variable":"$.a","NumericEquals":"1"}`, "NumericEquals: must be a number, got string"},
		{`{"Variable":"$.a","StringEquals":1}`, "StringEquals: must be a string, got number"},
		{`{"Variable":"$.a","BooleanEquals":"true"}`, "BooleanEquals: must be a boolean, got string"},
		{`{"Variable":"$.a","IsNull":"yes"}`, "IsNull: must be a boolean, got string"},
		{`{"Variable":"$.a","StringMatches":null}`, "StringMatches: must be a string, got null"},
		{`{"Variable":"$.a","TimestampEquals":"2016-03-14"}`, `TimestampEquals: "2016-03-14" is not a valid timestamp`},
		{`{"Variable":"$.a","TimestampLessThan":"2016-03-14t01:59:00z"}`, "TimestampLessThan: "},
		{`{"Variable":"$.a","TimestampLessThan":5}`, "TimestampLessThan: must be a timestamp string, got number"},
		{`{"Variable":"$.a","NumericEqualsPath":5}`, "NumericEqualsPath: must be a string path, got number"},
		{`{"Variable":"$.a","StringEqualsPath":"$.b[*]"}`, "StringEqualsPath: invalid reference path"},
		{`{"And":[]}`, "And: must be a non-empty array of rules"},
		{`{"Or":{}}`, "Or: must be a non-empty array of rules"},
		{`{"Not":[]}`, "Not: a choice rule must be a JSON object, got array"},
		{`{"And":[{"Variable":"$.a","IsNull":true,"Next":"X"}]}`, "And[0].Next: a nested rule must not have Next"},
		{`{"Or":[{"Variable":"$.a","IsNull":true},{"Not":{"Variable":"$.a","NumericEquals":"x"}}]}`, "Or[1].Not.NumericEquals: must be a number"},
		{`{"And":[{"Variable":"$.a","IsNull":true}],"Or":[{"Variable":"$.a","IsNull":true}]}`, "a rule has exactly one operator"},
		{`{"Variable":"$.a","Not":{"Variable":"$.a","IsNull":true}}`, "Variable: not allowed with Not"},
		{`{"Variable":"$.a","IsNull":true,"Next":1}`, "Next: must be a string"},
		{`[1]`, "a choice rule must be a JSON object"},
		{`{`, "not valid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			_, err := CompileChoiceRule(json.RawMessage(tt.rule))
			if err == nil {
				t.Fatal("CompileChoiceRule succeeded, want an error")
			}
			if !strings.Contains(err.Error(), tt.mention) {
				t.Errorf("error %q does not mention %q", err, tt.mention)
			}
		})
	}
}

func TestOperatorsSorted(t *testing.T) {
	ops := Operators()
	if len(ops) != 39 || !slices.IsSorted(ops) {
		t.Errorf("Operators() = %d names (sorted: %v), want the 39 operators of the spec, sorted", len(ops), slices.IsSorted(ops))
	}
}
