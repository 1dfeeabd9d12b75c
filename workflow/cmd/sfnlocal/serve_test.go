package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

const clerkDefinition = `{
  "StartAt": "AskClerk",
  "States": {
    "AskClerk": {
      "Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
      "Parameters": { "FunctionName": "askClerk", "Payload": { "token.$": "$$.Task.Token" } },
      "ResultPath": "$.decision",
      "End": true
    }
  }
}`

// server is a running `sfnlocal serve`.
type server struct {
	url    string
	client *sfn.Client
	stop   context.CancelFunc
	exit   chan int
	stdout chan string
}

// startServe runs `sfnlocal serve` with args on a free loopback port and
// returns once it prints its address.
func startServe(t *testing.T, args ...string) *server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	s := &server{stop: cancel, exit: make(chan int, 1), stdout: make(chan string, 64)}
	go func() {
		code := run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), func(string) string { return "" }, strings.NewReader(""), pw, io.Discard)
		pw.Close()
		s.exit <- code
	}()
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			s.stdout <- sc.Text()
		}
		close(s.stdout)
	}()
	t.Cleanup(func() {
		cancel()
		for range s.stdout { // drain so the program never blocks writing
		}
	})
	deadline := time.After(10 * time.Second)
	for s.url == "" {
		select {
		case line, ok := <-s.stdout:
			if !ok {
				t.Fatalf("serve exited before listening: %d", <-s.exit)
			}
			if _, after, found := strings.Cut(line, "Step Functions API on "); found {
				s.url = after
			}
		case <-deadline:
			t.Fatal("serve never printed its address")
		}
	}
	s.client = sfn.NewFromConfig(aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("AKIDLOCAL", "local-secret", "")},
		func(o *sfn.Options) { o.BaseEndpoint = aws.String(s.url); o.Retryer = aws.NopRetryer{} })
	return s
}

// shutdown sends the equivalent of SIGINT and returns the exit code.
func (s *server) shutdown(t *testing.T) int {
	t.Helper()
	s.stop()
	select {
	case code := <-s.exit:
		return code
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
		return -1
	}
}

// TestServe: a definitions folder is created at start, executions are
// driven with the SDK (an unmocked callback waits for SendTaskSuccess),
// a durable database keeps them across a restart, and cancelling the
// context stops the server cleanly.
func TestServe(t *testing.T) {
	ctx := context.Background()
	defs := t.TempDir()
	if err := os.WriteFile(filepath.Join(defs, "clerk.asl.json"), []byte(clerkDefinition), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "sfn.db")
	s := startServe(t, "--db", db, "--definitions", defs)

	list, err := s.client.ListStateMachines(ctx, &sfn.ListStateMachinesInput{})
	if err != nil || len(list.StateMachines) != 1 || aws.ToString(list.StateMachines[0].Name) != "clerk" {
		t.Fatalf("ListStateMachines = %+v, %v", list, err)
	}
	smArn := list.StateMachines[0].StateMachineArn
	start, err := s.client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: smArn, Name: aws.String("app-7"), Input: aws.String(`{"app":7}`)})
	if err != nil {
		t.Fatal(err)
	}
	token := waitForToken(t, s.client, aws.ToString(start.ExecutionArn))
	if code := s.shutdown(t); code != 0 {
		t.Fatalf("serve exited %d, want 0", code)
	}

	// The durable database brings the waiting execution back.
	s = startServe(t, "--db", db, "--definitions", defs)
	if _, err := s.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(token), Output: aws.String(`{"ok":true}`)}); err != nil {
		t.Fatalf("SendTaskSuccess after restart: %v", err)
	}
	d := pollUntilDone(t, s.client, aws.ToString(start.ExecutionArn))
	var out map[string]any
	if err := json.Unmarshal([]byte(aws.ToString(d.Output)), &out); err != nil || d.Status != types.ExecutionStatusSucceeded || out["decision"] == nil {
		t.Errorf("after restart: %s %s", d.Status, aws.ToString(d.Output))
	}
	if code := s.shutdown(t); code != 0 {
		t.Fatalf("serve exited %d, want 0", code)
	}
}

func TestServeRefuses(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"public address", []string{"serve", "--addr", "0.0.0.0:8083"}, "loopback only"},
		{"missing definitions", []string{"serve", "--addr", "127.0.0.1:0", "--definitions", "testdata/nope"}, "no such file"},
		{"stray argument", []string{"serve", "extra"}, "no arguments"},
		{"test case alone", []string{"serve", "--addr", "127.0.0.1:0", "--test-case", "T"}, "go together"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := sfnlocal(t, "", tt.args...)
			if got.code != 2 || !strings.Contains(got.stderr, tt.stderr) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", got.code, got.stderr, tt.stderr)
			}
		})
	}
}

// waitForToken polls the history (as an operator would) until the task
// token appears in the TaskScheduled event's parameters.
func waitForToken(t *testing.T, client *sfn.Client, arn string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		h, err := client.GetExecutionHistory(context.Background(), &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(arn)})
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range h.Events {
			if ev.TaskScheduledEventDetails == nil {
				continue
			}
			var p struct {
				Payload struct {
					Token string `json:"token"`
				} `json:"Payload"`
			}
			if err := json.Unmarshal([]byte(aws.ToString(ev.TaskScheduledEventDetails.Parameters)), &p); err == nil && p.Payload.Token != "" {
				return p.Payload.Token
			}
		}
		time.Sleep(5 * time.Millisecond) // polling an outside process, with a deadline
	}
	t.Fatal("no task token in the history")
	return ""
}

func pollUntilDone(t *testing.T, client *sfn.Client, arn string) *sfn.DescribeExecutionOutput {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		d, err := client.DescribeExecution(context.Background(), &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
		if err != nil {
			t.Fatal(err)
		}
		if d.Status != types.ExecutionStatusRunning {
			return d
		}
		time.Sleep(5 * time.Millisecond) // polling an outside process, with a deadline
	}
	t.Fatal(errors.New("the execution did not finish"))
	return nil
}
