package sfnapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/kaiban/kaiban/workflow/engine"
)

// TestListExecutionsPaging walks a newest-first list with the SDK's own
// paginator, and checks a token survives executions arriving meanwhile.
func TestListExecutionsPaging(t *testing.T) {
	ctx := context.Background()
	fake := newFake()
	sm, _ := fake.CreateStateMachine(ctx, "sm", "{}", "role")
	for i := range 7 {
		if _, err := fake.StartExecution(ctx, sm.Arn, fmt.Sprintf("e%d", i), "{}"); err != nil {
			t.Fatal(err)
		}
	}
	client := newClient(serve(t, fake).URL)

	first, err := client.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(sm.Arn), MaxResults: 3})
	if err != nil {
		t.Fatal(err)
	}
	// A new execution arrives at the head between pages: the next page
	// must continue after e4, not shift by one.
	if _, err := fake.StartExecution(ctx, sm.Arn, "late", "{}"); err != nil {
		t.Fatal(err)
	}
	names := executionNames(first.Executions)
	p := sfn.NewListExecutionsPaginator(client, &sfn.ListExecutionsInput{StateMachineArn: aws.String(sm.Arn), MaxResults: 3, NextToken: first.NextToken})
	pages := 1
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		names = append(names, executionNames(out.Executions)...)
	}
	want := []string{"e6", "e5", "e4", "e3", "e2", "e1", "e0"}
	if fmt.Sprint(names) != fmt.Sprint(want) || pages != 3 {
		t.Errorf("pages=%d names=%v, want 3 pages of %v", pages, names, want)
	}

	// A token is bound to the call that issued it.
	other, _ := fake.CreateStateMachine(ctx, "other", "{}", "role")
	_, err = client.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(other.Arn), NextToken: first.NextToken})
	var invalid *types.InvalidToken
	if !errors.As(err, &invalid) {
		t.Errorf("token replayed on another state machine: got %v, want InvalidToken", err)
	}
}

func executionNames(items []types.ExecutionListItem) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = aws.ToString(it.Name)
	}
	return out
}

// TestHistoryWire checks the history as an SDK user sees it: typed detail
// objects, epoch timestamps, reverse order and paging.
func TestHistoryWire(t *testing.T) {
	ctx := context.Background()
	fake := newFake()
	sm, _ := fake.CreateStateMachine(ctx, "sm", "{}", "role")
	ex, _ := fake.StartExecution(ctx, sm.Arn, "h", `{"a":1}`)
	t0 := time.Date(2025, 3, 1, 9, 30, 0, 123_000_000, time.UTC)
	fake.history[ex.Arn] = []engine.HistoryEvent{
		{ID: 1, Type: "ExecutionStarted", Timestamp: t0, DetailsKey: "executionStartedEventDetails", Details: json.RawMessage(`{"input":"{\"a\":1}","inputDetails":{"truncated":false},"roleArn":"role"}`)},
		{ID: 2, PreviousEventID: 1, Type: "PassStateEntered", Timestamp: t0.Add(time.Millisecond), DetailsKey: "stateEnteredEventDetails", Details: json.RawMessage(`{"name":"P","input":"{\"a\":1}"}`)},
		{ID: 3, PreviousEventID: 2, Type: "PassStateExited", Timestamp: t0.Add(2 * time.Millisecond), DetailsKey: "stateExitedEventDetails", Details: json.RawMessage(`{"name":"P","output":"{}"}`)},
		{ID: 4, PreviousEventID: 3, Type: "ExecutionSucceeded", Timestamp: t0.Add(3 * time.Millisecond), DetailsKey: "executionSucceededEventDetails", Details: json.RawMessage(`{"output":"{}"}`)},
	}
	client := newClient(serve(t, fake).URL)

	out, err := client.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(ex.Arn)})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Events) != 4 || out.NextToken != nil {
		t.Fatalf("got %d events, token %v", len(out.Events), out.NextToken)
	}
	start := out.Events[0]
	if start.Type != types.HistoryEventTypeExecutionStarted || start.Id != 1 || !start.Timestamp.Equal(t0) ||
		aws.ToString(start.ExecutionStartedEventDetails.Input) != `{"a":1}` {
		t.Errorf("first event = %+v", start)
	}
	if got := out.Events[2]; got.PreviousEventId != 2 || aws.ToString(got.StateExitedEventDetails.Name) != "P" {
		t.Errorf("third event = %+v", got)
	}

	var ids []int64
	p := sfn.NewGetExecutionHistoryPaginator(client, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(ex.Arn), ReverseOrder: true, MaxResults: 3})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range page.Events {
			ids = append(ids, ev.Id)
		}
	}
	if fmt.Sprint(ids) != "[4 3 2 1]" {
		t.Errorf("reverse ids = %v", ids)
	}

	noData, err := client.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(ex.Arn), IncludeExecutionData: aws.Bool(false)})
	if err != nil {
		t.Fatal(err)
	}
	if d := noData.Events[0].ExecutionStartedEventDetails; d == nil || d.Input != nil || aws.ToString(d.RoleArn) != "role" {
		t.Errorf("includeExecutionData=false kept the input or lost the rest: %+v", d)
	}
}

// TestDescribeExecutionWire checks field by field what DescribeExecution
// returns while running and after a stop.
func TestDescribeExecutionWire(t *testing.T) {
	ctx := context.Background()
	fake := newFake()
	sm, _ := fake.CreateStateMachine(ctx, "sm", "{}", "role")
	client := newClient(serve(t, fake).URL)
	start, err := client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(sm.Arn), Name: aws.String("d")})
	if err != nil {
		t.Fatal(err)
	}
	if !start.StartDate.Equal(fake.now) {
		t.Errorf("startDate = %v, want %v", start.StartDate, fake.now)
	}
	d, err := client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: start.ExecutionArn})
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != types.ExecutionStatusRunning || d.StopDate != nil || aws.ToString(d.Input) != "{}" || d.Output != nil {
		t.Errorf("running execution = %+v (input %q)", d, aws.ToString(d.Input))
	}
	stop, err := client.StopExecution(ctx, &sfn.StopExecutionInput{ExecutionArn: start.ExecutionArn, Error: aws.String("Operator"), Cause: aws.String("test")})
	if err != nil {
		t.Fatal(err)
	}
	d, err = client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: start.ExecutionArn, IncludedData: types.IncludedDataMetadataOnly})
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != types.ExecutionStatusAborted || !d.StopDate.Equal(*stop.StopDate) || aws.ToString(d.Error) != "Operator" || d.Input != nil {
		t.Errorf("stopped execution = %+v", d)
	}
}
