package onestop_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/onestop"
	"github.com/kaiban/kaiban/shared/storetest"
	"github.com/kaiban/kaiban/shared/validate"
)

// resumingWorkflow arms its store's completion when a branch is resumed.
type resumingWorkflow struct{ store *storetest.CompletingStore }

var _ onestop.Workflow = resumingWorkflow{}

func (resumingWorkflow) StartExecution(context.Context, string) error { return nil }

func (w resumingWorkflow) SendTaskSuccess(context.Context, string, json.RawMessage) error {
	w.store.Arm()
	return nil
}

// A correction whose resumed workflow completes the application before the
// service writes IN_PROGRESS leaves it COMPLETED and tells the applicant
// so, without an error: the finished status is never overwritten.
func TestCorrectionRacingCompletionLeavesItCompleted(t *testing.T) {
	store := storetest.NewCompletingStore(false)
	t.Cleanup(func() { _ = store.Close() })
	deps := onestop.Deps{Store: store, Validator: validate.New(), Workflow: resumingWorkflow{store},
		Clock: func() time.Time { return now }, TokenSecret: []byte("test secret that is long enough for hkdf")}
	if err := deps.Check(); err != nil {
		t.Fatal(err)
	}
	svc := onestop.New(deps)
	ctx := t.Context()
	sub, err := svc.Submit(ctx, onestop.SubmitRequest{Body: form(t), IdempotencyKey: "k-race"})
	if err != nil {
		t.Fatal(err)
	}
	c := kaiban.Correction{ApplicationID: sub.ID, Track: kaiban.TrackSeal, Fields: []string{"company.address.detail"},
		ReasonCode: "ADDRESS_UNUSABLE", AskedBy: "clerk-1", AskedAt: now, DueAt: now.Add(72 * time.Hour),
		Status: kaiban.CorrectionOpen, TaskToken: "sfn-token-seal"}
	if _, _, err := kaiban.OpenCorrectionAudited(ctx, store, store, c); err != nil {
		t.Fatal(err)
	}

	res, err := svc.Correct(ctx, sub.ID, sub.AccessToken, onestop.CorrectionRequest{
		Changes: map[string]json.RawMessage{"company.address.detail": json.RawMessage(`"沈阳市浑南区创新路8号"`)}}, validate.LangZH)
	if err != nil {
		t.Fatalf("correction racing the completion: %v, want it accepted", err)
	}
	if res.Status != kaiban.AppCompleted {
		t.Errorf("correction answered status %s, want COMPLETED", res.Status)
	}
	app, err := store.GetApplication(ctx, sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	if app.Status != kaiban.AppCompleted {
		t.Errorf("application after the correction: %s, want COMPLETED", app.Status)
	}
}
