package api

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/validate"
)

// statsPage: GET /stats, the public dashboard as server-rendered HTML:
// every number is in the page (no JavaScript needed), the charts are
// inline SVG, and it is sent under the same Content-Security-Policy as
// every page. ?lang=en|zh overrides Accept-Language; ?days picks the
// window (1–90, else 400 in the error shape like the API).
func (s *Server) statsPage(ctx context.Context, r *request) (events.APIGatewayV2HTTPResponse, error) {
	q := r.ev.QueryStringParameters
	lang := r.lang
	switch q["lang"] {
	case "en":
		lang = validate.LangEN
	case "zh":
		lang = validate.LangZH
	}
	d, err := s.svc.Stats(r.service(ctx), q["days"], lang)
	if err != nil {
		return noResponse, err
	}
	resp, _ := s.assetResponse("text/html; charset=utf-8", renderStatsPage(newStatsPageData(d, lang == validate.LangEN)))
	// Revalidated on every visit, so an applicant who has just rated sees
	// the rating counted (the page costs one read of the aggregates).
	resp.Headers["Cache-Control"] = "no-cache"
	return resp, nil
}

// statsPageData is what the template shows, in one language.
type statsPageData struct {
	EN        bool
	T         map[string]string
	D         kaiban.Dashboard
	P50, P95  string
	Within    string
	Automated string
	Agencies  []agencyRow
	Ratings   []bar
	Daily     []dayBars
	OtherLang string
	Windows   []int
	RatingsN  int64
	// ChartWidth is the daily chart's width in SVG units (12 per day).
	ChartWidth int
}

type agencyRow struct {
	Name, Median, Refused string
	Finished              int64
}

type bar struct {
	Label string
	N     int64
	Width int
	Y     int
}

type dayBars struct {
	Day                  string
	X, HSub, HDone, YSub int
	YDone                int
	Submitted, Completed int64
}

var statsTexts = map[string][2]string{
	"title":      {"企业开办办理情况（公开数据）", "Company start-up: public figures"},
	"window":     {"统计区间", "Window"},
	"days":       {"天", "days"},
	"show":       {"查看", "Show"},
	"submitted":  {"提交申请", "Applications submitted"},
	"completed":  {"办结", "Completed"},
	"rejected":   {"未予办理", "Rejected"},
	"p50":        {"受理至办结用时（中位数）", "Acceptance to completion (median)"},
	"p95":        {"受理至办结用时（95% 在此之内）", "Acceptance to completion (95% within)"},
	"within":     {"半个工作日（4 小时）内办结的比例", "Share completed within half a working day (4 h)"},
	"automated":  {"全程无需人工介入的比例", "Share completed with no clerk involved"},
	"agencies":   {"各部门办理情况", "Per agency"},
	"agency":     {"部门事项", "Agency"},
	"finished":   {"办理件数", "Finished"},
	"median":     {"用时中位数", "Median time"},
	"refused":    {"不予办理比例", "Share refused"},
	"reasons":    {"最常见的驳回及补正原因", "Most frequent refusal and correction reasons"},
	"reason":     {"原因", "Reason"},
	"count":      {"次数", "Count"},
	"ratings":    {"好差评分布", "Ratings"},
	"score":      {"分", "stars"},
	"followups":  {"差评回访：已回访 %d 件，其中按期 %d 件", "Bad ratings followed up: %d, of which %d in time"},
	"daily":      {"每日提交与办结", "Submitted and completed per day"},
	"none":       {"暂无", "none yet"},
	"minutesMax": {"≤ %s 分钟", "≤ %s min"},
	"switch":     {"English", "中文"},
	"brand":      {"企业开办一网通办", "Kaiban one-stop company start-up"},
	"note":       {"用时按受理（全部设立人员签署）起算；百分位数为所在统计区间的上限。", "Times run from acceptance (every founder signed); percentiles are the upper bound of their histogram bucket."},
}

var trackTexts = map[kaiban.TrackName][2]string{
	kaiban.TrackLicense: {"营业执照", "Business licence"}, kaiban.TrackSeal: {"印章刻制", "Seals"}, kaiban.TrackTax: {"税务登记", "Tax"},
	kaiban.TrackSocialInsurance: {"社会保险", "Social insurance"}, kaiban.TrackMedicalInsurance: {"医疗保险", "Medical insurance"},
	kaiban.TrackHousingFund: {"住房公积金", "Housing fund"}, kaiban.TrackBank: {"银行开户", "Bank account"},
}

func newStatsPageData(d kaiban.Dashboard, en bool) statsPageData {
	pick := func(v [2]string) string {
		if en {
			return v[1]
		}
		return v[0]
	}
	t := map[string]string{}
	for k, v := range statsTexts {
		t[k] = pick(v)
	}
	mins := func(v *float64) string {
		if v == nil {
			return t["none"]
		}
		return fmt.Sprintf(t["minutesMax"], strconv.FormatFloat(*v, 'f', -1, 64))
	}
	pct := func(v *float64) string {
		if v == nil {
			return t["none"]
		}
		return strconv.FormatFloat(*v*100, 'f', 1, 64) + "%"
	}
	out := statsPageData{EN: en, T: t, D: d, P50: mins(d.P50Minutes), P95: mins(d.P95Minutes), Within: pct(d.WithinHalfDayShare),
		Automated: pct(d.AutomationRate), OtherLang: "zh", Windows: []int{7, 30, 90}}
	if !en {
		out.OtherLang = "en"
	}
	if !slices.Contains(out.Windows, d.Days) {
		out.Windows = append([]int{d.Days}, out.Windows...)
	}
	t["followupsLine"] = fmt.Sprintf(t["followups"], d.FollowUpsClosed, d.FollowUpsClosedInTime)
	for _, a := range d.Agencies {
		out.Agencies = append(out.Agencies, agencyRow{Name: pick(trackTexts[a.Track]), Finished: a.Finished, Median: mins(a.MedianMinutes), Refused: pct(a.RefusalShare)})
	}
	var most int64 = 1
	for _, n := range d.Ratings {
		most = max(most, n)
		out.RatingsN += n
	}
	for i := 4; i >= 0; i-- {
		out.Ratings = append(out.Ratings, bar{Label: strconv.Itoa(i+1) + " " + t["score"], N: d.Ratings[i], Width: int(300 * d.Ratings[i] / most), Y: (4 - i) * 24})
	}
	var top int64 = 1
	for _, f := range d.Daily {
		top = max(top, f.Submitted, f.Completed)
	}
	out.ChartWidth = 12 * max(7, len(d.Daily))
	for i, f := range d.Daily {
		hs, hd := int(100*f.Submitted/top), int(100*f.Completed/top)
		out.Daily = append(out.Daily, dayBars{Day: f.Day, X: i * 12, HSub: hs, YSub: 100 - hs, HDone: hd, YDone: 100 - hd, Submitted: f.Submitted, Completed: f.Completed})
	}
	return out
}

// renderStatsPage writes the page by hand, every text through
// html.EscapeString: html/template would cost the api bootstrap some 4 MB
// (its reflection keeps every exported method of the binary alive).
func renderStatsPage(p statsPageData) string {
	var b strings.Builder
	e := html.EscapeString
	w := func(parts ...string) {
		for _, s := range parts {
			b.WriteString(s)
		}
	}
	n := func(v int64) string { return strconv.FormatInt(v, 10) }
	i := strconv.Itoa
	lang, other := "zh-CN", "en"
	if p.EN {
		lang, other = "en", "zh-CN"
	}
	t := p.T
	w(`<!doctype html>
<html lang="`, lang, `">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>`, e(t["title"]), `</title>
<link rel="stylesheet" href="/static/style.css">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
</head>
<body>
<header class="site-header"><div class="wrap header-row">
<p class="brand"><span class="brand-mark" aria-hidden="true">开</span> <span>`, e(t["brand"]), `</span></p>
<a class="lang-switch" href="/stats?lang=`, p.OtherLang, `&amp;days=`, i(p.D.Days), `" lang="`, other, `">`, e(t["switch"]), `</a>
</div></header>
<main id="main" class="wrap">
<h1>`, e(t["title"]), `</h1>
<form method="get" action="/stats" class="inline-form">
<input type="hidden" name="lang" value="`, map[bool]string{true: "en", false: "zh"}[p.EN], `">
<label for="stats-days">`, e(t["window"]), `</label>
<select id="stats-days" name="days">`)
	for _, d := range p.Windows {
		sel := ""
		if d == p.D.Days {
			sel = " selected"
		}
		w(`<option value="`, i(d), `"`, sel, `>`, i(d), ` `, e(t["days"]), `</option>`)
	}
	w(`</select>
<button type="submit" class="button secondary">`, e(t["show"]), `</button>
</form>
<p class="hint">`, e(p.D.From), ` – `, e(p.D.To), `</p>
<section class="card" aria-labelledby="kpi-h">
<h2 id="kpi-h" class="visually-hidden">`, e(t["title"]), `</h2>
<dl class="kv" id="stats-kpis">
`)
	for _, kv := range [][3]string{
		{"submitted", "stat-submitted", n(p.D.Submitted)}, {"completed", "stat-completed", n(p.D.Completed)}, {"rejected", "stat-rejected", n(p.D.Rejected)},
		{"p50", "stat-p50", p.P50}, {"p95", "stat-p95", p.P95}, {"within", "stat-within", p.Within}, {"automated", "stat-automated", p.Automated},
	} {
		w(`<dt>`, e(t[kv[0]]), `</dt><dd id="`, kv[1], `">`, e(kv[2]), `</dd>
`)
	}
	w(`</dl>
<p class="hint">`, e(t["note"]), `</p>
</section>
<section class="card" aria-labelledby="daily-h">
<h2 id="daily-h">`, e(t["daily"]), `</h2>
<svg role="img" aria-labelledby="daily-h" viewBox="0 0 `, i(p.ChartWidth), ` 104" width="100%" height="120" preserveAspectRatio="none">
`)
	for _, d := range p.Daily {
		w(`<g><title>`, e(d.Day), `: `, e(t["submitted"]), ` `, n(d.Submitted), `, `, e(t["completed"]), ` `, n(d.Completed), `</title>`,
			`<rect x="`, i(d.X), `" y="`, i(d.YSub), `" width="5" height="`, i(d.HSub), `" fill="#9bb7d4"></rect>`,
			`<rect x="`, i(d.X+5), `" y="`, i(d.YDone), `" width="5" height="`, i(d.HDone), `" fill="#1f5f99"></rect></g>
`)
	}
	w(`</svg>
<table><caption class="visually-hidden">`, e(t["daily"]), `</caption><thead><tr><th scope="col">`, e(p.D.From), ` – `, e(p.D.To), `</th><th scope="col">`, e(t["submitted"]), `</th><th scope="col">`, e(t["completed"]), `</th></tr></thead>
<tbody>`)
	for _, d := range p.Daily {
		w(`<tr><th scope="row">`, e(d.Day), `</th><td>`, n(d.Submitted), `</td><td>`, n(d.Completed), `</td></tr>`)
	}
	w(`</tbody></table>
</section>
<section class="card" aria-labelledby="agency-h">
<h2 id="agency-h">`, e(t["agencies"]), `</h2>
<table><thead><tr><th scope="col">`, e(t["agency"]), `</th><th scope="col">`, e(t["finished"]), `</th><th scope="col">`, e(t["median"]), `</th><th scope="col">`, e(t["refused"]), `</th></tr></thead>
<tbody>`)
	for _, a := range p.Agencies {
		w(`<tr><th scope="row">`, e(a.Name), `</th><td>`, n(a.Finished), `</td><td>`, e(a.Median), `</td><td>`, e(a.Refused), `</td></tr>`)
	}
	w(`</tbody></table>
</section>
<section class="card" aria-labelledby="reason-h">
<h2 id="reason-h">`, e(t["reasons"]), `</h2>
`)
	if len(p.D.TopReasons) == 0 {
		w(`<p>`, e(t["none"]), `</p>
`)
	} else {
		w(`<table><thead><tr><th scope="col">`, e(t["reason"]), `</th><th scope="col">`, e(t["count"]), `</th></tr></thead>
<tbody>`)
		for _, r := range p.D.TopReasons {
			w(`<tr><th scope="row">`, e(kaiban.ReasonLabel(r.Reason, p.EN)), ` <span class="mono">`, e(r.Reason), `</span></th><td>`, n(r.Count), `</td></tr>`)
		}
		w(`</tbody></table>
`)
	}
	w(`</section>
<section class="card" aria-labelledby="rating-h">
<h2 id="rating-h">`, e(t["ratings"]), `</h2>
<svg role="img" aria-labelledby="rating-h" viewBox="0 0 400 120" width="400" height="120">
`)
	for _, r := range p.Ratings {
		w(`<g><text x="0" y="`, i(r.Y), `" dy="16" font-size="13">`, e(r.Label), `</text><rect x="60" y="`, i(r.Y), `" height="18" width="`, i(r.Width), `" fill="#1f5f99"></rect>`,
			`<text x="`, i(r.Width+66), `" y="`, i(r.Y), `" dy="14" font-size="13">`, n(r.N), `</text></g>
`)
	}
	w(`</svg>
<table><thead><tr><th scope="col">`, e(t["ratings"]), `</th><th scope="col">`, e(t["count"]), `</th></tr></thead>
<tbody id="stat-ratings">`)
	for _, r := range p.Ratings {
		w(`<tr><th scope="row">`, e(r.Label), `</th><td data-score-count>`, n(r.N), `</td></tr>`)
	}
	w(`</tbody></table>
<p id="stat-followups">`, e(t["followupsLine"]), `</p>
</section>
</main>
</body>
</html>
`)
	return b.String()
}

// assetResponse is a page answer with the headers every page carries.
func (s *Server) assetResponse(ctype, body string) (events.APIGatewayV2HTTPResponse, error) {
	return events.APIGatewayV2HTTPResponse{
		StatusCode: http.StatusOK,
		Headers: map[string]string{
			"Content-Type":            ctype,
			"Content-Security-Policy": ContentSecurityPolicy,
			"X-Content-Type-Options":  "nosniff",
			"Referrer-Policy":         "no-referrer",
			"X-Frame-Options":         "DENY",
		},
		Body: body,
	}, nil
}
