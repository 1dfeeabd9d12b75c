package tracks

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/kaiban/kaiban/shared/agency"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/storetest"
)

// A clerk's note is internal: a track completed by hand tells the applicant
// that a clerk completed it, and nothing of what the clerk wrote.
func TestCompletedByHandDoesNotShowTheNote(t *testing.T) {
	ctx := context.Background()
	store := storetest.NewMemStore()
	storetest.MustCreate(t, store, "KB-1", storetest.T0)
	svc := New(Deps{Store: store, Agencies: &agency.Clients{}})
	const note = "内部：申请人电话 13840012345 多次催办，已线下刻制"
	in, _ := json.Marshal(map[string]any{
		"action": "complete", "applicationId": "KB-1", "track": "seal", "creditCode": "91210102MA0000000X",
		"identity": map[string]any{"attestation": map[string]any{}},
		"clerk": kaiban.ClerkOutcome{
			Decision: kaiban.DecisionComplete, Note: note, Data: json.RawMessage(`{"filingCodes":["2101022026000001"]}`),
			Clerk: kaiban.ClerkIdentity{Sub: "alice"},
		},
	})
	if _, err := svc.Track(kaiban.TrackSeal)(ctx, in); err != nil {
		t.Fatal(err)
	}
	app, err := store.GetApplication(ctx, "KB-1")
	if err != nil {
		t.Fatal(err)
	}
	seal := app.Track(kaiban.TrackSeal)
	if seal.Status != kaiban.TrackSucceeded || seal.Message != "由窗口人员办结" {
		t.Errorf("seal track: %s %q, want SUCCEEDED %q", seal.Status, seal.Message, "由窗口人员办结")
	}
	for _, part := range []string{"内部", "13840012345", "催办"} {
		if strings.Contains(seal.Message, part) || strings.Contains(app.Message, part) {
			t.Errorf("the applicant's view carries the note's %q: %q / %q", part, seal.Message, app.Message)
		}
	}
}
