package tracks

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/kaiban/kaiban/shared/agency"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/storetest"
)

// Whatever a handler is given, it answers with a typed error the definition
// can match (Input.Invalid is caught and escalated, never retried) or
// NotFound; it never panics and never touches an agency.
func TestHandlersRejectBadInput(t *testing.T) {
	svc := New(Deps{Store: storetest.NewMemStore(), Agencies: &agency.Clients{}})
	inputs := []struct {
		name string
		in   string
		want string
	}{
		{"empty", ``, kaiban.ErrInput},
		{"not JSON", `{"applicationId":`, kaiban.ErrInput},
		{"array", `[]`, kaiban.ErrInput},
		{"wrong type", `{"applicationId":42}`, kaiban.ErrInput},
		{"unknown field", `{"applicationId":"A1","sneaky":true}`, kaiban.ErrInput},
		{"trailing data", `{"applicationId":"A1"} {}`, kaiban.ErrInput},
		{"missing id", `{}`, kaiban.ErrInput},
		{"null", `null`, kaiban.ErrInput},
	}
	for name, h := range svc.Handlers() {
		for _, in := range inputs {
			t.Run(name+"/"+in.name, func(t *testing.T) {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("panic: %v", r)
					}
				}()
				_, err := h(context.Background(), json.RawMessage(in.in))
				if got := kaiban.ErrorName(err); got != in.want {
					t.Fatalf("error %q (%v), want %s", got, err, in.want)
				}
			})
		}
	}
}

// Well-formed input for an application that does not exist is NotFound,
// and a track function refuses another track's work.
func TestHandlersCheckWhatTheyAreGiven(t *testing.T) {
	svc := New(Deps{Store: storetest.NewMemStore(), Agencies: &agency.Clients{}})
	ctx := context.Background()
	cases := []struct {
		fn, in, want string
	}{
		{FnIdentity, `{"applicationId":"KB-none"}`, kaiban.ErrNotFound},
		{FnFinalize, `{"applicationId":"KB-none"}`, kaiban.ErrNotFound},
		{FnReserve, `{"applicationId":"KB-none","identity":{"attestation":{"id":""}},"nameApproved":false}`, kaiban.ErrInput},
		{FnLicense, `{"action":"run","applicationId":"KB-1","track":"seal","creditCode":"91210112MA0000000X","identity":{"attestation":{}}}`, kaiban.ErrInput},
		{FnLicense, `{"action":"dance","applicationId":"KB-1","track":"license","creditCode":"91210112MA0000000X","identity":{"attestation":{}}}`, kaiban.ErrInput},
		{FnLicense, `{"action":"run","applicationId":"KB-1","track":"license","identity":{"attestation":{}}}`, kaiban.ErrInput},
		{FnSeal, `{"action":"complete","applicationId":"KB-1","track":"seal","creditCode":"91210112MA0000000X","identity":{"attestation":{}}}`, kaiban.ErrInput},
		{FnEscalate, `{"applicationId":"KB-1","track":"seal","kind":"TRACK_EXCEPTION","taskToken":"","error":"x","cause":"y"}`, kaiban.ErrInput},
		{FnEscalate, `{"applicationId":"KB-1","track":"moon","kind":"TRACK_EXCEPTION","taskToken":"t","error":"x","cause":"y"}`, kaiban.ErrInput},
		{FnEscalate, `{"applicationId":"KB-1","track":"seal","kind":"PARTY","taskToken":"t","error":"x","cause":"y"}`, kaiban.ErrInput},
		{FnCompensate, `{"applicationId":"KB-none","error":"x","cause":"y"}`, kaiban.ErrNotFound},
	}
	for _, c := range cases {
		_, err := svc.Handler(c.fn)(ctx, json.RawMessage(c.in))
		if got := kaiban.ErrorName(err); got != c.want {
			t.Errorf("%s %s: error %q (%v), want %s", c.fn, c.in, got, err, c.want)
		}
	}
}

func TestCauseMessageReadsLambdaAndLocalCauses(t *testing.T) {
	cases := []struct{ name, cause, want string }{
		{"Agency.Rejected", `{"errorMessage":"税务机关退回: 经营范围需许可","errorType":"Agency.Rejected"}`, "税务机关退回: 经营范围需许可"},
		{"Agency.Rejected", "Agency.Rejected: 税务机关退回", "税务机关退回"},
		{"Clerk.Rejected", "A clerk rejected the seal registration.", "A clerk rejected the seal registration."},
	}
	for _, c := range cases {
		if got := causeMessage(c.name, c.cause); got != c.want {
			t.Errorf("causeMessage(%q) = %q, want %q", c.cause, got, c.want)
		}
	}
}

// The watchdog runs for its EventBridge schedule and for nothing else.
func TestWatchdogRunsForItsScheduleOnly(t *testing.T) {
	svc := New(Deps{Store: storetest.NewMemStore(), Agencies: &agency.Clients{}})
	h := svc.Handlers()[FnWatchdog]
	scheduled := `{"version":"0","id":"e1","detail-type":"Scheduled Event","source":"aws.events","time":"2026-11-27T01:00:00Z","detail":{}}`
	out, err := h(context.Background(), json.RawMessage(scheduled))
	if err != nil {
		t.Fatalf("scheduled event: %v", err)
	}
	var rep WatchdogReport
	if err := json.Unmarshal(out, &rep); err != nil || rep.AtRisk != 0 {
		t.Errorf("report %s (%v): want an empty store's report", out, err)
	}
	for _, in := range []string{`{"source":"aws.s3","detail-type":"Scheduled Event"}`, `{"source":"aws.events","detail-type":"Object Created"}`} {
		if _, err := h(context.Background(), json.RawMessage(in)); kaiban.ErrorName(err) != kaiban.ErrInput {
			t.Errorf("%s: error %v, want %s", in, err, kaiban.ErrInput)
		}
	}
}
