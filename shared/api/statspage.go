package api

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"

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
	var b bytes.Buffer
	if err := statsTemplate.Execute(&b, newStatsPageData(d, lang == validate.LangEN)); err != nil {
		return noResponse, kaiban.Wrap(kaiban.ErrInternal, err, "cannot render the figures")
	}
	resp, _ := s.assetResponse("text/html; charset=utf-8", b.String())
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

var statsTemplate = template.Must(template.New("stats").Parse(`<!doctype html>
<html lang="{{if .EN}}en{{else}}zh-CN{{end}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.T.title}}</title>
<link rel="stylesheet" href="/static/style.css">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
</head>
<body>
<header class="site-header"><div class="wrap header-row">
<p class="brand"><span class="brand-mark" aria-hidden="true">开</span> <span>{{.T.brand}}</span></p>
<a class="lang-switch" href="/stats?lang={{.OtherLang}}&amp;days={{.D.Days}}" lang="{{if .EN}}zh-CN{{else}}en{{end}}">{{.T.switch}}</a>
</div></header>
<main id="main" class="wrap">
<h1>{{.T.title}}</h1>
<form method="get" action="/stats" class="inline-form">
<input type="hidden" name="lang" value="{{if .EN}}en{{else}}zh{{end}}">
<label for="stats-days">{{.T.window}}</label>
<select id="stats-days" name="days">{{range .Windows}}<option value="{{.}}"{{if eq . $.D.Days}} selected{{end}}>{{.}} {{$.T.days}}</option>{{end}}</select>
<button type="submit" class="button secondary">{{.T.show}}</button>
</form>
<p class="hint">{{.D.From}} – {{.D.To}}</p>
<section class="card" aria-labelledby="kpi-h">
<h2 id="kpi-h" class="visually-hidden">{{.T.title}}</h2>
<dl class="kv" id="stats-kpis">
<dt>{{.T.submitted}}</dt><dd id="stat-submitted">{{.D.Submitted}}</dd>
<dt>{{.T.completed}}</dt><dd id="stat-completed">{{.D.Completed}}</dd>
<dt>{{.T.rejected}}</dt><dd id="stat-rejected">{{.D.Rejected}}</dd>
<dt>{{.T.p50}}</dt><dd id="stat-p50">{{.P50}}</dd>
<dt>{{.T.p95}}</dt><dd id="stat-p95">{{.P95}}</dd>
<dt>{{.T.within}}</dt><dd id="stat-within">{{.Within}}</dd>
<dt>{{.T.automated}}</dt><dd id="stat-automated">{{.Automated}}</dd>
</dl>
<p class="hint">{{.T.note}}</p>
</section>
<section class="card" aria-labelledby="daily-h">
<h2 id="daily-h">{{.T.daily}}</h2>
<svg role="img" aria-labelledby="daily-h" viewBox="0 0 {{.ChartWidth}} 104" width="100%" height="120" preserveAspectRatio="none">
{{range .Daily}}<g><title>{{.Day}}: {{$.T.submitted}} {{.Submitted}}, {{$.T.completed}} {{.Completed}}</title><rect x="{{.X}}" y="{{.YSub}}" width="5" height="{{.HSub}}" fill="#9bb7d4"></rect><rect x="{{.X}}" y="{{.YDone}}" width="5" height="{{.HDone}}" fill="#1f5f99" transform="translate(5 0)"></rect></g>
{{end}}</svg>
<table><caption class="visually-hidden">{{.T.daily}}</caption><thead><tr><th scope="col">{{.D.From}} – {{.D.To}}</th><th scope="col">{{.T.submitted}}</th><th scope="col">{{.T.completed}}</th></tr></thead>
<tbody>{{range .Daily}}<tr><th scope="row">{{.Day}}</th><td>{{.Submitted}}</td><td>{{.Completed}}</td></tr>{{end}}</tbody></table>
</section>
<section class="card" aria-labelledby="agency-h">
<h2 id="agency-h">{{.T.agencies}}</h2>
<table><thead><tr><th scope="col">{{.T.agency}}</th><th scope="col">{{.T.finished}}</th><th scope="col">{{.T.median}}</th><th scope="col">{{.T.refused}}</th></tr></thead>
<tbody>{{range .Agencies}}<tr><th scope="row">{{.Name}}</th><td>{{.Finished}}</td><td>{{.Median}}</td><td>{{.Refused}}</td></tr>{{end}}</tbody></table>
</section>
<section class="card" aria-labelledby="reason-h">
<h2 id="reason-h">{{.T.reasons}}</h2>
{{if .D.TopReasons}}<table><thead><tr><th scope="col">{{.T.reason}}</th><th scope="col">{{.T.count}}</th></tr></thead>
<tbody>{{range .D.TopReasons}}<tr><th scope="row" class="mono">{{.Reason}}</th><td>{{.Count}}</td></tr>{{end}}</tbody></table>{{else}}<p>{{.T.none}}</p>{{end}}
</section>
<section class="card" aria-labelledby="rating-h">
<h2 id="rating-h">{{.T.ratings}}</h2>
<svg role="img" aria-labelledby="rating-h" viewBox="0 0 400 120" width="400" height="120">
{{range .Ratings}}<g><text x="0" y="{{.Y}}" dy="16" font-size="13">{{.Label}}</text><rect x="60" y="{{.Y}}" height="18" width="{{.Width}}" fill="#1f5f99"></rect><text x="{{.Width}}" y="{{.Y}}" dx="66" dy="14" font-size="13">{{.N}}</text></g>
{{end}}</svg>
<table><thead><tr><th scope="col">{{.T.ratings}}</th><th scope="col">{{.T.count}}</th></tr></thead>
<tbody id="stat-ratings">{{range .Ratings}}<tr><th scope="row">{{.Label}}</th><td data-score-count>{{.N}}</td></tr>{{end}}</tbody></table>
<p id="stat-followups">{{.T.followupsLine}}</p>
</section>
</main>
</body>
</html>
`))

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
