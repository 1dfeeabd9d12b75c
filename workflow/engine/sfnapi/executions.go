package sfnapi

import (
	"context"
	"fmt"
	"strconv"

	"github.com/kaiban/kaiban/workflow/engine"
)

func (in *startExecutionInput) validate() error {
	if in.StateMachineArn == "" {
		return missing("stateMachineArn")
	}
	return nil
}

func (h *Handler) startExecution(ctx context.Context, in *startExecutionInput) (any, error) {
	input := in.Input
	if input == "" {
		input = "{}" // AWS's default when no input is given
	}
	ex, err := h.svc.StartExecution(ctx, in.StateMachineArn, in.Name, input)
	if err != nil {
		return nil, err
	}
	return startExecutionOutput{ExecutionArn: ex.Arn, StartDate: epochTime(ex.StartDate)}, nil
}

func (in *describeExecutionInput) validate() error {
	if in.ExecutionArn == "" {
		return missing("executionArn")
	}
	return validIncludedData(in.IncludedData)
}

func (h *Handler) describeExecution(ctx context.Context, in *describeExecutionInput) (any, error) {
	ex, err := h.svc.DescribeExecution(ctx, in.ExecutionArn)
	if err != nil {
		return nil, err
	}
	out := describeExecutionOutput{
		ExecutionArn:    ex.Arn,
		StateMachineArn: ex.StateMachineArn,
		Name:            ex.Name,
		Status:          ex.Status,
		StartDate:       epochTime(ex.StartDate),
		StopDate:        optionalTime(ex.StopDate),
		Error:           ex.Error,
		Cause:           ex.Cause,
	}
	if in.IncludedData != includeMetadata {
		out.Input, out.InputDetails = &ex.Input, &dataDetails{Included: true}
		if ex.Status == engine.StatusSucceeded {
			out.Output, out.OutputDetails = &ex.Output, &dataDetails{Included: true}
		}
	}
	return out, nil
}

var executionStatuses = map[string]bool{
	engine.StatusRunning: true, engine.StatusSucceeded: true, engine.StatusFailed: true,
	engine.StatusTimedOut: true, engine.StatusAborted: true, "PENDING_REDRIVE": true,
}

func (in *listExecutionsInput) validate() error {
	switch {
	case in.MapRunArn != "":
		return badRequest(codeValidation, "listing the executions of a distributed Map run is not supported locally")
	case in.StateMachineArn == "":
		return missing("stateMachineArn")
	case in.StatusFilter != "" && !executionStatuses[in.StatusFilter]:
		return badRequest(codeValidation, "1 validation error detected: Value '%s' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE]", in.StatusFilter)
	case in.RedriveFilter != "" && in.RedriveFilter != "REDRIVEN" && in.RedriveFilter != "NOT_REDRIVEN":
		return badRequest(codeValidation, "redriveFilter must be REDRIVEN or NOT_REDRIVEN")
	}
	return nil
}

func (h *Handler) listExecutions(ctx context.Context, in *listExecutionsInput) (any, error) {
	var list []engine.Execution
	// Nothing is ever redriven locally, and nothing waits for a redrive.
	if in.RedriveFilter != "REDRIVEN" && in.StatusFilter != "PENDING_REDRIVE" {
		var err error
		if list, err = h.svc.ListExecutions(ctx, in.StateMachineArn, in.StatusFilter); err != nil {
			return nil, err
		}
	} else if _, err := h.svc.DescribeStateMachine(ctx, in.StateMachineArn); err != nil {
		return nil, err // still report an unknown state machine
	}
	scope := fmt.Sprintf("ListExecutions\x00%s\x00%s", in.StateMachineArn, in.StatusFilter)
	pg, next, err := page(list, func(ex engine.Execution) string { return ex.Arn }, scope, in.NextToken, in.MaxResults)
	if err != nil {
		return nil, err
	}
	out := listExecutionsOutput{Executions: make([]executionListItem, len(pg)), NextToken: next}
	for i, ex := range pg {
		out.Executions[i] = executionListItem{
			ExecutionArn:    ex.Arn,
			StateMachineArn: ex.StateMachineArn,
			Name:            ex.Name,
			Status:          ex.Status,
			StartDate:       epochTime(ex.StartDate),
			StopDate:        optionalTime(ex.StopDate),
		}
	}
	return out, nil
}

func (in *getExecutionHistoryInput) validate() error {
	if in.ExecutionArn == "" {
		return missing("executionArn")
	}
	return nil
}

func (h *Handler) getExecutionHistory(ctx context.Context, in *getExecutionHistoryInput) (any, error) {
	events, err := h.svc.GetExecutionHistory(ctx, in.ExecutionArn)
	if err != nil {
		return nil, err
	}
	if in.ReverseOrder {
		rev := make([]engine.HistoryEvent, len(events))
		for i, ev := range events {
			rev[len(events)-1-i] = ev
		}
		events = rev
	}
	scope := fmt.Sprintf("GetExecutionHistory\x00%s\x00%t", in.ExecutionArn, in.ReverseOrder)
	key := func(ev engine.HistoryEvent) string { return strconv.FormatInt(ev.ID, 10) }
	pg, next, err := page(events, key, scope, in.NextToken, in.MaxResults)
	if err != nil {
		return nil, err
	}
	strip := in.IncludeExecutionData != nil && !*in.IncludeExecutionData
	out := getExecutionHistoryOutput{Events: make([]historyEvent, len(pg)), NextToken: next}
	for i, ev := range pg {
		out.Events[i] = newHistoryEvent(ev)
		if strip {
			out.Events[i] = out.Events[i].withoutExecutionData()
		}
	}
	return out, nil
}

func (in *stopExecutionInput) validate() error {
	if in.ExecutionArn == "" {
		return missing("executionArn")
	}
	return nil
}

func (h *Handler) stopExecution(ctx context.Context, in *stopExecutionInput) (any, error) {
	stopped, err := h.svc.StopExecution(ctx, in.ExecutionArn, in.Error, in.Cause)
	if err != nil {
		return nil, err
	}
	return stopExecutionOutput{StopDate: epochTime(stopped)}, nil
}
