package tracks_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/storetest"
	"github.com/kaiban/kaiban/shared/tracks"
)

// fakeConfirmer answers a fixed outcome and records what it was asked.
type fakeConfirmer struct {
	outcome  string
	opened   int
	reminded int
	waiter   string
}

func (f *fakeConfirmer) OpenConfirmations(context.Context, string) ([]kaiban.Confirmation, error) {
	f.opened++
	return nil, nil
}

func (f *fakeConfirmer) RemindConfirmations(context.Context, string) error {
	f.reminded++
	return nil
}

func (f *fakeConfirmer) AwaitConfirmations(_ context.Context, _, token string) (kaiban.ConfirmOutcome, error) {
	f.waiter = token
	return kaiban.ConfirmOutcome{Outcome: f.outcome}, nil
}

func (f *fakeConfirmer) ConfirmationOutcome(context.Context, string) (kaiban.ConfirmOutcome, error) {
	return kaiban.ConfirmOutcome{Outcome: f.outcome}, nil
}

func TestConfirmStep(t *testing.T) {
	const id = "KB20261127AAAAAAAAAAAAAAAA"
	cases := []struct {
		name, action, outcome string
		wantOutcome, wantErr  string
	}{
		{"open answers the outcome", "open", kaiban.OutcomePending, kaiban.OutcomePending, ""},
		{"wait while pending stores the token", "wait", kaiban.OutcomePending, kaiban.OutcomePending, ""},
		{"wait when already settled", "wait", kaiban.OutcomeSigned, "", kaiban.ErrConfirmationSettled},
		{"expire while pending", "expire", kaiban.OutcomePending, kaiban.OutcomeExpired, ""},
		{"expire after everyone signed", "expire", kaiban.OutcomeSigned, kaiban.OutcomeSigned, ""},
		{"remind", "remind", kaiban.OutcomePending, kaiban.OutcomePending, ""},
		{"unknown action", "sign", kaiban.OutcomePending, "", kaiban.ErrInput},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := &fakeConfirmer{outcome: c.outcome}
			s := tracks.New(tracks.Deps{Store: storetest.NewMemStore(), Confirm: f})
			in, _ := json.Marshal(map[string]string{"action": c.action, "applicationId": id, "taskToken": "tok-1"})
			raw, err := s.Confirm(t.Context(), in)
			if c.wantErr != "" {
				if !kaiban.IsName(err, c.wantErr) {
					t.Fatalf("error %v, want %s", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var out map[string]any
			if err := json.Unmarshal(raw, &out); err != nil || out["outcome"] != c.wantOutcome {
				t.Fatalf("output %s, want outcome %s", raw, c.wantOutcome)
			}
			if _, ok := out["cause"]; !ok {
				t.Error("the output has no cause: the definition's ResultSelector reads it")
			}
			if c.wantOutcome == kaiban.OutcomeExpired && out["cause"] == "" {
				t.Error("expired without a cause")
			}
			if c.action == "wait" && f.waiter != "tok-1" || c.action == "remind" && f.reminded != 1 || c.action == "open" && f.opened != 1 {
				t.Errorf("confirmer after %s: %+v", c.action, f)
			}
		})
	}
}
