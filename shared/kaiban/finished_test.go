package kaiban_test

import (
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/storetest"
)

// A correction asked for while the application completes keeps it
// COMPLETED, and the ask itself does not fail.
func TestOpenCorrectionOnAnApplicationCompletingMeanwhile(t *testing.T) {
	s := storetest.NewCompletingStore(true)
	t.Cleanup(func() { _ = s.Close() })
	storetest.MustCreate(t, s.MemStore, "app-1", storetest.T0)
	c := kaiban.Correction{ApplicationID: "app-1", Track: kaiban.TrackSeal, Fields: []string{"company.address.detail"},
		ReasonCode: "ADDRESS_UNUSABLE", AskedBy: "system", AskedAt: storetest.T0, DueAt: storetest.T0.Add(72 * time.Hour),
		Status: kaiban.CorrectionOpen, TaskToken: "tok"}
	app, _, err := kaiban.OpenCorrectionAudited(t.Context(), s, s, c)
	if err != nil {
		t.Fatalf("open correction: %v, want no error", err)
	}
	got, err := s.MemStore.GetApplication(t.Context(), "app-1")
	if err != nil {
		t.Fatal(err)
	}
	if app.Status != kaiban.AppCompleted || got.Status != kaiban.AppCompleted {
		t.Errorf("answered %s, stored %s; want COMPLETED both", app.Status, got.Status)
	}
}
