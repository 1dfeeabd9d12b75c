package tracks

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/agency"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/storetest"
)

// TestCorrectionDue: the state before the wait for a correction gets the
// request's time, its dueAt on the holiday calendar and the exact seconds
// until it, which the wait times out after.
func TestCorrectionDue(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	for _, tc := range []struct {
		name     string
		now, due time.Time
	}{
		{"Friday over a weekend", time.Date(2026, 11, 27, 9, 0, 0, 0, cst), time.Date(2026, 12, 4, 9, 0, 0, 0, cst)},
		{"Friday before the Spring Festival", time.Date(2026, 2, 13, 16, 30, 0, 0, cst), time.Date(2026, 2, 27, 16, 30, 0, 0, cst)},
		{"Saturday before National Day, to the nanosecond", time.Date(2026, 9, 26, 23, 59, 59, 999, cst), time.Date(2026, 10, 9, 23, 59, 59, 999, cst)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			svc := New(Deps{Store: storetest.NewMemStore(), Agencies: &agency.Clients{}, Now: func() time.Time { return tc.now }})
			out, err := svc.Escalate(t.Context(), []byte(`{"applicationId":"app-1","track":"seal","kind":"CORRECTION_DUE"}`))
			if err != nil {
				t.Fatal(err)
			}
			var got correctionDueOutput
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatal(err)
			}
			if !got.AskedAt.Equal(tc.now) || !got.DueAt.Equal(tc.due) || got.TimeoutSeconds != int64(tc.due.Sub(tc.now)/time.Second) {
				t.Errorf("got %s, want asked %v, due %v, %d s", out, tc.now, tc.due, int64(tc.due.Sub(tc.now)/time.Second))
			}
		})
	}
	svc := New(Deps{Store: storetest.NewMemStore(), Agencies: &agency.Clients{}})
	if _, err := svc.Escalate(t.Context(), []byte(`{"applicationId":"app-1","track":"identity","kind":"CORRECTION_DUE"}`)); err == nil {
		t.Error("a correction's dueAt for a step that is not a track was answered")
	}
}

// TestCorrectionStoresTheDueAtOfItsWait: the correction stores the askedAt
// and dueAt the wait's timeout was computed from, not times of its own
// (the escalate call runs later, and may be retried later still).
func TestCorrectionStoresTheDueAtOfItsWait(t *testing.T) {
	store := storetest.NewMemStore()
	storetest.MustCreate(t, store, "app-1", storetest.T0)
	asked := storetest.T0.Add(time.Minute)
	due := kaiban.CorrectionDueAt(asked)
	svc := New(Deps{Store: store, Agencies: &agency.Clients{}, Now: func() time.Time { return asked.Add(3 * time.Minute) }})
	in, _ := json.Marshal(map[string]any{"applicationId": "app-1", "track": "seal", "kind": "CORRECTION", "taskToken": "tok-1",
		"error": kaiban.ErrAgencyNeedsCorrection, "cause": kaiban.CorrectionAsk{Fields: []string{"company.address.detail"}, ReasonCode: "ADDRESS_UNUSABLE"}.Append("查封"),
		"askedAt": asked, "dueAt": due})
	if _, err := svc.Escalate(t.Context(), in); err != nil {
		t.Fatal(err)
	}
	c, err := store.GetCorrection(t.Context(), "app-1")
	if err != nil {
		t.Fatal(err)
	}
	if !c.AskedAt.Equal(asked) || !c.DueAt.Equal(due) {
		t.Errorf("stored asked %v due %v, want the wait's %v and %v", c.AskedAt, c.DueAt, asked, due)
	}
}
