package stack

import (
	"errors"
	"strings"
	"testing"

	"github.com/kaiban/kaiban/shared/delivery"
)

// The API's workflow is the engine, called in process: a start names the
// execution by the application, a repeated start is success, and a token
// the engine does not wait for is gone, not a failure to re-deliver.
func TestEngineWorkflow(t *testing.T) {
	h := startHarness(t, true)
	wf := engineWorkflow{eng: h.st.Engine, machine: h.st.StateMachineArn}
	ctx := t.Context()
	for range 2 {
		if err := wf.StartExecution(ctx, "KB20261127TEST"); err != nil {
			t.Fatalf("start: %v", err)
		}
	}
	arn := strings.Replace(h.st.StateMachineArn, ":stateMachine:", ":execution:", 1) + ":KB20261127TEST"
	if _, err := h.st.Engine.DescribeExecution(ctx, arn); err != nil {
		t.Fatalf("no execution named by the application: %v", err)
	}
	err := wf.SendTaskSuccess(ctx, "no-such-token", []byte(`{"decision":"retry"}`))
	if !errors.Is(err, delivery.ErrTaskGone) {
		t.Errorf("unknown token: %v, want delivery.ErrTaskGone", err)
	}
}
