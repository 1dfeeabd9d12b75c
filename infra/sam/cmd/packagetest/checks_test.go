package main

import (
	"strings"
	"testing"
)

// The response checks accept what the service promises and refuse the
// rest, so a passing package test means what it says.
func TestChecks(t *testing.T) {
	fieldErrors := `{"statusCode":400,"body":"{\"errors\":[{\"field\":\"a\",\"code\":\"required\",\"message\":\"m\"},{\"field\":\"b\",\"code\":\"cn_idcard\",\"message\":\"m\"}]}"}`
	cases := []struct {
		name  string
		check func([]byte) error
		out   string
		want  string // "" for success, else part of the error
	}{
		{"typed error matches", wantError("Input.Invalid"), `{"errorType":"Input.Invalid","errorMessage":"x"}`, ""},
		{"other typed error", wantError("Input.Invalid"), `{"errorType":"Internal","errorMessage":"internal error"}`, "got errorType Internal"},
		{"success where an error was due", wantError("NotFound"), `{"taskId":"t"}`, "want errorType NotFound"},
		{"keys present", wantKeys("atRisk", "late"), `{"atRisk":0,"late":0}`, ""},
		{"key missing", wantKeys("atRisk", "late"), `{"atRisk":0}`, `no "late"`},
		{"handler failed", wantKeys("x"), `{"errorType":"Store.Unavailable","errorMessage":"m"}`, "the function failed: Store.Unavailable"},
		{"nested path", wantPath("attestation", "id"), `{"attestation":{"id":"A1"}}`, ""},
		{"empty nested path", wantPath("attestation", "id"), `{"attestation":{"id":""}}`, "no [attestation id]"},
		{"value", wantValue("status", "SUCCEEDED"), `{"status":"SUCCEEDED"}`, ""},
		{"wrong value", wantValue("status", "SUCCEEDED"), `{"status":"FAILED"}`, `status is "FAILED"`},
		{"valid credit code", wantCreditCode, `{"creditCode":"91440300708461136T","nameReservation":"N1"}`, ""},
		{"bad check digit", wantCreditCode, `{"creditCode":"91440300708461136A","nameReservation":"N1"}`, "GB 32100"},
		{"status", wantStatus(200, nil), `{"statusCode":200,"body":"ok"}`, ""},
		{"wrong status", wantStatus(200, nil), `{"statusCode":500,"body":"oops"}`, "status 500, want 200"},
		{"field errors", wantStatus(400, checkFieldErrors), fieldErrors, ""},
		{"one field error only", wantStatus(400, checkFieldErrors), `{"statusCode":400,"body":"{\"errors\":[{\"field\":\"a\",\"code\":\"c\",\"message\":\"m\"}]}"}`, "every failing field"},
		{"not the error shape", wantStatus(400, checkFieldErrors), `{"statusCode":400,"body":"{\"message\":\"bad\"}"}`, "every failing field"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.check([]byte(c.out))
			switch {
			case c.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case c.want != "" && err == nil:
				t.Errorf("accepted, want an error with %q", c.want)
			case c.want != "" && !strings.Contains(err.Error(), c.want):
				t.Errorf("error %q does not say %q", err, c.want)
			}
		})
	}
}
