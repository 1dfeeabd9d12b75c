package engine

import (
	"strings"
	"testing"
)

// TestJSONataToleratedFailures: in a JSONata Map, ToleratedFailureCount
// and ToleratedFailurePercentage may be JSONata expressions, evaluated
// when the Map starts; a value of the wrong kind fails the state with
// States.QueryEvaluationError, and a literal of the wrong kind is refused
// at validation.
func TestJSONataToleratedFailures(t *testing.T) {
	mapDef := func(tolerance string) string {
		return `{"QueryLanguage":"JSONata","StartAt":"M","States":{"M":{"Type":"Map","Items":"{% $states.input.xs %}",` + tolerance + `,
			"ItemProcessor":{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Condition":"{% $states.input % 2 = 1 %}","Next":"Odd"}],"Default":"Even"},
			"Odd":{"Type":"Fail","Error":"Odd","Cause":"odd item"},"Even":{"Type":"Pass","End":true}}},"End":true}}}`
	}
	tests := []struct {
		name, tolerance, input string
		output                 string // when it succeeds
		errName, causeHas      string // when it fails
	}{
		{name: "count expression within", tolerance: `"ToleratedFailureCount":"{% $states.input.tol %}"`,
			input: `{"tol":1,"xs":[1,2]}`, output: `[{"Error":"Odd","Cause":"odd item"},2]`},
		{name: "count expression exceeded", tolerance: `"ToleratedFailureCount":"{% $states.input.tol %}"`,
			input: `{"tol":0,"xs":[1,2]}`, errName: ErrExceedToleratedFailureThresh},
		{name: "percentage expression within", tolerance: `"ToleratedFailurePercentage":"{% $states.input.pct * 10 %}"`,
			input: `{"pct":5,"xs":[1,2]}`, output: `[{"Error":"Odd","Cause":"odd item"},2]`},
		{name: "percentage expression exceeded", tolerance: `"ToleratedFailurePercentage":"{% $states.input.pct %}"`,
			input: `{"pct":10,"xs":[1,2]}`, errName: ErrExceedToleratedFailureThresh},
		{name: "literal count still works", tolerance: `"ToleratedFailureCount":1`,
			input: `{"xs":[1,2]}`, output: `[{"Error":"Odd","Cause":"odd item"},2]`},
		{name: "count expression not an integer", tolerance: `"ToleratedFailureCount":"{% 'many' %}"`,
			input: `{"xs":[1,2]}`, errName: ErrQueryEvaluation, causeHas: "The ToleratedFailureCount field must evaluate to a non-negative integer, got \"many\""},
		{name: "percentage expression above 100", tolerance: `"ToleratedFailurePercentage":"{% 101 %}"`,
			input: `{"xs":[1,2]}`, errName: ErrQueryEvaluation, causeHas: "The ToleratedFailurePercentage field must evaluate to a number between 0 and 100, got 101"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEngine(t, Options{Clock: NewVirtualClock(epoch)})
			x := runToEnd(t, e, mustCreate(t, e, "tol", mapDef(tt.tolerance)), tt.input)
			if tt.errName != "" {
				if x.Status != StatusFailed || x.Error != tt.errName || !strings.Contains(x.Cause, tt.causeHas) {
					t.Fatalf("got %s %s %q, want FAILED %s with %q", x.Status, x.Error, x.Cause, tt.errName, tt.causeHas)
				}
				return
			}
			if x.Status != StatusSucceeded || x.Output != tt.output {
				t.Fatalf("got %s %s %s %s, want %s", x.Status, x.Output, x.Error, x.Cause, tt.output)
			}
		})
	}
	for _, bad := range []string{`"ToleratedFailureCount":-1`, `"ToleratedFailureCount":"many"`, `"ToleratedFailurePercentage":150`} {
		e := newTestEngine(t, Options{})
		_, err := e.CreateStateMachine(t.Context(), "bad", mapDef(bad), "arn:aws:iam::123456789012:role/r")
		if err == nil || !strings.Contains(err.Error(), "States.M.Tolerated") {
			t.Errorf("%s: got %v, want a validation error naming States.M.Tolerated…", bad, err)
		}
	}
}
