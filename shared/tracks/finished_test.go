package tracks

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/agency"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/storetest"
)

// TestStepsOnAFinishedApplicationLeaveItsStatus: a step that reads the
// status and writes another lands on an application another path has
// finished meanwhile (the store refuses the write, kaiban.ErrApplicationFinished).
// The step succeeds (its status write is moot) and the finished status
// stands.
func TestStepsOnAFinishedApplicationLeaveItsStatus(t *testing.T) {
	cases := []struct {
		name    string
		finish  kaiban.AppStatus
		fn      string
		in      string
		succeed bool // the seven tracks succeed before the application finishes
	}{
		{"EscalateAfterCompletion", kaiban.AppCompleted, FnEscalate,
			`{"applicationId":"KB-1","track":"tax","kind":"TRACK_EXCEPTION","taskToken":"tok-late","error":"Agency.Rejected","cause":"{}"}`, false},
		{"CompensateAfterCompletion", kaiban.AppCompleted, FnCompensate,
			`{"applicationId":"KB-1","error":"Identity.Failed","cause":"{\"errorMessage\":\"late\"}"}`, false},
		{"FinalizeAfterRejection", kaiban.AppRejected, FnFinalize, `{"applicationId":"KB-1"}`, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			store := storetest.NewMemStore()
			storetest.MustCreate(t, store, "KB-1", storetest.T0)
			clock := storetest.T0.Add(30 * time.Minute)
			svc := New(Deps{Store: store, Agencies: &agency.Clients{}, Stats: store, Now: func() time.Time { return clock }})
			if tc.succeed {
				for _, tr := range kaiban.Tracks {
					in, _ := json.Marshal(map[string]any{
						"action": "complete", "applicationId": "KB-1", "track": tr, "creditCode": "91210102MA0000000X",
						"identity": map[string]any{"attestation": map[string]any{}},
						"clerk":    kaiban.ClerkOutcome{Decision: kaiban.DecisionComplete, Data: json.RawMessage(`{"done":true}`), Clerk: kaiban.ClerkIdentity{Sub: "alice"}},
					})
					if _, err := svc.Track(tr)(ctx, in); err != nil {
						t.Fatal(err)
					}
				}
			}
			if _, err := store.UpdateApplication(ctx, "KB-1", kaiban.ApplicationUpdate{Status: tc.finish, UpdatedAt: clock}); err != nil {
				t.Fatal(err)
			}
			out, err := svc.Handlers()[tc.fn](ctx, json.RawMessage(tc.in))
			if err != nil {
				t.Fatalf("%s on a %s application: %v, want the step to succeed", tc.fn, tc.finish, err)
			}
			app, err := store.GetApplication(ctx, "KB-1")
			if err != nil {
				t.Fatal(err)
			}
			if app.Status != tc.finish {
				t.Errorf("after %s: status %s, want %s", tc.fn, app.Status, tc.finish)
			}
			if tc.fn == FnFinalize {
				var f finalOutput
				if err := json.Unmarshal(out, &f); err != nil || f.Status != tc.finish {
					t.Errorf("Finalize answered %s (%v), want %s", out, err, tc.finish)
				}
			}
		})
	}
}
