package sfnapi_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"

	"github.com/kaiban/kaiban/workflow/engine"
	"github.com/kaiban/kaiban/workflow/engine/sfnapi"
)

// TestEnvelope covers what a hand-written or confused client can get wrong
// before any action runs: every case is a 4xx with AWS's error shape.
func TestEnvelope(t *testing.T) {
	srv := serve(t, newFake(), sfnapi.WithMaxBodyBytes(1024))
	tests := []struct {
		name, method, target, ctype, body string
		status                            int
		code                              string
		message                           string
	}{
		{"GET", http.MethodGet, "AWSStepFunctions.ListStateMachines", amzJSON, "{}", 405, "UnknownOperationException", "POST"},
		{"no content type", http.MethodPost, "AWSStepFunctions.ListStateMachines", "", "{}", 415, "UnsupportedMediaTypeException", "Content-Type"},
		{"plain JSON content type", http.MethodPost, "AWSStepFunctions.ListStateMachines", "application/json", "{}", 415, "UnsupportedMediaTypeException", "Content-Type"},
		{"no target", http.MethodPost, "", amzJSON, "{}", 400, "UnknownOperationException", "X-Amz-Target"},
		{"other service", http.MethodPost, "DynamoDB_20120810.ListTables", amzJSON, "{}", 400, "UnknownOperationException", "X-Amz-Target"},
		{"unknown action", http.MethodPost, "AWSStepFunctions.StartSyncExecution", amzJSON, "{}", 400, "UnknownOperationException", "X-Amz-Target"},
		{"body too large", http.MethodPost, "AWSStepFunctions.ListStateMachines", amzJSON, `{"nextToken":"` + strings.Repeat("a", 2000) + `"}`, 413, "RequestEntityTooLargeException", "limit"},
		{"malformed JSON", http.MethodPost, "AWSStepFunctions.DescribeExecution", amzJSON, `{"executionArn":`, 400, "SerializationException", "ends early"},
		{"syntax error", http.MethodPost, "AWSStepFunctions.DescribeExecution", amzJSON, `{"executionArn" 1}`, 400, "SerializationException", "offset"},
		{"array body", http.MethodPost, "AWSStepFunctions.DescribeExecution", amzJSON, `[1]`, 400, "SerializationException", "JSON object"},
		{"unknown member", http.MethodPost, "AWSStepFunctions.DescribeExecution", amzJSON, `{"executionArn":"x","executionARN":"y"}`, 400, "SerializationException", `"executionARN"`},
		{"wrong type", http.MethodPost, "AWSStepFunctions.ListExecutions", amzJSON, `{"stateMachineArn":"x","maxResults":"ten"}`, 400, "SerializationException", "maxResults"},
		{"trailing data", http.MethodPost, "AWSStepFunctions.DescribeExecution", amzJSON, `{"executionArn":"x"} {}`, 400, "SerializationException", "after"},
		{"missing member", http.MethodPost, "AWSStepFunctions.StartExecution", amzJSON, `{"input":"{}"}`, 400, "ValidationException", "'stateMachineArn'"},
		{"empty body is {}", http.MethodPost, "AWSStepFunctions.DescribeExecution", amzJSON, ``, 400, "ValidationException", "'executionArn'"},
		{"bad status filter", http.MethodPost, "AWSStepFunctions.ListExecutions", amzJSON, `{"stateMachineArn":"x","statusFilter":"DONE"}`, 400, "ValidationException", "statusFilter"},
		{"maxResults too big", http.MethodPost, "AWSStepFunctions.ListStateMachines", amzJSON, `{"maxResults":1001}`, 400, "ValidationException", "maxResults"},
		{"forged token", http.MethodPost, "AWSStepFunctions.ListStateMachines", amzJSON, `{"nextToken":"bm90LWEtdG9rZW4"}`, 400, "InvalidToken", "Invalid Token"},
		{"express", http.MethodPost, "AWSStepFunctions.CreateStateMachine", amzJSON, `{"name":"a","definition":"{}","roleArn":"r","type":"EXPRESS"}`, 400, "ValidationException", "STANDARD"},
		{"send success without output", http.MethodPost, "AWSStepFunctions.SendTaskSuccess", amzJSON, `{"taskToken":"t"}`, 400, "ValidationException", "'output'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, srv.URL, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if tt.ctype != "" {
				req.Header.Set("Content-Type", tt.ctype)
			}
			if tt.target != "" {
				req.Header.Set("X-Amz-Target", tt.target)
			}
			got := do(t, req)
			if got.status != tt.status {
				t.Errorf("status = %d, want %d (%s)", got.status, tt.status, got.raw)
			}
			if typ := got.body["__type"]; typ != "com.amazonaws.swf.service.v2.model#"+tt.code {
				t.Errorf("__type = %v, want code %s", typ, tt.code)
			}
			if msg, _ := got.body["message"].(string); !strings.Contains(msg, tt.message) {
				t.Errorf("message = %q, want it to mention %q", msg, tt.message)
			}
			if got.header.Get("X-Amzn-RequestId") == "" {
				t.Error("no X-Amzn-RequestId header")
			}
		})
	}
}

// TestTypedErrors checks that engine errors reach SDK users as the SDK's own
// typed errors, which is what application code matches on.
func TestTypedErrors(t *testing.T) {
	ctx := context.Background()
	client := newClient(serve(t, newFake()).URL)
	const missingArn = "arn:aws:states:us-east-1:123456789012:execution:sm:nope"
	tests := []struct {
		name  string
		call  func() error
		check func(error) bool
	}{
		{"DescribeExecution unknown", func() error {
			_, err := client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(missingArn)})
			return err
		}, func(err error) bool {
			var e *types.ExecutionDoesNotExist
			return errors.As(err, &e) && strings.Contains(e.ErrorMessage(), missingArn)
		}},
		{"DescribeStateMachine unknown", func() error {
			_, err := client.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String("arn:aws:states:us-east-1:123456789012:stateMachine:nope")})
			return err
		}, func(err error) bool { var e *types.StateMachineDoesNotExist; return errors.As(err, &e) }},
		{"SendTaskSuccess unknown token", func() error {
			_, err := client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String("unknown"), Output: aws.String("{}")})
			return err
		}, func(err error) bool { var e *types.TaskDoesNotExist; return errors.As(err, &e) }},
		{"GetExecutionHistory unknown", func() error {
			_, err := client.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(missingArn)})
			return err
		}, func(err error) bool { var e *types.ExecutionDoesNotExist; return errors.As(err, &e) }},
		{"StopExecution unknown", func() error {
			_, err := client.StopExecution(ctx, &sfn.StopExecutionInput{ExecutionArn: aws.String(missingArn)})
			return err
		}, func(err error) bool { var e *types.ExecutionDoesNotExist; return errors.As(err, &e) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if !tt.check(err) {
				t.Fatalf("got %T %v", err, err)
			}
			var re interface{ HTTPStatusCode() int }
			if errors.As(err, &re) && re.HTTPStatusCode() != http.StatusBadRequest {
				t.Errorf("HTTP status %d, want 400", re.HTTPStatusCode())
			}
		})
	}
}

// TestInternalErrorIsOpaque: a failure inside the engine is a 500 that says
// nothing about the cause.
func TestInternalErrorIsOpaque(t *testing.T) {
	fake := newFake()
	fake.failWith = errors.New("disk I/O error at /var/secret/path")
	srv := serve(t, fake)
	got := post(t, srv.URL, "AWSStepFunctions.ListStateMachines", amzJSON, "{}")
	if got.status != http.StatusInternalServerError {
		t.Fatalf("status = %d, want 500", got.status)
	}
	if strings.Contains(got.raw, "secret") || got.body["message"] != "internal error" {
		t.Errorf("internal detail leaked: %s", got.raw)
	}
	_, err := newClient(srv.URL).ListStateMachines(context.Background(), &sfn.ListStateMachinesInput{})
	var api smithy.APIError
	if !errors.As(err, &api) || api.ErrorCode() != "InternalFailure" {
		t.Errorf("SDK error = %v, want InternalFailure", err)
	}
}

// TestEngineErrorPassesThrough: an APIError from the engine keeps its code
// and message, and the HTTP status is 400.
func TestEngineErrorPassesThrough(t *testing.T) {
	fake := newFake()
	fake.failWith = &engine.APIError{Code: "InvalidDefinition", Message: "state \"A\": unknown field \"Nxt\""}
	srv := serve(t, fake)
	got := post(t, srv.URL, "AWSStepFunctions.CreateStateMachine", amzJSON, `{"name":"a","definition":"{}","roleArn":"arn:aws:iam::123456789012:role/x"}`)
	if got.status != 400 || got.body["__type"] != "com.amazonaws.swf.service.v2.model#InvalidDefinition" || got.body["message"] != `state "A": unknown field "Nxt"` {
		t.Fatalf("got %d %s", got.status, got.raw)
	}
	_, err := newClient(srv.URL).CreateStateMachine(context.Background(), &sfn.CreateStateMachineInput{
		Name: aws.String("a"), Definition: aws.String("{}"), RoleArn: aws.String("arn:aws:iam::123456789012:role/x"),
	})
	var invalid *types.InvalidDefinition
	if !errors.As(err, &invalid) {
		t.Fatalf("got %T %v, want *types.InvalidDefinition", err, err)
	}
}

// deletingFake is a service that can delete state machines.
type deletingFake struct {
	*fakeService
	deleted []string
}

func (d *deletingFake) DeleteStateMachine(_ context.Context, arn string) error {
	d.deleted = append(d.deleted, arn)
	return nil
}

// TestDeleteStateMachineIsOptional: the action exists exactly when the
// engine can do it.
func TestDeleteStateMachineIsOptional(t *testing.T) {
	ctx := context.Background()
	const arn = "arn:aws:states:us-east-1:123456789012:stateMachine:old"

	_, err := newClient(serve(t, newFake()).URL).DeleteStateMachine(ctx, &sfn.DeleteStateMachineInput{StateMachineArn: aws.String(arn)})
	var api smithy.APIError
	if !errors.As(err, &api) || api.ErrorCode() != "UnknownOperationException" {
		t.Errorf("without a deleter: got %v, want UnknownOperationException", err)
	}

	d := &deletingFake{fakeService: newFake()}
	if _, err := newClient(serve(t, d).URL).DeleteStateMachine(ctx, &sfn.DeleteStateMachineInput{StateMachineArn: aws.String(arn)}); err != nil {
		t.Fatal(err)
	}
	if len(d.deleted) != 1 || d.deleted[0] != arn {
		t.Errorf("deleted %v", d.deleted)
	}
}
