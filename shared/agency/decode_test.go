package agency

import (
	"strings"
	"testing"

	"github.com/kaiban/kaiban/shared/kaiban"
)

func TestDecodeResponse(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		body    string
		want    string // error name, "" for success
		message string // expected client-safe message (substring)
	}{
		{"success", 200, `{"reference":"NC1","name":"n","checkedAt":"2030-01-01T00:00:00Z"}`, "", ""},
		{"unknown field", 200, `{"reference":"NC1","name":"n","checkedAt":"2030-01-01T00:00:00Z","extra":1}`, kaiban.ErrAgencyUnavailable, "unreadable"},
		{"truncated", 200, `{"reference":"NC1","na`, kaiban.ErrAgencyUnavailable, "unreadable"},
		{"trailing data", 200, `{"reference":"NC1"} x`, kaiban.ErrAgencyUnavailable, "unreadable"},
		{"empty", 200, ``, kaiban.ErrAgencyUnavailable, "unreadable"},
		{"wrong type", 200, `{"reference":1}`, kaiban.ErrAgencyUnavailable, "unreadable"},
		{"rejected", 422, `{"code":"REJECTED","message":"不予登记"}`, kaiban.ErrAgencyRejected, "不予登记"},
		{"bad request", 400, `{"code":"BAD_REQUEST","message":"日期无效"}`, kaiban.ErrAgencyRejected, "日期无效"},
		{"name review", 422, `{"code":"NAME_REVIEW","message":""}`, kaiban.ErrNameNeedsReview, "needs review"},
		{"identity", 422, `{"code":"IDENTITY_FAILED","message":"x"}`, kaiban.ErrIdentityFailed, "x"},
		{"conflict", 409, `{"code":"IDEMPOTENCY_CONFLICT","message":"used"}`, kaiban.ErrIdempotencyConflict, "used"},
		{"unavailable code on 4xx", 423, `{"code":"UNAVAILABLE","message":"later"}`, kaiban.ErrAgencyUnavailable, "later"},
		{"unknown code", 422, `{"code":"TEAPOT","message":"x"}`, kaiban.ErrAgencyUnavailable, "HTTP 422"},
		{"4xx HTML", 404, `<html>not found</html>`, kaiban.ErrAgencyUnavailable, "HTTP 404"},
		{"429", 429, `{"code":"REJECTED","message":"x"}`, kaiban.ErrAgencyUnavailable, "HTTP 429"},
		{"408", 408, ``, kaiban.ErrAgencyUnavailable, "HTTP 408"},
		{"500", 500, `{"code":"REJECTED","message":"x"}`, kaiban.ErrAgencyUnavailable, "HTTP 500"},
		{"redirect", 302, ``, kaiban.ErrAgencyUnavailable, "HTTP 302"},
		{"control characters stripped", 422, `{"code":"REJECTED","message":"a\u0000b\nc"}`, kaiban.ErrAgencyRejected, "a b c"},
		{"long message cut", 422, `{"code":"REJECTED","message":"` + strings.Repeat("长", 500) + `"}`, kaiban.ErrAgencyRejected, strings.Repeat("长", maxMessage) + "…"},
		{"too large", 200, `"` + strings.Repeat("x", maxResponse) + `"`, kaiban.ErrAgencyUnavailable, "too large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out kaiban.NameCheck
			err := decodeResponse(kaiban.AgencyMarket, tt.status, []byte(tt.body), &out)
			if got := kaiban.ErrorName(err); got != tt.want {
				t.Fatalf("error %v, want name %q", err, tt.want)
			}
			if err != nil && !strings.Contains(kaiban.ErrorMessage(err), tt.message) {
				t.Errorf("message %q, want it to contain %q", kaiban.ErrorMessage(err), tt.message)
			}
		})
	}
}

// FuzzDecodeResponse feeds arbitrary answers to the decoder and the sanity
// checks of every result type: whatever an agency sends, the client returns
// a typed error or a checked result, and never panics.
func FuzzDecodeResponse(f *testing.F) {
	for _, s := range []string{
		`{"creditCode":"91210102767720441X","assignedAt":"2030-01-01T00:00:00Z"}`,
		`{"creditCode":"9121","assignedAt":"2030-01-01T00:00:00Z"}`,
		`{"seals":[{"type":"OFFICIAL","filingCode":"1"},{"type":"OFFICIAL","filingCode":"2"}],"carvingShop":"x","filedAt":"2030-01-01T00:00:00Z"}`,
		`{"id":"a","verifiedAt":"2030-01-01T00:00:00Z","persons":1,"digest":"d"}`,
		`{"code":"REJECTED","message":"\xff\xfe"}`,
		`null`, `[]`, `{}`, `{"seals":null}`,
	} {
		f.Add(200, []byte(s))
		f.Add(422, []byte(s))
	}
	allowed := map[string]bool{
		"": true, kaiban.ErrAgencyUnavailable: true, kaiban.ErrAgencyRejected: true,
		kaiban.ErrNameNeedsReview: true, kaiban.ErrIdentityFailed: true, kaiban.ErrIdempotencyConflict: true,
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		check := func(err error) {
			if !allowed[kaiban.ErrorName(err)] {
				t.Fatalf("status %d: unexpected error %v", status, err)
			}
		}
		var cc kaiban.CreditCodeAssignment
		err := decodeResponse(kaiban.AgencyMarket, status, body, &cc)
		check(err)
		if err == nil {
			_ = checkCreditCode(kaiban.CreditCodeRequest{AgencyCall: kaiban.AgencyCall{RegionCode: "210102"}}, &cc)
		}
		var sf kaiban.SealFiling
		if err := decodeResponse(kaiban.AgencySeal, status, body, &sf); err == nil {
			_ = checkSealFiling(kaiban.SealRequest{Types: []kaiban.SealType{kaiban.SealOfficial}}, &sf)
		} else {
			check(err)
		}
		var at kaiban.IdentityAttestation
		if err := decodeResponse(kaiban.AgencyIdentity, status, body, &at); err == nil {
			_ = checkAttestation(kaiban.IdentityRequest{}, &at)
		} else {
			check(err)
		}
		var cn kaiban.Cancellation
		if err := decodeResponse(kaiban.AgencyBank, status, body, &cn); err == nil {
			_ = checkCancellation(kaiban.CancelRequest{}, &cn)
		} else {
			check(err)
		}
		if status >= 200 && status < 300 && err != nil && kaiban.ErrorName(err) != kaiban.ErrAgencyUnavailable {
			t.Fatalf("a 2xx answer produced %v", err)
		}
	})
}
