package engine

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// TestKeyOrder checks that objects keep their members' order as AWS
// returns them: input order, then insertion order for members a state
// adds (ResultPath, a template's fields as written), a Catch error object
// with Error before Cause, and the same text in the history.
func TestKeyOrder(t *testing.T) {
	failing := func(context.Context, json.RawMessage) (json.RawMessage, error) {
		return nil, &TaskError{Name: "Boom", Cause: "it broke"}
	}
	tests := []struct {
		name, def, input, output string
	}{
		{
			name:   "input order and ResultPath appends",
			def:    `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"` + lambdaHello + `","ResultPath":"$.greeting","End":true}}}`,
			input:  `{"zeta":1,"who":"Ann","alpha":{"y":2,"x":1}}`,
			output: `{"zeta":1,"who":"Ann","alpha":{"y":2,"x":1},"greeting":"Hello, Ann!"}`,
		},
		{
			name:   "ResultPath replaces in place",
			def:    `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":"new","ResultPath":"$.b","End":true}}}`,
			input:  `{"c":1,"b":2,"a":3}`,
			output: `{"c":1,"b":"new","a":3}`,
		},
		{
			name:   "template fields as written",
			def:    `{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"z.$":"$.a","m":"lit","b.$":"$.c","obj":{"y":1,"x":2}},"End":true}}}`,
			input:  `{"a":1,"c":2}`,
			output: `{"z":1,"m":"lit","b":2,"obj":{"y":1,"x":2}}`,
		},
		{
			name:   "Catch error object Error before Cause",
			def:    `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:fail","Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.err","Next":"D"}],"End":true},"D":{"Type":"Succeed"}}}`,
			input:  `{"z":0}`,
			output: `{"z":0,"err":{"Error":"Boom","Cause":"it broke"}}`,
		},
		{
			name:   "JsonMerge keeps the first object's order, then the second's new members",
			def:    `{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"m.$":"States.JsonMerge($.a, $.b, false)"},"OutputPath":"$.m","End":true}}}`,
			input:  `{"a":{"q":1,"p":2},"b":{"r":3,"p":4}}`,
			output: `{"q":1,"p":4,"r":3}`,
		},
		{
			name:   "wildcard in member order",
			def:    `{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"v.$":"$.o.*"},"End":true}}}`,
			input:  `{"o":{"b":1,"a":2,"c":3}}`,
			output: `{"v":[1,2,3]}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEngine(t, Options{Handlers: map[string]Handler{"hello": hello, "fail": failing}, Clock: NewVirtualClock(epoch)})
			arn := mustCreate(t, e, "order", tt.def)
			x := runToEnd(t, e, arn, tt.input)
			if x.Status != StatusSucceeded {
				t.Fatalf("status %s: %s %s", x.Status, x.Error, x.Cause)
			}
			if x.Output != tt.output {
				t.Errorf("output\n got %s\nwant %s", x.Output, tt.output)
			}
			h := historyOf(t, e, x.Arn)
			last := h[len(h)-1]
			if !strings.Contains(string(last.Details), strings.ReplaceAll(tt.output, `"`, `\"`)) {
				t.Errorf("history's last event does not carry the output as is: %s", last.Details)
			}
		})
	}
}
