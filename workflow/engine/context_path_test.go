package engine

import (
	"context"
	"strings"
	"testing"
)

// TestContextPaths checks that $$ is accepted wherever AWS accepts a path
// into the context object: InputPath, OutputPath, Choice Variable,
// ErrorPath and CausePath, "$$" alone being the whole context object.
func TestContextPaths(t *testing.T) {
	tests := []struct {
		name, def      string
		input          string // default {"a":1}
		output         string // when it succeeds
		errName, cause string // when it fails
	}{
		{
			name:   "InputPath into the context object",
			def:    `{"StartAt":"P","States":{"P":{"Type":"Pass","InputPath":"$$.Execution.Name","End":true}}}`,
			output: `"ctx-run"`,
		},
		{
			name:   "OutputPath into the context object",
			def:    `{"StartAt":"P","States":{"P":{"Type":"Pass","OutputPath":"$$.State.Name","End":true}}}`,
			output: `"P"`,
		},
		{
			name:   "InputPath $$ is the whole context object",
			def:    `{"StartAt":"P","States":{"P":{"Type":"Pass","InputPath":"$$","OutputPath":"$.State","End":true}}}`,
			output: `{"EnteredTime":"2025-03-01T09:00:00.000Z","Name":"P","RetryCount":0}`,
		},
		{
			name:   "ItemsPath into the context object",
			def:    `{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$$.Execution.Input.xs","End":true,"ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}}}}}`,
			input:  `{"xs":[1,2]}`,
			output: `[1,2]`,
		},
		{
			name:   "Choice Variable into the context object",
			def:    `{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$$.Execution.Name","StringEquals":"ctx-run","Next":"Y"}],"Default":"N"},"Y":{"Type":"Pass","Result":"yes","End":true},"N":{"Type":"Pass","Result":"no","End":true}}}`,
			output: `"yes"`,
		},
		{
			name:    "ErrorPath and CausePath into the context object",
			def:     `{"StartAt":"F","States":{"F":{"Type":"Fail","ErrorPath":"$$.State.Name","CausePath":"$$.Execution.Name"}}}`,
			errName: "F", cause: "ctx-run",
		},
		{
			name:   "$$ and variables in one path field each, variables in scope",
			def:    `{"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"xs":[3,4],"who":"Li"},"Next":"C"},"C":{"Type":"Choice","Choices":[{"Variable":"$$.Execution.Name","StringEquals":"ctx-run","Next":"I"}],"Default":"N"},"I":{"Type":"Pass","InputPath":"$$.State.Name","ResultPath":"$.name","Next":"M"},"M":{"Type":"Map","ItemsPath":"$xs","ItemSelector":{"v.$":"$$.Map.Item.Value","who.$":"$who"},"ItemProcessor":{"StartAt":"E","States":{"E":{"Type":"Pass","End":true}}},"End":true},"N":{"Type":"Pass","Result":"no","End":true}}}`,
			output: `[{"v":3,"who":"Li"},{"v":4,"who":"Li"}]`,
		},
		{
			name:    "ErrorPath from $$ and CausePath from a variable",
			def:     `{"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"why":"because"},"Next":"F"},"F":{"Type":"Fail","ErrorPath":"$$.State.Name","CausePath":"$why"}}}`,
			errName: "F", cause: "because",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEngine(t, Options{Clock: NewVirtualClock(epoch)})
			arn := mustCreate(t, e, "ctx", tt.def)
			input := tt.input
			if input == "" {
				input = `{"a":1}`
			}
			started, err := e.StartExecution(context.Background(), arn, "ctx-run", input)
			if err != nil {
				t.Fatal(err)
			}
			x := waitEnd(t, e, started.Arn)
			if tt.errName != "" {
				if x.Status != StatusFailed || x.Error != tt.errName || x.Cause != tt.cause {
					t.Fatalf("got %s %q %q, want FAILED %q %q", x.Status, x.Error, x.Cause, tt.errName, tt.cause)
				}
				return
			}
			if x.Status != StatusSucceeded {
				t.Fatalf("status %s: %s %s", x.Status, x.Error, x.Cause)
			}
			if strings.TrimSpace(x.Output) != tt.output {
				t.Errorf("output\n got %s\nwant %s", x.Output, tt.output)
			}
		})
	}
}

// TestContextObjectShape checks the whole context object against the
// format AWS documents: its members, their order, and Task only in a
// Task state.
func TestContextObjectShape(t *testing.T) {
	e := newTestEngine(t, Options{Clock: NewVirtualClock(epoch)})
	arn := mustCreate(t, e, "ctx", `{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"c.$":"$$"},"OutputPath":"$.c","End":true}}}`)
	started, err := e.StartExecution(context.Background(), arn, "ctx-run", `{"b":1,"a":2}`)
	if err != nil {
		t.Fatal(err)
	}
	x := waitEnd(t, e, started.Arn)
	want := `{"Execution":{"Id":"` + started.Arn + `","Input":{"b":1,"a":2},"Name":"ctx-run","RoleArn":"arn:aws:iam::123456789012:role/test","StartTime":"2025-03-01T09:00:00.000Z","RedriveCount":0},` +
		`"State":{"EnteredTime":"2025-03-01T09:00:00.000Z","Name":"P","RetryCount":0},"StateMachine":{"Id":"` + arn + `","Name":"ctx"}}`
	if x.Output != want {
		t.Errorf("context object\n got %s\nwant %s", x.Output, want)
	}
}
