package sfnapi

import "context"

func (in *sendTaskSuccessInput) validate() error {
	switch {
	case in.TaskToken == "":
		return missing("taskToken")
	case in.Output == "":
		return missing("output")
	}
	return nil
}

func (h *Handler) sendTaskSuccess(ctx context.Context, in *sendTaskSuccessInput) (any, error) {
	if err := h.svc.SendTaskSuccess(ctx, in.TaskToken, in.Output); err != nil {
		return nil, err
	}
	return empty{}, nil
}

func (in *sendTaskFailureInput) validate() error {
	if in.TaskToken == "" {
		return missing("taskToken")
	}
	return nil
}

func (h *Handler) sendTaskFailure(ctx context.Context, in *sendTaskFailureInput) (any, error) {
	if err := h.svc.SendTaskFailure(ctx, in.TaskToken, in.Error, in.Cause); err != nil {
		return nil, err
	}
	return empty{}, nil
}

func (in *sendTaskHeartbeatInput) validate() error {
	if in.TaskToken == "" {
		return missing("taskToken")
	}
	return nil
}

func (h *Handler) sendTaskHeartbeat(ctx context.Context, in *sendTaskHeartbeatInput) (any, error) {
	if err := h.svc.SendTaskHeartbeat(ctx, in.TaskToken); err != nil {
		return nil, err
	}
	return empty{}, nil
}
