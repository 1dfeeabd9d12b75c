package api_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/kaiban/kaiban/shared/api"
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

// TestStatsPage: /stats is server-rendered HTML with every number in it
// (readable without JavaScript), charts as inline SVG, no script and no
// inline style, under the pages' Content-Security-Policy, in Chinese by
// default and in English by ?lang=en or Accept-Language.
func TestStatsPage(t *testing.T) {
	e := newEnv(t)
	for i := range 3 {
		app := e.submit(t, map[string]string{"Idempotency-Key": "page-" + string(rune('a'+i))}, string(validForm(t)))
		if i < 2 {
			e.end(t, app.ID, kaiban.AppCompleted)
			if code, body := e.rate(t, app, `{"score":`+string(rune('4'+i))+`}`, ""); code != 201 {
				t.Fatalf("rating: %d %s", code, body)
			}
		}
	}
	// A correction asked, counted under its reason: the page names it in
	// words beside its code.
	if err := kaiban.CountStats(t.Context(), e.store, submissionTime, kaiban.CorrectionCounters("ADDRESS_UNUSABLE")); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name    string
		query   map[string]string
		headers map[string]string
		want    []string
	}{
		{"zh default", nil, nil, []string{`<html lang="zh-CN">`, "提交申请", `<dd id="stat-submitted">3</dd>`, "好差评分布", "住所无法使用"}},
		{"en by query", map[string]string{"lang": "en", "days": "7"}, nil, []string{`<html lang="en">`, "Applications submitted", `<dd id="stat-submitted">3</dd>`, `<option value="7" selected>`, "The address cannot be used", "ADDRESS_UNUSABLE"}},
		{"a window not in the list", map[string]string{"days": "1"}, nil, []string{`<option value="1" selected>`, `<dd id="stat-submitted">3</dd>`}},
		{"en by header", nil, map[string]string{"Accept-Language": "en"}, []string{`<html lang="en">`, "Ratings"}},
	} {
		resp := e.do(t, req{method: "GET", path: "/stats", query: c.query, headers: c.headers})
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Headers["Content-Type"], "text/html") {
			t.Fatalf("%s: %d %v", c.name, resp.StatusCode, resp.Headers)
		}
		if resp.Headers["Content-Security-Policy"] != api.ContentSecurityPolicy {
			t.Errorf("%s: CSP %q", c.name, resp.Headers["Content-Security-Policy"])
		}
		body := resp.Body
		for _, w := range c.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: page lacks %q", c.name, w)
			}
		}
		// The ratings given: one 4 and one 5, in the table a reader
		// without JavaScript (or a screen reader) gets.
		if !strings.Contains(body, `<td data-score-count>1</td>`) || strings.Count(body, "<svg") != 2 {
			t.Errorf("%s: rating table or charts missing", c.name)
		}
		for _, banned := range []string{"<script", " style=", "<style", "javascript:"} {
			if strings.Contains(body, banned) {
				t.Errorf("%s: page contains %q", c.name, banned)
			}
		}
	}
	if resp := e.do(t, req{method: "GET", path: "/stats", query: map[string]string{"days": "365"}}); resp.StatusCode != 400 {
		t.Errorf("days=365: %d", resp.StatusCode)
	}
}
