package api_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// TestStatsRoute: GET /v1/stats needs no sign-in, refuses a window
// outside 1–90 days with a 400 on days in both languages, and counts a
// submission and a rating as they happen.
func TestStatsRoute(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct {
		days, lang, message string
	}{{"0", "", "days 须为 1 至 90"}, {"91", "en", "days must be a whole number from 1 to 90"}, {"x", "", "整数"}, {"-3", "en", "from 1 to 90"}} {
		resp := e.do(t, req{method: "GET", path: "/v1/stats", query: map[string]string{"days": c.days}, headers: map[string]string{"Accept-Language": c.lang}})
		if resp.StatusCode != 400 {
			t.Errorf("days=%q: %d %s", c.days, resp.StatusCode, resp.Body)
			continue
		}
		if fe := errorsOf(t, resp); fe[0].Field != "days" || fe[0].Code != "range" || !strings.Contains(fe[0].Message, c.message) {
			t.Errorf("days=%q: %+v", c.days, fe)
		}
	}
	read := func(query map[string]string) kaiban.Dashboard {
		t.Helper()
		resp := e.do(t, req{method: "GET", path: "/v1/stats", query: query})
		if resp.StatusCode != 200 {
			t.Fatalf("stats: %d %s", resp.StatusCode, resp.Body)
		}
		var d kaiban.Dashboard
		if err := json.Unmarshal([]byte(resp.Body), &d); err != nil {
			t.Fatal(err)
		}
		return d
	}
	if d := read(nil); d.Days != 30 || d.To != "2026-11-27" || d.From != "2026-10-29" || d.Submitted != 0 {
		t.Fatalf("empty default window: %+v", d)
	}
	app := e.submit(t, nil, string(validForm(t)))
	e.end(t, app.ID, kaiban.AppCompleted)
	if code, body := e.rate(t, app, `{"score":5}`, ""); code != 201 {
		t.Fatalf("rating: %d %s", code, body)
	}
	d := read(map[string]string{"days": "1"})
	if d.Days != 1 || d.From != "2026-11-27" || d.Submitted != 1 || d.Ratings != [5]int64{0, 0, 0, 0, 1} {
		t.Errorf("after a submission and a 5: %+v", d)
	}
}
