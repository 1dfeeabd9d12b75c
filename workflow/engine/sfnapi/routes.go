package sfnapi

// routes lists the whole API: every action this server answers, by the name
// that follows "AWSStepFunctions." in X-Amz-Target.
func (h *Handler) routes() map[string]action {
	r := map[string]action{
		"CreateStateMachine":   handle(h.createStateMachine),
		"DescribeStateMachine": handle(h.describeStateMachine),
		"ListStateMachines":    handle(h.listStateMachines),
		"StartExecution":       handle(h.startExecution),
		"DescribeExecution":    handle(h.describeExecution),
		"ListExecutions":       handle(h.listExecutions),
		"GetExecutionHistory":  handle(h.getExecutionHistory),
		"StopExecution":        handle(h.stopExecution),
		"SendTaskSuccess":      handle(h.sendTaskSuccess),
		"SendTaskFailure":      handle(h.sendTaskFailure),
		"SendTaskHeartbeat":    handle(h.sendTaskHeartbeat),
	}
	if d, ok := h.svc.(StateMachineDeleter); ok {
		r["DeleteStateMachine"] = handle(h.deleteStateMachine(d))
	}
	return r
}
