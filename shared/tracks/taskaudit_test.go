package tracks

import (
	"context"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/agency"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/storetest"
)

// A clerk task never changes without its audit event: when the store
// cannot write the event, the task write fails with it, so the clerk queue
// shows nothing the trail does not record.
func TestTaskWritesFailWithTheirEvent(t *testing.T) {
	cases := []struct {
		name  string
		setup func(t *testing.T, store kaiban.Store)
		run   func(ctx context.Context, svc *Service) error
		check func(t *testing.T, store kaiban.Store)
	}{
		{
			name:  "escalation opens no task",
			setup: func(t *testing.T, store kaiban.Store) {},
			run: func(ctx context.Context, svc *Service) error {
				_, err := svc.Escalate(ctx, []byte(`{"applicationId":"app-1","track":"tax","kind":"TRACK_EXCEPTION","taskToken":"tok-1","error":"Agency.Rejected","cause":"x"}`))
				return err
			},
			check: func(t *testing.T, store kaiban.Store) {
				if open, err := store.OpenTasksFor(context.Background(), "app-1"); err != nil || len(open) != 0 {
					t.Errorf("open tasks: %+v, %v; want none", open, err)
				}
			},
		},
		{
			name: "closing a rejected application's task leaves it open",
			setup: func(t *testing.T, store kaiban.Store) {
				storetest.MustCreateTask(t, store, storetest.Task("task-1", "app-1", "tax", storetest.T0.Add(4*time.Hour), 0))
			},
			run: func(ctx context.Context, svc *Service) error {
				_, err := svc.closeOpenTasks(ctx, "app-1", "test")
				return err
			},
			check: func(t *testing.T, store kaiban.Store) {
				got, err := store.GetClerkTask(context.Background(), "task-1")
				if err != nil || got.Status != kaiban.TaskOpen || got.ClaimedBy != "" {
					t.Errorf("task: status %s claimed by %q, %v; want OPEN and unclaimed", got.Status, got.ClaimedBy, err)
				}
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			store := storetest.NewMemStore()
			storetest.MustCreate(t, store, "app-1", storetest.T0)
			tc.setup(t, store)
			storetest.MemFault().FailAudit(t, store)
			svc := New(Deps{Store: store, Agencies: &agency.Clients{}, Now: func() time.Time { return storetest.T0.Add(time.Minute) }})
			if err := tc.run(t.Context(), svc); err == nil {
				t.Fatal("the task write succeeded although its event could not be stored")
			}
			tc.check(t, store)
			if trail, err := store.ListAudit(t.Context(), "app-1"); err != nil || len(trail) != 0 {
				t.Errorf("trail: %d events, %v; want none", len(trail), err)
			}
		})
	}
}
