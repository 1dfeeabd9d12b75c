package tracks

import (
	"context"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/agency"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/storetest"
)

// The clock stands still while the applicant corrects: the watchdog opens
// no deadline task for an application waiting for its correction, past
// its deadline or not, and does for one in progress.
func TestWatchdogLeavesApplicationsWaitingForCorrection(t *testing.T) {
	ctx := context.Background()
	store := storetest.NewMemStore()
	for id, status := range map[string]kaiban.AppStatus{"app-wait": kaiban.AppNeedsCorrection, "app-run": kaiban.AppInProgress} {
		storetest.MustCreate(t, store, id, storetest.T0)
		if _, err := store.UpdateApplication(ctx, id, kaiban.ApplicationUpdate{Status: status}); err != nil {
			t.Fatal(err)
		}
	}
	late := storetest.T0.Add(kaiban.DeadlineAfterSubmission + time.Hour)
	svc := New(Deps{Store: store, Agencies: &agency.Clients{}, Now: func() time.Time { return late }})
	if _, err := svc.Watchdog(ctx); err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]int{"app-wait": 0, "app-run": 1} {
		open, err := store.OpenTasksFor(ctx, id)
		if err != nil || len(open) != want {
			t.Errorf("%s: %d open tasks (%v), want %d", id, len(open), err, want)
		}
	}
}
