package sfnapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/kaiban/kaiban/workflow/engine"
)

// callbackDefinition hands a task token to the askClerk handler and waits
// for the clerk's decision, like the real workflow's escalation step.
const callbackDefinition = `{
  "StartAt": "AskClerk",
  "States": {
    "AskClerk": {
      "Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
      "Parameters": {
        "FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:askClerk",
        "Payload": { "token.$": "$$.Task.Token", "app.$": "$.app" }
      },
      "HeartbeatSeconds": 3600,
      "ResultPath": "$.decision",
      "Next": "Done"
    },
    "Done": { "Type": "Succeed" }
  }
}`

// stack is the real engine behind the API, reached with the SDK client.
type stack struct {
	eng    *engine.Engine
	client *sfn.Client
	tokens chan string // task tokens handed to askClerk
}

func newStack(t *testing.T) *stack {
	t.Helper()
	s := &stack{tokens: make(chan string, 16)}
	askClerk := func(ctx context.Context, in json.RawMessage) (json.RawMessage, error) {
		var p struct {
			Token string `json:"token"`
		}
		if err := json.Unmarshal(in, &p); err != nil {
			return nil, err
		}
		s.tokens <- p.Token
		return json.RawMessage(`{}`), nil
	}
	eng, err := engine.New(context.Background(), engine.Options{Handlers: map[string]engine.Handler{"askClerk": askClerk}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = eng.Close() })
	s.eng = eng
	s.client = newClient(serve(t, eng).URL)
	return s
}

func (s *stack) createMachine(t *testing.T, name, def string) string {
	t.Helper()
	out, err := s.client.CreateStateMachine(context.Background(), &sfn.CreateStateMachineInput{
		Name: aws.String(name), Definition: aws.String(def), RoleArn: aws.String("arn:aws:iam::123456789012:role/sfn"),
	})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.StateMachineArn)
}

func (s *stack) start(t *testing.T, smArn, name, input string) string {
	t.Helper()
	out, err := s.client.StartExecution(context.Background(), &sfn.StartExecutionInput{StateMachineArn: aws.String(smArn), Name: aws.String(name), Input: aws.String(input)})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.ExecutionArn)
}

// token waits for the handler to receive the execution's task token.
func (s *stack) token(t *testing.T) string {
	t.Helper()
	select {
	case tok := <-s.tokens:
		return tok
	case <-time.After(10 * time.Second):
		t.Fatal("the task token never reached the handler")
		return ""
	}
}

// wait blocks until the execution ends, then describes it over the API.
func (s *stack) wait(t *testing.T, arn string) *sfn.DescribeExecutionOutput {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := s.eng.Wait(ctx, arn); err != nil {
		t.Fatal(err)
	}
	out, err := s.client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func isTokenGone(err error) bool {
	var timedOut *types.TaskTimedOut
	var gone *types.TaskDoesNotExist
	return errors.As(err, &timedOut) || errors.As(err, &gone)
}

// TestCallbackLifecycle drives a waitForTaskToken execution the way the
// application does: start, heartbeat, success; then the token is spent.
func TestCallbackLifecycle(t *testing.T) {
	ctx := context.Background()
	s := newStack(t)
	smArn := s.createMachine(t, "onestop", callbackDefinition)

	desc, err := s.client.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(smArn)})
	if err != nil || aws.ToString(desc.Definition) != callbackDefinition || desc.Status != types.StateMachineStatusActive || desc.Type != types.StateMachineTypeStandard {
		t.Fatalf("DescribeStateMachine = %+v, %v", desc, err)
	}

	arn := s.start(t, smArn, "app-1", `{"app":"A-1"}`)
	tok := s.token(t)
	running, err := s.client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
	if err != nil || running.Status != types.ExecutionStatusRunning {
		t.Fatalf("while waiting for the clerk: %+v, %v", running, err)
	}
	if _, err := s.client.SendTaskHeartbeat(ctx, &sfn.SendTaskHeartbeatInput{TaskToken: aws.String(tok)}); err != nil {
		t.Fatalf("heartbeat: %v", err)
	}
	if _, err := s.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(tok), Output: aws.String(`{"approved":true}`)}); err != nil {
		t.Fatalf("success: %v", err)
	}
	done := s.wait(t, arn)
	if done.Status != types.ExecutionStatusSucceeded || aws.ToString(done.Output) != `{"app":"A-1","decision":{"approved":true}}` || done.StopDate == nil {
		t.Errorf("finished execution = %s %s", done.Status, aws.ToString(done.Output))
	}

	_, err = s.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(tok), Output: aws.String(`{}`)})
	if !isTokenGone(err) {
		t.Errorf("second SendTaskSuccess: got %v, want TaskTimedOut or TaskDoesNotExist", err)
	}
	_, err = s.client.SendTaskHeartbeat(ctx, &sfn.SendTaskHeartbeatInput{TaskToken: aws.String("not-a-token")})
	var invalid *types.InvalidToken
	if !errors.As(err, &invalid) {
		t.Errorf("heartbeat with garbage: got %v, want InvalidToken", err)
	}

	hist, err := s.client.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	first, last := hist.Events[0], hist.Events[len(hist.Events)-1]
	if first.Type != types.HistoryEventTypeExecutionStarted || aws.ToString(first.ExecutionStartedEventDetails.Input) != `{"app":"A-1"}` ||
		last.Type != types.HistoryEventTypeExecutionSucceeded || last.ExecutionSucceededEventDetails == nil {
		t.Errorf("history from %s to %s", first.Type, last.Type)
	}
	var scheduled *types.TaskScheduledEventDetails
	for _, ev := range hist.Events {
		if ev.Type == types.HistoryEventTypeTaskScheduled {
			scheduled = ev.TaskScheduledEventDetails
		}
	}
	if scheduled == nil || aws.ToString(scheduled.Resource) != "invoke.waitForTaskToken" || aws.ToString(scheduled.ResourceType) != "lambda" {
		t.Errorf("TaskScheduled details = %+v", scheduled)
	}
}

// TestCallbackFailureAndStop: SendTaskFailure fails the execution with the
// clerk's error; StopExecution aborts a waiting one and spends its token.
func TestCallbackFailureAndStop(t *testing.T) {
	ctx := context.Background()
	s := newStack(t)
	smArn := s.createMachine(t, "onestop", callbackDefinition)

	failed := s.start(t, smArn, "rejected", `{"app":"A-2"}`)
	if _, err := s.client.SendTaskFailure(ctx, &sfn.SendTaskFailureInput{TaskToken: aws.String(s.token(t)), Error: aws.String("Clerk.Rejected"), Cause: aws.String("name taken")}); err != nil {
		t.Fatal(err)
	}
	if d := s.wait(t, failed); d.Status != types.ExecutionStatusFailed || aws.ToString(d.Error) != "Clerk.Rejected" || aws.ToString(d.Cause) != "name taken" || d.Output != nil {
		t.Errorf("after SendTaskFailure: %s %s %s", d.Status, aws.ToString(d.Error), aws.ToString(d.Cause))
	}

	stopped := s.start(t, smArn, "withdrawn", `{"app":"A-3"}`)
	tok := s.token(t)
	out, err := s.client.StopExecution(ctx, &sfn.StopExecutionInput{ExecutionArn: aws.String(stopped), Error: aws.String("Applicant.Withdrew"), Cause: aws.String("changed plans")})
	if err != nil || out.StopDate == nil {
		t.Fatalf("StopExecution = %+v, %v", out, err)
	}
	if d := s.wait(t, stopped); d.Status != types.ExecutionStatusAborted || aws.ToString(d.Error) != "Applicant.Withdrew" {
		t.Errorf("after StopExecution: %s %s", d.Status, aws.ToString(d.Error))
	}
	if _, err := s.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(tok), Output: aws.String(`{}`)}); !isTokenGone(err) {
		t.Errorf("token of a stopped execution: got %v", err)
	}

	list, err := s.client.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(smArn), StatusFilter: types.ExecutionStatusAborted})
	if err != nil || len(list.Executions) != 1 || aws.ToString(list.Executions[0].Name) != "withdrawn" {
		t.Errorf("ListExecutions(ABORTED) = %+v, %v", list, err)
	}
}

// TestStartExecutionIdempotent: the same name and input give the same
// execution, as on AWS; the same name with other input is refused.
func TestStartExecutionIdempotent(t *testing.T) {
	ctx := context.Background()
	s := newStack(t)
	smArn := s.createMachine(t, "pass", `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`)
	first := s.start(t, smArn, "submission-42", `{"n":1}`)
	s.wait(t, first)
	again := s.start(t, smArn, "submission-42", `{"n":1}`)
	if again != first {
		t.Errorf("same name and input: %s, want %s", again, first)
	}
	_, err := s.client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(smArn), Name: aws.String("submission-42"), Input: aws.String(`{"n":2}`)})
	var exists *types.ExecutionAlreadyExists
	if !errors.As(err, &exists) {
		t.Errorf("same name, other input: got %v, want ExecutionAlreadyExists", err)
	}
	_, err = s.client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(smArn), Input: aws.String(`{"n":`)})
	var badInput *types.InvalidExecutionInput
	if !errors.As(err, &badInput) {
		t.Errorf("malformed input: got %v, want InvalidExecutionInput", err)
	}
	_, err = s.client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{
		Name: aws.String("broken"), Definition: aws.String(`{"StartAt":"X","States":{}}`), RoleArn: aws.String("arn:aws:iam::123456789012:role/sfn"),
	})
	var badDef *types.InvalidDefinition
	if !errors.As(err, &badDef) {
		t.Errorf("invalid definition: got %v, want InvalidDefinition", err)
	}
	list, err := s.client.ListStateMachines(ctx, &sfn.ListStateMachinesInput{})
	if err != nil || len(list.StateMachines) != 1 || aws.ToString(list.StateMachines[0].Name) != "pass" {
		t.Errorf("ListStateMachines = %+v, %v", list, err)
	}
}
