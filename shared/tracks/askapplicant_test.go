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

// A second track asking for a correction while the applicant corrects
// another's goes to a clerk, who is told why, instead of waiting on a
// correction the applicant is never asked for (the store keeps one open
// correction per application) and expiring into a rejection.
func TestSecondCorrectionGoesToAClerk(t *testing.T) {
	ctx := context.Background()
	store := storetest.NewMemStore()
	storetest.MustCreate(t, store, "KB-1", storetest.T0)
	clock := storetest.T0.Add(10 * time.Minute)
	svc := New(Deps{Store: store, Agencies: &agency.Clients{}, Now: func() time.Time { return clock }})
	ask := func(track kaiban.TrackName, field, reason, token string) {
		t.Helper()
		cause := kaiban.CorrectionAsk{Fields: []string{field}, ReasonCode: reason}.Append("请更正")
		in, _ := json.Marshal(map[string]any{"applicationId": "KB-1", "track": track, "kind": kindCorrection,
			"taskToken": token, "error": kaiban.ErrAgencyNeedsCorrection, "cause": cause})
		if _, err := svc.Handlers()[FnEscalate](ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	ask(kaiban.TrackSeal, "company.address.detail", "ADDRESS_UNUSABLE", "tok-seal")
	ask(kaiban.TrackBank, "bank.branchCode", "BANK_BRANCH_UNAVAILABLE", "tok-bank")

	c, err := store.GetCorrection(ctx, "KB-1")
	if err != nil || c.Track != kaiban.TrackSeal || c.TaskToken != "tok-seal" || c.Status != kaiban.CorrectionOpen {
		t.Fatalf("correction %+v, %v; want the seal's, still open", c, err)
	}
	tasks, err := store.OpenTasksFor(ctx, "KB-1")
	if err != nil || len(tasks) != 1 {
		t.Fatalf("open tasks %+v, %v; want one for the bank", tasks, err)
	}
	task := tasks[0]
	if task.Track != string(kaiban.TrackBank) || task.Kind != kaiban.TaskTrackException || task.TaskToken != "tok-bank" || task.ErrorName != kaiban.ErrAgencyNeedsCorrection ||
		!strings.Contains(task.Reason, "申请人正在补正"+kaiban.TrackLabelZH(kaiban.TrackSeal)) {
		t.Errorf("task %+v: want the bank's exception, saying the applicant is correcting the seal's", task)
	}
}
