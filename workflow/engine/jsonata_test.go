package engine

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

const lambdaEcho = "arn:aws:lambda:us-east-1:123456789012:function:echo"

func failing(name, cause string) Handler {
	return func(context.Context, json.RawMessage) (json.RawMessage, error) {
		return nil, &TaskError{Name: name, Cause: cause}
	}
}

// TestJSONataStates runs JSONata states end to end, following the
// developer guide's "Transforming data with JSONata" and "Passing data
// between states with variables".
func TestJSONataStates(t *testing.T) {
	h := map[string]Handler{"hello": hello, "echo": echo, "boom": failing("Custom.Boom", "it broke"),
		"firstFails": func(ctx context.Context, in json.RawMessage) (json.RawMessage, error) {
			if strings.Contains(string(in), `"retry":0`) {
				return nil, &TaskError{Name: "Custom.Flaky", Cause: "first attempt"}
			}
			return in, nil
		}}
	runFlowCases(t, []flowCase{
		{
			name: "Retry evaluates Arguments again, with $states.context.State.RetryCount",
			def: `{"QueryLanguage":"JSONata","StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:firstFails",
				"Arguments":{"retry":"{% $states.context.State.RetryCount %}"},"Retry":[{"ErrorEquals":["Custom.Flaky"],"IntervalSeconds":1}],
				"Output":"{% $states.result.retry %}","End":true}}}`,
			handlers: h, output: `1`,
		},
		{
			name:  "top-level QueryLanguage: Pass Output from $states.input",
			def:   `{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass","Output":{"t":"{% $states.input.title %}","n":"{% $states.input.n * 2 %}"},"End":true}}}`,
			input: `{"title":"Hi","n":21}`, output: `{"t":"Hi","n":42}`,
		},
		{
			name:  "per-state QueryLanguage inside a JSONPath machine",
			def:   `{"StartAt":"A","States":{"A":{"Type":"Pass","InputPath":"$.x","Next":"B"},"B":{"QueryLanguage":"JSONata","Type":"Pass","Output":"{% $states.input.y & '!' %}","End":true}}}`,
			input: `{"x":{"y":"ok"}}`, output: `"ok!"`,
		},
		{
			name: "Task: Arguments build the payload, the result is the default output",
			def: `{"QueryLanguage":"JSONata","StartAt":"T","States":{"T":{"Type":"Task","Resource":"` + lambdaHello + `",
				"Arguments":{"who":"{% $states.input.name %}"},"End":true}}}`,
			input: `{"name":"Kaiban"}`, handlers: h, output: `"Hello, Kaiban!"`,
			checkCall: func(t *testing.T, calls []string) {
				if len(calls) != 1 || !jsonEq(t, calls[0], `{"who":"Kaiban"}`) {
					t.Errorf("handler got %v", calls)
				}
			},
		},
		{
			name: "Task: optimised lambda:invoke with FunctionName and Payload in Arguments",
			def: `{"QueryLanguage":"JSONata","StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
				"Arguments":{"FunctionName":"echo","Payload":{"x":"{% $states.input.x %}"}},"Output":"{% $states.result.Payload.x %}","End":true}}}`,
			input: `{"x":"via invoke"}`, handlers: h, output: `"via invoke"`,
		},
		{
			name: "Task: Output combines $states.input and $states.result",
			def: `{"QueryLanguage":"JSONata","StartAt":"T","States":{"T":{"Type":"Task","Resource":"` + lambdaEcho + `",
				"Arguments":{"v":"{% $states.input.v + 1 %}"},"Output":{"in":"{% $states.input.v %}","out":"{% $states.result.v %}"},"End":true}}}`,
			input: `{"v":1}`, handlers: h, output: `{"in":1,"out":2}`,
		},
		{
			name: "Assign then a later state reads the variable; Output sees the old value",
			def: `{"QueryLanguage":"JSONata","StartAt":"A","States":{
				"A":{"Type":"Pass","Assign":{"count":"{% $states.input.start %}","label":"fixed"},"Next":"B"},
				"B":{"Type":"Pass","Assign":{"count":"{% $count + 1 %}"},"Output":{"before":"{% $count %}","label":"{% $label %}"},"Next":"C"},
				"C":{"Type":"Pass","Output":"{% $count %}","End":true}}}`,
			input: `{"start":5}`, output: `6`,
		},
		{
			name: "Output of the middle state sees variables from before its Assign",
			def: `{"QueryLanguage":"JSONata","StartAt":"A","States":{
				"A":{"Type":"Pass","Assign":{"x":1},"Next":"B"},
				"B":{"Type":"Pass","Assign":{"x":2},"Output":"{% $x %}","End":true}}}`,
			output: `1`,
		},
		{
			name: "Choice Condition, rule Output and Assign; Default",
			def: `{"QueryLanguage":"JSONata","StartAt":"C","States":{
				"C":{"Type":"Choice","Choices":[
					{"Condition":"{% $states.input.n > 10 %}","Next":"Big","Assign":{"size":"big"}},
					{"Condition":"{% $states.input.n > 5 %}","Next":"Mid","Output":{"m":"{% $states.input.n %}"}}],
					"Default":"Small"},
				"Big":{"Type":"Pass","Output":"{% $size %}","End":true},
				"Mid":{"Type":"Succeed"},
				"Small":{"Type":"Succeed","Output":"small"}}}`,
			input: `{"n":7}`, output: `{"m":7}`,
		},
		{
			name: "Choice rule Assign reaches the next state",
			def: `{"QueryLanguage":"JSONata","StartAt":"C","States":{
				"C":{"Type":"Choice","Choices":[{"Condition":"{% $states.input.n > 10 %}","Next":"Big","Assign":{"size":"big"}}],"Default":"Big"},
				"Big":{"Type":"Pass","Output":"{% $size %}","End":true}}}`,
			input: `{"n":70}`, output: `"big"`,
		},
		{
			name: "Choice without a match and without Default",
			def: `{"QueryLanguage":"JSONata","StartAt":"C","States":{
				"C":{"Type":"Choice","Choices":[{"Condition":"{% false %}","Next":"E"}]},"E":{"Type":"Succeed"}}}`,
			status: StatusFailed, errName: ErrNoChoiceMatched,
		},
		{
			name: "Choice Condition that is not a boolean",
			def: `{"QueryLanguage":"JSONata","StartAt":"C","States":{
				"C":{"Type":"Choice","Choices":[{"Condition":"{% $states.input.n %}","Next":"E"}]},"E":{"Type":"Succeed"}}}`,
			input: `{"n":1}`, status: StatusFailed, errName: ErrQueryEvaluation, causeHas: "must evaluate to true or false",
		},
		{
			name: "Map: Items, ItemSelector with $states.context.Map.Item, inner states see outer variables",
			def: `{"QueryLanguage":"JSONata","StartAt":"V","States":{
				"V":{"Type":"Pass","Assign":{"factor":10},"Next":"M"},
				"M":{"Type":"Map","Items":"{% $states.input.nums %}",
					"ItemSelector":{"v":"{% $states.context.Map.Item.Value %}","i":"{% $states.context.Map.Item.Index %}"},
					"ItemProcessor":{"StartAt":"X","States":{"X":{"Type":"Pass","Output":"{% $states.input.v * $factor + $states.input.i %}","End":true}}},
					"Output":{"r":"{% $states.result %}","sum":"{% $sum($states.result) %}"},"End":true}}}`,
			input: `{"nums":[1,2,3]}`, output: `{"r":[10,21,32],"sum":63}`,
		},
		{
			name: "Map: literal Items array and MaxConcurrency expression",
			def: `{"QueryLanguage":"JSONata","StartAt":"M","States":{"M":{"Type":"Map","Items":[1,2],"MaxConcurrency":"{% 1 %}",
					"ItemProcessor":{"StartAt":"X","States":{"X":{"Type":"Pass","Output":"{% $states.input + 1 %}","End":true}}},"End":true}}}`,
			output: `[2,3]`,
		},
		{
			name: "Map: Items that is not an array",
			def: `{"QueryLanguage":"JSONata","StartAt":"M","States":{"M":{"Type":"Map","Items":"{% $states.input %}",
					"ItemProcessor":{"StartAt":"X","States":{"X":{"Type":"Succeed"}}},"End":true}}}`,
			input: `{"a":1}`, status: StatusFailed, errName: ErrQueryEvaluation, causeHas: "must evaluate to a JSON array",
		},
		{
			name: "outer states never see inner assignments; Output hands values back",
			def: `{"QueryLanguage":"JSONata","StartAt":"V","States":{
				"V":{"Type":"Pass","Assign":{"x":"outer"},"Next":"P"},
				"P":{"Type":"Parallel","Branches":[{"StartAt":"In","States":{"In":{"Type":"Pass","Assign":{"x":"inner"},"Next":"Read"},
					"Read":{"Type":"Pass","Output":"{% $x %}","End":true}}}],
					"Assign":{"handed":"{% $states.result[0] %}"},"Next":"After"},
				"After":{"Type":"Pass","Output":{"x":"{% $x %}","handed":"{% $handed %}"},"End":true}}}`,
			output: `{"x":"outer","handed":"inner"}`,
		},
		{
			name: "Parallel Arguments are every branch's input",
			def: `{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Parallel","Arguments":{"v":"{% $states.input.a %}"},
				"Branches":[{"StartAt":"X","States":{"X":{"Type":"Pass","Output":"{% $states.input.v %}","End":true}}},
				{"StartAt":"Y","States":{"Y":{"Type":"Pass","Output":"{% $states.input.v * 2 %}","End":true}}}],"End":true}}}`,
			input: `{"a":4}`, output: `[4,8]`,
		},
		{
			name: "Catch: default output is the error output; Catch's Assign and Output",
			def: `{"QueryLanguage":"JSONata","StartAt":"T","States":{
				"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:boom","Assign":{"never":1},
					"Catch":[{"ErrorEquals":["Custom.Boom"],"Assign":{"why":"{% $states.errorOutput.Cause %}"},"Next":"H"}],"End":true},
				"H":{"Type":"Pass","Output":{"err":"{% $states.input %}","why":"{% $why %}","never":"{% $exists($never) %}"},"End":true}}}`,
			handlers: h, output: `{"err":{"Error":"Custom.Boom","Cause":"it broke"},"why":"it broke","never":false}`,
		},
		{
			name: "Catch Output replaces the error output",
			def: `{"QueryLanguage":"JSONata","StartAt":"T","States":{
				"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:boom",
					"Catch":[{"ErrorEquals":["States.ALL"],"Output":{"in":"{% $states.input %}","e":"{% $states.errorOutput.Error %}"},"Next":"H"}],"End":true},
				"H":{"Type":"Succeed"}}}`,
			input: `{"k":1}`, handlers: h, output: `{"in":{"k":1},"e":"Custom.Boom"}`,
		},
		{
			name:  "undefined is States.QueryEvaluationError with AWS's cause",
			def:   `{"QueryLanguage":"JSONata","StartAt":"Transform","States":{"Transform":{"Type":"Pass","Output":"{% $states.input.missing %}","End":true}}}`,
			input: `{}`, status: StatusFailed, errName: ErrQueryEvaluation,
			causeHas: "An error occurred while executing the state 'Transform' (entered at the event id #2). The JSONata expression '$states.input.missing' specified for the field 'Output' returned nothing (undefined).",
		},
		{
			name: "States.QueryEvaluationError is caught by States.ALL",
			def: `{"QueryLanguage":"JSONata","StartAt":"T","States":{
				"T":{"Type":"Task","Resource":"` + lambdaEcho + `","Arguments":{"x":"{% $nope %}"},
					"Catch":[{"ErrorEquals":["States.ALL"],"Output":"{% $states.errorOutput.Error %}","Next":"H"}],"End":true},
				"H":{"Type":"Succeed"}}}`,
			handlers: h, output: `"States.QueryEvaluationError"`,
		},
		{
			name:  "Fail: Error and Cause from expressions",
			def:   `{"QueryLanguage":"JSONata","StartAt":"F","States":{"F":{"Type":"Fail","Error":"{% 'Bad.' & $states.input.kind %}","Cause":"{% $string($states.input.n) %}"}}}`,
			input: `{"kind":"Input","n":3}`, status: StatusFailed, errName: "Bad.Input", causeHas: "3",
		},
		{
			name:  "Wait: Seconds from an expression, then Output",
			def:   `{"QueryLanguage":"JSONata","StartAt":"W","States":{"W":{"Type":"Wait","Seconds":"{% $states.input.s %}","Output":"{% $states.input.s %}","End":true}}}`,
			input: `{"s":30}`, output: `30`,
		},
		{
			name:  "Task: TimeoutSeconds from an expression",
			def:   `{"QueryLanguage":"JSONata","StartAt":"T","States":{"T":{"Type":"Task","Resource":"` + lambdaEcho + `","TimeoutSeconds":"{% $states.input.t %}","End":true}}}`,
			input: `{"t":0}`, handlers: h, status: StatusFailed, errName: ErrQueryEvaluation, causeHas: "TimeoutSeconds field must evaluate to a positive integer",
		},
		{
			name: "AWS's functions in a state",
			def: `{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass","Output":{
				"parts":"{% $partition($states.input.l, 2) %}","r":"{% $range(1, 5, 2) %}","h":"{% $hash('abc', 'SHA-256') %}",
				"p":"{% $parse($states.input.s).k %}","u":"{% $length($uuid()) %}"},"End":true}}}`,
			input:  `{"l":[1,2,3],"s":"{\"k\":[true]}"}`,
			output: `{"parts":[[1,2],[3]],"r":[1,3,5],"h":"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad","p":[true],"u":36}`,
		},
		{
			name:   "a variable larger than 256 KiB",
			def:    `{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass","Assign":{"big":"{% $pad('', 300000, 'x') %}"},"End":true}}}`,
			status: StatusFailed, errName: ErrDataLimitExceeded, causeHas: "The variable 'big'",
		},
	})
}

// The assignments are recorded on the StateExited event as AWS records
// them.
func TestJSONataAssignedVariablesInHistory(t *testing.T) {
	e := newTestEngine(t, Options{Clock: NewVirtualClock(epoch)})
	arn := mustCreate(t, e, "vars", `{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"n":"{% 1 + 1 %}","s":"x"},"End":true}}}`)
	x := runToEnd(t, e, arn, `{}`)
	var exited string
	for _, ev := range historyOf(t, e, x.Arn) {
		if ev.Type == "PassStateExited" {
			exited = string(ev.Details)
		}
	}
	if !strings.Contains(exited, `"assignedVariables":{"n":"2","s":"\"x\""},"assignedVariablesDetails":{"truncated":false}`) {
		t.Errorf("PassStateExited details = %s, want assignedVariables", exited)
	}
}

// TestJSONataValidation: JSONPath fields are refused in JSONata states,
// naming the state and field; expressions are parsed at validation.
func TestJSONataValidation(t *testing.T) {
	for _, tc := range []struct {
		name, def string
		want      []string
	}{
		{"JSONPath fields in a Task", `{"QueryLanguage":"JSONata","StartAt":"T","States":{"T":{"Type":"Task","Resource":"` + lambdaEcho + `",
			"InputPath":"$.a","Parameters":{"a.$":"$.a"},"ResultSelector":{},"ResultPath":"$.r","OutputPath":"$","TimeoutSecondsPath":"$.t","End":true}}}`,
			[]string{"States.T.InputPath: The field 'InputPath' is not supported when QueryLanguage is JSONata",
				"States.T.Parameters: The field 'Parameters' is not supported", "States.T.ResultSelector: The field 'ResultSelector'",
				"States.T.ResultPath: The field 'ResultPath'", "States.T.OutputPath: The field 'OutputPath'", "States.T.TimeoutSecondsPath: The field 'TimeoutSecondsPath'"}},
		{"Choice rule with Variable", `{"QueryLanguage":"JSONata","StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.a","StringEquals":"x","Next":"E"}]},"E":{"Type":"Succeed"}}}`,
			[]string{"States.C.Choices[0].Variable: The field 'Variable' is not supported when QueryLanguage is JSONata; use Condition",
				"States.C.Choices[0].StringEquals: The field 'StringEquals'", "States.C.Choices[0].Condition: required field is missing"}},
		{"Map JSONPath fields", `{"QueryLanguage":"JSONata","StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.a","MaxConcurrencyPath":"$.m",
			"ItemProcessor":{"StartAt":"X","States":{"X":{"Type":"Succeed"}}},"End":true}}}`,
			[]string{"States.M.ItemsPath: The field 'ItemsPath'", "States.M.MaxConcurrencyPath: The field 'MaxConcurrencyPath'"}},
		{"Wait and Fail paths", `{"QueryLanguage":"JSONata","StartAt":"W","States":{"W":{"Type":"Wait","SecondsPath":"$.s","Next":"F"},"F":{"Type":"Fail","ErrorPath":"$.e"}}}`,
			[]string{"States.W.SecondsPath: The field 'SecondsPath'", "States.F.ErrorPath: The field 'ErrorPath'"}},
		{"Catch ResultPath and Pass Result", `{"QueryLanguage":"JSONata","StartAt":"T","States":{"T":{"Type":"Task","Resource":"` + lambdaEcho + `",
			"Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.e","Next":"P"}],"End":true},"P":{"Type":"Pass","Result":1,"End":true}}}`,
			[]string{"States.T.Catch[0].ResultPath: The field 'ResultPath'", "States.P.Result: The field 'Result'"}},
		{"expression that does not parse", `{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass","Output":{"a":"{% $states.input. %}"},"End":true}}}`,
			[]string{"States.P.Output: The JSONata expression '$states.input.' specified for the field 'Output/a' is invalid"}},
		{"bad variable names", `{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass","Assign":{"1x":1,"states":2},"End":true}}}`,
			[]string{"States.P.Assign.1x: invalid variable name", "States.P.Assign.states: the variable name 'states' is reserved"}},
		{"unknown QueryLanguage", `{"QueryLanguage":"XPath","StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`,
			[]string{`QueryLanguage: must be JSONPath or JSONata, got "XPath"`}},
		{"JSONPath state in a JSONata machine", `{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass","QueryLanguage":"JSONPath","End":true}}}`,
			[]string{"States.P.QueryLanguage: a state cannot use JSONPath when the state machine's QueryLanguage is JSONata"}},
		{"wrong shapes", `{"QueryLanguage":"JSONata","StartAt":"T","States":{"T":{"Type":"Task","Resource":"` + lambdaEcho + `","Arguments":[1],"TimeoutSeconds":"10","Next":"M"},
			"M":{"Type":"Map","Items":{"a":1},"ItemProcessor":{"StartAt":"X","States":{"X":{"Type":"Succeed"}}},"End":true}}}`,
			[]string{"States.T.Arguments: must be a JSON object or a JSONata expression", "States.T.TimeoutSeconds: must be a number or a JSONata expression",
				"States.M.Items: must be a JSON array or a JSONata expression"}},
		{"nested states inherit JSONata", `{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Parallel","End":true,
			"Branches":[{"StartAt":"X","States":{"X":{"Type":"Pass","InputPath":"$.a","End":true}}}]}}}`,
			[]string{"States.P.Branches[0].States.X.InputPath: The field 'InputPath'"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantProblems(t, tc.def, tc.want...)
		})
	}
}

// Definitions AWS accepts parse.
func TestJSONataValidDefinitions(t *testing.T) {
	for _, def := range []string{
		`{"QueryLanguage":"JSONata","StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
			"Arguments":{"FunctionName":"f","Payload":"{% $states.input %}"},"TimeoutSeconds":"{% 30 %}","HeartbeatSeconds":5,
			"Output":"{% $states.result.Payload %}","Assign":{"a":1},
			"Retry":[{"ErrorEquals":["States.ALL"]}],"Catch":[{"ErrorEquals":["States.ALL"],"Assign":{"e":"{% $states.errorOutput %}"},"Output":{},"Next":"S"}],"Next":"S"},
			"S":{"Type":"Succeed","Output":{"done":true}}}}`,
		`{"StartAt":"W","States":{"W":{"QueryLanguage":"JSONata","Type":"Wait","Timestamp":"2026-01-01T00:00:00Z","End":true}}}`,
		`{"QueryLanguage":"JSONata","StartAt":"F","States":{"F":{"Type":"Fail","Error":"E","Cause":"{% 'c' %}"}}}`,
	} {
		if _, err := Parse([]byte(def)); err != nil {
			t.Errorf("Parse(%s) = %v", def, err)
		}
	}
}
