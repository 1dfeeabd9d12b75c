package engine

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

const passDef = `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`

// TestStateMachineAPI: create is validated and idempotent; lookups fail
// with AWS's codes.
func TestStateMachineAPI(t *testing.T) {
	ctx := context.Background()
	e := newTestEngine(t, Options{})
	sm, err := e.CreateStateMachine(ctx, "orders", passDef, "role")
	if err != nil || sm.Arn != "arn:aws:states:us-east-1:123456789012:stateMachine:orders" || sm.Type != "STANDARD" {
		t.Fatalf("%+v %v", sm, err)
	}
	if again, err := e.CreateStateMachine(ctx, "orders", passDef, "role"); err != nil || again.Arn != sm.Arn {
		t.Errorf("same create again: %+v %v", again, err)
	}
	cases := []struct {
		name, smName, def, code string
	}{
		{"other definition, same name", "orders", `{"StartAt":"S","States":{"S":{"Type":"Succeed"}}}`, "StateMachineAlreadyExists"},
		{"invalid definition", "bad", `{"StartAt":"X","States":{}}`, "InvalidDefinition"},
		{"invalid name", "has space", passDef, "InvalidName"},
		{"name with a colon", "a:b", passDef, "InvalidName"},
	}
	for _, c := range cases {
		if _, err := e.CreateStateMachine(ctx, c.smName, c.def, "role"); apiCode(err) != c.code {
			t.Errorf("%s: %v, want %s", c.name, err, c.code)
		}
	}
	_, err = e.CreateStateMachine(ctx, "bad", `{"StartAt":"A","States":{"A":{"Type":"Pass","Nxt":"B","End":true}}}`, "role")
	if err == nil || !strings.Contains(err.Error(), "States.A.Nxt: unknown field") {
		t.Errorf("InvalidDefinition should name the problem: %v", err)
	}
	if _, err := e.DescribeStateMachine(ctx, "arn:aws:states:us-east-1:123456789012:stateMachine:none"); apiCode(err) != "StateMachineDoesNotExist" {
		t.Errorf("describe unknown: %v", err)
	}
	if _, err := e.DescribeStateMachine(ctx, "orders"); apiCode(err) != "InvalidArn" {
		t.Errorf("describe by name: %v", err)
	}
	list, _ := e.ListStateMachines(ctx)
	if len(list) != 1 || list[0].Name != "orders" {
		t.Errorf("list %+v", list)
	}
}

// TestStartExecution: idempotent by name, input validated, listing
// newest first with a status filter.
func TestStartExecution(t *testing.T) {
	ctx := context.Background()
	gate := make(chan struct{})
	e := newTestEngine(t, Options{Handlers: map[string]Handler{
		"block": func(ctx context.Context, in json.RawMessage) (json.RawMessage, error) {
			select {
			case <-gate:
			case <-ctx.Done():
			}
			return in, nil
		},
	}})
	arn := mustCreate(t, e, "m", `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:block","End":true}}}`)
	a, err := e.StartExecution(ctx, arn, "app-1", `{"n":1}`)
	if err != nil || a.Status != StatusRunning || a.Arn != "arn:aws:states:us-east-1:123456789012:execution:m:app-1" {
		t.Fatalf("%+v %v", a, err)
	}
	if b, err := e.StartExecution(ctx, arn, "app-1", `{"n":1}`); err != nil || b.Arn != a.Arn {
		t.Errorf("same name and input: %+v %v", b, err)
	}
	bad := []struct{ name, input, code string }{
		{"app-1", `{"n":2}`, "ExecutionAlreadyExists"},
		{"app-2", `{"n":`, "InvalidExecutionInput"},
		{"app-3", `{"a":1} trailing`, "InvalidExecutionInput"},
		{"app-4", `{"big":"` + strings.Repeat("x", DefaultMaxPayloadBytes) + `"}`, "InvalidExecutionInput"},
		{"bad name?", `{}`, "InvalidName"},
		{strings.Repeat("n", 81), `{}`, "InvalidName"},
	}
	for _, c := range bad {
		if _, err := e.StartExecution(ctx, arn, c.name, c.input); apiCode(err) != c.code {
			t.Errorf("%s %.20s: %v, want %s", c.name, c.input, err, c.code)
		}
	}
	if _, err := e.StartExecution(ctx, "arn:aws:states:us-east-1:123456789012:stateMachine:none", "", `{}`); apiCode(err) != "StateMachineDoesNotExist" {
		t.Errorf("unknown machine: %v", err)
	}
	b, err := e.StartExecution(ctx, arn, "", "")
	if err != nil || len(b.Name) != 36 || b.Input != "{}" {
		t.Fatalf("generated name and empty input: %+v %v", b, err)
	}
	close(gate)
	waitEnd(t, e, a.Arn)
	waitEnd(t, e, b.Arn)
	if c, err := e.StartExecution(ctx, arn, "app-1", `{"n":1}`); err != nil || c.Status != StatusSucceeded || c.Output != `{"n":1}` {
		t.Errorf("same name and input after it finished: %+v %v", c, err)
	}
	list, err := e.ListExecutions(ctx, arn, "")
	if err != nil || len(list) != 2 || list[0].StartDate.Before(list[1].StartDate) {
		t.Errorf("list: %+v %v", list, err)
	}
	if l, _ := e.ListExecutions(ctx, arn, StatusRunning); len(l) != 0 {
		t.Errorf("running: %+v", l)
	}
	if _, err := e.DescribeExecution(ctx, executionArn("m", "nope")); apiCode(err) != "ExecutionDoesNotExist" {
		t.Errorf("describe unknown: %v", err)
	}
	if _, err := e.GetExecutionHistory(ctx, "nope"); apiCode(err) != "InvalidArn" {
		t.Errorf("history of a non-ARN: %v", err)
	}
}

// TestBadInput: odd and oversized data fail clearly, never hang or panic.
func TestBadInput(t *testing.T) {
	big := `"` + strings.Repeat("x", 200*1024) + `"`
	deep := strings.Repeat(`{"a":`, 2000) + `1` + strings.Repeat(`}`, 2000)
	runFlowCases(t, []flowCase{
		{name: "deeply nested input passes through", input: deep, def: passDef, output: deep},
		{name: "a state output over 256 KiB is States.DataLimitExceeded", input: `{"s":` + big + `}`,
			def: `{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
				{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},{"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}]}}}`,
			status: StatusFailed, errName: ErrDataLimitExceeded},
		{name: "States.DataLimitExceeded is caught by States.ALL, as AWS does", input: `{"s":` + big + `}`,
			def: `{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"S"}],"Branches":[
				{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},{"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}]},"S":{"Type":"Pass","OutputPath":"$.error.Error","End":true}}}`,
			output: `"States.DataLimitExceeded"`},
		{name: "a task result over 256 KiB is caught by States.ALL", input: `{}`,
			def:      `{"StartAt":"T","States":{"T":{` + taskF + `,"Catch":[{"ErrorEquals":["States.ALL"],"Next":"S"}],"End":true},"S":{"Type":"Pass","Result":"caught","End":true}}}`,
			handlers: map[string]Handler{"f": constHandler(`{"a":` + big + `,"b":` + big + `}`)},
			output:   `"caught"`},
		{name: "States.DataLimitExceeded is not caught by States.TaskFailed", input: `{"s":` + big + `}`,
			def: `{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Catch":[{"ErrorEquals":["States.TaskFailed"],"Next":"S"}],"Branches":[
				{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},{"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}]},"S":{"Type":"Succeed"}}}`,
			status: StatusFailed, errName: ErrDataLimitExceeded},
		{name: "a task result over 256 KiB is States.DataLimitExceeded", input: `{}`,
			def:      `{"StartAt":"T","States":{"T":{` + taskF + `,"End":true}}}`,
			handlers: map[string]Handler{"f": constHandler(`{"a":` + big + `,"b":` + big + `}`)},
			status:   StatusFailed, errName: ErrDataLimitExceeded},
		{name: "a handler returning invalid JSON fails the execution", input: `{}`,
			def: `{"StartAt":"T","States":{"T":{` + taskF + `,"End":true}}}`, handlers: map[string]Handler{"f": constHandler(`{nope`)},
			status: StatusFailed, errName: ErrRuntime},
		{name: "Parameters path selecting nothing", input: `{}`,
			def:    `{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"x.$":"$.missing"},"End":true}}}`,
			status: StatusFailed},
		{name: "intrinsic failure is catchable", input: `{"s":"not json"}`,
			def: `{"StartAt":"T","States":{"T":{` + taskF + `,"Parameters":{"v.$":"States.StringToJson($.s)"},"End":true,
				"Catch":[{"ErrorEquals":["States.IntrinsicFailure"],"Next":"S"}]},"S":{"Type":"Pass","Result":"caught","End":true}}}`,
			handlers: map[string]Handler{"f": echo}, output: `"caught"`},
	})
}

// TestSubstitutionsAndFunctionNames: ${Name} placeholders resolve before
// parsing, and ARNs with aliases reach the handler by name.
func TestSubstitutionsAndFunctionNames(t *testing.T) {
	e := newTestEngine(t, Options{
		Substitutions: map[string]string{"ReviewFn": "arn:aws:lambda:eu-west-1:999999999999:function:review:prod"},
		Handlers:      map[string]Handler{"review": constHandler(`"reviewed"`)},
	})
	def := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"${ReviewFn}","End":true}}}`
	arn := mustCreate(t, e, "subs", def)
	x := runToEnd(t, e, arn, `{}`)
	if x.Status != StatusSucceeded || x.Output != `"reviewed"` {
		t.Fatalf("%s %s %s", x.Status, x.Output, x.Cause)
	}
	sm, _ := e.DescribeStateMachine(context.Background(), arn)
	if sm.Definition != def {
		t.Errorf("definition should be kept as given: %s", sm.Definition)
	}
}

// TestInvoker: a TaskInvoker replaces the handlers and sees every call
// with its invocation index.
func TestInvoker(t *testing.T) {
	var calls []TaskCall // one execution, one task at a time: no lock needed
	inv := func(_ context.Context, c TaskCall) (json.RawMessage, error) {
		calls = append(calls, c)
		if c.Invocation == 0 {
			return nil, &TaskError{Name: "Again", Cause: "first"}
		}
		return json.RawMessage(`{"mocked":true}`), nil
	}
	e := newTestEngine(t, Options{Invoker: inv, Clock: NewVirtualClock(epoch)})
	arn := mustCreate(t, e, "mocked", `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:putItem",
		"Parameters":{"Item":{"id.$":"$.id"}},"Retry":[{"ErrorEquals":["Again"]}],"End":true}}}`)
	x := runToEnd(t, e, arn, `{"id":"7"}`)
	if x.Status != StatusSucceeded || x.Output != `{"mocked":true}` {
		t.Fatalf("%s %s", x.Status, x.Output)
	}
	if len(calls) != 2 || calls[1].Invocation != 1 || calls[1].StateName != "T" || calls[1].StateMachineName != "mocked" ||
		string(calls[1].Input) != `{"Item":{"id":"7"}}` || calls[1].Resource != "arn:aws:states:::dynamodb:putItem" {
		t.Errorf("calls %+v", calls)
	}
}
