package api_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// ratingStatus is the rating part of the status answer.
type ratingStatus struct {
	Rating *struct {
		Open bool `json:"open"`
		Tags []struct {
			Code  string `json:"code"`
			Label string `json:"label"`
		} `json:"tags"`
		Given *struct {
			Score    int `json:"score"`
			FollowUp *struct {
				Status   string    `json:"status"`
				Deadline time.Time `json:"deadline"`
				Outcome  string    `json:"outcome"`
			} `json:"followUp"`
		} `json:"given"`
	} `json:"rating"`
}

func (e *env) ratingOf(t *testing.T, app submittedApp, lang string) ratingStatus {
	t.Helper()
	resp := e.do(t, req{method: "GET", path: "/v1/applications/" + app.ID, headers: map[string]string{"Authorization": "Bearer " + app.AccessToken, "Accept-Language": lang}})
	if resp.StatusCode != 200 {
		t.Fatalf("status: %d %s", resp.StatusCode, resp.Body)
	}
	var v ratingStatus
	if err := json.Unmarshal([]byte(resp.Body), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func (e *env) rate(t *testing.T, app submittedApp, body string, lang string) (int, string) {
	t.Helper()
	h := jsonHeaders()
	h["Authorization"] = "Bearer " + app.AccessToken
	if lang != "" {
		h["Accept-Language"] = lang
	}
	resp := e.do(t, req{method: "POST", path: "/v1/applications/" + app.ID + "/rating", headers: h, body: body})
	return resp.StatusCode, resp.Body
}

func (e *env) end(t *testing.T, id string, status kaiban.AppStatus) {
	t.Helper()
	at := submissionTime.Add(3 * time.Hour)
	if _, err := e.store.UpdateApplication(t.Context(), id, kaiban.ApplicationUpdate{Status: status, CompletedAt: &at, UpdatedAt: at}); err != nil {
		t.Fatal(err)
	}
}

// TestRatingRules: an application is rated once it has ended, once; bad
// input is 400 in the error shape in both languages; the status page
// offers the widget only after the end and shows the rating given.
func TestRatingRules(t *testing.T) {
	e := newEnv(t)
	app := e.submit(t, nil, string(validForm(t)))
	if v := e.ratingOf(t, app, ""); v.Rating != nil {
		t.Errorf("a running application offers a rating: %+v", v.Rating)
	}
	code, body := e.rate(t, app, `{"score":5}`, "")
	if code != 409 || !strings.Contains(body, kaiban.ErrRatingNotEnded) || !strings.Contains(body, "办结或终止后") {
		t.Fatalf("rating a running application: %d %s", code, body)
	}
	e.end(t, app.ID, kaiban.AppRejected)
	v := e.ratingOf(t, app, "en")
	if v.Rating == nil || !v.Rating.Open || len(v.Rating.Tags) != len(kaiban.RatingTags) || v.Rating.Tags[0].Label != kaiban.RatingTags[0].EN {
		t.Fatalf("an ended application's rating widget: %+v", v.Rating)
	}

	bad := []struct {
		name, body, lang, field, code, message string
	}{
		{"score 0", `{"score":0}`, "", "score", "range", "评分须为 1 至 5"},
		{"score 6", `{"score":6}`, "en", "score", "range", "score must be a whole number from 1 to 5"},
		{"no score", `{"tags":["fast"]}`, "", "score", "range", "评分"},
		{"unknown tag", `{"score":3,"tags":["cheap"]}`, "en", "tags", "oneof", "chosen from the tags offered"},
		{"too many tags", `{"score":3,"tags":["fast","fast","fast","fast","fast","fast","fast","fast","fast"]}`, "", "tags", "max", "最多"},
		{"long comment", `{"score":3,"comment":"` + strings.Repeat("慢", kaiban.MaxRatingComment+1) + `"}`, "en", "comment", "max", "at most 500"},
	}
	for _, c := range bad {
		code, body := e.rate(t, app, c.body, c.lang)
		if code != 400 {
			t.Errorf("%s: %d %s, want 400", c.name, code, body)
			continue
		}
		fe := errorsOf(t, events.APIGatewayV2HTTPResponse{StatusCode: code, Body: body})
		if fe[0].Field != c.field || fe[0].Code != c.code || !strings.Contains(fe[0].Message, c.message) {
			t.Errorf("%s: %+v, want %s/%s %q", c.name, fe, c.field, c.code, c.message)
		}
	}
	for _, b := range []string{`{"score":"5"}`, `{"score":5,"stars":5}`, `[5]`} {
		if code, body := e.rate(t, app, b, ""); code != 400 {
			t.Errorf("malformed %s: %d %s, want 400", b, code, body)
		}
	}
	wrong := app
	wrong.AccessToken = "not-the-token"
	if code, _ := e.rate(t, wrong, `{"score":5}`, ""); code != 404 {
		t.Errorf("wrong token: %d, want 404", code)
	}
	resp := e.do(t, req{method: "POST", path: "/v1/applications/" + app.ID + "/rating", headers: jsonHeaders(), body: `{"score":5}`})
	if resp.StatusCode != 401 {
		t.Errorf("no token: %d, want 401", resp.StatusCode)
	}

	code, body = e.rate(t, app, `{"score":4,"tags":["fast","clear","fast"],"comment":"很快"}`, "")
	if code != 201 || !strings.Contains(body, `"tags":["clear","fast"]`) || strings.Contains(body, "followUp") {
		t.Fatalf("rating: %d %s", code, body)
	}
	code, body = e.rate(t, app, `{"score":1}`, "en")
	if code != 409 || !strings.Contains(body, kaiban.ErrRatingExists) || !strings.Contains(body, "rated once") {
		t.Fatalf("second rating: %d %s", code, body)
	}
	v = e.ratingOf(t, app, "")
	if v.Rating == nil || v.Rating.Open || v.Rating.Given == nil || v.Rating.Given.Score != 4 {
		t.Fatalf("after rating, the status shows %+v", v.Rating)
	}
	if tasks, _ := e.store.OpenTasksFor(t.Context(), app.ID); len(tasks) != 0 {
		t.Errorf("a 4 opened %d tasks", len(tasks))
	}
	if !strings.Contains(auditActions(t, e, app.ID), "application.rated") {
		t.Error("the rating is not in the audit trail")
	}
}

// TestBadRatingFollowUp: a 1–2 rating opens a RATING_FOLLOWUP task due in
// five working days, which only supervisors claim and close, closing
// needs a note, and the applicant is sent the outcome and sees it on the
// status page; all of it is in the audit trail.
func TestBadRatingFollowUp(t *testing.T) {
	e := newEnv(t)
	app := e.submit(t, nil, string(validForm(t)))
	e.end(t, app.ID, kaiban.AppCompleted)
	code, body := e.rate(t, app, `{"score":2,"tags":["slow"],"comment":"等了很久"}`, "")
	if code != 201 {
		t.Fatalf("rating: %d %s", code, body)
	}
	task, err := e.store.GetClerkTask(t.Context(), kaiban.RatingFollowUpID(app.ID))
	if err != nil {
		t.Fatalf("no follow-up task: %v", err)
	}
	// Rated Friday 2026-11-27 09:00 CST: five working days is Friday
	// 2026-12-04 09:00 CST.
	want := time.Date(2026, 12, 4, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))
	if task.Kind != kaiban.TaskRatingFollowUp || task.Status != kaiban.TaskOpen || !task.Deadline.Equal(want) {
		t.Fatalf("follow-up = kind %s status %s deadline %v, want RATING_FOLLOWUP OPEN %v", task.Kind, task.Status, task.Deadline, want)
	}
	v := e.ratingOf(t, app, "")
	if f := v.Rating.Given.FollowUp; f == nil || f.Status != "OPEN" || !f.Deadline.Equal(want) {
		t.Fatalf("status page follow-up: %+v", f)
	}

	clerk := clerkClaims("c1")
	supervisor := clerkClaims("s1")
	supervisor["cognito:groups"] = "[clerks supervisors]"
	path := "/v1/clerk/tasks/" + task.ID
	if r := e.do(t, req{method: "POST", path: path + "/claim", claims: clerk}); r.StatusCode != 403 {
		t.Fatalf("a clerk claimed a follow-up: %d %s", r.StatusCode, r.Body)
	}
	if r := e.do(t, req{method: "POST", path: path + "/claim", claims: supervisor}); r.StatusCode != 200 {
		t.Fatalf("supervisor claim: %d %s", r.StatusCode, r.Body)
	}
	if r := e.do(t, req{method: "POST", path: path + "/resolve", claims: clerk, headers: jsonHeaders(), body: `{"decision":"acknowledge","note":"x"}`}); r.StatusCode != 403 {
		t.Fatalf("a clerk resolved a follow-up: %d %s", r.StatusCode, r.Body)
	}
	for _, note := range []string{``, `   `} {
		r := e.do(t, req{method: "POST", path: path + "/resolve", claims: supervisor, headers: jsonHeaders(), body: `{"decision":"acknowledge","note":"` + note + `"}`})
		if r.StatusCode != 400 {
			t.Fatalf("closing with note %q: %d %s", note, r.StatusCode, r.Body)
		}
		if fe := errorsOf(t, r); fe[0].Field != "note" || fe[0].Code != "required" {
			t.Errorf("closing without a note: %+v", fe)
		}
	}
	outcome := "已致电申请人，说明银行预约需人工确认，已优化流程"
	r := e.do(t, req{method: "POST", path: path + "/resolve", claims: supervisor, headers: jsonHeaders(), body: `{"decision":"acknowledge","note":"` + outcome + `"}`})
	if r.StatusCode != 200 {
		t.Fatalf("closing: %d %s", r.StatusCode, r.Body)
	}
	v = e.ratingOf(t, app, "")
	if f := v.Rating.Given.FollowUp; f == nil || f.Status != "RESOLVED" || f.Outcome != outcome {
		t.Fatalf("status page after closing: %+v", f)
	}
	msgs, err := e.store.Messages(t.Context(), 0)
	if err != nil {
		t.Fatal(err)
	}
	told := 0
	for _, m := range msgs {
		if m.Kind == "rating_followed_up" && strings.Contains(m.Text, outcome) {
			told++
		}
	}
	if told == 0 {
		t.Error("the applicant was not sent the follow-up's outcome")
	}
	trail := auditActions(t, e, app.ID)
	for _, a := range []string{"application.rated", "task.opened", "task.claimed", "task.resolved"} {
		if !strings.Contains(trail, a) {
			t.Errorf("audit trail %s lacks %s", trail, a)
		}
	}
	if err := e.store.VerifyAudit(t.Context(), app.ID); err != nil {
		t.Errorf("trail does not verify: %v", err)
	}
}

func auditActions(t *testing.T, e *env, id string) string {
	t.Helper()
	trail, err := e.store.ListAudit(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, ev := range trail {
		out = append(out, ev.Action)
	}
	return strings.Join(out, " ")
}
