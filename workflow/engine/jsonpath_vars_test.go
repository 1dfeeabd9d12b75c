package engine

import (
	"errors"
	"strings"
	"testing"
)

// TestJSONPathVariables: Assign on JSONPath states and $name references
// in JSONPath fields, following "Passing data between states with
// variables".
func TestJSONPathVariables(t *testing.T) {
	h := map[string]Handler{"hello": hello, "echo": echo, "boom": failing("Custom.Boom", "it broke")}
	runFlowCases(t, []flowCase{
		{
			name: "Pass Assign from the result; Parameters, intrinsics and InputPath read variables",
			def: `{"StartAt":"A","States":{
				"A":{"Type":"Pass","Parameters":{"who.$":"$.name"},"Assign":{"greeted.$":"$.who","fixed":{"k":1}},"ResultPath":null,"Next":"B"},
				"B":{"Type":"Pass","Parameters":{"g.$":"$greeted","f.$":"$fixed.k","s.$":"States.Format('hi {}', $greeted)","in.$":"$.name"},"Next":"C"},
				"C":{"Type":"Pass","InputPath":"$fixed","End":true}}}`,
			input: `{"name":"Li"}`, output: `{"k":1}`,
		},
		{
			name: "Task Assign reads the result after ResultSelector; Choice Variable reads a variable",
			def: `{"StartAt":"T","States":{
				"T":{"Type":"Task","Resource":"` + lambdaEcho + `","ResultSelector":{"v.$":"$.n"},"Assign":{"n.$":"$.v"},"ResultPath":null,"Next":"C"},
				"C":{"Type":"Choice","Choices":[{"Variable":"$n","NumericGreaterThan":5,"Next":"Big"}],"Default":"Small"},
				"Big":{"Type":"Pass","Parameters":{"size":"big","n.$":"$n"},"End":true},
				"Small":{"Type":"Pass","Result":"small","End":true}}}`,
			input: `{"n":9}`, handlers: h, output: `{"size":"big","n":9}`,
		},
		{
			name: "the *Path fields of Wait, Map and Task read variables, not the input",
			def: `{"StartAt":"A","States":{
				"A":{"Type":"Pass","Assign":{"d":0,"n":1,"secs":30},"Next":"W"},
				"W":{"Type":"Wait","SecondsPath":"$d","Next":"M"},
				"M":{"Type":"Map","ItemsPath":"$.xs","MaxConcurrencyPath":"$n","ResultPath":"$.r","Next":"T",
					"ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}}},
				"T":{"Type":"Task","Resource":"` + lambdaEcho + `","TimeoutSecondsPath":"$secs","OutputPath":"$.r","End":true}}}`,
			input: `{"xs":[1,2]}`, handlers: h, output: `[1,2]`,
		},
		{
			name: "a matched Choice rule's Assign applies beside the state's, and wins on a shared name",
			def: `{"StartAt":"C","States":{
				"C":{"Type":"Choice","Assign":{"via":"state","also":true},"Choices":[{"Variable":"$.n","NumericEquals":1,"Assign":{"via":"rule","n.$":"$.n"},"Next":"R"}],"Default":"R"},
				"R":{"Type":"Pass","Parameters":{"via.$":"$via","also.$":"$also"},"End":true}}}`,
			input: `{"n":1}`, output: `{"via":"rule","also":true}`,
		},
		{
			name: "Default takes the state's Assign",
			def: `{"StartAt":"C","States":{
				"C":{"Type":"Choice","Assign":{"via":"state"},"Choices":[{"Variable":"$.n","NumericEquals":1,"Assign":{"via":"rule"},"Next":"R"}],"Default":"R"},
				"R":{"Type":"Pass","Parameters":{"via.$":"$via"},"End":true}}}`,
			input: `{"n":2}`, output: `{"via":"state"}`,
		},
		{
			name: "Map ItemsPath from a variable; iterations see outer variables",
			def: `{"StartAt":"A","States":{
				"A":{"Type":"Pass","Assign":{"list.$":"$.l","suffix":"!"},"Next":"M"},
				"M":{"Type":"Map","ItemsPath":"$list","ItemProcessor":{"StartAt":"X","States":{"X":{"Type":"Pass",
					"Parameters":{"v.$":"States.Format('{}{}', $, $suffix)"},"End":true}}},"End":true}}}`,
			input: `{"l":["a","b"]}`, output: `[{"v":"a!"},{"v":"b!"}]`,
		},
		{
			name: "Catch Assign with the error output; Fail CausePath from a variable",
			def: `{"StartAt":"T","States":{
				"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:boom","Assign":{"never":true},
					"Catch":[{"ErrorEquals":["States.ALL"],"Assign":{"why.$":"$.Cause"},"ResultPath":"$.err","Next":"F"}],"End":true},
				"F":{"Type":"Fail","Error":"Wrapped","CausePath":"$why"}}}`,
			handlers: h, status: StatusFailed, errName: "Wrapped", causeHas: "it broke",
		},
		{
			name: "inner assignments stay inside a Parallel branch",
			def: `{"StartAt":"A","States":{
				"A":{"Type":"Pass","Assign":{"x":"outer"},"Next":"P"},
				"P":{"Type":"Parallel","ResultPath":null,"Branches":[{"StartAt":"In","States":{"In":{"Type":"Pass","Assign":{"x":"inner"},"End":true}}}],"Next":"R"},
				"R":{"Type":"Pass","Parameters":{"x.$":"$x"},"End":true}}}`,
			output: `{"x":"outer"}`,
		},
		{
			name:   "a variable never assigned",
			def:    `{"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"x.$":"$nope"},"End":true}}}`,
			status: StatusFailed, errName: ErrRuntime, causeHas: "The variable 'nope'",
		},
	})
}

func TestJSONPathVariablesValidation(t *testing.T) {
	for _, tc := range []struct{ def, want string }{
		{`{"StartAt":"A","States":{"A":{"Type":"Pass","ResultPath":"$x","End":true}}}`, "States.A.ResultPath: ResultPath cannot reference a variable ($x)"},
		{`{"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"9lives":1},"End":true}}}`, "States.A.Assign.9lives: invalid variable name"},
		{`{"StartAt":"A","States":{"A":{"Type":"Succeed","Assign":{"a":1}}}}`, "States.A.Assign: unknown field"},
	} {
		_, err := Parse([]byte(tc.def))
		var ve *ValidationError
		if !errors.As(err, &ve) || !strings.Contains(strings.Join(ve.Problems, "\n"), tc.want) {
			t.Errorf("Parse(%s) = %v, want a problem %q", tc.def, err, tc.want)
		}
	}
}
