package tracks

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/agency"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/names"
	"github.com/kaiban/kaiban/shared/storetest"
)

// passingMarket is a market regulator whose own name check passes
// everything, so only the name index decides.
type passingMarket struct{ kaiban.MarketRegulator }

func (passingMarket) CheckName(context.Context, kaiban.NameCheckRequest) (kaiban.NameCheck, error) {
	return kaiban.NameCheck{Reference: "NC1"}, nil
}

func (passingMarket) ReserveName(context.Context, kaiban.NameReservationRequest) (kaiban.NameReservation, error) {
	return kaiban.NameReservation{ReservationNumber: "R1"}, nil
}

func (passingMarket) AssignCreditCode(context.Context, kaiban.CreditCodeRequest) (kaiban.CreditCodeAssignment, error) {
	return kaiban.CreditCodeAssignment{CreditCode: "91210102MA0000000X"}, nil
}

// TestReserveUsesNameCheck: ReserveName refuses an identical name with
// the rule, sends a similar one to review (unless a clerk approved it),
// reserves an available one in the index, and the name review task
// carries the check's conflicts and rule. The fixture's name is
// 沈阳市云帆信息技术有限公司.
func TestReserveUsesNameCheck(t *testing.T) {
	now := storetest.T0.Add(time.Hour)
	cases := []struct {
		what       string
		registered string
		approved   bool
		wantErr    string
		wantHolder bool // the index holds the application's reservation after
	}{
		{"available", "沈阳云海信息技术有限公司", false, "", true},
		{"identical in another form", "沈阳云帆信息技术有限责任公司", false, kaiban.ErrAgencyRejected, false},
		{"similar industry words", "沈阳云帆软件有限公司", false, kaiban.ErrNameNeedsReview, false},
		{"similar, approved by a clerk", "沈阳云帆软件有限公司", true, "", true},
		{"identical, approved by a clerk, still refused", "沈阳云帆信息技术有限公司", true, kaiban.ErrAgencyRejected, false},
	}
	for _, tc := range cases {
		t.Run(tc.what, func(t *testing.T) {
			store := storetest.NewMemStore()
			app := storetest.MustCreate(t, store, "app-1", storetest.T0)
			idx := storetest.NewMemNameIndex()
			rec, _ := names.Record(tc.registered)
			rec.Status, rec.ChangedAt = kaiban.NameRegistered, now.AddDate(-1, 0, 0)
			if err := idx.PutNames(t.Context(), []kaiban.NameRecord{rec}); err != nil {
				t.Fatal(err)
			}
			svc := New(Deps{Store: store, Agencies: &agency.Clients{Market: passingMarket{}}, Now: func() time.Time { return now },
				Names: &names.Checker{Index: idx, Now: func() time.Time { return now }}})
			in, _ := json.Marshal(map[string]any{"applicationId": app.ID, "identity": map[string]any{"attestation": map[string]any{"id": "att-1"}}, "nameApproved": tc.approved})
			_, err := svc.Reserve(t.Context(), in)
			if got := kaiban.ErrorName(err); (tc.wantErr == "" && err != nil) || (tc.wantErr != "" && got != tc.wantErr) {
				t.Fatalf("Reserve: %v, want %q", err, tc.wantErr)
			}
			if tc.wantErr != "" && !strings.Contains(kaiban.ErrorMessage(err), tc.registered) {
				t.Errorf("message %q does not name the conflicting %s", kaiban.ErrorMessage(err), tc.registered)
			}
			own, _ := names.ParseFull(app.Form.Company.Name)
			mine, _ := idx.FindNames(t.Context(), own.Keys())
			held := false
			for _, r := range mine {
				held = held || (r.Holder == app.ID && r.Status == kaiban.NameReserved)
			}
			if held != tc.wantHolder {
				t.Errorf("index holds the application's reservation: %v, want %v (%+v)", held, tc.wantHolder, mine)
			}
			if tc.wantErr == "" {
				return
			}
			_, err = svc.Escalate(t.Context(), []byte(`{"applicationId":"app-1","track":"name","kind":"NAME_REVIEW","taskToken":"tok-1","error":"`+tc.wantErr+`","cause":"x"}`))
			if err != nil {
				t.Fatal(err)
			}
			tasks, _ := store.ListClerkTasks(t.Context(), kaiban.TaskFilter{})
			if len(tasks) != 1 || !strings.Contains(string(tasks[0].Data), tc.registered) || !strings.Contains(string(tasks[0].Data), `"rule"`) {
				t.Errorf("review task data %s, want the check with %s and its rule", tasks[0].Data, tc.registered)
			}
		})
	}
}
