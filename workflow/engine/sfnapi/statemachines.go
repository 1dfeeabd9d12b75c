package sfnapi

import (
	"context"
	"sort"

	"github.com/kaiban/kaiban/workflow/engine"
)

// StateMachineDeleter is the optional part of the engine behind
// DeleteStateMachine; the action exists only when the service has it.
type StateMachineDeleter interface {
	DeleteStateMachine(ctx context.Context, arn string) error
}

const (
	typeStandard    = "STANDARD"
	includeAll      = "ALL_DATA"
	includeMetadata = "METADATA_ONLY"
)

func (in *createStateMachineInput) validate() error {
	switch {
	case in.Name == "":
		return missing("name")
	case in.Definition == "":
		return missing("definition")
	case in.RoleArn == "":
		return missing("roleArn")
	case in.Type != "" && in.Type != typeStandard:
		// EXPRESS workflows have different semantics (at-least-once, no
		// history API); running them as STANDARD would hide that.
		return badRequest(codeValidation, "only STANDARD state machines are supported locally, not %q", in.Type)
	case in.Publish:
		return badRequest(codeValidation, "state machine versions (publish=true) are not supported locally")
	}
	return nil
}

func (h *Handler) createStateMachine(ctx context.Context, in *createStateMachineInput) (any, error) {
	sm, err := h.svc.CreateStateMachine(ctx, in.Name, in.Definition, in.RoleArn)
	if err != nil {
		return nil, err
	}
	return createStateMachineOutput{StateMachineArn: sm.Arn, CreationDate: epochTime(sm.CreationDate)}, nil
}

func validIncludedData(v string) error {
	if v != "" && v != includeAll && v != includeMetadata {
		return badRequest(codeValidation, "includedData must be %s or %s", includeAll, includeMetadata)
	}
	return nil
}

func (in *describeStateMachineInput) validate() error {
	if in.StateMachineArn == "" {
		return missing("stateMachineArn")
	}
	return validIncludedData(in.IncludedData)
}

func (h *Handler) describeStateMachine(ctx context.Context, in *describeStateMachineInput) (any, error) {
	sm, err := h.svc.DescribeStateMachine(ctx, in.StateMachineArn)
	if err != nil {
		return nil, err
	}
	out := describeStateMachineOutput{
		StateMachineArn:      sm.Arn,
		Name:                 sm.Name,
		Status:               "ACTIVE",
		Definition:           sm.Definition,
		RoleArn:              sm.RoleArn,
		Type:                 orStandard(sm.Type),
		CreationDate:         epochTime(sm.CreationDate),
		LoggingConfiguration: loggingConfiguration{Level: "OFF"},
	}
	if in.IncludedData == includeMetadata {
		out.Definition = ""
	}
	return out, nil
}

func (in *listStateMachinesInput) validate() error { return nil }

func (h *Handler) listStateMachines(ctx context.Context, in *listStateMachinesInput) (any, error) {
	sms, err := h.svc.ListStateMachines(ctx)
	if err != nil {
		return nil, err
	}
	// AWS lists state machines by name; a stable order also keeps the
	// paging token meaningful between calls.
	sort.SliceStable(sms, func(i, j int) bool { return sms[i].Name < sms[j].Name })
	pg, next, err := page(sms, func(sm engine.StateMachine) string { return sm.Arn }, "ListStateMachines", in.NextToken, in.MaxResults)
	if err != nil {
		return nil, err
	}
	out := listStateMachinesOutput{StateMachines: make([]stateMachineListItem, len(pg)), NextToken: next}
	for i, sm := range pg {
		out.StateMachines[i] = stateMachineListItem{StateMachineArn: sm.Arn, Name: sm.Name, Type: orStandard(sm.Type), CreationDate: epochTime(sm.CreationDate)}
	}
	return out, nil
}

func (in *deleteStateMachineInput) validate() error {
	if in.StateMachineArn == "" {
		return missing("stateMachineArn")
	}
	return nil
}

func (h *Handler) deleteStateMachine(d StateMachineDeleter) func(context.Context, *deleteStateMachineInput) (any, error) {
	return func(ctx context.Context, in *deleteStateMachineInput) (any, error) {
		if err := d.DeleteStateMachine(ctx, in.StateMachineArn); err != nil {
			return nil, err
		}
		return empty{}, nil
	}
}

func orStandard(t string) string {
	if t == "" {
		return typeStandard
	}
	return t
}
