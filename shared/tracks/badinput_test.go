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
		if name == FnWatchdog {
			continue // its input, the scheduled event, is ignored
		}
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
