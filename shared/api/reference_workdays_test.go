package api_test

import (
	"encoding/json"
	"slices"
	"testing"
)

// GET /v1/reference/workdays answers the bank window's working days on the
// holiday calendar, with a short cache (the list moves with the day).
func TestReferenceWorkdays(t *testing.T) {
	e := newEnv(t)
	resp := e.do(t, req{method: "GET", path: "/v1/reference/workdays"})
	if resp.StatusCode != 200 || resp.Headers["Cache-Control"] != "public, max-age=300" {
		t.Fatalf("%d %v %s", resp.StatusCode, resp.Headers, resp.Body)
	}
	var v struct {
		From, To string
		Workdays []string
	}
	if err := json.Unmarshal([]byte(resp.Body), &v); err != nil {
		t.Fatal(err)
	}
	// The test clock is Friday 27 November 2026.
	if v.From != "2026-11-27" || v.To != "2027-01-26" || v.Workdays[0] != "2026-11-27" || v.Workdays[1] != "2026-11-30" {
		t.Errorf("window %s–%s, first days %v", v.From, v.To, v.Workdays[:2])
	}
	for _, off := range []string{"2026-11-28", "2026-11-29", "2027-01-01"} {
		if slices.Contains(v.Workdays, off) {
			t.Errorf("%s (a weekend or New Year's Day) listed", off)
		}
	}
	if !slices.Contains(v.Workdays, "2026-12-31") || len(v.Workdays) < 40 {
		t.Errorf("%d working days: %v", len(v.Workdays), v.Workdays)
	}
}
