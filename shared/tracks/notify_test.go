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

// The steps tell the applicant of each milestone once per recipient (SMS
// to the legal representative and the liaison, e-mail to the legal
// representative), in the language chosen at submission, however often a
// step runs again; a clerk's note never reaches a message.
func TestMilestoneNotifications(t *testing.T) {
	ctx := context.Background()
	for _, lang := range []string{"", kaiban.LangEN} {
		t.Run("lang="+lang, func(t *testing.T) {
			store := storetest.NewMemStore()
			req := storetest.Request("KB-1", storetest.T0)
			req.Application.Lang = lang
			if _, err := store.CreateApplication(ctx, req); err != nil {
				t.Fatal(err)
			}
			svc := New(Deps{Store: store, Agencies: &agency.Clients{}, Notifier: store})
			complete := func(track kaiban.TrackName) {
				in, _ := json.Marshal(map[string]any{
					"action": "complete", "applicationId": "KB-1", "track": track, "creditCode": "91210102MA0000000X",
					"identity": map[string]any{"attestation": map[string]any{}},
					"clerk": kaiban.ClerkOutcome{Decision: kaiban.DecisionComplete, Note: "内部备注 13840012345",
						Data: json.RawMessage(`{"done":true}`), Clerk: kaiban.ClerkIdentity{Sub: "alice"}},
				})
				if _, err := svc.Track(track)(ctx, in); err != nil {
					t.Fatal(err)
				}
			}
			for range 2 { // the second run is a retried step
				for _, tr := range kaiban.Tracks {
					complete(tr)
				}
				if _, err := svc.Handlers()[FnFinalize](ctx, json.RawMessage(`{"applicationId":"KB-1"}`)); err != nil {
					t.Fatal(err)
				}
			}
			msgs, err := store.Messages(ctx, 0)
			if err != nil {
				t.Fatal(err)
			}
			count := map[string]int{}
			for _, m := range msgs {
				count[m.Kind+"/"+string(m.Channel)]++
				if strings.Contains(m.Text, "内部") || strings.Contains(m.Key, "13800138000") {
					t.Errorf("message leaks the note or a mobile in its key: %+v", m)
				}
				en := strings.HasPrefix(m.Text, "[Kaiban]")
				if en != (lang == kaiban.LangEN) {
					t.Errorf("lang %q: text %q", lang, m.Text)
				}
			}
			want := map[string]int{
				"certificate_ready/sms": 2 * len(kaiban.Tracks), "certificate_ready/email": len(kaiban.Tracks),
				"completed/sms": 2, "completed/email": 1,
			}
			for k, n := range want {
				if count[k] != n {
					t.Errorf("%s: %d messages, want %d (all: %v)", k, count[k], n, count)
				}
			}
			if len(msgs) != 3*(len(kaiban.Tracks)+1) {
				t.Errorf("%d messages, want %d", len(msgs), 3*(len(kaiban.Tracks)+1))
			}
		})
	}
}

// A clerk task tells the applicant a clerk needs them (once per task), and
// a rejection tells them why, in their language.
func TestActionRequiredAndRejectedNotifications(t *testing.T) {
	ctx := context.Background()
	store := storetest.NewMemStore()
	req := storetest.Request("KB-2", storetest.T0)
	req.Application.Lang = kaiban.LangEN
	if _, err := store.CreateApplication(ctx, req); err != nil {
		t.Fatal(err)
	}
	svc := New(Deps{Store: store, Agencies: &agency.Clients{}, Notifier: store})
	h := svc.Handlers()
	for _, tok := range []string{"token-a", "token-a", "token-b"} { // token-a's step runs twice
		in, _ := json.Marshal(map[string]any{"applicationId": "KB-2", "track": "license", "kind": kaiban.TaskTrackException,
			"taskToken": tok, "error": kaiban.ErrAgencyRejected, "cause": "地址不符"})
		if _, err := h[FnEscalate](ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	for range 2 {
		if _, err := h[FnCompensate](ctx, json.RawMessage(`{"applicationId":"KB-2","error":"Agency.Rejected","cause":"地址不符","byHand":true,"clerk":{"decision":"complete","clerk":{"sub":"alice"}}}`)); err != nil {
			t.Fatal(err)
		}
	}
	msgs, err := store.Messages(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, m := range msgs {
		count[m.Kind]++
		if m.Kind == "rejected" && !strings.HasPrefix(m.Text, "[Kaiban] Sorry") {
			t.Errorf("rejection text %q", m.Text)
		}
	}
	if count["action_required"] != 2*3 || count["rejected"] != 3 {
		t.Errorf("messages by kind %v, want action_required 6 (two tasks, three recipients), rejected 3", count)
	}
}
