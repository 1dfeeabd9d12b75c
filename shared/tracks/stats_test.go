package tracks

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/agency"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/storetest"
)

// TestFinalizeCountsTheCompletionOnce: the completion is added to the
// day's aggregate by the step that writes it, and a retried Finalize
// (the application already COMPLETED) counts nothing again.
func TestFinalizeCountsTheCompletionOnce(t *testing.T) {
	ctx := context.Background()
	store := storetest.NewMemStore()
	if _, err := store.CreateApplication(ctx, storetest.Request("KB-1", storetest.T0)); err != nil {
		t.Fatal(err)
	}
	clock := storetest.T0.Add(30 * time.Minute)
	svc := New(Deps{Store: store, Agencies: &agency.Clients{}, Stats: store, Now: func() time.Time { return clock }})
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
	for range 2 {
		if _, err := svc.Handlers()[FnFinalize](ctx, json.RawMessage(`{"applicationId":"KB-1"}`)); err != nil {
			t.Fatal(err)
		}
	}
	day := kaiban.StatsDay(clock)
	days, err := store.StatsDays(ctx, day, day)
	if err != nil || len(days) != 1 {
		t.Fatalf("stats of %s: %+v, %v", day, days, err)
	}
	c := days[0].Counters
	var hist int64
	for k, v := range c {
		if strings.HasPrefix(k, kaiban.StatCompletionHist+".b") {
			hist += v
		}
	}
	if c[kaiban.StatCompleted] != 1 || hist != 1 || c[kaiban.StatWithinHalfDay] != 1 || c[kaiban.StatNoClerk] != 1 {
		t.Errorf("after Finalize twice: %v, want one completion within half a day, no clerk", c)
	}
}

// TestCorrectionCountsItsReasonOnce: a correction the agency asks for is
// counted under its reason code, and the step retried later (the
// correction already open) counts nothing again.
func TestCorrectionCountsItsReasonOnce(t *testing.T) {
	ctx := context.Background()
	store := storetest.NewMemStore()
	storetest.MustCreate(t, store, "KB-1", storetest.T0)
	clock := storetest.T0.Add(10 * time.Minute)
	svc := New(Deps{Store: store, Agencies: &agency.Clients{}, Stats: store, Now: func() time.Time { return clock }})
	cause := kaiban.CorrectionAsk{Fields: []string{"company.address.detail"}, ReasonCode: "ADDRESS_UNUSABLE"}.Append("住所已被查封")
	in, _ := json.Marshal(map[string]any{"applicationId": "KB-1", "track": kaiban.TrackSeal, "kind": kindCorrection,
		"taskToken": "tok-1", "error": kaiban.ErrAgencyNeedsCorrection, "cause": cause})
	for range 2 {
		if _, err := svc.Handlers()[FnEscalate](ctx, in); err != nil {
			t.Fatal(err)
		}
		clock = clock.Add(time.Minute)
	}
	day := kaiban.StatsDay(clock)
	days, err := store.StatsDays(ctx, day, day)
	if err != nil || len(days) != 1 {
		t.Fatalf("stats of %s: %+v, %v", day, days, err)
	}
	got := kaiban.Summarize(days, day, day, 1).TopReasons
	if len(got) != 1 || got[0].Reason != "ADDRESS_UNUSABLE" || got[0].Count != 1 {
		t.Errorf("reasons %+v, want ADDRESS_UNUSABLE once", got)
	}
}

// TestRejectionWithAnAgencysOwnWordsCountsTheError: a rejection whose
// reason is an agency's own text is counted under the error's name, not
// as a generic text.
func TestRejectionWithAnAgencysOwnWordsCountsTheError(t *testing.T) {
	ctx := context.Background()
	store := storetest.NewMemStore()
	storetest.MustCreate(t, store, "KB-1", storetest.T0)
	clock := storetest.T0.Add(10 * time.Minute)
	svc := New(Deps{Store: store, Agencies: &agency.Clients{}, Stats: store, Now: func() time.Time { return clock }})
	in, _ := json.Marshal(map[string]any{"applicationId": "KB-1", "error": kaiban.ErrIdentityFailed, "cause": `{"errorMessage":"证件号码与姓名不一致"}`})
	if _, err := svc.Handlers()[FnCompensate](ctx, in); err != nil {
		t.Fatal(err)
	}
	day := kaiban.StatsDay(clock)
	days, err := store.StatsDays(ctx, day, day)
	if err != nil || len(days) != 1 {
		t.Fatalf("stats of %s: %+v, %v", day, days, err)
	}
	got := kaiban.Summarize(days, day, day, 1).TopReasons
	if len(got) != 1 || got[0].Reason != kaiban.ErrIdentityFailed {
		t.Errorf("reasons %+v, want %s", got, kaiban.ErrIdentityFailed)
	}
}
