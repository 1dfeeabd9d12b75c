package onestop_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/onestop"
	"github.com/kaiban/kaiban/shared/storetest"
	"github.com/kaiban/kaiban/shared/validate"
)

// finishingStore is a MemStore on which the resumed workflow completes the
// application as soon as the service has read it after the resume: the
// instant-agency race, where the workflow's finalisation lands between the
// service's read of NEEDS_CORRECTION and its write of IN_PROGRESS.
type finishingStore struct {
	*storetest.MemStore
	mu    sync.Mutex
	armed bool // set by the workflow's SendTaskSuccess
}

func (s *finishingStore) GetApplication(ctx context.Context, id string) (*kaiban.Application, error) {
	a, err := s.MemStore.GetApplication(ctx, id)
	s.mu.Lock()
	armed := s.armed
	s.armed = false
	s.mu.Unlock()
	if err == nil && armed {
		done := now.Add(time.Minute)
		if _, err := s.MemStore.UpdateApplication(ctx, id, kaiban.ApplicationUpdate{Status: kaiban.AppCompleted,
			CreditCode: "91210102MA0P4G3X1T", CompletedAt: &done, UpdatedAt: done}); err != nil {
			return nil, err
		}
	}
	return a, err
}

// resumingWorkflow arms its store's completion when a branch is resumed.
type resumingWorkflow struct{ store *finishingStore }

var _ onestop.Workflow = resumingWorkflow{}

func (resumingWorkflow) StartExecution(context.Context, string) error { return nil }

func (w resumingWorkflow) SendTaskSuccess(context.Context, string, json.RawMessage) error {
	w.store.mu.Lock()
	defer w.store.mu.Unlock()
	w.store.armed = true
	return nil
}

// A correction whose resumed workflow completes the application before the
// service writes IN_PROGRESS leaves it COMPLETED and tells the applicant
// so, without an error: the finished status is never overwritten.
func TestCorrectionRacingCompletionLeavesItCompleted(t *testing.T) {
	store := &finishingStore{MemStore: storetest.NewMemStore()}
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
