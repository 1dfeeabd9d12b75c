package engine

import (
	"context"
	"encoding/json"
	"testing"
)

// TestRuntimeCausePrefix checks the Cause of runtime errors against
// AWS's wording: prefixed once with the state and the id of its
// StateEntered event, while errors a task or a Fail state names keep
// their Cause as given.
func TestRuntimeCausePrefix(t *testing.T) {
	const missing = "The JSONPath '$.missing' specified for the field 'InputPath' could not be found in the input '{\"a\":1}'"
	failing := func(context.Context, json.RawMessage) (json.RawMessage, error) {
		return nil, &TaskError{Name: "States.Runtime", Cause: "from the handler"}
	}
	tests := []struct {
		name, def, errName, cause string
	}{
		{"Pass InputPath", `{"StartAt":"P","States":{"P":{"Type":"Pass","InputPath":"$.missing","End":true}}}`,
			ErrRuntime, "An error occurred while executing the state 'P' (entered at the event id #2). " + missing},
		{"second state", `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"P"},"P":{"Type":"Pass","InputPath":"$.missing","End":true}}}`,
			ErrRuntime, "An error occurred while executing the state 'P' (entered at the event id #4). " + missing},
		{"Task InputPath, not caught", `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:fail","InputPath":"$.missing","Catch":[{"ErrorEquals":["States.ALL"],"Next":"S"}],"End":true},"S":{"Type":"Succeed"}}}`,
			ErrRuntime, "An error occurred while executing the state 'T' (entered at the event id #2). " + missing},
		{"inside a Parallel branch, prefixed once", `{"StartAt":"Par","States":{"Par":{"Type":"Parallel","End":true,"Branches":[{"StartAt":"P","States":{"P":{"Type":"Pass","InputPath":"$.missing","End":true}}}]}}}`,
			ErrRuntime, "An error occurred while executing the state 'P' (entered at the event id #4). " + missing},
		{"Fail state's own error", `{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"States.Runtime","Cause":"as written"}}}`,
			ErrRuntime, "as written"},
		{"handler's error", `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:fail","End":true}}}`,
			ErrRuntime, "from the handler"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEngine(t, Options{Handlers: map[string]Handler{"fail": failing}, Clock: NewVirtualClock(epoch)})
			arn := mustCreate(t, e, "cause", tt.def)
			x := runToEnd(t, e, arn, `{"a":1}`)
			if x.Status != StatusFailed || x.Error != tt.errName || x.Cause != tt.cause {
				t.Errorf("got %s %s\n cause %q\n want %q", x.Status, x.Error, x.Cause, tt.cause)
			}
		})
	}
}
